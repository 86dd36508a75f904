using System.Security.Cryptography;
using System.Text;
using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;

namespace VirtLab.Tests.Hypervisor;

/// <summary>Every built-in experiment run once with its defaults and seed 1, through the registry as the CLI runs them.</summary>
public sealed class DefaultRuns
{
    public DefaultRuns()
    {
        foreach (var experiment in BuiltInExperiments.All)
        {
            var progress = new List<double>();
            Results[experiment.Name] = experiment.Run(experiment.CreateOptions(), new Recorder(progress));
            Progress[experiment.Name] = progress;
        }
    }

    public Dictionary<string, ExperimentResult> Results { get; } = [];
    public Dictionary<string, List<double>> Progress { get; } = [];

    public T Of<T>(string name) where T : ExperimentResult => (T)Results[name];

    private sealed class Recorder(List<double> into) : IProgress<double> { public void Report(double value) => into.Add(value); }
}

/// <summary>The typed experiments: same CSV as before they were typed, progress, headlines that agree with the rows.</summary>
public class TypedExperimentTests(DefaultRuns runs) : IClassFixture<DefaultRuns>
{
    /// <summary>
    /// SHA-256 of each experiment's CSV with its defaults at seed 1. Typing the experiments, the one
    /// exit path and the named parameter block left every CSV of commit 3bd465b byte-identical; the
    /// guest kernel's shared allocation routines and jump-table dispatch then changed the guest's
    /// instruction stream at boot and between phases, and these hashes were recorded after that
    /// (popek-goldberg alone was unchanged). Reading a shrinking balloon as stalled, and asking the
    /// balloons that still answer for a stalled VM's share, then moved ballooning, memory-overcommit
    /// and idle-tax. The CSV is the experiments' contract with lessons,
    /// spreadsheets and plots elsewhere: a change here is a change of behaviour, to be made on purpose.
    /// </summary>
    public static TheoryData<string, string> CsvHashes => new()
    {
        { "type1-vs-type2", "44df739770f8cfa18fa83b55479a73e7f4400d5fd2fcd4654efb7de771722508" },
        { "cpu-overcommit", "8ad47a6952f512b5a4c7ec93f3147db7f19a973d706c3edfff97ce3e96062537" },
        { "smt", "c37ec1600079bf625d8cc8eec42f8a684552d74b0698a4570f445cc06ec93571" },
        { "popek-goldberg", "1033c41ab592bbf28abdd21ce6b8dd84c51586fd92c7d2bb2017f96ac5ac1541" },
        { "ballooning", "56d22285b95f1b429a7aa8040560acfe8149098ec0d6fc8204575389dbe4cb44" },
        { "page-sharing", "7f49c34a50b50f4a5e65362f4b407e47622d17b9d5b572c30f53a94efe308106" },
        { "memory-overcommit", "23310a6a1e0152d1a9f3532ba3d44da92766ecd9c3fce58f8da5b6a81d1c1538" },
        { "idle-tax", "e6dcc8b052bd70651747f84d8679c3da56d02953365df475b6a6042e1299d121" },
    };

