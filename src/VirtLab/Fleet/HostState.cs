namespace VirtLab.Fleet;

/// <summary>The simulator's private state of one host: the VMs on it and what they take, and this interval's consolidation marks.</summary>
internal sealed class HostState(int index, HostType type, int historyLength)
{
    public readonly int Index = index;
    public readonly HostType Type = type;
    public readonly List<int> Vms = new();
    /// <summary>MIPS the VMs take: allocations at the initial placement, demand afterwards.</summary>
    public double Mips;
    public double RamMib;
    /// <summary>Utilization of the present VMs over the last intervals, oldest first (see <see cref="HostLoad.History"/>).</summary>
    public readonly double[] History = new double[historyLength];
    public int HistoryCount;
    public double LongestMigrationSeconds;
    /// <summary>Watts at <see cref="Mips"/> (0 when empty), kept up to date by the simulator so that best fit need not recompute it for every candidate.</summary>
    public double Watts;
    /// <summary>Whether, and under what key, the host is in the simulator's index of free room.</summary>
    public bool Indexed;
    public double IndexedFree;

    // Marks of the consolidation in progress, cleared at each interval.
    public bool Overloaded, Received, Tried, Evacuating, Evacuated;

    public void ClearMarks() => Overloaded = Received = Tried = Evacuating = Evacuated = false;

    /// <summary>What a tentative evacuation may change, to put back exactly if it fails.</summary>
    public readonly record struct Saved(int[] Vms, double Mips, double RamMib, double[] History, int HistoryCount, double LongestMigrationSeconds, double Watts);

    public Saved Save() => new([.. Vms], Mips, RamMib, (double[])History.Clone(), HistoryCount, LongestMigrationSeconds, Watts);

    /// <summary>Puts back what <see cref="Save"/> saw; the host must hold the same VMs again (in any order).</summary>
    public void Restore(Saved saved)
    {
        Vms.Clear();
        Vms.AddRange(saved.Vms);
        (Mips, RamMib, HistoryCount, LongestMigrationSeconds, Watts) = (saved.Mips, saved.RamMib, saved.HistoryCount, saved.LongestMigrationSeconds, saved.Watts);
        Array.Copy(saved.History, History, History.Length);
    }
}
