using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Memory;

/// <summary>The per-VM and per-host memory columns of the standard time series.</summary>
public class MemorySeriesTests
{
    private static int Col(string name) => Array.IndexOf(ExperimentRunner.VmColumns, name);
    private static long L(object[] row, string column) => Convert.ToInt64(row[Col(column)]);
    private static double D(object[] row, string column) => Convert.ToDouble(row[Col(column)]);

    /// <summary>
    /// Two 512-page VMs on 600 pages of guest RAM (ratio 1.7), each touching 400 pages and then
    /// walking 200: the boots overrun the host, so both ballooning and swapping have work to do.
    /// </summary>
    private static ExperimentSpec Overcommitted() => new()
    {
        Host = new HostConfig
        {
            Cores = 2, RamPages = 600 + 256, HypervisorMemoryPages = 256,
            ReclamationThresholds = new ReclamationThresholds(0.12, 0.08, 0.04, 0.02),
        },
        Vms =
        [
            new VmConfig { Name = "a", MemoryPages = 512, MinPages = 40, TickMilliseconds = 1, Workload = Workload.WorkingSet(200, 400) },
            new VmConfig { Name = "b", MemoryPages = 512, TickMilliseconds = 1, Workload = Workload.WorkingSet(200, 400, startDelayTicks: 10) },
        ],
        DurationMilliseconds = 60, SampleMilliseconds = 2, Seed = 1,
    };

    [Fact]
    public void The_vm_series_has_the_memory_columns_after_the_old_ones()
    {
        string[] memory = ["max_pages", "min_pages", "ballooned_pages", "swapped_pages", "shared_pages", "untouched_pages",
            "balloon_target", "swap_outs", "swap_ins", "fault_stall_ms", "swap_stall_ms"];
        Assert.All(memory, c => Assert.Contains(c, ExperimentRunner.VmColumns));
        Assert.Equal(["time_ms", "vm", "instructions", "progress"], ExperimentRunner.VmColumns.Take(4));
        Assert.True(Col("mapped_pages") < Col("max_pages"));
        Assert.Equal("stopped", ExperimentRunner.VmColumns[^1]);
        Assert.Contains("reclamation_state", ExperimentRunner.HostColumns);
        Assert.Contains("free_frames", ExperimentRunner.HostColumns);
        Assert.Equal(ExperimentRunner.VmColumns.Length, ExperimentRunner.VmColumns.Distinct().Count());
    }

