using System.Text;
using VirtLab.Assembly;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Machine;
using VirtLab.Memory;
using Xunit.Abstractions;

namespace VirtLab.Tests.Guests;

/// <summary>
/// Each workload of the guest kernel keeps its instruction mix (the share of ALU, multiply/divide,
/// load, store, branch, jump, CSR/system and fence instructions it retires) within 1 % of what it
/// was before the kernel's allocation loops became shared routines and its dispatch a jump table.
/// The experiments measure the workloads by what they execute, so a refactor that changed the mix
/// would change what every experiment means.
/// </summary>
/// <remarks>
/// The kernel runs on the bare machine (in M-mode, so its CSR instructions retire instead of
/// trapping), one hart unless a scenario says otherwise, 256 pages of RAM, at the experiments' time
/// scale (100,000 cycles per ms, mtime at 1 MHz) with the 1 ms timer tick most of them give their
/// guests, for a fixed number of retired instructions. Every retired instruction is classified
/// from its encoding by VirtLab's instruction table.
/// <para>
/// <c>bad-vector</c> has no scenario: it breaks its trap vector two instructions after boot and
/// then retires nothing, so its whole run is the kernel's boot, which the jump table was meant to
/// change. How far the mix moves for phases that are shorter than any experiment uses (0.1 ms
/// ticks, 3-tick phases of 32 pages): 131 more jumps per million instructions, the calls and
/// returns of alloc_list and free_list (4 per phase), 1.45 % of that workload's jumps.
/// </para>
/// </remarks>
public class InstructionMixTests(ITestOutputHelper output)
{
    /// <summary>Instructions retired per scenario (before the balloon target changes, in the balloon scenario).</summary>
    private const long Budget = 2_000_000;
    /// <summary>Instructions retired after the balloon scenario lowers its target.</summary>
    private const long AfterRetarget = 1_000_000;
    private const int RamPages = 256;
    private const uint TimerTicks = 1_000;        // mtime ticks between timer interrupts: 1 ms
    private const ulong CyclesPerMtimeTick = 100; // the experiments' time scale

    private enum Kind { Alu, MulDiv, Load, Store, Branch, Jump, System, Fence }

    /// <summary>A scenario: a workload on <paramref name="Harts"/> harts, with the balloon driver asked for <paramref name="BalloonTarget"/> pages (0: no driver).</summary>
    private sealed record Scenario(Workload Workload, int Harts = 1, uint BalloonTarget = 0, uint LaterBalloonTarget = 0);

    private static readonly Dictionary<string, Scenario> Scenarios = new()
    {
        ["cpu"] = new(Workload.Cpu()),
        ["alu"] = new(Workload.Alu()),
        ["mem"] = new(Workload.Memory(16)),
        ["io"] = new(Workload.Io()),
        ["bursty"] = new(Workload.Bursty()),
        ["exit-csr"] = new(Workload.ExitCsr()),
        ["exit-mmio"] = new(Workload.ExitMmio()),
        ["exit-pv"] = new(Workload.ExitPv()),          // bare, its hypercall is an ecall the kernel treats as a fault: it panics
        ["scribble"] = new(new Workload(WorkloadKind.Scribble)),
        ["phases"] = new(Workload.Phases(48, ticks: 5, startDelayTicks: 1, idleTicks: 5)),   // as in page-sharing's mixed set
        ["wset"] = new(Workload.WorkingSet(32, touchPages: 96, startDelayTicks: 1)),
        ["cache"] = new(Workload.Cache(32)),
        // Two harts, hart 0's balloon inflates past what it can spare (deflate-on-OOM), then deflates.
        ["phases+balloon"] = new(Workload.Phases(100, ticks: 3, idleTicks: 3), Harts: 2, BalloonTarget: 150, LaterBalloonTarget: 20),
    };

