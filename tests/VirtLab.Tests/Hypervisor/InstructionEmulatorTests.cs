using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Machine;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

/// <summary>
/// The emulation of CSR instructions, mret and wfi can be replaced from outside VirtLab; a
/// replacement that fails stops its own VM with a reason that names it, and nothing else.
/// </summary>
public class InstructionEmulatorTests
{
    /// <summary>
    /// A student's emulator, written from the spec and compiled here into an assembly of its own,
    /// which (unlike this test assembly) cannot see VirtLab's internals: it uses the public API only.
    /// </summary>
    private const string StudentSource = """
        using VirtLab.Hypervisor;
        using VirtLab.Machine;

        namespace Student;

        public sealed class MyEmulator : IInstructionEmulator
        {
            public int Csrs, Mrets, Wfis;

            public bool EmulateCsr(EmulationContext guest, CsrInstruction i)
            {
                Csrs++;
                uint source = i.IsImmediate ? (uint)i.Rs1 : guest[i.Rs1];
                if (!guest.TryReadCsr(i.Csr, out uint old)) return false;
                if (i.Operation == CsrOperation.ReadWrite || i.Rs1 != 0)
                {
                    uint value = i.Operation switch
                    {
                        CsrOperation.ReadWrite => source,
                        CsrOperation.ReadSet => old | source,
                        _ => old & ~source,
                    };
                    if (!guest.TryWriteCsr(i.Csr, value)) return false;
                }
                guest[i.Rd] = old;
                return true;
            }

            public void EmulateMret(EmulationContext guest)
            {
                Mrets++;
                uint status = guest.Csrs.MStatus;
                uint mie = (status & MStatusBits.MPIE) != 0 ? MStatusBits.MIE : 0;
                guest.Csrs.MStatus = (status & ~(MStatusBits.MIE | MStatusBits.MPP)) | mie | MStatusBits.MPIE;
                guest.NextPc = guest.Csrs.MEpc;
            }

            public void EmulateWfi(EmulationContext guest)
            {
                Wfis++;
                if ((guest.PendingInterrupts & guest.Csrs.Mie) == 0) guest.WaitForInterrupt();
            }
        }
        """;

