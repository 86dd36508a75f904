namespace VirtLab.Grading.Judging;

/// <summary>A decision log does not fit the run the grader replays it in: forged, truncated, or from another run.</summary>
internal sealed class LogMismatchException(string message) : Exception(message);
