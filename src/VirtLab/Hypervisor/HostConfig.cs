using VirtLab.Guest;
using VirtLab.Memory;
using VirtLab.Scheduling;

namespace VirtLab.Hypervisor;

/// <summary>Who owns the hardware.</summary>
public enum HypervisorKind
{
    /// <summary>Bare-metal: the hypervisor schedules vCPUs on hardware threads itself (Xen, ESXi).</summary>
    Type1,
    /// <summary>Hosted: a host OS owns the hardware; each vCPU is a host thread among the host's own processes (VMware Workstation, VirtualBox).</summary>
    Type2,
}

/// <summary>A host OS process that competes with vCPU threads on a Type 2 host.</summary>
/// <param name="Name">For tables ("desktop", "indexer", "browser").</param>
/// <param name="Utilization">Average fraction of one hardware thread it wants, 0..1.</param>
/// <param name="MeanBurstMilliseconds">Average length of one burst of work.</param>
/// <param name="FootprintKiB">Memory it touches while running (pollutes the core's cache).</param>
public sealed record BackgroundProcess(string Name, double Utilization, double MeanBurstMilliseconds = 5, double FootprintKiB = 512);

/// <summary>An invalid configuration: <see cref="Exception.Message"/> names the field and what is wrong.</summary>
public sealed class ConfigurationException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
}

/// <summary>
/// A host: cores of 1 or 2 hardware threads, RAM, the kind of hypervisor, the costs of its
/// mechanisms, and how simulated time is scaled.
/// <para>
/// <b>Time scaling.</b> A hart retires at most one instruction per cycle, and a simulated
/// millisecond is <see cref="CyclesPerMillisecond"/> cycles (default 100,000: the host is modelled as
/// a 100 MHz machine, about 30× slower than real hardware, so that lessons run in seconds).
/// Scheduler periods (30 ms slice, 10 ms tick), guest timer ticks and reported times are in these
/// simulated milliseconds; exit costs stay in published cycles, so the ratio of exit cost to guest
/// work is the real one. The consequence to keep in mind: a fixed number of exits per simulated
/// millisecond costs about 30× more of the CPU than it would on real hardware.
/// </para>
/// </summary>
public sealed record HostConfig
{
    public const int MaxCores = 64;
    public const int MaxThreadsPerCore = 2;

