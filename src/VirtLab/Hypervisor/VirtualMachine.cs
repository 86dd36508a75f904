using System.Text;
using VirtLab.Guest;
using VirtLab.Machine;
using VirtLab.Machine.Devices;
using VirtLab.Memory;
using VirtLab.Programs;

namespace VirtLab.Hypervisor;

/// <summary>
/// A virtual machine: its guest-physical memory (second-stage mapped, frames on first touch), its
/// vCPUs, and its virtual devices (a CLINT at 0x02000000, a UART at 0x10000000, a block-like device
/// at 0x10001000), every device access being an MMIO exit to the device model.
/// A VM that misbehaves is stopped with a recorded reason; its frames go back to the host and the
/// other VMs carry on.
/// </summary>
public sealed class VirtualMachine
{
    private readonly List<Vcpu> _vcpus = new();
    private readonly StringBuilder _console = new();
    private readonly uint _progressAddress;

    internal VirtualMachine(Host host, int id, VmConfig config, ProgramImage image)
    {
        Host = host;
        Id = id;
        Config = config;
        Memory = new GuestMemory(host.Frames, id, config.MemoryPages, host.SwapArea)
        {
            // Faults are served during the guest's access; each is then an exit of the vCPU that made it.
            FaultObserver = (page, access) => RecordExit(new VmExit { Reason = VmExitReason.GuestPageFault, Address = PageAddress(page), Access = access }),
            TouchObserver = (page, access) => RecordExit(new VmExit { Reason = VmExitReason.TouchFault, Address = PageAddress(page), Access = access }),
            SwapInObserver = page => RecordExit(new VmExit { Reason = VmExitReason.SwapIn, Address = PageAddress(page), Access = MemoryAccess.Read }),
            OnHostOutOfFrames = host.OnHostOutOfFrames,
            Sharing = host.Sharing,
        };
        Clint = new VirtualClint(config.Vcpus, () => host.Now, host.Config.CyclesPerTimerTick);
        Uart = new Uart16550(outputLimit: 64 * 1024);
        Memory.Space.Attach(Machine.Devices.Clint.DefaultBase, new MmioExitDevice(Clint, this, Machine.Devices.Clint.DefaultBase, inHostKernel: true));
        Memory.Space.Attach(Uart16550.DefaultBase, new MmioExitDevice(Uart, this, Uart16550.DefaultBase));
        Memory.Space.Attach(VirtualBlockDevice.DefaultBase, new MmioExitDevice(Block, this, VirtualBlockDevice.DefaultBase));
        Memory.Space.Attach(BalloonDevice.DefaultBase, new MmioExitDevice(Balloon, this, BalloonDevice.DefaultBase, doorbell: BalloonDevice.RegCommand));

        _image = image;
        if (!LoadImage())
            throw new ConfigurationException($"{config.Name}.memory-pages", $"the guest kernel does not fit (or the host is out of memory)");
        _progressAddress = image.TryGetSymbol("progress", out uint prog) ? prog : 0;
        ActiveMemory = new ActiveMemoryEstimator(Memory, host.Config.ActiveMemorySampling, new Random(host.Config.Seed * 7919 + id));
        TargetPages = config.MemoryPages;
        _progressBefore = new ulong[config.Vcpus];
        for (int i = 0; i < config.Vcpus; i++) _vcpus.Add(new Vcpu(this, i, image.Entry));
    }

    private readonly ProgramImage _image;

    /// <summary>Loads the guest image into guest memory (this faults its pages in) and fills in its boot parameters; false if it does not fit.</summary>
    private bool LoadImage()
    {
        foreach (var segment in _image.Segments)
        {
            var bytes = new byte[segment.MemorySize];
            segment.Bytes.CopyTo(bytes, 0);
            if (!Memory.Space.TryWriteBytes(segment.Address, bytes)) return false;
        }
        new GuestParameters
        {
            Workload = Config.Workload,
            RamBytes = (uint)Config.MemoryPages * PhysicalMemory.PageSize,
            TimerTicks = GuestParameters.TimerInterval(Config.TickMilliseconds, Host.Config.CyclesPerMillisecond, Host.Config.CyclesPerTimerTick),
            Vcpus = Config.Vcpus,
            BalloonDriver = Config.BalloonDriver,
        }.WriteTo(Memory.Space, _image);
        return true;
    }

    public Host Host { get; }
    public int Id { get; }
    public string Name => Config.Name;
    public VmConfig Config { get; }
    public GuestMemory Memory { get; }
    public VirtualClint Clint { get; }
    public Uart16550 Uart { get; }
    public VirtualBlockDevice Block { get; } = new();
    /// <summary>The VM's balloon device: the host sets its target, the guest's driver answers through it.</summary>
    public BalloonDevice Balloon { get; } = new();

