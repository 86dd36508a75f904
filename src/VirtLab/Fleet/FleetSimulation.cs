namespace VirtLab.Fleet;

/// <summary>
/// Runs a fleet of VMs on a data centre under a consolidation policy, interval by interval, and
/// measures energy, SLA violations and migrations: the consolidation simulator of VirtLab.
/// <para>
/// <b>The model.</b> A VM asks in each interval for its trace value times its MIPS. A host gives
/// each vCPU at most one core, and shares its CPU in proportion when its VMs ask for more than it
/// has; what a VM asks for and does not get is unmet, and the host is saturated. A host with VMs is
/// on and draws the power of its load (linear between SPECpower points); an empty host is off and
/// draws nothing. At the start of each interval after the first, dynamic consolidation finds
/// overloaded hosts, moves VMs off them (placing them without overloading the destination), and
/// empties underloaded hosts whose VMs all fit elsewhere. A migration takes RAM / bandwidth; the VM
/// keeps running on its old host meanwhile with <see cref="DataCenter.MigrationDegradation"/> of its
/// CPU lost, and the old host is switched off when its last VM has left.
/// </para>
/// <para>
/// <b>Against CloudSim.</b> CloudSim samples each host's power at the two ends of an interval and
/// takes the mean; VirtLab holds demand constant over an interval (a trace value is a 5-minute
/// mean) and integrates power over the pieces between migrations. Over a day the two agree but for
/// half an interval at each end, and the moments hosts switch on and off.
/// </para>
/// The run is deterministic: the same data centre and policy always give the same results.
/// </summary>
public static class FleetSimulation
{
    /// <summary>
    /// Simulates <paramref name="dataCenter"/> under <paramref name="policy"/>. Reports the fraction
    /// done to <paramref name="progress"/> after each interval. Throws
    /// <see cref="Hypervisor.ConfigurationException"/> for an invalid data centre or policy, or when
    /// the initial placement finds no host for a VM.
    /// </summary>
    public static FleetRun Run(DataCenter dataCenter, ConsolidationPolicy policy, IProgress<double>? progress = null) =>
        new FleetEngine(dataCenter, policy).Run(progress);
}
