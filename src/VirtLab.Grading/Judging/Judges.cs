using VirtLab.Grading.BalloonRoutine;
using VirtLab.Grading.CsrEmulation;
using VirtLab.Grading.Sizing;

namespace VirtLab.Grading.Judging;

/// <summary>
/// The judges an exercise manifest can name. A new kind of exercise adds its judge here (one line)
/// and a folder under <c>exercises/</c>.
/// </summary>
public static class Judges
{
    public static readonly IReadOnlyList<IExerciseJudge> All = [new SizingJudge(), new CsrEmulationJudge(), new Scheduling.SchedulerJudge(), new Reclamation.ReclamationJudge(), new Placement.PlacementJudge(), new BalloonRoutineJudge()];

    /// <summary>The judge called <paramref name="name"/>, or null.</summary>
    public static IExerciseJudge? Find(string name) => All.FirstOrDefault(j => j.Name == name);
}