    /// <summary>The hypervisor's estimate of how much of this VM's memory is in active use (sampled, see <see cref="ActiveMemoryEstimator"/>).</summary>
    public ActiveMemoryEstimator ActiveMemory { get; }

    /// <summary>
    /// Frames the reclamation policy wants this VM to hold at most (its configured size when the
    /// host is not reclaiming). In the low state a VM above it is blocked (<see cref="IsMemoryBlocked"/>).
    /// </summary>
    public int TargetPages { get; set; }

    /// <summary>True while the host, in the low free-memory state, keeps this VM's vCPUs off the CPUs because it holds more than <see cref="TargetPages"/>.</summary>
    public bool IsMemoryBlocked { get; internal set; }

    /// <summary>Simulated cycles this VM spent blocked by the low state, and how many times it was blocked.</summary>
    public ulong MemoryBlockedCycles { get; internal set; }
    public int MemoryBlocks { get; internal set; }

    /// <summary>Swap-in stall cycles charged to this VM's vCPUs so far.</summary>
    public ulong SwapInStallCycles { get; private set; }
    public IReadOnlyList<Vcpu> Vcpus => _vcpus;

    /// <summary>
    /// This VM's exit trace: off until started (<see cref="ExitTrace.Start"/>), then it keeps each
    /// exit of every vCPU with the guest's state before and after the hypervisor handled it.
    /// </summary>
    public ExitTrace Trace { get; } = new();

    /// <summary>True once the VM was stopped; see <see cref="StopReason"/>.</summary>
    public bool IsStopped { get; private set; }
    /// <summary>Why it stopped (guest panic, fault loop, shutdown).</summary>
    public string? StopReason { get; private set; }
    /// <summary>True if it stopped because it misbehaved.</summary>
    public bool Crashed { get; private set; }

    /// <summary>What the guest wrote to its console (hypercall or UART).</summary>
    public string ConsoleOutput => _console.ToString() + Uart.Output;

    /// <summary>Operations the workload has reported done, summed over vCPUs (read from guest memory; no exit).</summary>
    public ulong Progress
    {
        get
        {
            ulong sum = 0;
            for (int i = 0; i < _vcpus.Count; i++) sum += ProgressOf(i);
            return sum;
        }
    }

    /// <summary>Operations reported by vCPU <paramref name="vcpu"/> (over all boots, if the VM was reset).</summary>
    public ulong ProgressOf(int vcpu) =>
        _finalProgress is not null ? _finalProgress[vcpu] : _progressBefore[vcpu] + (_progressAddress == 0 ? 0 : ReadGuestWord(_progressAddress + 4 * (uint)vcpu));

    private readonly ulong[] _progressBefore;

    private ulong[]? _finalProgress;

    /// <summary>Guest instructions retired by all vCPUs.</summary>
    public ulong Instructions => (ulong)_vcpus.Sum(v => (long)v.Instructions);

    /// <summary>Exits by reason, all vCPUs together.</summary>
    public ExitCounters Exits
    {
        get { var sum = new ExitCounters(); foreach (var v in _vcpus) sum.AddFrom(v.Exits); return sum; }
    }

    /// <summary>Timer interrupts injected and how late they were (host cycles after the deadline).</summary>
    public long TimerInterrupts { get; private set; }
    public ulong TimerLatencyTotal { get; private set; }
    public ulong TimerLatencyMax { get; private set; }

    /// <summary>
    /// Most timer interrupts <see cref="TimerInterruptLog"/> keeps: 100,000 records of 24 bytes
    /// (2.4 MB), 100 simulated seconds of a 1 ms tick. Later interrupts still count in
    /// <see cref="TimerInterrupts"/>, <see cref="TimerLatencyTotal"/> and <see cref="TimerLatencyMax"/>.
    /// </summary>
    public const int TimerInterruptLogCapacity = 100_000;

    private readonly List<TimerInterrupt> _timerLog = new();

    /// <summary>
    /// Every timer interrupt injected into this VM, oldest first (the first
    /// <see cref="TimerInterruptLogCapacity"/>): which vCPU, when the timer was due and when the
    /// interrupt reached the guest. The totals above say how late interrupts were on average and at
    /// worst; this log gives the whole distribution, so percentiles (the 99th, say) and the shape of
    /// the tail can be read from it.
    /// <example><code>
    /// var latencies = vm.TimerInterruptLog.Select(t => t.LatencyMicroseconds(host.Config.CyclesPerMillisecond));
    /// </code></example>
    /// </summary>
    public IReadOnlyList<TimerInterrupt> TimerInterruptLog => _timerLog;

