namespace VirtLab.Interactive;

/// <summary>One drawn parameter of a self-check question, by name, as the answers listing prints it (<c>Vms = 4</c>).</summary>
/// <param name="Name">The property name in the parameters object (<c>Vms</c>).</param>
/// <param name="Value">The value, written with the invariant culture (<c>1.5</c>).</param>
public sealed record QuestionParameter(string Name, string Value)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} = {Value}";
}
