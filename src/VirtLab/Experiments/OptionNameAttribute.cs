namespace VirtLab.Experiments;

/// <summary>
/// The command-line name of an experiment option (<c>pcpus</c> for <c>--pcpus</c>), and the field
/// that a <see cref="Hypervisor.ConfigurationException"/> about it names. Without it the name is the
/// property's, in kebab case (<c>IdlePages</c> becomes <c>idle-pages</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionNameAttribute(string name) : Attribute
{
    /// <summary>The name, without the leading <c>--</c>.</summary>
    public string Name { get; } = name;
}