    /// <summary>Counts a timer interrupt of <paramref name="vcpu"/> due at <paramref name="deadline"/> and injected at <paramref name="now"/>.</summary>
    internal void RecordTimerInterrupt(int vcpu, ulong deadline, ulong now)
    {
        var interrupt = new TimerInterrupt(vcpu, deadline, now);
        ulong cycles = interrupt.LatencyCycles;
        TimerInterrupts++;
        TimerLatencyTotal += cycles;
        if (cycles > TimerLatencyMax) TimerLatencyMax = cycles;
        if (_timerLog.Count < TimerInterruptLogCapacity) _timerLog.Add(interrupt);
    }

    /// <summary>
    /// Reads a word of guest-physical memory as the host (no exit, no fault-in): a swapped-out page
    /// is read from its swap slot, an untouched or ballooned one reads as 0.
    /// </summary>
    public uint ReadGuestWord(uint address)
    {
        var gpa = new GuestPhysicalAddress(address);
        if ((uint)gpa.PageIndex >= (uint)Memory.Pages || (address & 3) != 0) return 0;
        return Memory.PeekWord(address);   // a peek: neither a fault nor a guest touch for the active-memory sampler
    }

    // ------------------------------------------------------------------ exits inside a run

    private readonly List<VmExit> _recordedExits = new();

    /// <summary>
    /// True while one of the VM's vCPUs runs or handles its exits (one vCPU of a host runs at a
    /// time). Device accesses and page faults count as exits only then: those of the host itself,
    /// loading the guest image, are not exits.
    /// </summary>
    internal bool GuestRunning { get; set; }

    /// <summary>True when exits have been recorded that no vCPU has taken yet.</summary>
    internal bool HasRecordedExits => _recordedExits.Count > 0;

    /// <summary>
    /// Records an exit that happened inside the guest's run rather than as a trap of its hart: an
    /// MMIO access (the device model has completed it), a second-stage fault, a touch fault or a
    /// swap-in (the memory has served it). The hart is asked to stop after the instruction that made
    /// the access; the vCPU then takes the exit (<see cref="TakeRecordedExits"/>) and hands it to its
    /// exit switch, which charges it.
    /// </summary>
    internal void RecordExit(VmExit exit)
    {
        if (!GuestRunning) return;
        _recordedExits.Add(exit);
        Memory.Space.RequestStopAfterAccess();
    }

    /// <summary>Moves the recorded exits to <paramref name="into"/>, as exits of the instruction at <paramref name="pc"/>.</summary>
    internal void TakeRecordedExits(List<VmExit> into, Vcpu vcpu, uint pc, uint instruction)
    {
        foreach (var exit in _recordedExits) into.Add(exit with { Vcpu = vcpu, Pc = pc, Instruction = instruction });
        _recordedExits.Clear();
    }

    private static uint PageAddress(int page) => GuestPhysicalAddress.RamBase + (uint)page * PhysicalMemory.PageSize;

    /// <summary>Adds a swap-in's stall to <see cref="SwapInStallCycles"/>.</summary>
    internal void AddSwapInStall(ulong cycles) => SwapInStallCycles += cycles;

    /// <summary>
    /// Carries out the guest driver's balloon doorbell: the work of a <see cref="VmExitReason.BalloonDoorbell"/>
    /// exit's handler, right after the MMIO store that rang it and before the guest's next
    /// instruction. The page numbers are read from the guest's own RAM and each is validated by
    /// <see cref="GuestMemory.Inflate"/> or <see cref="GuestMemory.Deflate"/>; a malformed batch is
    /// rejected whole, with the reason recorded.
    /// </summary>
    internal void ProcessBalloonDoorbell()
    {
        if (Balloon.TakePending() is not { } request) return;
        string name = request.Command == BalloonDevice.CommandInflate ? "inflate" : request.Command == BalloonDevice.CommandDeflate ? "deflate" : $"command {request.Command}";
        Balloon.LastAccepted = 0;
        if (request.Command is not (BalloonDevice.CommandInflate or BalloonDevice.CommandDeflate))
        { Memory.Reject(name, 0, $"unknown balloon command {request.Command}"); return; }
        if (request.Count > BalloonDevice.MaxBatch)
        { Memory.Reject(name, 0, $"batch of {request.Count} page numbers is larger than {BalloonDevice.MaxBatch}"); return; }
        uint bytes = request.Count * 4;
        ulong start = request.Address, end = start + bytes;
        if ((start & 3) != 0 || start < GuestPhysicalAddress.RamBase || end > GuestPhysicalAddress.RamBase + (ulong)Memory.Space.RamSize)
        { Memory.Reject(name, 0, $"batch address 0x{request.Address:x8} (+{bytes} bytes) is not aligned guest RAM"); return; }
        var numbers = new uint[request.Count];
        for (int i = 0; i < numbers.Length; i++)
            if (!Memory.Space.TryRead(request.Address + 4 * (uint)i, 4, out numbers[i]))
            { Memory.Reject(name, 0, $"batch at 0x{request.Address:x8} cannot be read"); return; }
        Balloon.LastAccepted = (uint)(request.Command == BalloonDevice.CommandInflate ? Memory.Inflate(numbers) : Memory.Deflate(numbers));
    }