    private static IInstructionEmulator CompileStudentEmulator(out System.Reflection.Assembly assembly)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(IInstructionEmulator).Assembly.Location)
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("StudentEmulator", [CSharpSyntaxTree.ParseText(StudentSource)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        assembly = System.Reflection.Assembly.Load(image.ToArray());
        return (IInstructionEmulator)Activator.CreateInstance(assembly.GetType("Student.MyEmulator")!)!;
    }

    private static (Host Host, VirtualMachine[] Vms) Guests(IInstructionEmulator? emulator)
    {
        var host = new Host(new HostConfig { Cores = 2, Seed = 5 });
        VirtualMachine Vm(string name, Workload workload) => host.CreateVm(new VmConfig
        {
            Name = name, TickMilliseconds = 1, Workload = workload,
            InstructionEmulator = emulator ?? BuiltInInstructionEmulator.Instance,
        });
        return (host, [Vm("io", Workload.Io()), Vm("csr", Workload.ExitCsr()), Vm("cpu", Workload.Cpu())]);
    }

    [Fact]
    public void An_emulator_from_another_assembly_runs_the_guest_kernel_exactly_as_the_built_in_one()
    {
        var student = CompileStudentEmulator(out var assembly);
        Assert.DoesNotContain(typeof(Vcpu).Assembly.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>(),
            a => a.AssemblyName == assembly.GetName().Name);

        var (builtInHost, builtIn) = Guests(null);
        var (studentHost, students) = Guests(student);
        builtInHost.RunFor(30);
        studentHost.RunFor(30);

        for (int i = 0; i < builtIn.Length; i++)
        {
            Assert.False(students[i].IsStopped, students[i].StopReason);
            Assert.True(students[i].Progress > 0);
            Assert.Equal(builtIn[i].Progress, students[i].Progress);
            Assert.Equal(builtIn[i].Instructions, students[i].Instructions);
            Assert.Equal(builtIn[i].Exits.TotalCycles, students[i].Exits.TotalCycles);
            Assert.Equal(builtIn[i].Exits[VmExitReason.CsrAccess], students[i].Exits[VmExitReason.CsrAccess]);
        }
        // It really was the student's code that emulated them.
        int Count(string field) => (int)student.GetType().GetField(field)!.GetValue(student)!;
        Assert.Equal(students.Sum(v => v.Exits[VmExitReason.CsrAccess]), Count("Csrs"));
        Assert.Equal(students.Sum(v => v.Exits[VmExitReason.PrivilegedInstruction]), Count("Mrets"));
        Assert.Equal(students.Sum(v => v.Exits[VmExitReason.Wfi]), Count("Wfis"));
        Assert.True(Count("Mrets") > 0 && Count("Wfis") > 0);
    }

    private sealed class ThrowingEmulator : IInstructionEmulator
    {
        public bool EmulateCsr(EmulationContext guest, CsrInstruction instruction) => throw new InvalidOperationException("student bug");
        public void EmulateMret(EmulationContext guest) { }
        public void EmulateWfi(EmulationContext guest) { }
    }

    private sealed class MisalignedMret : IInstructionEmulator
    {
        public bool EmulateCsr(EmulationContext guest, CsrInstruction instruction) => BuiltInInstructionEmulator.Instance.EmulateCsr(guest, instruction);
        public void EmulateMret(EmulationContext guest) => guest.NextPc = guest.Csrs.MEpc + 2;
        public void EmulateWfi(EmulationContext guest) => BuiltInInstructionEmulator.Instance.EmulateWfi(guest);
    }

    private sealed class RegisterOutOfRange : IInstructionEmulator
    {
        public bool EmulateCsr(EmulationContext guest, CsrInstruction instruction) { guest[instruction.Rd + 32] = 0; return true; }
        public void EmulateMret(EmulationContext guest) { }
        public void EmulateWfi(EmulationContext guest) { }
    }

    public static TheoryData<string> Misbehaving => [nameof(ThrowingEmulator), nameof(MisalignedMret), nameof(RegisterOutOfRange)];

    [Theory]
    [MemberData(nameof(Misbehaving))]
    public void An_emulator_that_fails_stops_its_own_vm_with_a_reason_naming_it_and_the_rest_carry_on(string name)
    {
        IInstructionEmulator emulator = name switch
        {
            nameof(ThrowingEmulator) => new ThrowingEmulator(),
            nameof(MisalignedMret) => new MisalignedMret(),
            _ => new RegisterOutOfRange(),
        };
        var host = new Host(new HostConfig { Cores = 1, Seed = 2 });
        var bad = host.CreateVm(new VmConfig
        {
            Name = "bad", TickMilliseconds = 1, Workload = Workload.Io(), InstructionEmulator = emulator, OnCrash = CrashPolicy.Reset,
        });
        var good = host.CreateVm(new VmConfig { Name = "good", TickMilliseconds = 1, Workload = Workload.Io() });
        bad.Trace.Start(capacity: 1, ExitTraceLimit.KeepLast);

        host.RunFor(30);

        Assert.True(bad.IsStopped);
        Assert.True(bad.Crashed);
        Assert.Empty(bad.Resets);   // resetting the guest would not mend the host's emulator
        Assert.Contains($"instruction emulator {emulator.GetType().FullName}", bad.StopReason);
        Assert.Contains(name switch
        {
            nameof(ThrowingEmulator) => "threw InvalidOperationException emulating 'csr",
            nameof(MisalignedMret) => "not a multiple of 4, emulating 'mret'",
            _ => "threw ArgumentOutOfRangeException",
        }, bad.StopReason);
        Assert.Equal(0, bad.Memory.MappedPages);                       // its frames went back to the host
        Assert.Equal(bad.StopReason, bad.Trace.Exits[^1].StopReason);   // the trace shows the exit that stopped it
        Assert.False(good.IsStopped, good.StopReason);
        Assert.True(good.Progress > 0);
    }

    [Fact]
    public void A_vm_config_without_an_emulator_is_refused_naming_the_field()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            new Host(SmallHost()).CreateVm(new VmConfig { Name = "x", InstructionEmulator = null! }));
        Assert.Contains("x.instruction-emulator", error.Message);
    }
}
