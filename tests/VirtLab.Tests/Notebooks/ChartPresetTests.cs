using System.Text.Json.Nodes;
using Plotly.NET;
using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Interactive;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// The chart presets: each has the traces, title and axis titles it promises, and its numbers are
/// the run's own (the stacks add up to what they must); the sweep over an option runs the
/// experiment once per value, behind one slider step per value.
/// </summary>
[Collection(NotebookRunnerCollection.Name)]
public sealed class ChartPresetTests
{
    /// <summary>Two busy VMs (one with two vCPUs) and an idle one on two cores: ready time and co-stop.</summary>
    private static readonly Lazy<RunOutcome> contended = new(() => ExperimentRunner.Run(new ExperimentSpec
    {
        Host = new HostConfig { Cores = 2, RamPages = 4096 },
        Vms =
        [
            new VmConfig { Name = "smp", Vcpus = 2, Workload = Workload.Cpu() },
            new VmConfig { Name = "busy", Workload = Workload.Cpu() },
            new VmConfig { Name = "idle", Workload = Workload.Io() },
        ],
        DurationMilliseconds = 40,
        SampleMilliseconds = 5,
    }));

    private static JsonNode Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toFigureJson(chart))!;

    private static List<JsonNode> Traces(GenericChart chart) => Figure(chart)["data"]!.AsArray().Select(t => t!).ToList();

    private static string? Title(JsonNode figure, string axis = "") =>
        (string?)(axis == "" ? figure["layout"]!["title"]!["text"] : figure["layout"]![axis]!["title"]!["text"]);

    private static List<double> Numbers(JsonNode trace, string key) => trace[key]!.AsArray().Select(v => (double)v!).ToList();

    [Fact]
    public void Cpu_time_stacks_run_ready_costop_and_wait_as_shares_that_add_up_to_100_percent()
    {
        var outcome = contended.Value;
        var chart = Charts.CpuTime(outcome, "smp");
        var figure = Figure(chart);
        var traces = Traces(chart);
        Assert.Equal(["run", "ready", "co-stop", "wait"], traces.Select(t => (string?)t["name"]));
        Assert.All(traces, t => Assert.NotNull(t["stackgroup"]));
        Assert.Equal("Where the vCPU time of smp went (2 vCPUs)", Title(figure));
        Assert.Equal("time (ms)", Title(figure, "xaxis"));
        Assert.Equal("share of vCPU time (%)", Title(figure, "yaxis"));

        var samples = outcome.SamplesOf("smp");
        Assert.Equal(samples.Select(s => s.TimeMilliseconds), Numbers(traces[0], "x"));
        for (int i = 0; i < samples.Count; i++)
            Assert.Equal(100, traces.Sum(t => Numbers(t, "y")[i]), 6);
        // The shares are the run's own: the first interval's ready share is ready time over 2 vCPUs x 5 ms.
        Assert.Equal(100 * samples[0].ReadyMilliseconds / (2 * samples[0].TimeMilliseconds), Numbers(traces[1], "y")[0], 9);
        Assert.True(Numbers(traces[1], "y").Sum() > 0, "four busy vCPUs on two cores wait for them");

        // Every VM at once: one VM at a time behind a drop-down.
        var all = Charts.CpuTime(outcome);
        Assert.Equal(["VM = smp", "VM = busy", "VM = idle"], Charts.SweepLabels(all));
        Assert.Equal(12, Traces(all).Count);
        Assert.Throws<KeyNotFoundException>(() => Charts.CpuTime(outcome, "nobody"));
    }

    [Fact]
    public void Vcpu_time_is_a_stacked_bar_per_vcpu_of_the_run_so_far()
    {
        var host = contended.Value.Host;
        var chart = Charts.VcpuTime(host);
        var figure = Figure(chart);
        var traces = Traces(chart);
        Assert.Equal(["run", "ready", "co-stop", "wait"], traces.Select(t => (string?)t["name"]));
        Assert.Equal("stack", (string?)figure["layout"]!["barmode"]);
        Assert.Equal("vCPU", Title(figure, "xaxis"));
        Assert.Equal("time (ms)", Title(figure, "yaxis"));
        Assert.Equal(["smp/vcpu0", "smp/vcpu1", "busy/vcpu0", "idle/vcpu0"], traces[0]["x"]!.AsArray().Select(v => (string?)v));
        var vcpu = host.Vms[1].Vcpus[0];
        Assert.Equal((double)vcpu.Sched.ReadyCycles / host.Config.CyclesPerMillisecond, Numbers(traces[1], "y")[2], 9);
        for (int i = 0; i < 4; i++) Assert.Equal(host.NowMilliseconds, traces.Sum(t => Numbers(t, "y")[i]), 6);
    }

    [Fact]
    public void Memory_stacks_a_vms_pages_by_state_up_to_its_size()
    {
        var outcome = ExperimentRunner.Run(new ExperimentSpec
        {
            Host = new HostConfig { Cores = 1, RamPages = 1024, ReclamationPolicy = null },   // no policy: the target set below stays
            Vms = [new VmConfig { Name = "mem", MemoryPages = 300, Workload = Workload.Memory(200) }],
            DurationMilliseconds = 20,
            SampleMilliseconds = 5,
            Setup = host => host.Vms[0].Balloon.Target = 30,
        });
        var chart = Charts.Memory(outcome);   // one VM: no drop-down
        var figure = Figure(chart);
        var traces = Traces(chart);
        Assert.Equal(["mapped", "shared", "ballooned", "swapped", "untouched"], traces.Select(t => (string?)t["name"]));
        Assert.Empty(Charts.SweepLabels(chart));
        Assert.Equal("The memory of mem by page state (300 pages)", Title(figure));
        Assert.Equal("guest pages", Title(figure, "yaxis"));
        var samples = outcome.SamplesOf("mem");
        for (int i = 0; i < samples.Count; i++) Assert.Equal(300, traces.Sum(t => Numbers(t, "y")[i]));
        Assert.Equal(samples.Select(s => (double)s.MappedPages), Numbers(traces[0], "y"));
        Assert.Equal(samples.Select(s => (double)s.BalloonedPages), Numbers(traces[2], "y"));
        Assert.True(samples[^1].BalloonedPages > 0, "the balloon driver inflated towards its target");
    }

    [Fact]
    public void Host_memory_stacks_reserved_own_shared_and_free_frames_up_to_the_ram()
    {
        var outcome = ExperimentRunner.Run(new ExperimentSpec
        {
            Host = new HostConfig { Cores = 2, RamPages = 2048, SharingScanPages = 64 },
            Vms = [new VmConfig { Name = "a", Workload = Workload.Memory(100) }, new VmConfig { Name = "b", Workload = Workload.Memory(100) }],
            DurationMilliseconds = 30,
            SampleMilliseconds = 5,
        });
        var chart = Charts.HostMemory(outcome);
        var figure = Figure(chart);
        var traces = Traces(chart);
        Assert.Equal(["kept by the hypervisor", "VMs' own", "shared", "free"], traces.Select(t => (string?)t["name"]));
        Assert.Equal("Host memory (2,048 frames)", Title(figure));
        Assert.Equal("host frames", Title(figure, "yaxis"));
        for (int i = 0; i < outcome.HostSamples.Count; i++) Assert.Equal(2048, traces.Sum(t => Numbers(t, "y")[i]));
        Assert.Equal(outcome.HostSamples.Select(s => (double)s.FreeFrames), Numbers(traces[3], "y"));
        // The shared layer is what page sharing really holds (the frames add up).
        Assert.True(outcome.Host.Sharing.SharedFrames > 0, "identical zeroed pages in two VMs get shared");
        Assert.Equal(outcome.Host.Sharing.SharedFrames, Numbers(traces[2], "y")[^1]);
    }

    [Fact]
    public void Exits_are_grouped_bars_by_reason_one_per_vm_in_counts_or_cycles()
    {
        var outcome = ExperimentRunner.Run(new ExperimentSpec
        {
            Host = new HostConfig { Cores = 2 },
            Vms = [new VmConfig { Name = "csr", Workload = Workload.ExitCsr() }, new VmConfig { Name = "cpu", Workload = Workload.Cpu() }],
            DurationMilliseconds = 10,
        });
        var chart = Charts.Exits(outcome);
        var figure = Figure(chart);
        var traces = Traces(chart);
        Assert.Equal(["csr", "cpu"], traces.Select(t => (string?)t["name"]));
        Assert.Equal("VM exits by reason", Title(figure));
        Assert.Equal("exit reason", Title(figure, "xaxis"));
        Assert.Equal("exits", Title(figure, "yaxis"));
        Assert.Equal("group", (string?)figure["layout"]!["barmode"]);
        var reasons = traces[0]["x"]!.AsArray().Select(v => Enum.Parse<VmExitReason>((string)v!)).ToList();
        Assert.Contains(VmExitReason.CsrAccess, reasons);
        Assert.All(Enum.GetValues<VmExitReason>().Except(reasons), r => Assert.True(outcome.Host.Vms.All(vm => vm.Exits[r] == 0)));
        var csr = outcome.Host.Vms[0];
        Assert.Equal(reasons.Select(r => (double)csr.Exits[r]), Numbers(traces[0], "y"));

        var cycles = Charts.Exits(outcome.Host, ExitMeasure.Cycles);
        Assert.Equal("cycles", Title(Figure(cycles), "yaxis"));
        Assert.Equal(reasons.Select(r => (double)csr.Exits.CyclesOf(r)), Numbers(Traces(cycles)[0], "y"));
        Assert.Equal("one VM", Title(Figure(Charts.Exits([csr], title: "one VM"))));
    }

    [Fact]
    public void A_sweep_over_an_option_runs_the_experiment_once_per_value_behind_one_slider_step_each()
    {
        var options = new PopekGoldbergOptions { Rounds = 2, CriticalIterations = 1000 };
        var seen = new List<int>();
        var reported = new List<double>();
        var chart = Charts.Sweep(options, o => o.CriticalIterations, [500, 1000, 2000], PopekGoldberg.Run, result =>
        {
            seen.Add(result.Options.CriticalIterations);
            return Charts.Bars(result.TableNamed("critical_sections"), "machine", "interrupts_taken");
        }, progress: new Recorder(reported));

        Assert.Equal([500, 1000, 2000], seen);
        Assert.Equal(1000, options.CriticalIterations);               // the caller's options are left alone
        Assert.Equal(["500", "1000", "2000"], Charts.SweepLabels(chart));
        var figure = Figure(chart);
        Assert.Equal("critical-iterations: ", (string?)figure["layout"]!["sliders"]![0]!["currentvalue"]!["prefix"]);
        Assert.Equal(3, Traces(chart).Count);
        Assert.Equal(1, reported[^1]);
        Assert.Equal(reported.Order(), reported);                       // never backwards
        Assert.Contains(reported, f => f > 0 && f < 1);

        // A run without progress, and a drop-down.
        var dropdown = Charts.Sweep(options, o => o.Rounds, [1, 2], o => PopekGoldberg.Run(o),
            result => Charts.Bars(result.TableNamed("critical_sections"), "machine", "interrupts_taken"), control: SweepControl.Dropdown);
        Assert.Equal(["rounds = 1", "rounds = 2"], Charts.SweepLabels(dropdown));

        // Not an option, or a value the experiment refuses: clear errors.
        Assert.Throws<ArgumentException>(() => Charts.Sweep(options, o => o.Rounds + 1, [1], PopekGoldberg.Run, _ => Charts.Bars("t", "x", "y", ["a"], [1])));
        var invalid = Assert.Throws<ConfigurationException>(() => Charts.Sweep(options, o => o.Rounds, [0], PopekGoldberg.Run, _ => Charts.Bars("t", "x", "y", ["a"], [1])));
        Assert.Equal("rounds", invalid.Field);
    }

    private sealed class Recorder(List<double> reports) : IProgress<double>
    {
        public void Report(double value) => reports.Add(value);
    }
}