    [Fact]
    public void Page_states_add_up_to_the_configured_size_and_swap_counters_follow_the_swap_area()
    {
        var spec = Overcommitted();
        var run = ExperimentRunner.Run(spec);
        var host = run.Host;
        double msPerCycle = 1.0 / host.Config.CyclesPerMillisecond;
        var last = new Dictionary<string, object[]>();
        foreach (var row in run.VmSeries.Rows)
        {
            string vm = (string)row[1];
            Assert.Equal("", (string)row[Col("stopped")]);
            Assert.Equal(512, L(row, "max_pages"));
            Assert.Equal(vm == "a" ? 40 : 0, L(row, "min_pages"));
            long sum = L(row, "mapped_pages") + L(row, "ballooned_pages") + L(row, "swapped_pages") + L(row, "shared_pages") + L(row, "untouched_pages");
            Assert.Equal(L(row, "max_pages"), sum);
            Assert.True(L(row, "swap_ins") <= L(row, "swap_outs"), "a page comes back in only after it went out");
            // The stall is charged per swap-in, so the two columns are tied by the cost model.
            Assert.Equal(L(row, "swap_ins") * (double)host.Costs.SwapInCycles * msPerCycle, D(row, "swap_stall_ms"), 6);
            Assert.True(D(row, "fault_stall_ms") >= D(row, "swap_stall_ms"));
            if (last.TryGetValue(vm, out var before))
                foreach (var c in new[] { "swap_outs", "swap_ins", "fault_stall_ms", "instructions" })
                    Assert.True(D(row, c) >= D(before, c), $"{c} went down for {vm} at {row[0]} ms");
            last[vm] = row;
        }
        // Both mechanisms really ran, and the series saw it.
        Assert.Contains(run.VmSeries.Rows, r => L(r, "swapped_pages") > 0);
        Assert.Contains(run.VmSeries.Rows, r => L(r, "ballooned_pages") > 0 && L(r, "balloon_target") > 0);
        // The last row is the state at the end: the counters agree with a walk of the page-state array.
        foreach (var vm in host.Vms)
        {
            var row = last[vm.Name];
            Assert.Equal(vm.Memory.CountPages(PageState.Mapped), L(row, "mapped_pages"));
            Assert.Equal(vm.Memory.CountPages(PageState.Ballooned), L(row, "ballooned_pages"));
            Assert.Equal(vm.Memory.CountPages(PageState.Swapped), L(row, "swapped_pages"));
            Assert.Equal(vm.Memory.CountPages(PageState.Shared), L(row, "shared_pages"));
            Assert.Equal(vm.Memory.SwapOuts, L(row, "swap_outs"));
        }
        // Host: what is in the swap area is what the VMs have swapped out, sample by sample.
        int state = Array.IndexOf(ExperimentRunner.HostColumns, "reclamation_state"), used = Array.IndexOf(ExperimentRunner.HostColumns, "swap_used_pages");
        foreach (var h in run.HostSeries.Rows)
        {
            long swapped = run.VmSeries.Rows.Where(r => (double)r[0] == (double)h[0]).Sum(r => L(r, "swapped_pages"));
            Assert.Equal(swapped, Convert.ToInt64(h[used]));
            Assert.Contains((string)h[state], new[] { "high", "soft", "hard", "low" });
        }
        Assert.Contains(run.HostSeries.Rows, h => (string)h[state] != "high");
    }

    [Fact]
    public void Without_pressure_nothing_is_ballooned_or_swapped_and_mapped_pages_come_from_untouched_ones()
    {
        var spec = Overcommitted() with { Host = new HostConfig { Cores = 2, RamPages = 4096 } };
        var run = ExperimentRunner.Run(spec);
        foreach (var row in run.VmSeries.Rows)
        {
            Assert.Equal(0, L(row, "swap_outs") + L(row, "swap_ins") + L(row, "swapped_pages") + L(row, "ballooned_pages") + L(row, "balloon_target"));
            Assert.Equal(0.0, D(row, "swap_stall_ms"));
            Assert.Equal(512, L(row, "mapped_pages") + L(row, "untouched_pages") + L(row, "shared_pages"));
        }
        var a = run.VmSeries.Rows.Where(r => (string)r[1] == "a").ToList();
        Assert.True(L(a[^1], "mapped_pages") >= 400, "the guest touched its 400 pages");
        Assert.True(D(a[^1], "fault_stall_ms") > 0, "first touches are page faults too");
        Assert.All(run.HostSeries.Rows, h => Assert.Equal("high", h[Array.IndexOf(ExperimentRunner.HostColumns, "reclamation_state")]));
    }

    [Fact]
    public void A_swap_in_stalls_the_guest_before_its_next_instruction()
    {
        var host = new Host(new HostConfig { Cores = 1, RamPages = 2048, ReclamationPolicy = null });
        var vm = host.CreateVm(new VmConfig { Name = "g", MemoryPages = 128, TickMilliseconds = 1, Workload = Workload.Memory(32, 4096) });
        host.RunFor(5);
        vm.Memory.SwapOutRandom(vm.Memory.MappedPages, new Random(1));
        ulong before = vm.Instructions;
        // One swap-in costs CostModel.SwapInCycles (3 ms): in 2 ms the guest gets its first page back
        // and nothing more, since the stall is paid before the instruction after the fault.
        host.RunFor(2);
        Assert.Equal(1, vm.Memory.SwapIns);
        Assert.True(vm.Instructions - before <= 1, $"{vm.Instructions - before} instructions retired during the stall");
        Assert.Equal(3.0, vm.SwapInStallCycles / (double)host.Config.CyclesPerMillisecond);
    }

