using System.Globalization;
using VirtLab.Grading.Judging;
using VirtLab.Grading.Scheduling;
using VirtLab.Memory;

namespace VirtLab.Grading.Reclamation;

/// <summary>
/// In the grader: a reclamation policy that decides nothing itself. It plays back a
/// <see cref="ReclamationLog"/>, checking that each call answers the question the host is asking
/// right now (a <c>Reclaim</c> in the same state for the same number of pages, or a
/// <c>ChooseVictim</c>; VMs the host offered; swap-outs that free what they freed in the student's
/// run). A log that does not fit stops the replay with a <see cref="LogMismatchException"/> (which
/// the host wraps in its PolicyViolationException). Levers out of range are refused by the host
/// itself, as they were in the student's run.
/// </summary>
internal sealed class ReplayReclamationPolicy(ReclamationLog log) : IReclamationPolicy
{
    private int _next;
    private string _current = "";

    /// <summary>Decisions of the log not yet played back.</summary>
    public int Unplayed => log.Decisions.Count - _next;

    public string Name => "replay";

    public void Reclaim(ReclamationState state, int pagesWanted, int surplusPages, IReadOnlyList<IReclaimableVm> vms, Random random)
    {
        string asked = string.Create(CultureInfo.InvariantCulture, $"reclaim {state} {pagesWanted} {surplusPages}");
        if (Next(asked) != asked) throw Mismatch($"the host called Reclaim ('{asked}')");
        while (_next < log.Decisions.Count && !IsCall(log.Decisions[_next]))
        {
            string[] d = Next(asked).Split(' ');
            var vm = d.Length >= 3 ? vms.FirstOrDefault(v => v.Name == d[1]) : null;
            if (vm is null) throw Mismatch($"it names no VM the host offered ({string.Join(", ", vms.Select(v => v.Name))})");
            switch (d)
            {
                case ["balloon", _, var n] when Number(n) is int pages: vm.BalloonTarget = pages; break;
                case ["target", _, var n] when Number(n) is int pages: vm.TargetPages = pages; break;
                case ["swap", _, var n, var g] when Number(n) is int pages && Number(g) is int went:
                    int gone = vm.SwapOut(pages);
                    if (gone != went) throw Mismatch($"{gone} pages of {vm.Name} went, not {went}: the log is from another run");
                    break;
                default: throw Mismatch("it is not 'balloon VM N', 'target VM N' or 'swap VM N GONE'");
            }
        }
    }

    public IReclaimableVm ChooseVictim(IReadOnlyList<IReclaimableVm> candidates, Random random)
    {
        string[] d = Next("victim").Split(' ');
        if (d is not ["victim", var name]) throw Mismatch("the host called ChooseVictim (a guest fault found no free frame)");
        return candidates.FirstOrDefault(c => c.Name == name)
            ?? throw Mismatch($"{name} was not a candidate then (the candidates were {string.Join(", ", candidates.Select(c => c.Name))})");
    }

    private static bool IsCall(string? line) => line is not null && (line.StartsWith("reclaim ", StringComparison.Ordinal) || line.StartsWith("victim ", StringComparison.Ordinal));

    private static int? Number(string text) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? n : null;

    private string Next(string asked)
    {
        if (_next >= log.Decisions.Count) throw new LogMismatchException($"the log ends after {log.Decisions.Count} decisions while the host still asks ('{asked} ...')");
        return _current = log.Decisions[_next++] ?? "";
    }

    private LogMismatchException Mismatch(string what) => new($"decision {_next} ('{_current}') does not fit: {what}");
}
