namespace VirtLab.Fleet;

/// <summary>One VM over the whole run: what it asked for, got, lost, and how often it moved. CPU amounts are in MIPS x seconds (millions of instructions).</summary>
/// <param name="Vm">The VM's index in <see cref="DataCenter.Vms"/>.</param>
/// <param name="RequestedMipsSeconds">CPU it asked for.</param>
/// <param name="UnmetMipsSeconds">CPU it asked for and did not get because its host was saturated.</param>
/// <param name="MigrationLossMipsSeconds">CPU it lost while migrating.</param>
/// <param name="Migrations">Times it was migrated.</param>
public sealed record VmRecord(int Vm, double RequestedMipsSeconds, double UnmetMipsSeconds, double MigrationLossMipsSeconds, int Migrations)
{
    /// <summary>Migration loss over request (0 for a VM that asked for nothing): this VM's term in PDM.</summary>
    public double Pdm => RequestedMipsSeconds > 0 ? MigrationLossMipsSeconds / RequestedMipsSeconds : 0;
}
