namespace VirtLab.Fleet;

/// <summary>Why dynamic consolidation moved a VM.</summary>
public enum MigrationReason
{
    /// <summary>Its host was overloaded and the VM selection policy picked it.</summary>
    Overload,

    /// <summary>Its host was underloaded and was emptied so it could be switched off.</summary>
    Underload,
}