    private ulong _watchProgress, _watchRun;

    /// <summary>The watchdog: stops a VM whose workload made no progress for <see cref="VmConfig.WatchdogMilliseconds"/> of run time.</summary>
    internal void CheckWatchdog()
    {
        if (IsStopped || Config.WatchdogMilliseconds <= 0) return;
        ulong progress = Progress, run = 0;
        foreach (var v in _vcpus) run += v.Sched.RunCycles;
        if (progress != _watchProgress) { _watchProgress = progress; _watchRun = run; return; }
        if (run - _watchRun > Config.WatchdogMilliseconds * Host.Config.CyclesPerMillisecond)
            Stop($"watchdog: no progress in {Config.WatchdogMilliseconds} ms of run time (pc 0x{_vcpus[0].Hart.Pc:x8})", crashed: true);
    }

    internal void ConsoleWrite(char c) { if (_console.Length < 64 * 1024) _console.Append(c); }

    /// <summary>A reset of the VM: when (simulated ms) and why.</summary>
    public sealed record ResetRecord(double AtMilliseconds, string Reason);

    private readonly List<ResetRecord> _resets = new();
    private string? _pendingReset;

    /// <summary>The resets so far, oldest first.</summary>
    public IReadOnlyList<ResetRecord> Resets => _resets;

    /// <summary>True between a reset being decided and being carried out (at the end of the scheduling step).</summary>
    public bool ResetPending => _pendingReset is not null;

    /// <summary>
    /// Resets the VM, as pressing its reset button would: its vCPUs stop at once, and at the end of
    /// the current scheduling step, when no hart is executing, its frames go back to the host, the
    /// guest image is loaded afresh and every vCPU starts again at the entry point with clean
    /// registers and virtual CSRs. The reason is recorded in <see cref="Resets"/>. Other VMs are not touched.
    /// </summary>
    public void Reset(string reason)
    {
        if (IsStopped || _pendingReset is not null) return;
        _pendingReset = reason;
        foreach (var v in _vcpus) { v.Stop(); v.Hart.StopRequested = true; }
        Host.OnVmStopped(this);
    }

    /// <summary>Carries out a pending reset; returns true if it did (the vCPUs are runnable again).</summary>
    internal bool CompletePendingReset()
    {
        if (_pendingReset is not { } reason) return false;
        for (int i = 0; i < _vcpus.Count; i++) _progressBefore[i] = ProgressOf(i);
        Memory.ReleaseAll();
        Clint.Reset();
        _resets.Add(new ResetRecord(Host.NowMilliseconds, reason));
        _pendingReset = null;
        if (!LoadImage())
        {
            Stop($"reset after '{reason}' failed: the guest image no longer fits in host memory", crashed: true);
            return false;
        }
        foreach (var v in _vcpus) v.Reset(_image.Entry);
        _watchProgress = Progress;
        _watchRun = 0;
        foreach (var v in _vcpus) _watchRun += v.Sched.RunCycles;
        return true;
    }

    /// <summary>
    /// Stops the VM: its vCPUs never run again and its frames return to the host. A crash of a VM
    /// whose <see cref="VmConfig.OnCrash"/> is <see cref="CrashPolicy.Reset"/> resets it instead, until
    /// <see cref="VmConfig.ResetLimit"/> resets have been used up.
    /// </summary>
    public void Stop(string reason, bool crashed)
    {
        if (IsStopped || _pendingReset is not null) return;
        if (crashed && Config.OnCrash == CrashPolicy.Reset)
        {
            if (_resets.Count < Config.ResetLimit) { Reset(reason); return; }
            reason = $"{reason} (reset limit of {Config.ResetLimit} reached)";
        }
        StopNow(reason, crashed);
    }

    /// <summary>
    /// Stops the VM because code the host runs on its behalf failed (an instruction emulator that
    /// threw): a crash, but not the guest's, so resetting the guest would not help.
    /// </summary>
    internal void StopForHostFault(string reason)
    {
        if (IsStopped || _pendingReset is not null) return;
        StopNow(reason, crashed: true);
    }

    /// <summary>Why the pending reset was asked for, while one is pending.</summary>
    internal string? PendingResetReason => _pendingReset;

    private void StopNow(string reason, bool crashed)
    {
        IsStopped = true;
        StopReason = reason;
        Crashed = crashed;
        _finalProgress = Enumerable.Range(0, _vcpus.Count).Select(ProgressOf).ToArray();
        foreach (var v in _vcpus) { v.Stop(); v.Hart.StopRequested = true; }
        ActiveMemory.Stop();
        IsMemoryBlocked = false;
        Memory.ReleaseAll();
        Host.OnVmStopped(this);
    }
}
