using System.CommandLine;
using VirtLab.Grading.Exercises;
using VirtLab.Grading.Judging;

namespace VirtLab.Cli;

/// <summary>
/// <c>virtlab exercises list|release</c>: the course's exercises for the instructor: what there is,
/// and the student version (solutions stripped, hidden tests left out) to publish.
/// </summary>
public static class ExercisesCommands
{
    public static Command Create()
    {
        var command = new Command("exercises", "List the exercises, or write their student version.");
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(ReleaseCommand());
        return command;
    }

    private static Option<string?> ExercisesOption() => new("--exercises")
    {
        Description = "The folder of exercises (default: found above the current folder).",
        HelpName = "DIR",
    };

    private static Command ListCommand()
    {
        var exercises = ExercisesOption();
        var command = new Command("list", "List the exercises with their tests, groups and points.") { exercises };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var set = Load(parse.GetValue(exercises), parse.InvocationConfiguration.Error);
            if (set is null) return ExitCodes.CannotLoad;
            foreach (var e in set.Exercises)
            {
                output.WriteLine($"{e.Id}: {e.Title} ({e.MaxPoints:0.##} points, judge '{e.Judge}'{(Judges.Find(e.Judge) is null ? ", UNKNOWN" : "")}; the student edits {string.Join(", ", e.StudentFiles)})");
                foreach (var t in e.Tests)
                    output.WriteLine($"  {t.Name,-20} {t.Group,-12} {t.Points,5:0.##} points{(t.Hidden ? t.Available ? "  hidden" : "  hidden (not here)" : "")}");
            }
            return 0;
        });
        return command;
    }

    private static Command ReleaseCommand()
    {
        var exercises = ExercisesOption();
        var output = new Option<string>("--output", "-o")
        {
            Description = "The folder to write the student version to (the root of the students' repository).",
            DefaultValueFactory = _ => "release",
            HelpName = "DIR",
        };
        var force = new Option<bool>("--force") { Description = "Write into a folder that is not empty (files are written over; nothing is deleted)." };
        var command = new Command("release",
            "Write the student version: each exercise with its BEGIN/END SOLUTION regions replaced by stubs and its hidden/ folder left out, " +
            "the exercises README, the CI templates, and a GitHub Actions workflow with one step per test group.")
        {
            exercises, output, force,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var set = Load(parse.GetValue(exercises), stderr);
            if (set is null) return ExitCodes.CannotLoad;
            try
            {
                var summary = ExerciseRelease.Write(set, parse.GetValue(output)!, parse.GetValue(force));
                stdout.WriteLine($"released {set.Exercises.Count} exercise(s) to {summary.Output}: {summary.Files.Count} files, {summary.RegionsStripped} solution region(s) stripped");
                foreach (var left in summary.LeftOut) stdout.WriteLine($"  left out: {left}");
                return 0;
            }
            catch (Exception e) when (e is ExerciseFormatException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"virtlab exercises release: {e.Message}");
                return ExitCodes.CannotLoad;
            }
        });
        return command;
    }

    private static ExerciseSet? Load(string? folder, TextWriter stderr)
    {
        string? root = folder is not null ? Path.GetFullPath(folder) : ExerciseSet.Discover(Directory.GetCurrentDirectory());
        if (root is null)
        {
            stderr.WriteLine("virtlab exercises: no exercises found above the current folder: give --exercises DIR");
            return null;
        }
        try { return ExerciseSet.Load(root); }
        catch (ExerciseFormatException e)
        {
            stderr.WriteLine($"virtlab exercises: {e.Message}");
            return null;
        }
    }
}
