using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtLab.Grading.Exercises;

namespace VirtLab.Grading.Judging;

/// <summary>
/// The base of every exercise's judge, with typed questions and answers (records that
/// System.Text.Json can write and read). See <see cref="IExerciseJudge"/> for which half runs where.
/// </summary>
/// <typeparam name="TQuestion">What the student's code is asked (a problem, a scenario).</typeparam>
/// <typeparam name="TAnswer">What it answers (a number, a log of decisions).</typeparam>
public abstract class ExerciseJudge<TQuestion, TAnswer> : IExerciseJudge where TQuestion : notnull
{
    /// <summary>JSON as questions and answers cross between grader and child.</summary>
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public abstract string Name { get; }

    /// <summary>The question for a test's parameters and a variant's seed. Read parameters with <see cref="TestParameters"/>'s methods so that a typo names its field.</summary>
    protected abstract TQuestion CreateQuestion(TestParameters parameters, int seed);

    /// <summary>Runs the student's code on the question (in the child). Throw <see cref="StudentContractException"/> if the code lacks what the exercise asks for.</summary>
    protected abstract TAnswer Ask(System.Reflection.Assembly student, TQuestion question);

    /// <summary>
    /// The type the student's policy object must be (see <see cref="IExerciseJudge.PolicyType"/>);
    /// null (the default) when the exercise cannot be tried on an object. A judge that returns a type
    /// overrides <see cref="AskPolicy(object, TQuestion)"/> too, and its <see cref="Ask"/> makes the
    /// instance and hands it on, so both paths ask the student's code the same way.
    /// </summary>
    public virtual Type? PolicyType => null;

    /// <summary>Runs the student's policy object on the question: the half of <see cref="Ask"/> after the instance exists.</summary>
    protected virtual TAnswer AskPolicy(object policy, TQuestion question) =>
        throw new StudentContractException($"exercises judged by '{Name}' cannot be tried on an object; grade them with virtlab grade");

    /// <summary>Judges an answer against the question (in the grader), recomputing whatever it needs.</summary>
    protected abstract Verdict Judge(TQuestion question, TAnswer answer);

    /// <summary>The expected answer as text, for the instructor.</summary>
    protected abstract string Expected(TQuestion question);

    /// <summary>The question in a line.</summary>
    protected abstract string Describe(TQuestion question);

    /// <summary>Throws if the parameters are out of range (read them as <see cref="CreateQuestion"/> does). By default it makes a question for seed 0.</summary>
    protected virtual void CheckParameters(TestParameters parameters) => CreateQuestion(parameters, 0);

    JsonNode IExerciseJudge.CreateQuestion(ExerciseTest test, int seed) => JsonSerializer.SerializeToNode(CreateQuestion(ParametersOf(test), seed), Json)!;

    void IExerciseJudge.CheckParameters(ExerciseTest test) => CheckParameters(ParametersOf(test));

    private static TestParameters ParametersOf(ExerciseTest test) =>
        test.Parameters ?? throw new InvalidOperationException($"test '{test.Name}' has no parameters here (a hidden test of the student version)");

    JsonNode? IExerciseJudge.AskStudent(System.Reflection.Assembly student, JsonNode question) =>
        JsonSerializer.SerializeToNode(Ask(student, Read<TQuestion>(question)), Json);

    JsonNode? IExerciseJudge.AskPolicy(object policy, JsonNode question) =>
        JsonSerializer.SerializeToNode(AskPolicy(policy, Read<TQuestion>(question)), Json);

    Verdict IExerciseJudge.Judge(JsonNode question, JsonNode? answer)
    {
        var q = Read<TQuestion>(question);
        if (answer is null) return Verdict.Wrong("no answer");
        TAnswer? a;
        try { a = answer.Deserialize<TAnswer>(Json); }
        catch (JsonException e) { return Verdict.Wrong($"the answer is not a {typeof(TAnswer).Name}: {e.Message}"); }
        return a is null ? Verdict.Wrong("no answer") : Judge(q, a);
    }

    string IExerciseJudge.ExpectedAnswer(JsonNode question) => Expected(Read<TQuestion>(question));

    string IExerciseJudge.DescribeQuestion(JsonNode question) => Describe(Read<TQuestion>(question));

    private static T Read<T>(JsonNode node) => node.Deserialize<T>(Json) ?? throw new JsonException($"null {typeof(T).Name}");

    /// <summary>
    /// The public static method <paramref name="type"/>.<paramref name="method"/> of the student's
    /// assembly taking <paramref name="parameters"/> and returning <paramref name="returns"/>, or a
    /// <see cref="StudentContractException"/> that says what was expected.
    /// </summary>
    protected static MethodInfo FindStaticMethod(System.Reflection.Assembly student, string type, string method, Type returns, params Type[] parameters)
    {
        string signature = $"public static {returns.Name} {type}.{method}({string.Join(", ", parameters.Select(p => p.Name))})";
        var t = student.GetTypes().FirstOrDefault(x => x.Name == type && x.IsPublic)
            ?? throw new StudentContractException($"no public class {type} was found; the exercise asks for {signature}");
        var m = t.GetMethod(method, BindingFlags.Public | BindingFlags.Static, parameters)
            ?? throw new StudentContractException($"class {type} has no method {signature}");
        if (m.ReturnType != returns) throw new StudentContractException($"{type}.{method} returns {m.ReturnType.Name}; the exercise asks for {signature}");
        return m;
    }
}
