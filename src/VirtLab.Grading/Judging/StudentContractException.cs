namespace VirtLab.Grading.Judging;

/// <summary>
/// The student's code does not have what the exercise asks for (a class, a method with the right
/// signature, an interface implemented). Thrown by a judge's <c>Ask</c> inside the child; the
/// message says what is missing, and the test loses its points.
/// </summary>
public sealed class StudentContractException(string message) : Exception(message);