    [Fact]
    public void The_host_reads_a_swapped_out_progress_counter_from_the_swap_area_without_faulting_it_in()
    {
        var host = new Host(new HostConfig { Cores = 1, RamPages = 2048, ReclamationPolicy = null });
        var vm = host.CreateVm(new VmConfig { Name = "g", MemoryPages = 128, TickMilliseconds = 1, Workload = Workload.Memory(32, 4096) });
        host.RunFor(5);
        ulong progress = vm.Progress;
        Assert.True(progress > 0);
        int swapped = vm.Memory.SwapOutRandom(vm.Memory.MappedPages, new Random(1));
        Assert.Equal(0, vm.Memory.MappedPages);
        Assert.True(swapped > 32);
        Assert.Equal(progress, vm.Progress);
        Assert.Equal(0, vm.Memory.SwapIns);            // reading did not bring anything back
        // Every page the guest needs comes back one swap-in (3 ms) at a time: give it time for its
        // kernel, stack and working set.
        for (int ms = 0; ms < 500 && vm.Progress == progress; ms += 10) host.RunFor(10);
        Assert.True(vm.Memory.SwapIns > 0);
        Assert.True(vm.Progress > progress, "the guest carries on from where it was");
    }
}

/// <summary>The memory-overcommit experiment and the ballooned-vs-native comparison.</summary>
public class MemoryOvercommitTests
{
    /// <summary>
    /// Two VMs instead of four, and a shorter run, to keep the test short. On this smaller host the
    /// ESX thresholds are fewer pages than a booting guest faults in before its balloon answers (the
    /// ballooning experiment's note), so they are scaled up for the same reason as there.
    /// </summary>
    private static readonly Dictionary<string, string> Small = new()
    {
        ["vms"] = "2", ["ratios"] = "1.0,1.25,2.0", ["duration-ms"] = "120", ["warmup-ms"] = "50", ["thresholds"] = "0.12,0.08,0.04,0.02",
    };

    [Fact]
    public void Ballooning_holds_throughput_until_the_working_sets_no_longer_fit_and_swapping_takes_over()
    {
        var result = new MemoryOvercommitExperiment().Run(Small, seed: 1);
        var t = result.Table("overcommit");
        object[] Row(string setting, double ratio) => t.Rows.Single(r => (string)r[0] == setting && (double)r[1] == ratio);
        double Rel(string s, double r) => (double)Row(s, r)[4];
        long SwapTraffic(string s, double r) => (long)Row(s, r)[6] + (long)Row(s, r)[7];

        foreach (var s in new[] { "balloon+swap", "swap" })
        {
            Assert.Equal(1.0, Rel(s, 1.0));
            Assert.True(Rel(s, 2.0) < Rel(s, 1.0) - 0.3, $"{s}: throughput at 2.0 is {Rel(s, 2.0):F2}");
            Assert.True(SwapTraffic(s, 1.0) <= SwapTraffic(s, 1.25) && SwapTraffic(s, 1.25) < SwapTraffic(s, 2.0), $"{s}: swap traffic grows with the ratio");
        }
        // Moderately overcommitted: the balloon takes the idle pages, so far fewer pages go through swap.
        Assert.True(SwapTraffic("balloon+swap", 1.25) < SwapTraffic("swap", 1.25) / 2,
            $"swap traffic at 1.25: {SwapTraffic("balloon+swap", 1.25)} with ballooning, {SwapTraffic("swap", 1.25)} swapping only");
        Assert.True(Rel("balloon+swap", 1.25) > 0.95, $"ballooned {Rel("balloon+swap", 1.25):F2}");
        Assert.Equal("balloon", (string)Row("balloon+swap", 1.25)[13]);
        Assert.Equal("no", (string)Row("balloon+swap", 1.25)[14]);
        Assert.Equal("yes", (string)Row("balloon+swap", 2.0)[14]);   // swap-in stalls take most of the time
        Assert.Equal("yes", (string)Row("swap", 1.25)[14]);          // and without the balloon they do already at 1.25
        Assert.Equal(0L, t.Rows.Where(r => (string)r[0] == "swap").Sum(r => (long)r[8]));   // no balloon when ballooning is off
        Assert.Contains(result.Headlines, h => h.Item1.StartsWith("balloon+swap: swap-in stalls take most") && h.Item2.StartsWith("2x"));
        Assert.Contains(result.Headlines, h => h.Item1.StartsWith("swap: swap-in stalls take most") && h.Item2.StartsWith("1.25x"));
    }

