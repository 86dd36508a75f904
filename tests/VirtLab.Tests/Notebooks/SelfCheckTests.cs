using VirtLab.Assembly;
using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Interactive;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// The self-check API on sessions of its own (a fake environment, no process state): seeded
/// parameters, checking within tolerances, hints that never give the answer away, the student id's
/// sources, the once-only notice and the answers-mode records.
/// </summary>
public sealed class SelfCheckTests
{
    private static SelfCheckSession Session(string? studentVariable = null, bool answersMode = false, TextWriter? answers = null) =>
        new(name => name switch
        {
            Student.EnvironmentVariable => studentVariable,
            SelfCheck.AnswersVariable => answersMode ? "1" : null,
            _ => null,
        }, () => answers ?? TextWriter.Null);

    /// <summary>Instructions retired by a loop counting down from <paramref name="n"/>, run on the emulated machine.</summary>
    private static ulong LoopInstructions(int n)
    {
        var assembled = Assembler.Assemble($"""
                li   a0, {n}
            loop:
                addi a0, a0, -1
                bnez a0, loop
                li   t0, 0x100000
                li   t1, 0x5555
                sw   t1, 0(t0)
            """);
        Assert.True(assembled.Success, assembled.DiagnosticsText());
        var machine = new global::VirtLab.Machine.Machine();
        Assert.Null(machine.Load(assembled.Program!));
        return machine.Run().Instructions;
    }

    /// <summary>CSR exits of the exit-csr guest alone on one core for <paramref name="ms"/> simulated milliseconds.</summary>
    private static long CsrExits(int ms) =>
        ExperimentRunner.Run(new ExperimentSpec
        {
            Host = new HostConfig { Cores = 1 },
            Vms = [new VmConfig { Name = "guest", Workload = Workload.ExitCsr() }],
            DurationMilliseconds = ms,
            SampleMilliseconds = ms,
        }).Host.Vms[0].Exits[VmExitReason.CsrAccess];

    private static Question<int> Constant(SelfCheckSession session, string id, double answer, Tolerance? tolerance = null, string? hint = null) =>
        session.Ask(id, _ => 0, _ => "How much?", _ => answer, options: null, tolerance, hint);

    [Fact]
    public void Parameters_are_repeatable_per_student_and_question_and_differ_between_students()
    {
        Assert.Equal(new ParameterDraw("alice", "01.3").Int(1, 1_000_000), new ParameterDraw("alice", "01.3").Int(1, 1_000_000));
        Assert.NotEqual(new ParameterDraw("alice", "01.3").Int(1, 1_000_000), new ParameterDraw("bob", "01.3").Int(1, 1_000_000));
        Assert.NotEqual(new ParameterDraw("alice", "01.3").Int(1, 1_000_000), new ParameterDraw("alice", "01.4").Int(1, 1_000_000));

        // Across a class, a parameter drawn from ten values takes all ten, each about equally often.
        var counts = Enumerable.Range(0, 1000).Select(i => new ParameterDraw($"student{i}", "01.3").Int(1, 10)).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Range(1, 10), counts.Keys.Order());
        Assert.All(counts.Values, count => Assert.InRange(count, 60, 140));

