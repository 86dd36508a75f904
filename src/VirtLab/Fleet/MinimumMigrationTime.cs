namespace VirtLab.Fleet;

/// <summary>
/// MMT (Beloglazov and Buyya 2012, section 5.4.1): move the VM that migrates fastest, the one with
/// the least RAM, so the host is relieved soonest and the migration costs the least performance.
/// </summary>
public sealed class MinimumMigrationTime : IVmSelectionPolicy
{
    /// <inheritdoc/>
    public string Name => "mmt";

    /// <inheritdoc/>
    public int ChooseVm(HostLoad host, IReadOnlyList<VmLoad> vms)
    {
        int best = -1;
        for (int i = 0; i < vms.Count; i++)
            if (best < 0 || vms[i].MigrationSeconds < vms[best].MigrationSeconds) best = i;
        return best;
    }
}
