using System.Globalization;
using VirtLab.Scheduling;

namespace VirtLab.Grading.Placement;

/// <summary>In the child: passes every call on to the student's placement and writes down what it decided (<see cref="PlacementLog"/>'s format).</summary>
internal sealed class RecordingPlacement(ISmtPlacement student) : ISmtPlacement
{
    /// <summary>The decisions so far.</summary>
    public List<string> Decisions { get; } = new();

    public string Name => student.Name;

    public IReadOnlyList<int> FillOrder(IReadOnlyList<HardwareThread> threads)
    {
        var order = student.FillOrder(threads);
        Decisions.Add("order " + string.Join(' ', (order ?? []).Select(i => i.ToString(CultureInfo.InvariantCulture))));
        return order!;
    }

    public bool MayRunBeside(ISchedulable candidate, ISchedulable sibling)
    {
        bool may = student.MayRunBeside(candidate, sibling);
        Decisions.Add(string.Create(CultureInfo.InvariantCulture, $"beside {candidate.Sched.Index} {sibling.Sched.Index} {(may ? "yes" : "no")}"));
        return may;
    }

    public HardwareThread? MoveTo(HardwareThread busy, IReadOnlyList<HardwareThread> threads)
    {
        var to = student.MoveTo(busy, threads);
        Decisions.Add(string.Create(CultureInfo.InvariantCulture, $"move {busy.Index} {(to is null ? "-" : to.Index.ToString(CultureInfo.InvariantCulture))}"));
        return to;
    }
}
