using VirtLab.Assembly;
using VirtLab.Hypervisor;
using VirtLab.Programs;

namespace VirtLab.Experiments;

/// <summary>
/// Popek and Goldberg: trap-and-emulate works when every sensitive instruction is privileged.
/// Part 1 runs each sensitive instruction in a deprivileged guest and shows that each one traps
/// (and with which exit reason). Part 2 runs a guest whose critical sections rely on disabling
/// interrupts, on RISC-V and on a variant machine where one sensitive instruction does not trap
/// (the POPF case): there, the guest silently takes interrupts inside its critical sections.
/// <example>
/// <code>
/// var result = PopekGoldberg.Run();
/// result.Headline.AllTrap                                    // true on RISC-V
/// result.Headline.InterruptsInsideCriticalSections(popfLike: true)
/// </code>
/// </example>
/// </summary>
public static class PopekGoldberg
{
    /// <summary>The experiment's name on the command line.</summary>
    public const string Name = "popek-goldberg";

    /// <summary>The <see cref="CriticalSectionRow.Machine"/> of the run on RISC-V as it is.</summary>
    public const string RiscV = "RISC-V (every sensitive instruction traps)";

    /// <summary>The <see cref="CriticalSectionRow.Machine"/> of the run on the flawed variant.</summary>
    public const string PopfLikeVariant = "variant: csrs/csrc mstatus do not trap (POPF-like)";

    /// <summary>The experiment for <c>virtlab experiment</c>.</summary>
    public static IExperiment Experiment { get; } = new Experiment<PopekGoldbergOptions, PopekGoldbergResult>(Name,
        "Every sensitive instruction traps under trap-and-emulate; a POPF-like variant silently breaks the guest", Run);

    private const string Shutdown = """
            li      a6, 6
            li      a7, 0x564C4142
            ecall
        hang:
            j       hang
        """;

    /// <summary>The sensitive instructions, each with the setup it needs (which runs in the baseline and the measured program alike).</summary>
    // (name, setup, instruction): the setup runs in both the baseline and the measured program.
    private static readonly (string Name, string Setup, string Instruction)[] Sensitive =
    [
        ("csrr mstatus", "", "csrr t1, mstatus"),
        ("csrw mstatus", "", "csrw mstatus, zero"),
        ("csrsi mstatus (enable interrupts)", "", "csrsi mstatus, 8"),
        ("csrci mstatus (disable interrupts)", "", "csrci mstatus, 8"),
        ("csrr misa", "", "csrr t1, misa"),
        ("csrw mie", "", "csrw mie, zero"),
        ("csrr mip", "", "csrr t1, mip"),
        ("csrw mtvec", "", "csrw mtvec, zero"),
        ("csrw mscratch", "", "csrw mscratch, t0"),
        ("csrr mepc", "", "csrr t1, mepc"),
        ("csrr mcause", "", "csrr t1, mcause"),
        ("csrr mtval", "", "csrr t1, mtval"),
        ("csrr mhartid", "", "csrr t1, mhartid"),
        ("rdcycle", "", "rdcycle t1"),
        ("rdtime", "", "rdtime t1"),
        ("rdinstret", "", "rdinstret t1"),
        ("mret", "la t0, after\n    csrw mepc, t0", "mret"),
        ("wfi", "li t0, 0x02004004\n    sw zero, 0(t0)\n    li t0, 0x02004000\n    sw zero, 0(t0)\n    li t0, 0x80\n    csrw mie, t0", "wfi"),
        ("ecall (guest's own)", "la t0, after\n    csrw mtvec, t0\n    li a7, 0", "ecall"),
        ("ebreak", "la t0, after\n    csrw mtvec, t0", "ebreak"),
        ("load from an unmapped device address", "la t0, after\n    csrw mtvec, t0\n    li t0, 0x30000000", "lw t1, 0(t0)"),
    ];

    /// <summary>
    /// Runs every sensitive instruction once in a guest (and the same guest with a nop, to count only
    /// the instruction's own exits), then the critical-section guest on both machines. Throws
    /// <see cref="ConfigurationException"/> naming the option for an invalid value.
    /// </summary>
    public static PopekGoldbergResult Run(PopekGoldbergOptions? options = null, IProgress<double>? progress = null)
    {
        options ??= new();
        options.Validate();
        var slices = new ProgressSlices(progress, Sensitive.Length + 2);
        var instructions = new List<SensitiveInstructionRow>();
        foreach (var (name, setup, instruction) in Sensitive)
        {
            var before = RunSnippet(setup, "nop");
            var after = RunSnippet(setup, instruction);
            var reasons = Enum.GetValues<VmExitReason>().Where(r => after.Exits[r] > before.Exits[r]).ToList();
            long delta = after.Exits.Total - before.Exits.Total;
            instructions.Add(new SensitiveInstructionRow(name, delta, reasons.Count == 0 ? "(none)" : string.Join("+", reasons), delta > 0));
            slices.Completed(instructions.Count);
        }

        var sections = new List<CriticalSectionRow>();
        foreach (bool flawed in new[] { false, true })
        {
            var (vm, violations) = RunCriticalSections(flawed, options.Rounds, options.CriticalIterations, options.Seed, slices.Slice(Sensitive.Length + sections.Count));
            sections.Add(new CriticalSectionRow(flawed ? PopfLikeVariant : RiscV, options.Rounds, vm.TimerInterrupts, violations, vm.Exits[VmExitReason.CsrAccess], violations == 0));
            slices.Completed(Sensitive.Length + sections.Count);
        }
        return new PopekGoldbergResult(options, instructions, sections, []);
    }