    public int Cores { get; init; } = 4;
    /// <summary>1 (no SMT) or 2 (SMT siblings).</summary>
    public int ThreadsPerCore { get; init; } = 1;
    /// <summary>Host RAM in 4 KiB pages (default 64 MiB).</summary>
    public int RamPages { get; init; } = 16_384;
    public HypervisorKind Kind { get; init; } = HypervisorKind.Type1;
    public CostModel Costs { get; init; } = new();
    /// <summary>Simulated cycles per simulated millisecond (see the time-scaling note).</summary>
    public ulong CyclesPerMillisecond { get; init; } = 100_000;
    /// <summary>Host cycles per tick of a guest's mtime (default: mtime runs at 1 MHz of simulated time).</summary>
    public ulong CyclesPerTimerTick { get; init; } = 100;
    /// <summary>Length of one scheduling step; the resolution of wake-ups and accounting.</summary>
    public double StepMilliseconds { get; init; } = 0.05;
    /// <summary>
    /// Where vCPUs go on SMT cores: <see cref="SmtPlacement.SmtAware"/> (default), <see cref="SmtPlacement.Packed"/>,
    /// <see cref="SmtPlacement.SameVmSiblings"/>, or your own <see cref="ISmtPlacement"/>.
    /// </summary>
    public ISmtPlacement Placement { get; init; } = SmtPlacement.SmtAware;
    /// <summary>The L1TF/MDS mitigation: use only the first hardware thread of each core.</summary>
    public bool OneThreadPerCore { get; init; }
    /// <summary>The pipeline and cache of each core (see <see cref="SmtCoreModel"/>).</summary>
    public SmtCoreModel Core { get; init; } = new();
    /// <summary>
    /// The vCPU scheduler, or null for the default: a <see cref="CreditScheduler"/> with <see cref="Credit"/>
    /// on Type 1, a <see cref="FairShareScheduler"/> (the host OS's) on Type 2. Pass your own
    /// <see cref="IVcpuScheduler"/> here; one scheduler object schedules one host, so give each host a new one.
    /// </summary>
    public IVcpuScheduler? Scheduler { get; init; }
    /// <summary>Slice, tick and credits of the default credit scheduler.</summary>
    public CreditSchedulerOptions Credit { get; init; } = new();
    /// <summary>Frames the hypervisor keeps for itself on a Type 1 host.</summary>
    public int HypervisorMemoryPages { get; init; } = 256;
    /// <summary>Frames the host OS keeps for itself on a Type 2 host (kernel, page cache, desktop).</summary>
    public int HostOsMemoryPages { get; init; } = 4_096;
    /// <summary>Pages of host swap space for host swapping (0 = the host never swaps guest pages). Default 64 Ki pages (256 MiB).</summary>
    public int SwapPages { get; init; } = 65_536;
    /// <summary>
    /// When a guest page fault finds no free frame, page out a random page of another VM (one above
    /// its min) instead of failing the access. The last line of defence; the reclamation policy should
    /// normally keep frames free.
    /// </summary>
    public bool SwapOnDemand { get; init; } = true;
    /// <summary>Guest pages the page-sharing scan looks at per reclamation period (0 = no page sharing).</summary>
    public int SharingScanPages { get; init; }
    /// <summary>Which pages the page-sharing scan looks at (default: <see cref="RandomSharingScan"/>).</summary>
    public ISharingScan SharingScan { get; init; } = new RandomSharingScan();
    /// <summary>Free-memory thresholds of the reclamation states (ESX defaults 6/4/2/1 %).</summary>
    public ReclamationThresholds ReclamationThresholds { get; init; } = new();
    /// <summary>How often the reclamation policy runs, in simulated ms.</summary>
    public double ReclamationPeriodMilliseconds { get; init; } = 1;
    /// <summary>
    /// The reclamation policy (default: <see cref="SharesReclamationPolicy"/> with ballooning and swapping), or your
    /// own <see cref="IReclamationPolicy"/>. Null: never reclaim.
    /// </summary>
    public IReclamationPolicy? ReclamationPolicy { get; init; } = new SharesReclamationPolicy();
    /// <summary>
    /// The idle memory tax rate tau, 0 &lt;= tau &lt; 1 (ESX default 0.75). The reclamation policy
    /// charges an idle page k = 1 / (1 - tau) times an active one when it decides which VM gives
    /// memory: tau = 0 is pure shares, tau = 0.75 makes an idle page cost 4 active ones.
    /// </summary>
    public double IdleMemoryTax { get; init; } = 0.75;
    /// <summary>How the hypervisor samples each VM's active memory (sample size, period, averages).</summary>
    public ActiveMemorySampling ActiveMemorySampling { get; init; } = new();
    /// <summary>Host OS processes competing for CPU on a Type 2 host.</summary>
    public IReadOnlyList<BackgroundProcess> BackgroundProcesses { get; init; } = DefaultBackground;
    /// <summary>
    /// Models a flawed variant of the hardware for the Popek-Goldberg lesson: on it, csrrs/csrrc
    /// (and their immediate forms) on mstatus from U-mode do not trap. Like x86's POPF in user mode,
    /// the write to the interrupt-enable bit is silently dropped and the read returns the real
    /// (U-mode) mstatus. The hypervisor never sees the instruction. VirtLab's hart itself follows
    /// the spec, so the flaw is modelled where the hardware would have decided not to trap.
    /// </summary>
    public bool PopfLikeFlaw { get; init; }
    /// <summary>Seed for everything random (background process bursts).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>A quiet desktop session: about 0.12 of one hardware thread in total, in bursts.</summary>
    public static readonly IReadOnlyList<BackgroundProcess> DefaultBackground =
    [
        new("desktop", 0.03, 2, 256),
        new("indexer", 0.05, 10, 1024),
        new("browser", 0.04, 5, 2048),
    ];

    /// <summary>A busy desktop: about 0.6 of one hardware thread (a build, an indexer catching up, video in a browser).</summary>
    public static readonly IReadOnlyList<BackgroundProcess> BusyBackground =
    [
        new("desktop", 0.10, 2, 256),
        new("indexer", 0.25, 20, 1024),
        new("browser", 0.25, 5, 2048),
    ];

    /// <summary>Hardware threads the scheduler may use.</summary>
    public int UsableThreads => OneThreadPerCore ? Cores : Cores * ThreadsPerCore;

