using VirtLab.Memory;

namespace VirtLab.Hypervisor;

/// <summary>
/// The host's view of one VM for its memory policies: the figures a policy decides by, and the
/// three levers (balloon target, allocation target, host swapping), each checked by the host
/// before it is pulled (see <see cref="IReclaimableVm"/>). One per VM, for the VM's lifetime.
/// </summary>
internal sealed class ReclaimableVm(VirtualMachine vm) : IReclaimableVm
{
    public VirtualMachine Vm { get; } = vm;
    private Host Host => Vm.Host;

    public string Name => Vm.Name;
    public int MaxPages => Vm.Config.MemoryPages;
    public int MinPages => Vm.Config.MinPages;
    public int Shares => Vm.Config.Shares;
    public int MappedPages => Vm.Memory.MappedPages;
    public int SharedPages => Vm.Memory.SharedPages;
    public int BalloonedPages => Vm.Memory.BalloonedPages;
    public int SwappedPages => Vm.Memory.SwappedPages;
    public bool CanSwap => Vm.Memory.Swap is not null;
    public ulong Instructions => Vm.Instructions;
    public bool HasBalloonDriver => Vm.Config.BalloonDriver && Vm.Config.TickMilliseconds > 0;
    public int ActivePages => Vm.ActiveMemory.ActivePages;
    public double IdleMemoryTax => Host.Config.IdleMemoryTax;

    public PageState StateOf(int page) => (uint)page < (uint)MaxPages
        ? Vm.Memory.StateOf(page)
        : throw new ArgumentOutOfRangeException(nameof(page), page, $"'{Name}' has pages 0..{MaxPages - 1}");

    public int TargetPages
    {
        get => Vm.TargetPages;
        set
        {
            Host.CheckReclaimChange(Vm, "set the allocation target of");
            if (value < 0 || value > MaxPages)
                throw Host.ReclaimViolation($"set the allocation target of '{Name}' to {value} pages, outside 0..{MaxPages} (its max)");
            Vm.TargetPages = value;
        }
    }

    public int BalloonTarget
    {
        get => (int)Vm.Balloon.Target;
        set
        {
            Host.CheckReclaimChange(Vm, "set the balloon target of");
            if (value < 0 || value > MaxPages)
                throw Host.ReclaimViolation($"set the balloon target of '{Name}' to {value} pages, outside 0..{MaxPages} (its max)");
            Vm.Balloon.Target = (uint)value;
        }
    }

    public int SwapOut(int pages)
    {
        Host.CheckReclaimChange(Vm, "asked to swap out pages of");
        bool low = Host.ReclamationState == ReclamationState.Low;
        int keep = low ? 0 : MinPages, most = Math.Max(0, MappedPages - keep);
        if (pages < 0) throw Host.ReclaimViolation($"asked to swap out {pages} pages of '{Name}' (a page count cannot be negative)");
        if (pages > most)
            throw Host.ReclaimViolation($"asked to swap out {pages} pages of '{Name}', which holds {MappedPages} and keeps " +
                (low ? "none back in the low state" : $"its min of {keep} outside the low state") + $", so at most {most} can go");
        return Vm.Memory.SwapOutRandom(pages, Host.SwapRandom, keep);
    }
}
