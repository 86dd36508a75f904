using static System.FormattableString;

namespace VirtLab.Grading.BalloonRoutine;

/// <summary>
/// Exercise 5's question: a guest under memory pressure. The grader builds the guest kernel with
/// your <c>balloon_inflate</c>, boots a VM running <see cref="Workload"/>, lets it warm up, asks
/// its balloon for <see cref="TargetPages"/>, holds the balloon there while the workload goes on,
/// then asks for everything back (target 0).
/// </summary>
public sealed record BalloonProblem
{
    /// <summary>The guest's workload, as <c>Workload.Parse</c> text (for example <c>phases:pages=120,ticks=3,delay=0,idle=3</c>).</summary>
    public required string Workload { get; init; }

    /// <summary>The VM's vCPUs. The driver runs on vCPU 0 and takes pages from vCPU 0's free list only.</summary>
    public required int Vcpus { get; init; }

    /// <summary>The VM's RAM in 4 KiB pages.</summary>
    public required int MemoryPages { get; init; }

    /// <summary>Simulated milliseconds the guest runs before the host asks for pages.</summary>
    public required double WarmupMilliseconds { get; init; }

    /// <summary>The balloon target the host sets: how many pages it wants back from the guest.</summary>
    public required int TargetPages { get; init; }

    /// <summary>Milliseconds the driver has to reach the target (it moves at most 256 pages a tick, one tick a millisecond).</summary>
    public required double InflateMilliseconds { get; init; }

    /// <summary>Milliseconds the balloon is held at its target while the workload runs on.</summary>
    public required double HoldMilliseconds { get; init; }

    /// <summary>Milliseconds the driver has to give every page back once the target drops to 0.</summary>
    public required double DeflateMilliseconds { get; init; }

    /// <summary>The host's seed.</summary>
    public required int Seed { get; init; }

    /// <summary>The problem in a line.</summary>
    public override string ToString() =>
        Invariant($"{MemoryPages} pages of RAM, {Vcpus} vCPU{(Vcpus == 1 ? "" : "s")} running {Workload}; after {WarmupMilliseconds:0.#} ms the host asks for {TargetPages} pages, holds them {HoldMilliseconds:0.#} ms, then gives them back");
}
