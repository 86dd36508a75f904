using VirtLab.Assembly;
using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>
/// Popek and Goldberg: trap-and-emulate works when every sensitive instruction is privileged.
/// Part 1 runs each sensitive instruction in a deprivileged guest and shows that each one traps
/// (and with which exit reason). Part 2 runs a guest whose critical sections rely on disabling
/// interrupts, on RISC-V and on a variant machine where one sensitive instruction does not trap
/// (the POPF case): there, the guest silently takes interrupts inside its critical sections.
/// </summary>
public sealed class PopekGoldbergExperiment : IExperiment
{
    public string Name => "popek-goldberg";
    public string Description => "Every sensitive instruction traps under trap-and-emulate; a POPF-like variant silently breaks the guest";
    public IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string> { ["rounds"] = "20", ["critical-iterations"] = "20000" };

    private const string Shutdown = """
            li      a6, 6
            li      a7, 0x564C4142
            ecall
        hang:
            j       hang
        """;

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

    public ExperimentResult Run(IReadOnlyDictionary<string, string> o, int seed, IProgress<double>? progress = null)
    {
        int rounds = Options.Int(o, Defaults, "rounds", 1, 10_000);
        int critical = Options.Int(o, Defaults, "critical-iterations", 100, 10_000_000);
        var result = new ExperimentResult(Name);
        var table = new Table("sensitive_instructions", "instruction", "exits", "exit_reason", "trapped");
        result.Tables.Add(table);
        int trapped = 0;
        for (int i = 0; i < Sensitive.Length; i++)
        {
            var (name, setup, instruction) = Sensitive[i];
            var before = RunSnippet(setup, "nop");
            var after = RunSnippet(setup, instruction);
            var reasons = Enum.GetValues<VmExitReason>().Where(r => after.Exits[r] > before.Exits[r]).ToList();
            long delta = after.Exits.Total - before.Exits.Total;
            if (delta > 0) trapped++;
            table.Add(name, delta, reasons.Count == 0 ? "(none)" : string.Join("+", reasons), delta > 0);
            progress?.Report((i + 1.0) / (Sensitive.Length + 2));
        }

        var contrast = new Table("critical_sections", "machine", "rounds", "interrupts_taken", "interrupts_inside_critical_sections", "mstatus_exits", "guest_correct");
        result.Tables.Add(contrast);
        foreach (bool flawed in new[] { false, true })
        {
            var (vm, violations, interrupts) = RunCriticalSections(flawed, rounds, critical, seed);
            contrast.Add(flawed ? "variant: csrs/csrc mstatus do not trap (POPF-like)" : "RISC-V (every sensitive instruction traps)",
                rounds, interrupts, violations, vm.Exits[VmExitReason.CsrAccess], violations == 0);
            progress?.Report((Sensitive.Length + (flawed ? 2.0 : 1.0)) / (Sensitive.Length + 2));
        }
        result.Headlines.Add(("sensitive instructions that trap", $"{trapped} of {Sensitive.Length}"));
        result.Headlines.Add(("interrupts inside critical sections", $"RISC-V {contrast.Rows[0][3]}, POPF-like variant {contrast.Rows[1][3]}"));
        return result;
    }

    private static VirtualMachine RunSnippet(string setup, string instruction)
    {
        string source = $"""
                .text
            _start:
                {setup}
                {instruction}
            after:
                li      a0, 0
            {Shutdown}
            """;
        var image = Assembler.Assemble(source);
        if (!image.Success) throw new InvalidOperationException(image.DiagnosticsText());
        var host = new Host(new HostConfig { Cores = 1, RamPages = 1024, CyclesPerMillisecond = 10_000, CyclesPerTimerTick = 10 });
        var vm = host.CreateVm(new VmConfig { Name = "pg", MemoryPages = 32 }, image.Program!);
        for (int i = 0; i < 200 && !vm.IsStopped; i++) host.RunFor(0.5);
        return vm;
    }

    private static (VirtualMachine Vm, long Violations, long Interrupts) RunCriticalSections(bool flawed, int rounds, int critical, int seed)
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
        var image = Assembler.Assemble(source);
        if (!image.Success) throw new InvalidOperationException(image.DiagnosticsText());
        var host = new Host(new HostConfig { Cores = 1, RamPages = 1024, CyclesPerMillisecond = 10_000, CyclesPerTimerTick = 10, PopfLikeFlaw = flawed, Seed = seed });
        var vm = host.CreateVm(new VmConfig { Name = "pg", MemoryPages = 32 }, image.Program!);
        for (int i = 0; i < 10_000 && !vm.IsStopped; i++) host.RunFor(1);
        long violations = vm.IsStopped && !vm.Crashed && vm.StopReason!.StartsWith("guest shut down with code ")
            ? long.Parse(vm.StopReason["guest shut down with code ".Length..]) : -1;
        return (vm, violations, vm.TimerInterrupts);
    }
}
