using System.Reflection;
using System.Text.Json.Nodes;
using VirtLab.Grading.Exercises;

namespace VirtLab.Grading.Judging;

/// <summary>
/// The trusted code of one kind of exercise, in two halves that never meet:
/// <list type="bullet">
/// <item>in the grader (trusted): <see cref="CreateQuestion"/> turns a test's parameters and a seed
/// into a question, <see cref="Judge"/> checks an answer by recomputing what it needs from the
/// question, and <see cref="ExpectedAnswer"/> prints the answer for the instructor;</item>
/// <item>in the child process (untrusted): <see cref="AskStudent"/> calls the student's code with the
/// question and returns what it answered. It never sees an expected value, and its result is only
/// data: a forged answer is judged like any other.</item>
/// </list>
/// Questions and answers cross between the processes as JSON. Implement
/// <see cref="ExerciseJudge{TQuestion, TAnswer}"/> rather than this interface.
/// </summary>
public interface IExerciseJudge
{
    /// <summary>The name an exercise manifest gives in its <c>judge</c> field.</summary>
    string Name { get; }

    /// <summary>In the grader: the question of <paramref name="test"/> for the variant <paramref name="seed"/>. Same inputs, same question.</summary>
    JsonNode CreateQuestion(ExerciseTest test, int seed);

    /// <summary>
    /// In the grader, before anyone is graded: throws (naming the field) if <paramref name="test"/>'s parameters are
    /// out of range. By default it makes a question; a judge whose questions take real work to make checks only the parameters.
    /// </summary>
    void CheckParameters(ExerciseTest test) => CreateQuestion(test, 0);

    /// <summary>In the child: asks the student's compiled code <paramref name="question"/>. May throw anything the student's code throws.</summary>
    JsonNode? AskStudent(System.Reflection.Assembly student, JsonNode question);

    /// <summary>
    /// The type a student's policy object must be for <see cref="AskPolicy"/> (an interface such as
    /// <c>ISmtPlacement</c>), or null when this exercise cannot be tried on an object (its answer is
    /// a static method or assembly code).
    /// </summary>
    Type? PolicyType => null;

    /// <summary>
    /// For practice in the student's own notebook only (<see cref="Trial.ExerciseTrial"/>): asks the
    /// policy object <paramref name="policy"/>, already made by the student, <paramref name="question"/>,
    /// exactly as <see cref="AskStudent"/> asks the instance it makes from the compiled code. Nothing
    /// the grader records ever comes from here: grades go through <see cref="AskStudent"/> in a child.
    /// May throw anything the student's code throws.
    /// </summary>
    JsonNode? AskPolicy(object policy, JsonNode question) =>
        throw new StudentContractException($"exercises judged by '{Name}' cannot be tried on an object; grade them with virtlab grade");

    /// <summary>In the grader: judges <paramref name="answer"/> (null if the child gave none that parsed) to <paramref name="question"/>.</summary>
    Verdict Judge(JsonNode question, JsonNode? answer);

    /// <summary>In the grader: the expected answer, for <c>virtlab grade --answers</c>.</summary>
    string ExpectedAnswer(JsonNode question);

    /// <summary>The question in a line, for feedback on visible tests and the answer key (e.g. "2 pCPUs, mix io, bursty; ready under 5 %").</summary>
    string DescribeQuestion(JsonNode question);
}
