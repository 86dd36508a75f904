using System.Collections;

namespace VirtLab.Hypervisor;

/// <summary>
/// A VM's exit trace: while recording, every exit of every vCPU of the VM is kept with the virtual
/// CSRs, registers and pc before and after the hypervisor handled it (<see cref="TracedExit"/>), so a
/// lesson can step through the trap-and-emulate cycle one exit at a time. It is bounded: it keeps at
/// most <see cref="Capacity"/> exits, either the first ones or the most recent ones
/// (<see cref="ExitTraceLimit"/>). Off by default; when it is off the hypervisor does no work for it.
/// </summary>
/// <example>
/// <code>
/// vm.Trace.Start(capacity: 100);
/// host.RunFor(5);
/// foreach (var e in vm.Trace.Exits) Console.WriteLine(e);
/// </code>
/// </example>
public sealed class ExitTrace
{
    /// <summary>The largest capacity a trace may have (about a hundred MB of records at most).</summary>
    public const int MaxCapacity = 1_000_000;

    private TracedExit[] _ring = [];
    private int _first, _count;

    /// <summary>True while exits are being recorded.</summary>
    public bool IsRecording { get; private set; }

    /// <summary>The most exits the trace keeps.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Which exits the trace keeps once it is full.</summary>
    public ExitTraceLimit Limit { get; private set; }

    /// <summary>Exits that happened while recording, kept or not.</summary>
    public long Seen { get; private set; }

    /// <summary>Exits that happened while recording but are not kept (the trace was full).</summary>
    public long Dropped => Seen - _count;

    /// <summary>The exits kept, oldest first.</summary>
    public IReadOnlyList<TracedExit> Exits => new View(this);

    /// <summary>
    /// Starts recording into an empty trace of <paramref name="capacity"/> exits. Throws
    /// <see cref="ArgumentOutOfRangeException"/> unless 1 &lt;= capacity &lt;= <see cref="MaxCapacity"/>.
    /// </summary>
    public void Start(int capacity, ExitTraceLimit limit = ExitTraceLimit.KeepFirst)
    {
        if (capacity < 1 || capacity > MaxCapacity)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"an exit trace holds between 1 and {MaxCapacity:N0} exits");
        if (!Enum.IsDefined(limit)) throw new ArgumentOutOfRangeException(nameof(limit), limit, "not an ExitTraceLimit");
        _ring = new TracedExit[capacity];
        _first = _count = 0;
        Seen = 0;
        Limit = limit;
        IsRecording = true;
    }

    /// <summary>Stops recording; the exits kept stay readable.</summary>
    public void Stop() => IsRecording = false;

    /// <summary>What a traced exit keeps of the guest from before its handling.</summary>
    internal sealed class GuestState
    {
        public required VirtualCsrValues Csrs { get; init; }
        public required uint[] Registers { get; init; }
        public required bool VmRunning { get; init; }

        public static GuestState Of(Vcpu vcpu) => new()
        {
            Csrs = VirtualCsrValues.Of(vcpu), Registers = vcpu.Hart.Registers, VmRunning = !vcpu.Vm.IsStopped && !vcpu.Vm.ResetPending,
        };
    }

    /// <summary>Keeps <paramref name="exit"/>, handled just now on <paramref name="vcpu"/>, with the guest's state <paramref name="before"/> and now.</summary>
    internal void Add(Vcpu vcpu, VmExit exit, GuestState before, double atMilliseconds)
    {
        var after = GuestState.Of(vcpu);
        var registers = new List<RegisterChange>();
        for (int r = 1; r < 32; r++)
            if (before.Registers[r] != after.Registers[r]) registers.Add(new RegisterChange(r, before.Registers[r], after.Registers[r]));
        var vm = vcpu.Vm;
        string? stopped = before.VmRunning && !after.VmRunning ? vm.StopReason ?? $"reset: {vm.PendingResetReason}" : null;
        Add(new TracedExit(Seen, atMilliseconds, exit, before.Csrs, after.Csrs, registers, vcpu.Hart.Pc, stopped));
    }

    private void Add(TracedExit exit)
    {
        Seen++;
        if (_count < _ring.Length)
        {
            _ring[(_first + _count) % _ring.Length] = exit;
            _count++;
        }
        else if (Limit == ExitTraceLimit.KeepLast)
        {
            _ring[_first] = exit;
            _first = (_first + 1) % _ring.Length;
        }
    }

    /// <summary>The kept exits in order, read from the ring in place.</summary>
    private sealed class View(ExitTrace trace) : IReadOnlyList<TracedExit>
    {
        public int Count => trace._count;

        public TracedExit this[int index] =>
            (uint)index < (uint)trace._count
                ? trace._ring[(trace._first + index) % trace._ring.Length]
                : throw new ArgumentOutOfRangeException(nameof(index), index, $"the trace holds {trace._count} exits");

        public IEnumerator<TracedExit> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