    /// <summary>Throws a <see cref="ConfigurationException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (Cores is < 1 or > MaxCores) throw new ConfigurationException("cores", $"{Cores} is not between 1 and {MaxCores}");
        if (ThreadsPerCore is < 1 or > MaxThreadsPerCore) throw new ConfigurationException("threads-per-core", $"{ThreadsPerCore} is not supported: a core has 1 or {MaxThreadsPerCore} hardware threads");
        if (RamPages is < 1 or > 1 << 20) throw new ConfigurationException("ram-pages", $"{RamPages} is not between 1 and {1 << 20} (4 GiB)");
        if (CyclesPerMillisecond < 100) throw new ConfigurationException("cycles-per-ms", $"{CyclesPerMillisecond} is below 100");
        if (CyclesPerTimerTick < 1) throw new ConfigurationException("cycles-per-timer-tick", "must be at least 1");
        if (StepMilliseconds <= 0 || StepMilliseconds > 10) throw new ConfigurationException("step-ms", $"{StepMilliseconds} is not in (0, 10]");
        if (Placement is null) throw new ConfigurationException("placement", "must not be null (the default is SmtPlacement.SmtAware)");
        if (SharingScan is null) throw new ConfigurationException("sharing-scan", "must not be null (the default is a RandomSharingScan)");
        if (SharingScanPages < 0) throw new ConfigurationException("sharing-scan-pages", $"{SharingScanPages} must not be negative");
        if (HypervisorMemoryPages < 0) throw new ConfigurationException("hypervisor-memory-pages", "must not be negative");
        if (SwapPages < 0) throw new ConfigurationException("swap-pages", "must not be negative");
        if (HostOsMemoryPages < 0) throw new ConfigurationException("host-os-memory-pages", "must not be negative");
        int reserved = Kind == HypervisorKind.Type2 ? HostOsMemoryPages : HypervisorMemoryPages;
        if (reserved >= RamPages) throw new ConfigurationException(Kind == HypervisorKind.Type2 ? "host-os-memory-pages" : "hypervisor-memory-pages", $"{reserved} leaves no RAM for VMs out of {RamPages} pages");
        foreach (var p in BackgroundProcesses)
            if (p.Utilization is < 0 or > 1 || p.MeanBurstMilliseconds <= 0)
                throw new ConfigurationException($"background[{p.Name}]", "utilization must be in [0, 1] and the burst positive");
        if (!(IdleMemoryTax >= 0 && IdleMemoryTax < 1)) throw new ConfigurationException("idle-memory-tax", $"{IdleMemoryTax} is not in [0, 1): tau = 1 would make an idle page cost infinitely many active ones");
        var sampling = ActiveMemorySampling;
        if (sampling.SamplePages < 1) throw new ConfigurationException("active-memory.sample-pages", $"{sampling.SamplePages} must be at least 1");
        if (!(sampling.PeriodMilliseconds > 0)) throw new ConfigurationException("active-memory.period-ms", $"{sampling.PeriodMilliseconds} must be positive");
        if (!(sampling.FastGain is > 0 and <= 1)) throw new ConfigurationException("active-memory.fast-gain", $"{sampling.FastGain} is not in (0, 1]");
        if (!(sampling.SlowGain is > 0 and <= 1)) throw new ConfigurationException("active-memory.slow-gain", $"{sampling.SlowGain} is not in (0, 1]");
        if (Credit.SliceMilliseconds <= 0 || Credit.TickMilliseconds <= 0) throw new ConfigurationException("credit", "slice and tick must be positive");
        if (Core.Validate() is { } bad) throw new ConfigurationException(bad.Field, bad.Problem);
    }
}

/// <summary>What happens to a VM whose guest crashes.</summary>
public enum CrashPolicy
{
    /// <summary>Stop it for good; its frames go back to the host.</summary>
    Stop,
    /// <summary>Reset it: fresh guest image, fresh vCPU state, frames given back and faulted in again; the reason is recorded.</summary>
    Reset,
}

/// <summary>A VM: vCPUs, memory, scheduling parameters and the workload its guest kernel runs.</summary>
public sealed record VmConfig
{
    public string Name { get; init; } = "vm";
    public int Vcpus { get; init; } = 1;
    /// <summary>Guest RAM in 4 KiB pages (default 1 MiB). Frames are only taken when the guest touches a page.</summary>
    public int MemoryPages { get; init; } = 256;
    /// <summary>
    /// Guaranteed memory in pages (ESX "reservation"): admission control refuses the VM unless the
    /// host can keep this many frames for it, and reclamation never takes it below this while the host
    /// is not in the low state. Default 0. The max is <see cref="MemoryPages"/>.
    /// </summary>
    public int MinPages { get; init; }
    /// <summary>Memory shares: this VM's priority for memory relative to others (default 1000).</summary>
    public int Shares { get; init; } = 1000;
    /// <summary>Whether the guest kernel runs its balloon driver (a guest without VMware Tools / virtio-balloon: false).</summary>
    public bool BalloonDriver { get; init; } = true;
    /// <summary>Credit-scheduler weight, 1..65535 (default 256).</summary>
    public int Weight { get; init; } = 256;
    /// <summary>Cap in percent of one hardware thread (0 = none).</summary>
    public int CapPercent { get; init; }
    public Workload Workload { get; init; } = Workload.Cpu();
    /// <summary>The guest kernel's timer tick in simulated ms (0 = no timer). Default 10 ms (HZ = 100).</summary>
    public double TickMilliseconds { get; init; } = 10;