    [Theory]
    [MemberData(nameof(CsvHashes))]
    public void The_csv_at_seed_1_is_byte_identical_to_the_recorded_one(string experiment, string sha256)
    {
        string csv = runs.Results[experiment].ToCsv();
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(csv))));
    }

    [Fact]
    public void The_registry_lists_the_eight_experiments_each_with_a_hash()
    {
        Assert.Equal(CsvHashes.Select(d => (string)d[0]).Order(), BuiltInExperiments.All.Select(e => e.Name).Order());
        Assert.All(BuiltInExperiments.All, e => Assert.Same(e, BuiltInExperiments.Find(e.Name)));
        Assert.Null(BuiltInExperiments.Find("nonsense"));
    }

    [Theory]
    [MemberData(nameof(CsvHashes))]
    public void Progress_is_reported_on_the_way_never_goes_back_and_reaches_1(string experiment, string _)
    {
        var progress = runs.Progress[experiment];
        Assert.True(progress.Count >= 5, $"{experiment} reported progress only {progress.Count} times");
        Assert.True(progress[0] > 0 && progress[0] < 0.5, $"{experiment} first reported {progress[0]}");
        for (int i = 1; i < progress.Count; i++) Assert.True(progress[i] >= progress[i - 1], $"{experiment}: {progress[i - 1]} then {progress[i]}");
        Assert.Equal(1.0, progress[^1]);
    }

    [Fact]
    public void Cpu_overcommit_headline_agrees_with_its_rows_and_table()
    {
        var result = runs.Of<CpuOvercommitResult>(CpuOvercommit.Name);
        var busy = result.Rows.Where(r => r.Group == CpuOvercommit.CpuBound).ToList();
        Assert.Equal(result.Options.Ratios, busy.Select(r => r.Ratio));
        foreach (var row in busy)
        {
            Assert.Equal(row.ReadyPercentMean, result.Headline.ReadyPercentAt(row.Ratio));
            Assert.Equal(row.OpsPerSecondPerVm / busy[0].OpsPerSecondPerVm, result.Headline.RelativeThroughputAt(row.Ratio), 12);
        }
        // Rows and table are the same numbers under the CSV's column names.
        Assert.Equal(result.Rows.Select(r => r.ReadyPercentMean), result.TableNamed("overcommit").Numbers("ready_pct_mean"));
        Assert.InRange(result.Headline.ReadyPercentAt(4), 70, 80);          // 4 busy vCPUs per core: each waits about 3/4 of the time
        Assert.InRange(result.Headline.IdleReadyPercentAt(4), 0, 5);
        Assert.Contains(result.Headlines, h => h.Name == "cpu-bound ready %" && h.Value.Contains($"4:1 -> {result.Headline.ReadyPercentAt(4):F1}%"));
        Assert.Throws<KeyNotFoundException>(() => result.Headline.ReadyPercentAt(5));
    }

    [Fact]
    public void Type1_vs_type2_headline_is_each_hosts_throughput_over_the_bare_machines()
    {
        var result = runs.Of<Type1VsType2Result>(Type1VsType2.Name);
        foreach (var w in result.Options.Workloads)
        {
            double bare = result.Rows.Single(r => r.Workload == w && r.Host == Type1VsType2.Bare).OpsPerSecond;
            foreach (var kind in new[] { HypervisorKind.Type1, HypervisorKind.Type2 })
            {
                var row = result.Rows.Single(r => r.Workload == w && r.Host == Type1VsType2.HostOf(kind));
                Assert.Equal(row.OpsPerSecond / bare, result.Headline.RelativeToBare(w, kind), 12);
                Assert.Equal(row.TimerLatencyMeanMicroseconds, result.Headline.TimerLatencyMicroseconds(w, kind));
            }
        }
        Assert.True(result.Headline.RelativeToBare(Workload.ExitMmio(20000), HypervisorKind.Type2) < result.Headline.RelativeToBare(Workload.ExitMmio(20000), HypervisorKind.Type1));
    }

    [Fact]
    public void Smt_headline_agrees_with_its_pairs_and_placements()
    {
        var result = runs.Of<SmtResult>(Smt.Name);
        foreach (var row in result.Pairs)
        {
            Assert.Equal(row.Thread0Relative + row.Thread1Relative, result.Headline.CoreThroughput(row.Pair, row.SmtOn));
            Assert.Equal(row.SmtOn ? "on" : "off", result.TableNamed("pairs").Column("smt").ElementAt(result.Pairs.ToList().IndexOf(row)));
        }
        var placements = result.Placements;
        Assert.Equal(placements.Single(p => p.Policy == "packed").RelativeToSmtAware, result.Headline.PackedShareOfSmtAware, 12);
        double smt4 = placements.Single(p => p.Policy == "smt-aware" && p.Vms == 4).TotalOpsPerSecond;
        Assert.Equal(1 - placements.Single(p => p.Policy == "one-thread-per-core").TotalOpsPerSecond / smt4, result.Headline.OneThreadPerCoreLoss, 12);
        Assert.Equal(placements.Single(p => p.Policy == "same-vm-siblings" && p.Vms == 2).TotalOpsPerSecond / smt4, result.Headline.SameVmSiblingsShare(2), 12);
    }

    [Fact]
    public void Popek_goldberg_headline_counts_the_rows()
    {
        var result = runs.Of<PopekGoldbergResult>(PopekGoldberg.Name);
        Assert.Equal(result.SensitiveInstructions.Count(r => r.Exits > 0), result.Headline.Trapped);
        Assert.Equal(result.SensitiveInstructions.Count, result.Headline.SensitiveInstructions);
        Assert.True(result.Headline.AllTrap);
        foreach (var row in result.CriticalSections)
            Assert.Equal(row.InterruptsInsideCriticalSections, result.Headline.InterruptsInsideCriticalSections(row.Machine == PopekGoldberg.PopfLikeVariant));
        Assert.Equal(0, result.Headline.InterruptsInsideCriticalSections(popfLike: false));
        Assert.True(result.Headline.InterruptsInsideCriticalSections(popfLike: true) > 0);
    }

    [Fact]
    public void Ballooning_headline_averages_each_vm_against_itself_unconstrained()
    {
        var result = runs.Of<BallooningResult>(Ballooning.Name);
        var unconstrained = result.Rows.Where(r => r.Mode == Ballooning.Unconstrained).ToDictionary(r => r.Vm, r => r.Ops);
        foreach (var mode in Ballooning.Modes)
        {
            var rows = result.Rows.Where(r => r.Mode == mode).ToList();
            Assert.Equal(rows.Average(r => r.Ops / (double)unconstrained[r.Vm]), result.Headline.ThroughputVersusUnconstrained(mode), 12);
            Assert.Equal(rows.Count(r => r.Crashed), result.Headline.CrashedVms(mode));
            Assert.Equal(rows.Sum(r => r.SwapIns), result.Headline.SwapIns(mode));
            // The series are there for every mode, and the peak balloon is the series' own.
            var run = result.Runs.Single(r => r.Mode == mode);
            Assert.All(rows, r => Assert.Equal(run.VmSamples.Where(s => s.Vm == r.Vm).Max(s => s.BalloonedPages), r.BalloonedPeak));
        }
        Assert.True(result.Headline.CrashedVms("none") > 0);
        var (ballooned, native) = (result.BalloonedVersusNative[0], result.BalloonedVersusNative[1]);
        Assert.Equal(100 * (1 - ballooned.Ops / (double)native.Ops), result.Headline.BalloonOverheadPercent, 9);
        Assert.Equal(result.Options.VmPages - result.Options.NativePages, ballooned.BalloonPages);
    }

    [Fact]
    public void Page_sharing_headline_is_saved_frames_over_backed_pages()
    {
        var result = runs.Of<PageSharingResult>(PageSharingExperiment.Name);
        foreach (var row in result.Rows.Where(r => r.Set == PageSharingExperiment.Identical))
        {
            Assert.Equal(row.SavedFrames / (double)row.BackedPages, result.Headline.SavedFraction(row.Vms), 12);
            Assert.Equal(row.SharedPages / (double)row.BackedPages, result.Headline.SharedFraction(row.Vms), 12);
            Assert.Equal(row.SharedPages, row.SharedFrames + row.SavedFrames);
        }
        Assert.Equal(result.Options.MaxVms + 1, result.Rows.Count);
        Assert.Equal(result.Rows[^1].SavedFrames, result.Headline.MixedSavedFrames);
        Assert.True(result.Headline.SavedFraction(result.Options.MaxVms) > result.Headline.SavedFraction(1));
    }

    [Fact]
    public void Memory_overcommit_headline_finds_the_first_ratio_where_stalls_dominate()
    {
        var result = runs.Of<MemoryOvercommitResult>(MemoryOvercommit.Name);
        foreach (var setting in result.Options.Settings)
        {
            var rows = result.Rows.Where(r => r.Setting == setting).ToList();
            Assert.Equal(result.Options.Ratios, rows.Select(r => r.Ratio));
            long baseline = rows.Single(r => r.Ratio == 1.0).Ops;
            Assert.All(rows, r => Assert.Equal(r.Ops / (double)baseline, result.Headline.Relative(setting, r.Ratio), 6));
            Assert.Equal(rows.FirstOrDefault(r => r.StallPercent >= MemoryOvercommit.StallDominance)?.Ratio, result.Headline.SwapStallsDominateFrom(setting));
            Assert.Equal(rows.FirstOrDefault(r => r.SwapOuts > r.BalloonFreedFrames)?.Ratio, result.Headline.SwappingReclaimsMostFrom(setting));
        }
        Assert.Equal(result.Rows.Select(r => (r.Setting, r.Ratio)), result.Runs.Select(r => (r.Setting, r.Ratio)));
        Assert.NotNull(result.Headline.SwapStallsDominateFrom(ReclamationSetting.Swap));
    }

    [Fact]
    public void Idle_tax_headline_agrees_with_the_last_sample_of_each_run()
    {
        var result = runs.Of<IdleTaxResult>(IdleTax.Name);
        foreach (double tau in result.Options.Taus)
            foreach (var vm in new[] { IdleTax.Idle, IdleTax.Active })
            {
                var last = result.Samples.Last(s => s.Tau == tau && s.Vm == vm);
                Assert.Equal(result.Options.DurationMilliseconds, last.TimeMilliseconds);
                Assert.Equal(last.Mapped, result.Headline.MappedEnd(tau, vm));
            }
        Assert.True(result.Headline.MappedEnd(0.75, IdleTax.Active) > result.Headline.MappedEnd(0, IdleTax.Active));
        Assert.True(result.Headline.ActiveOpsPerMillisecond(0.75) > result.Headline.ActiveOpsPerMillisecond(0));
        Assert.Equal(result.Rows.Single(r => r.Tau == 0 && r.Vm == IdleTax.Active).SwapIns, result.Headline.ActiveSwapIns(0));
    }
}

