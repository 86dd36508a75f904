namespace VirtLab.Notebooks;

/// <summary>
/// What running one cell's submission gave: the value of its last expression (null if it ends in a
/// statement), or the exception its code threw.
/// </summary>
internal sealed record SubmissionResult(object? ReturnValue, Exception? Exception);