        var draw = new ParameterDraw("alice", "x");
        for (int i = 0; i < 200; i++)
        {
            Assert.InRange(draw.Int(-3, 3), -3, 3);
            double step = draw.Double(0.5, 2, step: 0.25);
            Assert.Contains(step, new[] { 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2 });
            Assert.Contains(draw.Pick("a", "b", "c"), new[] { "a", "b", "c" });
        }
        Assert.Equal(0.3, new ParameterDraw("a", "b").Double(0.3, 0.3, step: 0.1)); // decimal arithmetic: exactly 0.3
        Assert.Throws<ArgumentException>(() => draw.Int(5, 4));
        Assert.Throws<ArgumentException>(() => draw.Pick<int>());
    }

    [Fact]
    public void Two_students_get_different_parameters_and_different_simulated_answers()
    {
        Question<TParameters> Ask<TParameters, TAnswer>(SelfCheckSession session, string id, Func<ParameterDraw, TParameters> parameters, Func<TParameters, TAnswer> answer) =>
            session.Ask(id, parameters, p => $"{p}", answer, options: null, Tolerance.Relative(0.01), hint: null);

        var (alice, bob) = (Session("alice"), Session("bob"));
        var loopA = Ask(alice, "T.3", d => new { N = d.Int(5, 60) }, p => LoopInstructions(p.N));
        var loopB = Ask(bob, "T.3", d => new { N = d.Int(5, 60) }, p => LoopInstructions(p.N));
        var exitsA = Ask(alice, "T.1", d => new { Ms = d.Pick(2, 3, 4, 5, 6, 7, 8) }, p => CsrExits(p.Ms));
        var exitsB = Ask(bob, "T.1", d => new { Ms = d.Pick(2, 3, 4, 5, 6, 7, 8) }, p => CsrExits(p.Ms));

        Assert.NotEqual(loopA.Parameters.N, loopB.Parameters.N);
        Assert.NotEqual(loopA.RevealAnswer().Answer, loopB.RevealAnswer().Answer);
        Assert.Equal($"{2 * loopA.Parameters.N + 5}", loopA.RevealAnswer().Answer); // li, 2 per round, li (lui), li (lui, addi), sw
        Assert.NotEqual(exitsA.Parameters.Ms, exitsB.Parameters.Ms);
        Assert.NotEqual(exitsA.RevealAnswer().Answer, exitsB.RevealAnswer().Answer);
        Assert.True(double.Parse(exitsA.RevealAnswer().Answer!) > 0);
        // Each student's own answer is right for them and wrong for the other.
        Assert.True(alice.Check("T.3", double.Parse(loopA.RevealAnswer().Answer!)).IsRight);
        Assert.False(bob.Check("T.3", double.Parse(loopA.RevealAnswer().Answer!)).IsRight);
    }

    [Fact]
    public void A_wrong_number_is_rejected_a_right_one_accepted_and_so_is_one_within_the_tolerance()
    {
        var session = Session("alice");
        Constant(session, "rel", 1000, Tolerance.Relative(0.02));
        Constant(session, "abs", 12, Tolerance.Absolute(0.5));
        Constant(session, "exact", 21);

        Assert.Equal(CheckOutcome.Right, session.Check("rel", 1000).Outcome);
        Assert.True(session.Check("rel", 1019.9).IsRight);
        Assert.True(session.Check("rel", 980.1f).IsRight);
        Assert.True(session.Check("rel", "1_010").IsRight);
        Assert.Equal(CheckOutcome.Wrong, session.Check("rel", 1021).Outcome);
        Assert.Equal(CheckOutcome.Wrong, session.Check("rel", 979).Outcome);
        Assert.Equal(CheckOutcome.Wrong, session.Check("rel", 500).Outcome);
        Assert.Equal("Right (within ± 2 %).", session.Check("rel", 1000).Message);

        Assert.True(session.Check("abs", 12.5m).IsRight);
        Assert.True(session.Check("abs", 11.5).IsRight);
        Assert.False(session.Check("abs", 12.6).IsRight);

        Assert.True(session.Check("exact", 21).IsRight);
        Assert.True(session.Check("exact", 21UL).IsRight);
        Assert.True(session.Check("exact", 20.9999999999).IsRight); // floating-point noise only
        Assert.False(session.Check("exact", 22).IsRight);
        Assert.False(session.Check("exact", 21.001).IsRight);

        Assert.Equal(CheckOutcome.NotAnswered, session.Check("exact", null).Outcome);
        Assert.Equal(CheckOutcome.Unreadable, session.Check("exact", "twenty-one").Outcome);
        Assert.Equal(CheckOutcome.Unreadable, session.Check("exact", true).Outcome);
    }

    [Fact]
    public void Text_true_false_and_choice_answers_are_checked_exactly()
    {
        var session = Session("alice");
        session.Ask("text", _ => 0, _ => "Which state?", _ => "Ready", options: null, null, null);
        session.Ask("flag", _ => 0, _ => "Does it trap?", _ => true, options: null, null, null);
        session.Ask("choice", _ => 0, _ => "Which exit?", _ => "MMIO access", ["CSR access", "MMIO access", "timer"], null, "Count the exits.");

        Assert.True(session.Check("text", "  ready ").IsRight);
        Assert.False(session.Check("text", "running").IsRight);
        Assert.True(session.Check("flag", true).IsRight);
        Assert.True(session.Check("flag", "True").IsRight);
        Assert.False(session.Check("flag", false).IsRight);

        Assert.True(session.Check("choice", "b").IsRight);
        Assert.True(session.Check("choice", "(B)").IsRight);
        Assert.True(session.Check("choice", 'b').IsRight);
        Assert.True(session.Check("choice", "mmio  access").IsRight);
        Assert.False(session.Check("choice", "a").IsRight);
        Assert.Equal("Count the exits.", session.Check("choice", "c").Hint);
        Assert.Equal(CheckOutcome.Unreadable, session.Check("choice", "d").Outcome);
        Assert.Equal(CheckOutcome.Unreadable, session.Check("choice", 2).Outcome);
        Assert.Equal("b", session.Questions[^1].RevealAnswer().Answer);
        Assert.Equal(["a) CSR access", "b) MMIO access", "c) timer"], session.Questions[^1].RevealAnswer().Options);

        // A choice whose computed answer is not among its options is the lesson's bug, reported at once.
        session.Ask("broken", _ => 0, _ => "?", _ => "none of them", ["x", "y"], null, null);
        Assert.Contains("not one of its options", Assert.Throws<InvalidOperationException>(() => session.Check("broken", "a")).Message);
    }

    [Fact]
    public void A_verdict_gives_a_hint_but_never_the_answer()
    {
        var session = Session("alice");
        Constant(session, "q", 123_457, Tolerance.Relative(0.01), hint: "Look at the exits chart.");
        foreach (var given in new object?[] { 1, 99_999, 200_000, 12_345_700, 1_234.57, 123.457, -123_457, "abc", null, 123_457 })
        {
            var verdict = session.Check("q", given);
            var shown = verdict + SelfCheckViews.ResultHtml(verdict);
            foreach (var form in new[] { "123457", "123,457", "123 457", "1.23457", "1234.57", "123.457" })
                Assert.DoesNotContain(form, shown);
        }
        var wrong = session.Check("q", 99_999);
        Assert.Equal("Not quite.", wrong.Message);
        Assert.Equal("Look at the exits chart.", wrong.Hint);
        Assert.StartsWith("Your number is 100 times too large", session.Check("q", 12_345_700).Hint);
        Assert.StartsWith("Your number is 100 times too small", session.Check("q", 1_234.57).Hint);
        Assert.StartsWith("Your number is off by a factor of 1000", session.Check("q", 123.457).Hint);
        Assert.StartsWith("Check the sign.", session.Check("q", -123_457).Hint);
    }

    [Fact]
    public void The_student_id_comes_from_the_notebook_then_the_environment_then_the_default()
    {
        var session = Session(studentVariable: "  Bob ");
        Assert.Equal(("bob", StudentIdSource.Environment), session.Student);
        session.NotebookStudentId = Student.Normalize(" Alice  Smith ");
        Assert.Equal(("alice smith", StudentIdSource.Notebook), session.Student);
        session.NotebookStudentId = Student.Normalize("  ");
        Assert.Equal(("bob", StudentIdSource.Environment), session.Student);
        Assert.Equal((Student.DefaultId, StudentIdSource.Default), Session().Student);

        // The question remembers whose numbers it drew.
        var question = Constant(Session("carol"), "q", 1);
        Assert.Equal("carol", question.Student);
        Assert.Contains("Numbers for student \"carol\"", question.ToString());
    }

    [Fact]
    public void Without_a_student_id_the_first_output_says_so_and_only_the_first()
    {
        var session = Session();
        var first = Constant(session, "a", 1);
        var second = Constant(session, "b", 2);
        Assert.Contains("No student id is set", SelfCheckViews.QuestionHtml(first));
        Assert.Contains("No student id is set", first.ToString()); // the text form of the same output agrees
        Assert.DoesNotContain("No student id is set", SelfCheckViews.QuestionHtml(second));
        Assert.DoesNotContain("No student id is set", session.Check("a", 1).ToString());
        Assert.Contains("Default numbers", second.ToString());

        // A check can be the first output: then it carries the notice.
        var other = Session();
        Constant(other, "a", 1);
        Assert.Contains("No student id is set", SelfCheckViews.ResultHtml(other.Check("a", 5)));

        // With an id, never.
        var named = Session("alice");
        Assert.DoesNotContain("No student id is set", SelfCheckViews.QuestionHtml(Constant(named, "a", 1)) + named.Check("a", 1));
    }

    [Fact]
    public void Answers_mode_prints_one_record_per_question_and_shows_the_answer_with_the_question()
    {
        var printed = new StringWriter();
        var session = Session("alice", answersMode: true, answers: printed);
        var question = session.Ask("T.3", d => new { N = d.Int(5, 60), Label = "loop" }, p => $"Count down from {p.N}.", p => LoopInstructions(p.N),
            options: null, tolerance: null, hint: null);
        session.Ask("T.9", _ => 0, _ => "Broken?", _ => ((Func<int>)(() => throw new InvalidOperationException("no such VM")))(), options: null, null, null);

        var records = AnswerRecord.FindIn("some other output\n" + printed);
        Assert.Equal(["T.3", "T.9"], records.Select(r => r.Id));
        var record = records[0];
        Assert.Equal("alice", record.Student);
        Assert.Equal($"Count down from {question.Parameters.N}.", record.Text);
        Assert.Equal([new QuestionParameter("N", $"{question.Parameters.N}"), new QuestionParameter("Label", "loop")], record.Parameters);
        Assert.Equal($"{LoopInstructions(question.Parameters.N)}", record.Answer);
        Assert.Equal("exact", record.Tolerance);
        Assert.Null(record.Error);
        Assert.Null(records[1].Answer);
        Assert.Equal("InvalidOperationException: no such VM", records[1].Error);
        Assert.Contains($"Answer (answers mode): {record.Answer} (exact)", SelfCheckViews.QuestionHtml(question));

        // Outside answers mode nothing is printed and the question does not show its answer.
        var quiet = new StringWriter();
        var student = Session("alice", answersMode: false, answers: quiet);
        var same = student.Ask("T.3", d => new { N = d.Int(5, 60), Label = "loop" }, p => $"Count down from {p.N}.", p => LoopInstructions(p.N), null, null, null);
        Assert.Equal("", quiet.ToString());
        Assert.DoesNotContain("Answer", SelfCheckViews.QuestionHtml(same));
    }

    [Fact]
    public void An_answer_printed_with_its_tolerance_is_accepted_by_it()
    {
        var random = new Random(7);
        foreach (var tolerance in new[] { Tolerance.Relative(0.02), Tolerance.Relative(0.001), Tolerance.Absolute(0.5), Tolerance.Absolute(0.003), Tolerance.Exact })
        {
            for (int i = 0; i < 500; i++)
            {
                double value = (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-3, 8));
                var printed = tolerance.Format(value);
                Assert.True(tolerance.Accepts(value, double.Parse(printed, System.Globalization.CultureInfo.InvariantCulture)), $"{tolerance}: {value} printed as {printed}");
            }
        }
        Assert.Equal("572", Tolerance.Relative(0.01).Format(572.4));
        Assert.Equal("0.812", Tolerance.Relative(0.02).Format(0.81234));
        Assert.Equal("12.3", Tolerance.Absolute(0.5).Format(12.34));
        Assert.Equal("21", Tolerance.Exact.Format(21));
        Assert.Equal("± 2 %", Tolerance.Relative(0.02).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Tolerance.Relative(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tolerance.Absolute(0));
    }

    [Fact]
    public void Checking_an_unknown_question_names_the_ones_asked_and_asking_again_replaces()
    {
        var session = Session("alice");
        Constant(session, "01.1", 1);
        Constant(session, "01.2", 2);
        var error = Assert.Throws<ArgumentException>(() => session.Check("01.3", 3));
        Assert.Contains("There is no question \"01.3\" yet", error.Message);
        Assert.Contains("01.1, 01.2", error.Message);

        Constant(session, "01.1", 10);
        Assert.True(session.Check("01.1", 10).IsRight);
        Assert.Equal(["01.2", "01.1"], session.Questions.Select(q => q.Id));
    }

    [Fact]
    public void The_answer_is_computed_once_and_only_when_needed()
    {
        int runs = 0;
        var session = Session("alice");
        session.Ask("q", _ => 0, _ => "?", _ => ++runs, options: null, null, null);
        Assert.Equal(0, runs);
        session.Check("q", null);
        Assert.Equal(0, runs); // "not answered" needs no simulation
        session.Check("q", 1);
        session.Check("q", 2);
        Assert.Equal(1, runs);
    }
}
