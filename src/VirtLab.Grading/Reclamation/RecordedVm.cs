using System.Globalization;
using VirtLab.Memory;

namespace VirtLab.Grading.Reclamation;

/// <summary>
/// In the child: what the student's policy sees of one VM. It reads through to the host's own
/// view and writes every lever the policy pulls (balloon target, allocation target, swap-out) to
/// the log before passing it on, so the host still checks each one.
/// </summary>
internal sealed class RecordedVm(IReclaimableVm vm, List<string> log) : IReclaimableVm
{
    /// <summary>The host's view this one records for.</summary>
    public IReclaimableVm Inner => vm;

    public string Name => vm.Name;
    public int MaxPages => vm.MaxPages;
    public int MinPages => vm.MinPages;
    public int Shares => vm.Shares;
    public int MappedPages => vm.MappedPages;
    public int SharedPages => vm.SharedPages;
    public int BalloonedPages => vm.BalloonedPages;
    public int SwappedPages => vm.SwappedPages;
    public PageState StateOf(int page) => vm.StateOf(page);
    public bool CanSwap => vm.CanSwap;
    public ulong Instructions => vm.Instructions;
    public bool HasBalloonDriver => vm.HasBalloonDriver;
    public int ActivePages => vm.ActivePages;
    public double IdleMemoryTax => vm.IdleMemoryTax;

    public int TargetPages
    {
        get => vm.TargetPages;
        set { log.Add(Line($"target {vm.Name} {value}")); vm.TargetPages = value; }
    }

    public int BalloonTarget
    {
        get => vm.BalloonTarget;
        set { log.Add(Line($"balloon {vm.Name} {value}")); vm.BalloonTarget = value; }
    }

    public int SwapOut(int pages)
    {
        // Written after the host answers: a swap-out the host refuses stops the run, and then the log does not matter.
        int went = vm.SwapOut(pages);
        log.Add(Line($"swap {vm.Name} {pages} {went}"));
        return went;
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
