namespace VirtLab.Grading.BalloonRoutine;

/// <summary>
/// A guest's balloon at one moment, as the grader sees it from outside: the host's count of
/// ballooned pages, what the driver reported, and whether the guest's own books agree.
/// </summary>
/// <param name="StopReason">Why the VM stopped, or null while it runs.</param>
/// <param name="Ballooned">Pages the host holds as ballooned (their frames freed).</param>
/// <param name="ReportedActual">The ACTUAL count the driver last wrote to the device.</param>
/// <param name="Rejected">Page numbers the device refused so far (not the guest's, not RAM, given twice...).</param>
/// <param name="Touches">Times the guest touched a page it had given to the host.</param>
/// <param name="Progress">The workload's operations so far.</param>
/// <param name="Inconsistency">What is wrong in the guest's books (a page both free and ballooned, ...), or null.</param>
internal sealed record BalloonSnapshot(string? StopReason, int Ballooned, uint ReportedActual, long Rejected, long Touches, ulong Progress, string? Inconsistency);