    [Fact]
    public void A_ballooned_vm_runs_as_fast_as_a_vm_configured_with_that_much_memory()
    {
        var t = BallooningExperiment.BalloonedVersusNative(512, 256, Workload.WorkingSet(128, 192), duration: 100, seed: 1);
        var ballooned = t.Rows[0];
        var native = t.Rows[1];
        Assert.Equal("ballooned", ballooned[0]);
        Assert.Equal(256L, ballooned[2]);                  // the balloon reached its target
        Assert.Equal(256L, ballooned[3]);
        Assert.True((long)native[4] > 1000, $"native ops {native[4]}");
        Assert.InRange((double)ballooned[5], 0.95, 1.05);
    }

    [Fact]
    public void Bad_options_name_the_option()
    {
        var e = Assert.Throws<ConfigurationException>(() => new MemoryOvercommitExperiment().Run(new Dictionary<string, string> { ["settings"] = "balloon,magic" }, 1));
        Assert.StartsWith("settings:", e.Message);
        e = Assert.Throws<ConfigurationException>(() => new MemoryOvercommitExperiment().Run(new Dictionary<string, string> { ["ratios"] = "1,9" }, 1));
        Assert.StartsWith("ratios:", e.Message);
        e = Assert.Throws<ConfigurationException>(() => new MemoryOvercommitExperiment().Run(new Dictionary<string, string> { ["warmup-ms"] = "400" }, 1));
        Assert.StartsWith("warmup-ms:", e.Message);
        e = Assert.Throws<ConfigurationException>(() => new MemoryOvercommitExperiment().Run(new Dictionary<string, string> { ["thresholds"] = "0.1,0.2,0.3,0.4" }, 1));
        Assert.StartsWith("thresholds:", e.Message);
    }

    [Fact]
    public void The_wset_workload_parses_and_a_touch_larger_than_the_vm_names_the_workload()
    {
        var w = Workload.Parse("wset:pages=100,touch=300,delay=5", out string? error);
        Assert.Null(error);
        Assert.Equal(Workload.WorkingSet(100, 300, 5), w);
        Assert.Equal("wset:pages=100,touch=300,delay=5", w!.ToString());
        Assert.Null(Workload.Parse("wset:pages=0", out error));
        Assert.Contains("pages", error);
        var e = Assert.Throws<ConfigurationException>(() => new VmConfig { Name = "g", MemoryPages = 256, Workload = Workload.WorkingSet(100, 250) }.Validate("g"));
        Assert.StartsWith("g.workload:", e.Message);
    }

    [Fact]
    public void The_cli_prints_the_overcommit_table_as_csv()
    {
        var r = CliHarness.Run("experiment", "memory-overcommit", "--format", "csv", "--quiet", "--vms", "1", "--ratios", "1.0",
            "--settings", "swap", "--duration-ms", "20", "--warmup-ms", "10");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(r.Output.Contains("setting,ratio,guest_ram_pages"), r.Output[..Math.Min(2000, r.Output.Length)]);
        Assert.Contains("setting,ratio,guest_ram_pages,ops,relative,crashed,swap_outs,swap_ins,balloon_pages,balloon_freed_frames,stall_ms,stall_pct,hard_or_low_pct,reclaimed_most,swap_stalls_dominate", r.Output);
        Assert.Contains("setting,ratio,time_ms,vm,instructions,progress", r.Output);
        Assert.Contains("ballooned_pages,swapped_pages,shared_pages,untouched_pages,balloon_target,swap_outs,swap_ins,fault_stall_ms,swap_stall_ms,stopped", r.Output);
        Assert.Contains("reclamation_state,swap_used_pages", r.Output);
    }
}
