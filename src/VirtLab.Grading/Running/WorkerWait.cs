namespace VirtLab.Grading.Running;

/// <summary>The end of one wait for the worker: the reply if it came, else why not, and what the wait cost.</summary>
/// <param name="Reply">The reply, when <paramref name="Ending"/> is <see cref="ChildEnding.Replied"/>.</param>
/// <param name="Ending">How the wait ended.</param>
/// <param name="CpuSeconds">Processor time the child used during the wait.</param>
/// <param name="WallSeconds">Clock time of the wait.</param>
/// <param name="Detail">For a crash: the runtime's first line about it (e.g. "Unhandled exception. System.InvalidOperationException: ..."), or the exit code.</param>
/// <param name="ExitCode">The child's exit code if it ended by itself.</param>
internal sealed record WorkerWait(WorkerReply? Reply, ChildEnding Ending, double CpuSeconds, double WallSeconds, string Detail = "", int? ExitCode = null);
