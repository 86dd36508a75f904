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
    /// <summary>Whether, and under what key, the host is in the simulator's index of free room.</summary>
    public bool Indexed;
    public double IndexedFree;

    // Marks of the consolidation in progress, cleared at each interval.
    public bool Overloaded, Received, Tried, Evacuating, Evacuated;

    public void ClearMarks() => Overloaded = Received = Tried = Evacuating = Evacuated = false;
}
