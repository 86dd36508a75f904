using System.Globalization;
using VirtLab.Hypervisor;

namespace VirtLab.Fleet;

/// <summary>
/// How a fleet is run: where VMs start, and what dynamic consolidation does every interval (find
/// overloaded hosts, pick VMs to move off them, place those VMs, empty underloaded hosts). Each
/// step is a replaceable policy; leave the dynamic ones null for a fleet that never migrates.
/// <example>
/// <code>
/// var run = FleetSimulation.Run(dataCenter, ConsolidationPolicy.Lr(1.2));
/// var mine = ConsolidationPolicy.Thr(0.8) with { Name = "thr-0.8-wf", Placement = new WorstFit() };
/// var sweep = new[] { 0.6, 0.7, 0.8, 0.9, 1.0 }.Select(t => FleetSimulation.Run(dataCenter, ConsolidationPolicy.Thr(t)));
/// </code>
/// </example>
/// </summary>
public sealed record ConsolidationPolicy
{
    /// <summary>The name in tables and on the command line ("lr-mmt-1.2").</summary>
    public required string Name { get; init; }

    /// <summary>Places every VM at the start, by its whole allocation (nothing has run yet).</summary>
    public required IPlacementPolicy InitialPlacement { get; init; }

    /// <summary>Places the VMs that consolidation moves; null when the fleet never migrates.</summary>
    public IPlacementPolicy? Placement { get; init; }

    /// <summary>Finds overloaded hosts; null to never relieve a host.</summary>
    public IOverloadDetector? Overload { get; init; }

    /// <summary>Picks the VMs to move off an overloaded host; needed with <see cref="Overload"/>.</summary>
    public IVmSelectionPolicy? VmSelection { get; init; }

    /// <summary>Picks underloaded hosts to empty and switch off; null to never do so.</summary>
    public IUnderloadPolicy? Underload { get; init; }

    /// <summary>
    /// True (the default): a host's power follows its load and an empty host is switched off.
    /// False: the non-power-aware baseline (NPA), every host of the data centre at full power all the time.
    /// </summary>
    public bool PowerAware { get; init; } = true;

    /// <summary>True when the policy migrates VMs during the run.</summary>
    public bool IsDynamic => Overload is not null || Underload is not null;