/// <summary>Options records: documented, read from the command line, validated with errors that name the option.</summary>
public class ExperimentOptionTests
{
    public static TheoryData<string> Names => [.. BuiltInExperiments.All.Select(e => e.Name)];

    private static readonly Type[] NumericTypes = [typeof(int), typeof(ulong), typeof(double), typeof(IReadOnlyList<double>), typeof(ReclamationThresholds)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_option_has_a_description_with_its_unit_and_its_real_default(string name)
    {
        var experiment = BuiltInExperiments.Find(name)!;
        var defaults = experiment.CreateOptions();
        Assert.NotEmpty(experiment.Options);
        Assert.Contains(experiment.Options, o => o.Name == "seed");
        foreach (var option in experiment.Options)
        {
            Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{name} --{option.Name} has no description");
            // The doc comment states the default; it must be the one the record really has.
            Assert.EndsWith($" Default: {option.ValueIn(defaults)}.", option.Description);
            if (NumericTypes.Contains(option.Property.PropertyType) && option.Name != "seed")
                Assert.Matches(@"\([^)]+\)", option.Description);   // the unit, in parentheses
        }
        Assert.Equal(experiment.Options.Count, experiment.Options.Select(o => o.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_default_reads_back_from_its_command_line_text(string name)
    {
        var experiment = BuiltInExperiments.Find(name)!;
        var defaults = experiment.CreateOptions();
        foreach (var option in experiment.Options)
        {
            var parsed = experiment.CreateOptions();
            option.Set(parsed, option.ValueIn(defaults));
            Assert.Equal(option.ValueIn(defaults), option.ValueIn(parsed));
        }
        defaults.Validate();   // the defaults are valid
    }

    /// <summary>For every experiment, values that cannot work and the option the error must name.</summary>
    public static TheoryData<string, string, string> InvalidValues => new()
    {
        { "type1-vs-type2", "cores", "0" }, { "type1-vs-type2", "workloads", "cpu;gpu" }, { "type1-vs-type2", "background", "loud" },
        { "cpu-overcommit", "pcpus", "65" }, { "cpu-overcommit", "ratios", "1,0" }, { "cpu-overcommit", "kind", "type3" },
        { "smt", "pairs", "cpu" }, { "smt", "cache-kib", "0.5" }, { "smt", "duration-ms", "abc" },
        { "popek-goldberg", "rounds", "0" }, { "popek-goldberg", "critical-iterations", "99" },
        { "ballooning", "demand-pages", "500" }, { "ballooning", "thresholds", "0.1,0.2,0.3,0.4" }, { "ballooning", "native-pages", "600" },
        { "ballooning", "compare-workload", "mem:pages=300" }, { "ballooning", "compare-ms", "50" },
        { "page-sharing", "max-vms", "33" }, { "page-sharing", "workload", "cache:pages=250" }, { "page-sharing", "scan-pages", "0" },
        { "memory-overcommit", "settings", "balloon,magic" }, { "memory-overcommit", "settings", "swap,swap" }, { "memory-overcommit", "ratios", "1,9" },
        { "memory-overcommit", "warmup-ms", "400" }, { "memory-overcommit", "touch-pages", "100" },
        { "idle-tax", "taus", "0,1" }, { "idle-tax", "taus", "0.5,0.5" }, { "idle-tax", "idle-pages", "481" }, { "idle-tax", "thresholds", "0.2,0.1" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void An_invalid_value_is_refused_naming_its_option(string name, string optionName, string text)
    {
        var experiment = BuiltInExperiments.Find(name)!;
        var options = experiment.CreateOptions();
        var e = Assert.Throws<ConfigurationException>(() =>
        {
            experiment.Options.Single(o => o.Name == optionName).Set(options, text);
            experiment.Run(options);    // validation comes first: nothing runs
        });
        Assert.Equal(optionName, e.Field);
        Assert.StartsWith(optionName + ": ", e.Message);
    }

    [Fact]
    public void A_typed_option_record_is_validated_by_the_experiments_run_method()
    {
        var e = Assert.Throws<ConfigurationException>(() => IdleTax.Run(new() { Taus = [0, 1] }));
        Assert.Equal("taus: 1 is not a tax rate in [0, 1)", e.Message);
        e = Assert.Throws<ConfigurationException>(() => MemoryOvercommit.Run(new() { Settings = [] }));
        Assert.Equal("settings: needs at least one value", e.Message);
        e = Assert.Throws<ConfigurationException>(() => Ballooning.Run(new() { VmPages = 512, NativePages = 8 }));
        Assert.Equal("native-pages: 8 is not between 32 and 511", e.Message);
        e = Assert.Throws<ConfigurationException>(() => PageSharingExperiment.Run(new() { Workload = Workload.Memory(300) }));
        Assert.StartsWith("workload: mem:pages=300,stride=64 with 300 pages does not fit", e.Message);
    }

    [Fact]
    public void Options_are_records_so_a_sweep_copies_them_with_with()
    {
        var baseline = new CpuOvercommitOptions { PhysicalCpus = 3 };
        var swept = new[] { 1.0, 2.0 }.Select(r => baseline with { Ratios = [r] }).ToList();
        Assert.All(swept, o => Assert.Equal(3, o.PhysicalCpus));
        Assert.Equal([2.0], swept[1].Ratios);
        Assert.Equal(1.0, baseline.Ratios[0]);   // the original is untouched
    }
}
