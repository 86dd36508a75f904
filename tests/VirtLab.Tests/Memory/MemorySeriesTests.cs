using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Memory;

/// <summary>The per-VM and per-host memory columns of the standard time series.</summary>
public class MemorySeriesTests
{
    private static int Col(string name) => ExperimentRunner.VmColumns.ToList().IndexOf(name);

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
        Assert.Equal(ExperimentRunner.VmColumns.Count, ExperimentRunner.VmColumns.Distinct().Count());
    }

    [Fact]
    public void Page_states_add_up_to_the_configured_size_and_swap_counters_follow_the_swap_area()
    {
        var spec = Overcommitted();
        var run = ExperimentRunner.Run(spec);
        var host = run.Host;
        double msPerCycle = 1.0 / host.Config.CyclesPerMillisecond;
        var last = new Dictionary<string, VmSample>();
        foreach (var s in run.VmSamples)
        {
            Assert.Equal("", s.Stopped);
            Assert.Equal(512, s.MaxPages);
            Assert.Equal(s.Vm == "a" ? 40 : 0, s.MinPages);
            Assert.Equal(s.MaxPages, s.MappedPages + s.BalloonedPages + s.SwappedPages + s.SharedPages + s.UntouchedPages);
            Assert.True(s.SwapIns <= s.SwapOuts, "a page comes back in only after it went out");
            // The stall is charged per swap-in, so the two columns are tied by the cost model.
            Assert.Equal(s.SwapIns * (double)host.Costs.SwapInCycles * msPerCycle, s.SwapStallMilliseconds, 6);
            Assert.True(s.FaultStallMilliseconds >= s.SwapStallMilliseconds);
            if (last.TryGetValue(s.Vm, out var before))
            {
                Assert.True(s.SwapOuts >= before.SwapOuts && s.SwapIns >= before.SwapIns, $"swap counters went down for {s.Vm} at {s.TimeMilliseconds} ms");
                Assert.True(s.FaultStallMilliseconds >= before.FaultStallMilliseconds && s.Instructions >= before.Instructions, $"{s.Vm} went back in time at {s.TimeMilliseconds} ms");
            }
            last[s.Vm] = s;
        }
        // Both mechanisms really ran, and the series saw it.
        Assert.Contains(run.VmSamples, s => s.SwappedPages > 0);
        Assert.Contains(run.VmSamples, s => s.BalloonedPages > 0 && s.BalloonTarget > 0);
        // The table is the same samples under the CSV's column names.
        Assert.Equal(run.VmSamples.Select(s => (double)s.SwappedPages), run.VmSeries.Numbers("swapped_pages"));
        Assert.Equal(run.HostSamples.Select(h => h.ReclamationState), run.HostSeries.Column("reclamation_state"));
        // The last sample is the state at the end: the counters agree with a walk of the page-state array.
        foreach (var vm in host.Vms)
        {
            var s = last[vm.Name];
            Assert.Equal(vm.Memory.CountPages(PageState.Mapped), s.MappedPages);
            Assert.Equal(vm.Memory.CountPages(PageState.Ballooned), s.BalloonedPages);
            Assert.Equal(vm.Memory.CountPages(PageState.Swapped), s.SwappedPages);
            Assert.Equal(vm.Memory.CountPages(PageState.Shared), s.SharedPages);
            Assert.Equal(vm.Memory.SwapOuts, s.SwapOuts);
        }
        // Host: what is in the swap area is what the VMs have swapped out, sample by sample.
        foreach (var h in run.HostSamples)
        {
            long swapped = run.VmSamples.Where(s => s.TimeMilliseconds == h.TimeMilliseconds).Sum(s => s.SwappedPages);
            Assert.Equal(swapped, h.SwapUsedPages);
            Assert.Contains(h.ReclamationState, new[] { "high", "soft", "hard", "low" });
        }
        Assert.Contains(run.HostSamples, h => h.ReclamationState != "high");
    }

    [Fact]
    public void Without_pressure_nothing_is_ballooned_or_swapped_and_mapped_pages_come_from_untouched_ones()
    {
        var spec = Overcommitted() with { Host = new HostConfig { Cores = 2, RamPages = 4096 } };
        var run = ExperimentRunner.Run(spec);
        foreach (var s in run.VmSamples)
        {
            Assert.Equal(0, s.SwapOuts + s.SwapIns + s.SwappedPages + s.BalloonedPages + s.BalloonTarget);
            Assert.Equal(0.0, s.SwapStallMilliseconds);
            Assert.Equal(512, s.MappedPages + s.UntouchedPages + s.SharedPages);
        }
        var a = run.SamplesOf("a");
        Assert.True(a[^1].MappedPages >= 400, "the guest touched its 400 pages");
        Assert.True(a[^1].FaultStallMilliseconds > 0, "first touches are page faults too");
        Assert.All(run.HostSamples, h => Assert.Equal("high", h.ReclamationState));
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
    private static readonly MemoryOvercommitOptions Small = new()
    {
        Vms = 2, Ratios = [1.0, 1.25, 2.0], DurationMilliseconds = 120, WarmupMilliseconds = 50, Thresholds = new(0.12, 0.08, 0.04, 0.02),
    };

    [Fact]
    public void Ballooning_holds_throughput_until_the_working_sets_no_longer_fit_and_swapping_takes_over()
    {
        var result = MemoryOvercommit.Run(Small);
        ReclamationSetting both = ReclamationSetting.BalloonAndSwap, swap = ReclamationSetting.Swap;
        MemoryOvercommitRow Row(ReclamationSetting setting, double ratio) => result.Rows.Single(r => r.Setting == setting && r.Ratio == ratio);
        double Rel(ReclamationSetting s, double r) => Row(s, r).Relative;
        long SwapTraffic(ReclamationSetting s, double r) => Row(s, r).SwapOuts + Row(s, r).SwapIns;

        foreach (var s in new[] { both, swap })
        {
            Assert.Equal(1.0, Rel(s, 1.0));
            Assert.True(Rel(s, 2.0) < Rel(s, 1.0) - 0.3, $"{s}: throughput at 2.0 is {Rel(s, 2.0):F2}");
            Assert.True(SwapTraffic(s, 1.0) <= SwapTraffic(s, 1.25) && SwapTraffic(s, 1.25) < SwapTraffic(s, 2.0), $"{s}: swap traffic grows with the ratio");
        }
        // Moderately overcommitted: the balloon takes the idle pages, so far fewer pages go through swap.
        Assert.True(SwapTraffic(both, 1.25) < SwapTraffic(swap, 1.25) / 2,
            $"swap traffic at 1.25: {SwapTraffic(both, 1.25)} with ballooning, {SwapTraffic(swap, 1.25)} swapping only");
        Assert.True(Rel(both, 1.25) > 0.95, $"ballooned {Rel(both, 1.25):F2}");
        Assert.Equal("balloon", Row(both, 1.25).ReclaimedMost);
        Assert.False(Row(both, 1.25).SwapStallsDominate);
        Assert.True(Row(both, 2.0).SwapStallsDominate);   // swap-in stalls take most of the time
        Assert.True(Row(swap, 1.25).SwapStallsDominate);  // and without the balloon they do already at 1.25
        Assert.Equal(0, result.Rows.Where(r => r.Setting == swap).Sum(r => r.BalloonPages));   // no balloon when ballooning is off
        Assert.Equal(2.0, result.Headline.SwapStallsDominateFrom(both));
        Assert.Equal(1.25, result.Headline.SwapStallsDominateFrom(swap));
        Assert.Contains(result.Headlines, h => h.Name.StartsWith("balloon+swap: swap-in stalls take most") && h.Value.StartsWith("2x"));
        Assert.Contains(result.Headlines, h => h.Name.StartsWith("swap: swap-in stalls take most") && h.Value.StartsWith("1.25x"));
    }

    [Fact]
    public void With_the_sharing_scan_identical_guests_share_their_freed_pages_before_anything_is_ballooned_or_swapped()
    {
        // Lesson 04's host: three small guests booting together, each freeing most of what it touched.
        var options = new MemoryOvercommitOptions
        {
            Vms = 3, VmPages = 256, TouchPages = 120, WorkingSetPages = 48, BootStaggerMilliseconds = 0, ScanPages = 32,
            Ratios = [1.0, 1.5], Settings = [ReclamationSetting.BalloonAndSwap], DurationMilliseconds = 80, WarmupMilliseconds = 40,
        };
        var shared = MemoryOvercommit.Run(options);
        var at15 = shared.Rows.Single(r => r.Ratio == 1.5);
        Assert.True(at15.SharingSavedFrames > 100, $"sharing saved {at15.SharingSavedFrames} frames");
        Assert.Equal("sharing", at15.ReclaimedMost);
        Assert.Equal(0, at15.SwapOuts);
        Assert.True(at15.Relative > 0.9, $"throughput at 1.5x with sharing: {at15.Relative:F2}");
        // Without the scan nothing is shared, and the column says so.
        var unshared = MemoryOvercommit.Run(options with { ScanPages = 0, Ratios = [1.0] });
        Assert.All(unshared.Rows, r => Assert.Equal(0, r.SharingSavedFrames));
        // The boots happen together: every guest has faulted pages in within the first 10 ms.
        var firstSample = shared.Runs[0].VmSamples.Where(s => s.TimeMilliseconds == shared.Runs[0].VmSamples[0].TimeMilliseconds).ToList();
        Assert.All(firstSample, s => Assert.True(s.MappedPages + s.SharedPages > 100, $"{s.Vm} holds {s.MappedPages} pages at {s.TimeMilliseconds} ms"));
        var e = Assert.Throws<ConfigurationException>(() => MemoryOvercommit.Run(new() { BootStaggerMilliseconds = -1 }));
        Assert.StartsWith("boot-stagger-ms:", e.Message);
        e = Assert.Throws<ConfigurationException>(() => MemoryOvercommit.Run(new() { ScanPages = -5 }));
        Assert.StartsWith("scan-pages:", e.Message);
    }

    [Fact]
    public void A_ballooned_vm_runs_as_fast_as_a_vm_configured_with_that_much_memory()
    {
        var rows = Ballooning.BalloonedVersusNative(512, 256, Workload.WorkingSet(128, 192), duration: 100, seed: 1);
        var (ballooned, native) = (rows[0], rows[1]);
        Assert.Equal("ballooned", ballooned.Vm);
        Assert.Equal(256, ballooned.BalloonPages);                  // the balloon reached its target
        Assert.Equal(256, ballooned.UsablePages);
        Assert.True(native.Ops > 1000, $"native ops {native.Ops}");
        Assert.InRange(ballooned.Relative, 0.95, 1.05);
    }

    [Fact]
    public void Bad_options_name_the_option()
    {
        var e = Assert.Throws<ConfigurationException>(() => MemoryOvercommit.Run(new() { Settings = [ReclamationSetting.Balloon, ReclamationSetting.Balloon] }));
        Assert.StartsWith("settings:", e.Message);
        e = Assert.Throws<ConfigurationException>(() => MemoryOvercommit.Run(new() { Ratios = [1, 9] }));
        Assert.StartsWith("ratios:", e.Message);
        e = Assert.Throws<ConfigurationException>(() => MemoryOvercommit.Run(new() { WarmupMilliseconds = 400 }));
        Assert.StartsWith("warmup-ms:", e.Message);
        e = Assert.Throws<ConfigurationException>(() => MemoryOvercommit.Run(new() { Thresholds = new(0.1, 0.2, 0.3, 0.4) }));
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
        Assert.Contains("setting,ratio,guest_ram_pages,ops,relative,crashed,swap_outs,swap_ins,balloon_pages,balloon_freed_frames,sharing_saved_frames,stall_ms,stall_pct,hard_or_low_pct,reclaimed_most,swap_stalls_dominate", r.Output);
        Assert.Contains("setting,ratio,time_ms,vm,instructions,progress", r.Output);
        Assert.Contains("ballooned_pages,swapped_pages,shared_pages,untouched_pages,balloon_target,swap_outs,swap_ins,fault_stall_ms,swap_stall_ms,stopped", r.Output);
        Assert.Contains("reclamation_state,swap_used_pages", r.Output);
    }
}
