using VirtLab.Hypervisor;

namespace VirtLab.Grading.CsrEmulation;

/// <summary>
/// What can be observed of a guest at the end of a run: what it printed, whether and why it
/// stopped (its exit code), and each vCPU's pc, registers and virtual CSRs. Exercise 1 passes a
/// test when the guest ends exactly as it does under the reference hypervisor.
/// </summary>
/// <param name="Console">The guest's console output.</param>
/// <param name="StopReason">Why the VM stopped ("guest shut down with code 42"), or null if it still ran at the end.</param>
/// <param name="Vcpus">Each vCPU's state at the end.</param>
internal sealed record GuestOutcome(string Console, string? StopReason, IReadOnlyList<VcpuEnd> Vcpus)
{
    public static GuestOutcome Of(VirtualMachine vm) => new(vm.ConsoleOutput, vm.StopReason,
        [.. vm.Vcpus.Select(v => new VcpuEnd(v.Hart.Pc, v.Hart.Registers, VirtualCsrValues.Of(v)))]);

    /// <summary>The first way <paramref name="other"/> (the run under test) ends differently from this one (the reference), or null if it ends the same.</summary>
    public string? FirstDifference(GuestOutcome other)
    {
        if (StopReason != other.StopReason)
            return $"the guest {Stop(other.StopReason)}; under the reference hypervisor it {Stop(StopReason)}";
        if (Console != other.Console)
        {
            string[] mine = Console.Split('\n'), theirs = other.Console.Split('\n');
            int line = 0;
            while (line < mine.Length && line < theirs.Length && mine[line] == theirs[line]) line++;
            string Line(string[] lines) => line < lines.Length ? $"'{lines[line]}'" : "nothing";
            return $"the guest's output differs at line {line + 1}: it printed {Line(theirs)} where the reference prints {Line(mine)}";
        }
        for (int v = 0; v < Vcpus.Count && v < other.Vcpus.Count; v++)
        {
            var (a, b) = (Vcpus[v], other.Vcpus[v]);
            if (a.Pc != b.Pc) return $"vCPU {v} ended at pc 0x{b.Pc:x8}, under the reference at 0x{a.Pc:x8}";
            for (int r = 1; r < 32; r++)
                if (a.Registers[r] != b.Registers[r])
                    return $"vCPU {v} ended with {VirtLab.Assembly.RegisterNames.AbiName(r)} = 0x{b.Registers[r]:x8}, under the reference 0x{a.Registers[r]:x8}";
            var changes = a.Csrs.ChangesTo(b.Csrs);
            if (changes.Count > 0) return $"vCPU {v} ended with {changes[0].Name} = 0x{changes[0].After:x8}, under the reference 0x{changes[0].Before:x8}";
        }
        return null;
    }

    private static string Stop(string? reason) => reason is null ? "was still running at the end" : $"stopped: {reason}";
}

/// <summary>One vCPU at the end of a run.</summary>
internal sealed record VcpuEnd(uint Pc, uint[] Registers, VirtualCsrValues Csrs);
