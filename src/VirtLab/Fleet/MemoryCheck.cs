namespace VirtLab.Fleet;

/// <summary>When placement checks that a VM's RAM fits on a host.</summary>
public enum MemoryCheck
{
    /// <summary>Always: a host never holds more VM RAM than it has. The physical rule, and VirtLab's default.</summary>
    Always,

    /// <summary>
    /// At the initial placement only; migrations ignore RAM. This is what CloudSim 3's PlanetLab
    /// examples do, and so what the published figures assume: their workloads request no RAM
    /// (UtilizationModelNull) once a VM exists, so dynamic consolidation packs VMs by CPU alone and
    /// can put dozens of them on a 4 GB host.
    /// </summary>
    InitialPlacementOnly,
}
