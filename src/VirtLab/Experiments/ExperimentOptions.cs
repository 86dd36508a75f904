using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;

namespace VirtLab.Experiments;

/// <summary>
/// What every experiment's options record has: a seed, and validation. Each built-in experiment
/// has its own record (for example <see cref="CpuOvercommitOptions"/>) with one property per option;
/// each property's doc comment says what it is, its unit and its default, and the
/// <c>virtlab experiment NAME --help</c> text is made from those comments (see <see cref="ExperimentOption"/>).
/// Records copy with <c>with</c>, so a sweep over one option is
/// <c>ratios.Select(r =&gt; Ballooning.Run(options with { Overcommit = r }))</c>.
/// </summary>
public abstract record ExperimentOptions
{
    /// <summary>Seed for everything random in the runs: the same options and seed always give the same numbers. Default: 1.</summary>
    [OptionName("seed")]
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Throws a <see cref="ConfigurationException"/> naming the first option whose value cannot work
    /// (by its command-line name, as in <c>pcpus: 0 is not between 1 and 64</c>). The experiments
    /// call it before they run.
    /// </summary>
    public virtual void Validate() { }

    /// <summary>Throws a <see cref="ConfigurationException"/> naming option <paramref name="property"/> unless <paramref name="condition"/> holds.</summary>
    protected void Require(bool condition, string property, string problem)
    {
        if (!condition) throw new ConfigurationException(ExperimentOption.Of(GetType()).Single(o => o.Property.Name == property).Name, problem);
    }

    /// <summary>Requires a whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    protected void RequireBetween(string property, int value, int min, int max = int.MaxValue) =>
        Require(value >= min && value <= max, property, max == int.MaxValue ? $"{value} must be at least {min}" : $"{value} is not between {min} and {max}");

    /// <summary>Requires a number of at least <paramref name="min"/>.</summary>
    protected void RequireAtLeast(string property, double value, double min) =>
        Require(value >= min, property, $"{OptionText.Format(value)} must be at least {OptionText.Format(min)}");

    /// <summary>Requires a list with at least one value, each of which passes <paramref name="valid"/> (<paramref name="problem"/> says what is wrong with one that does not).</summary>
    protected void RequireEach<T>(string property, IReadOnlyList<T>? values, Func<T, bool> valid, Func<T, string> problem)
    {
        Require(values is { Count: > 0 }, property, "needs at least one value");
        foreach (var value in values!) Require(valid(value), property, problem(value));
    }

    /// <summary>Requires VM names, each one non-empty and used once (they name the VMs in the tables).</summary>
    protected void RequireVmNames(string property, IReadOnlyList<string>? names)
    {
        RequireEach(property, names, n => !string.IsNullOrWhiteSpace(n), _ => "a VM name is empty");
        var twice = names!.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        Require(twice is null, property, $"'{twice?.Key}' names two VMs");
    }

    /// <summary>Requires a list of <paramref name="count"/> values, one per VM named by option <paramref name="namesOption"/>.</summary>
    protected void RequireOnePerVm<T>(string property, IReadOnlyList<T>? values, int count, string namesOption) =>
        Require(values?.Count == count, property, $"has {values?.Count ?? 0} values for the {count} VMs of --{namesOption}: give one per VM");

    /// <summary>Requires four falling fractions below 1 (high, soft, hard, low).</summary>
    protected void RequireThresholds(string property, ReclamationThresholds? t) =>
        Require(t is not null && t.High < 1 && t.High > t.Soft && t.Soft > t.Hard && t.Hard > t.Low && t.Low >= 0, property,
            "needs four falling fractions below 1: high,soft,hard,low");

    /// <summary>Requires a workload that fits in a VM of <paramref name="memoryPages"/> pages (the guest kernel needs some of them).</summary>
    protected void RequireFits(string property, Workload? workload, int memoryPages)
    {
        Require(workload is not null, property, "needs a workload");
        try { new VmConfig { Name = "vm", MemoryPages = memoryPages, Workload = workload! }.Validate(); }
        catch (ConfigurationException e) { Require(false, property, e.Message[(e.Field.Length + 2)..]); }
    }
}