    /// <summary>
    /// Instructions retired per class (Alu, MulDiv, Load, Store, Branch, Jump, System, Fence), measured
    /// with this test's procedure on the guest kernel of commit 3bd465b, before the refactor.
    /// </summary>
    private static readonly Dictionary<string, long[]> MeasuredOn3bd465b = new()
    {
        ["cpu"] = [1325172, 327098, 3716, 3637, 330444, 9853, 80, 0],
        ["alu"] = [1851147, 2, 1867, 1788, 143653, 1463, 80, 0],
        ["mem"] = [997906, 2, 251661, 251582, 494783, 3986, 80, 0],
        ["io"] = [1281006, 307927, 41562, 30786, 318703, 12317, 7699, 0],
        ["bursty"] = [1322550, 326366, 7342, 3915, 333049, 6623, 155, 0],
        ["exit-csr"] = [1242775, 270075, 27453, 27374, 297163, 81064, 54096, 0],
        ["exit-mmio"] = [1220327, 259552, 26401, 130145, 285588, 77907, 80, 0],
        ["exit-pv"] = [320049, 2, 9, 1279945, 80004, 79999, 239992, 0],
        ["scribble"] = [320042, 2, 9, 1279949, 80005, 80000, 239993, 0],
        ["phases"] = [409916, 2, 793421, 397943, 397065, 1493, 160, 0],
        ["wset"] = [414432, 2, 785685, 399651, 387099, 13046, 85, 0],
        ["cache"] = [1120443, 32770, 249513, 37061, 523333, 36800, 80, 0],
        ["phases+balloon"] = [628873, 4, 1175476, 594259, 591881, 9267, 240, 0],
    };

    public static TheoryData<string> ScenarioNames() => new(Scenarios.Keys);

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Each_class_keeps_its_share_of_the_instructions_within_one_percent(string name)
    {
        long[] before = MeasuredOn3bd465b[name], now = Measure(Scenarios[name]);
        long totalBefore = before.Sum(), totalNow = now.Sum();
        var report = new StringBuilder($"{name}: class, 3bd465b, now (retired {totalBefore:N0} then, {totalNow:N0} now)\n");
        bool ok = true;
        for (int k = 0; k < before.Length; k++)
        {
            double shareBefore = (double)before[k] / totalBefore, shareNow = (double)now[k] / totalNow;
            // 1 % of the class's share; a class too rare for that to be a whole instruction may move
            // by 0.01 % of all instructions (boot and dispatch are a few dozen instructions).
            double allowed = Math.Max(0.01 * shareBefore, 0.0001);
            bool within = Math.Abs(shareNow - shareBefore) <= allowed;
            ok &= within;
            report.AppendLine($"  {(Kind)k,-7} {before[k],9} {now[k],9}  {shareBefore:P3} -> {shareNow:P3}{(within ? "" : "  <-- more than 1 % off")}");
        }
        output.WriteLine(report.ToString());
        Assert.True(ok, report.ToString());
    }

    /// <summary>Boots the scenario on the bare machine and counts the instructions it retires, by class.</summary>
    private static long[] Measure(Scenario scenario)
    {
        var machine = new VirtLab.Machine.Machine(new MachineConfig
        {
            HartCount = scenario.Harts, RamSize = RamPages * 4096, CyclesPerTick = CyclesPerMtimeTick,
        });
        machine.Bus.Attach(VirtualBlockDevice.DefaultBase, new VirtualBlockDevice());
        var balloon = new BalloonDevice { Target = scenario.BalloonTarget };
        machine.Bus.Attach(BalloonDevice.DefaultBase, balloon);
        Assert.Null(machine.Load(GuestKernel.Image));
        new GuestParameters
        {
            Workload = scenario.Workload, RamBytes = RamPages * 4096, TimerTicks = TimerTicks,
            Vcpus = scenario.Harts, BalloonDriver = scenario.BalloonTarget > 0,
        }.WriteTo(machine.Bus, GuestKernel.Image);

        var counts = new long[Enum.GetValues<Kind>().Length];
        void Count(TraceEntry step)
        {
            if (step.Trapped) return;
            counts[(int)Classify(step.Word)]++;
        }
        machine.Run(Budget, Count);
        if (scenario.LaterBalloonTarget != scenario.BalloonTarget)
        {
            balloon.Target = scenario.LaterBalloonTarget;
            machine.Run(AfterRetarget, Count);
        }
        return counts;
    }

    private static Kind Classify(uint word)
    {
        Assert.True(InstructionSet.TryDecode(word, out var instruction), $"the kernel retired an illegal instruction 0x{word:x8}");
        if (instruction.Extension == "M") return Kind.MulDiv;
        return instruction.Format switch
        {
            InstructionFormat.Load => Kind.Load,
            InstructionFormat.S => Kind.Store,
            InstructionFormat.B => Kind.Branch,
            InstructionFormat.J or InstructionFormat.Jalr => Kind.Jump,
            InstructionFormat.Csr or InstructionFormat.CsrImmediate => Kind.System,
            InstructionFormat.Fence => Kind.Fence,
            InstructionFormat.Fixed => instruction.Mnemonic.StartsWith("fence", StringComparison.Ordinal) ? Kind.Fence : Kind.System,
            _ => Kind.Alu,
        };
    }
}
