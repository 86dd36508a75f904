namespace VirtLab.Grading.Results;

/// <summary>One line of the instructor's answer key (<c>virtlab grade --answers</c>): a test's question for a student, and its answer.</summary>
public sealed record AnswerKeyEntry(string Student, string Exercise, string Test, bool Hidden, double Points, string Question, string Expected);