    /// <summary>Throws a <see cref="ConfigurationException"/> if a step needed by another is missing.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ConfigurationException("policy", "needs a name");
        if (InitialPlacement is null) throw new ConfigurationException($"policy {Name}: initial placement", "is required");
        if (IsDynamic && Placement is null) throw new ConfigurationException($"policy {Name}: placement", "dynamic consolidation needs a placement policy for the VMs it moves");
        if (Overload is not null && VmSelection is null) throw new ConfigurationException($"policy {Name}: vm selection", "overload detection needs a VM selection policy");
    }

    /// <summary>NPA, non power aware: first fit, no migrations, every host at full power all day (Beloglazov and Buyya's baseline).</summary>
    public static ConsolidationPolicy Npa => new() { Name = "npa", InitialPlacement = new FirstFit(), PowerAware = false };

    /// <summary>DVFS: first fit, no migrations; power follows load and empty hosts are off (the "no migration" baseline).</summary>
    public static ConsolidationPolicy Dvfs => new() { Name = "dvfs", InitialPlacement = new FirstFit() };

    /// <summary>No virtualization: one VM per host, no migrations. Needs as many hosts as VMs.</summary>
    public static ConsolidationPolicy OnePerHost => new() { Name = "one-vm-per-host", InitialPlacement = new OneVmPerHost() };

    /// <summary>
    /// Dynamic consolidation as published: power-aware best fit decreasing for every placement,
    /// <paramref name="detector"/> for overload, minimum migration time to pick VMs, and the least
    /// utilized hosts evacuated first. Named "<c>{detector}-mmt-{parameter}</c>".
    /// </summary>
    public static ConsolidationPolicy Dynamic(IOverloadDetector detector)
    {
        int dash = detector.Name.LastIndexOf('-');
        string name = dash > 0 ? $"{detector.Name[..dash]}-mmt{detector.Name[dash..]}" : $"{detector.Name}-mmt";
        var bfd = new PowerAwareBestFitDecreasing();
        return new()
        {
            Name = name,
            InitialPlacement = bfd,
            Placement = bfd,
            Overload = detector,
            VmSelection = new MinimumMigrationTime(),
            Underload = new LeastUtilizedFirst(),
        };
    }

    /// <summary>THR-MMT: static threshold <paramref name="threshold"/> (published: 0.8).</summary>
    public static ConsolidationPolicy Thr(double threshold) => Dynamic(new StaticThreshold(threshold));

    /// <summary>IQR-MMT: adaptive threshold from the interquartile range, safety <paramref name="safety"/> (published: 1.5).</summary>
    public static ConsolidationPolicy Iqr(double safety) => Dynamic(new InterquartileRange(safety));

    /// <summary>MAD-MMT: adaptive threshold from the median absolute deviation, safety <paramref name="safety"/> (published: 2.5).</summary>
    public static ConsolidationPolicy Mad(double safety) => Dynamic(new MedianAbsoluteDeviation(safety));

    /// <summary>LR-MMT: local regression, safety <paramref name="safety"/> (published: 1.2).</summary>
    public static ConsolidationPolicy Lr(double safety) => Dynamic(new LocalRegression(safety));

    /// <summary>LRR-MMT: robust local regression, safety <paramref name="safety"/> (published: 1.2).</summary>
    public static ConsolidationPolicy Lrr(double safety) => Dynamic(new LocalRegression(safety, robust: true));

    /// <summary>
    /// The policies of the published PlanetLab comparison, in its order: NPA, DVFS, THR-MMT-0.8,
    /// IQR-MMT-1.5, MAD-MMT-2.5, LR-MMT-1.2, LRR-MMT-1.2 (Beloglazov and Buyya 2012, Table 3's best of each detector).
    /// </summary>
    public static IReadOnlyList<ConsolidationPolicy> Published =>
        [Npa, Dvfs, Thr(0.8), Iqr(1.5), Mad(2.5), Lr(1.2), Lrr(1.2)];

    /// <summary>What <see cref="Parse"/> accepts, for help texts.</summary>
    public const string Syntax = "npa, dvfs, one-vm-per-host, thr-mmt-T (T in (0, 1]), iqr-mmt-S, mad-mmt-S, lr-mmt-S, lrr-mmt-S (S a safety parameter)";

    /// <summary>
    /// The policy named <paramref name="name"/> (case-insensitive): <c>npa</c>, <c>dvfs</c>,
    /// <c>one-vm-per-host</c>, or <c>DETECTOR-mmt-PARAMETER</c> with detector thr, iqr, mad, lr or lrr
    /// (e.g. <c>thr-mmt-0.8</c>, <c>lr-mmt-1.2</c>). Throws a <see cref="ConfigurationException"/> for anything else.
    /// </summary>
    public static ConsolidationPolicy Parse(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        switch (n)
        {
            case "npa": return Npa;
            case "dvfs": return Dvfs;
            case "one-vm-per-host": return OnePerHost;
        }
        string[] parts = n.Split('-');
        if (parts.Length != 3 || parts[1] != "mmt" || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double parameter))
            throw new ConfigurationException("policy", $"'{name}' is not a policy; expected {Syntax}");
        try
        {
            return parts[0] switch
            {
                "thr" => Thr(parameter),
                "iqr" => Iqr(parameter),
                "mad" => Mad(parameter),
                "lr" => Lr(parameter),
                "lrr" => Lrr(parameter),
                _ => throw new ConfigurationException("policy", $"'{parts[0]}' in '{name}' is not an overload detector; expected thr, iqr, mad, lr or lrr"),
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ConfigurationException("policy", $"'{name}': {e.Message.Replace($" (Parameter '{e.ParamName}')", "")}");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