    /// <summary>
    /// Stop the VM if its workload reports no progress during this many simulated milliseconds of
    /// run time (a guest stuck in a loop). 0 = no watchdog. Only meaningful for workloads that report progress.
    /// </summary>
    public double WatchdogMilliseconds { get; init; }

    /// <summary>What the hypervisor does when the guest crashes (panic, fault loop, watchdog): stop it (default) or reset it.</summary>
    public CrashPolicy OnCrash { get; init; } = CrashPolicy.Stop;

    /// <summary>With <see cref="CrashPolicy.Reset"/>: resets allowed before the VM is stopped for good (a guest that crashes at every boot must not loop forever).</summary>
    public int ResetLimit { get; init; } = 3;

    /// <summary>
    /// What emulates the guest's CSR instructions, mret and wfi when they trap (default: VirtLab's own,
    /// <see cref="BuiltInInstructionEmulator"/>). Pass your own <see cref="IInstructionEmulator"/> to
    /// replace it; one that throws stops this VM, with the reason, and nothing else.
    /// </summary>
    public IInstructionEmulator InstructionEmulator { get; init; } = BuiltInInstructionEmulator.Instance;

    /// <summary>Largest guest RAM: the guest sees RAM from 0x80000000 to the top of its 32-bit address space.</summary>
    public const int MaxMemoryPages = (int)((0x1_0000_0000UL - GuestPhysicalAddress.RamBase) / 4096);

    /// <summary>Throws a <see cref="ConfigurationException"/> naming the first invalid field (prefixed with <paramref name="where"/>).</summary>
    public void Validate(string where = "vm")
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ConfigurationException($"{where}.name", "must not be empty");
        if (Vcpus is < 1 or > GuestKernel.MaxHarts) throw new ConfigurationException($"{where}.vcpus", $"{Vcpus} is not between 1 and {GuestKernel.MaxHarts}");
        if (MemoryPages > MaxMemoryPages) throw new ConfigurationException($"{where}.memory-pages", $"{MemoryPages} pages is larger than the guest address space (RAM at 0x80000000..0xFFFFFFFF holds {MaxMemoryPages} pages)");
        if (MemoryPages < 16) throw new ConfigurationException($"{where}.memory-pages", $"{MemoryPages} is too small: the guest kernel needs at least 16 pages");
        if (MinPages < 0 || MinPages > MemoryPages) throw new ConfigurationException($"{where}.min-pages", $"{MinPages} is not between 0 and the VM's max of {MemoryPages} pages");
        if (Shares < 1) throw new ConfigurationException($"{where}.shares", $"{Shares} must be at least 1");
        if (Weight < 1 || Weight > 65535) throw new ConfigurationException($"{where}.weight", $"{Weight} is not between 1 and 65535");
        if (CapPercent < 0) throw new ConfigurationException($"{where}.cap", $"{CapPercent} must not be negative");
        if (WatchdogMilliseconds < 0) throw new ConfigurationException($"{where}.watchdog-ms", "must not be negative");
        if (TickMilliseconds < 0) throw new ConfigurationException($"{where}.tick-ms", "must not be negative");
        if (ResetLimit < 0) throw new ConfigurationException($"{where}.reset-limit", $"{ResetLimit} must not be negative");
        if (InstructionEmulator is null) throw new ConfigurationException($"{where}.instruction-emulator", "must not be null (the default is BuiltInInstructionEmulator.Instance)");
        if (Workload.Kind is WorkloadKind.Memory or WorkloadKind.Phases or WorkloadKind.WorkingSet or WorkloadKind.Cache && Workload.Arg0 > MemoryPages - 16)
            throw new ConfigurationException($"{where}.workload", $"{Workload} with {Workload.Arg0} pages does not fit in {MemoryPages} pages of guest RAM");
        if (Workload.Kind is WorkloadKind.WorkingSet && Workload.Arg1 > MemoryPages - 16)
            throw new ConfigurationException($"{where}.workload", $"{Workload} touches {Workload.Arg1} pages, which do not fit in {MemoryPages} pages of guest RAM");
    }
}