    /// <summary>The host both parts run on: one core at 10,000 cycles per simulated ms, so that a few thousand guest instructions take a visible time.</summary>
    private static HostConfig SmallHost(bool popfLike) => new() { Cores = 1, RamPages = 1024, CyclesPerMillisecond = 10_000, CyclesPerTimerTick = 10, PopfLikeFlaw = popfLike };

    /// <summary>Runs one guest program in a VM of 32 pages until it shuts down (or <paramref name="milliseconds"/> pass) and returns the VM.</summary>
    private static VirtualMachine RunGuest(string source, bool popfLike, double milliseconds, double sampleMilliseconds, int seed, IProgress<double>? progress = null)
    {
        var image = Assembler.Assemble(source);
        if (!image.Success) throw new InvalidOperationException(image.DiagnosticsText());
        var run = ExperimentRunner.Run(new ExperimentSpec
        {
            Host = SmallHost(popfLike),
            Vms = [new VmConfig { Name = "pg", MemoryPages = 32 }],
            Programs = new Dictionary<string, ProgramImage> { ["pg"] = image.Program! },
            DurationMilliseconds = milliseconds, SampleMilliseconds = sampleMilliseconds, Seed = seed,
            StopWhen = host => host.Vms.All(v => v.IsStopped),
        }, progress);
        return run.Host.Vms[0];
    }

    private static VirtualMachine RunSnippet(string setup, string instruction) => RunGuest($"""
            .text
        _start:
            {setup}
            {instruction}
        after:
            li      a0, 0
        {Shutdown}
        """, popfLike: false, milliseconds: 100, sampleMilliseconds: 0.5, seed: 1);

    private static (VirtualMachine Vm, long Violations) RunCriticalSections(bool flawed, int rounds, int critical, int seed, IProgress<double>? progress)
    {
        // A guest that protects a critical section by clearing mstatus.MIE, as every kernel does,
        // and whose timer handler counts interrupts that arrive inside one.
        string source = $$"""
                .text
            _start:
                la      t0, handler
                csrw    mtvec, t0
                call    arm
                li      t0, 0x80
                csrw    mie, t0
                li      t0, 8
                csrw    mstatus, t0            # interrupts on (csrw traps on both machines)
                li      s2, 0
            round:
                csrci   mstatus, 8             # interrupts off: enter the critical section
                li      t0, 1
                la      t1, in_critical
                sw      t0, 0(t1)
                li      t0, {{critical}}
            work:
                addi    t0, t0, -1
                bnez    t0, work
                la      t1, in_critical
                sw      zero, 0(t1)
                csrsi   mstatus, 8             # interrupts on: pending ones arrive now
                addi    s2, s2, 1
                li      t0, {{rounds}}
                blt     s2, t0, round
                csrci   mstatus, 8
                la      t1, violations
                lw      a0, 0(t1)
                li      a6, 6
                li      a7, 0x564C4142
                ecall
            hang:
                j       hang
            arm:                               # mtimecmp = mtime + 5000 ticks; uses t4..t6
                li      t4, 0x0200BFF8
                lw      t5, 0(t4)
                li      t6, 5000
                add     t5, t5, t6
                li      t4, 0x02004004
                sw      zero, 0(t4)
                li      t4, 0x02004000
                sw      t5, 0(t4)
                ret
            handler:                           # uses only t4..t6 and ra (saved in mscratch)
                csrw    mscratch, ra
                la      t4, interrupts
                lw      t5, 0(t4)
                addi    t5, t5, 1
                sw      t5, 0(t4)
                la      t4, in_critical
                lw      t5, 0(t4)
                beqz    t5, fine
                la      t4, violations
                lw      t5, 0(t4)
                addi    t5, t5, 1
                sw      t5, 0(t4)
            fine:
                call    arm
                csrr    ra, mscratch
                mret
                .data
                .balign 4096
            in_critical: .word 0
            violations:  .word 0
            interrupts:  .word 0
            """;
        var vm = RunGuest(source, flawed, milliseconds: 10_000, sampleMilliseconds: 1, seed, progress);
        long violations = vm.IsStopped && !vm.Crashed && vm.StopReason!.StartsWith("guest shut down with code ")
            ? long.Parse(vm.StopReason["guest shut down with code ".Length..]) : -1;
        return (vm, violations);
    }
}
