using VirtLab.Experiments;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

public class ExperimentTests
{
    [Fact]
    public void The_runner_records_time_series_that_are_identical_for_a_seed()
    {
        var spec = new ExperimentSpec
        {
            Host = SmallHost(cores: 1) with { Kind = HypervisorKind.Type2 },
            Vms = [new VmConfig { Name = "a", Workload = Workload.Cpu() }, new VmConfig { Name = "b", Workload = Workload.Memory(20) }],
            DurationMilliseconds = 40, SampleMilliseconds = 10, Seed = 3,
        };
        var fractions = new List<double>();
        var one = ExperimentRunner.Run(spec, new Progress(fractions));
        var two = ExperimentRunner.Run(spec);
        Assert.Equal(8, one.VmSamples.Count);   // 4 samples x 2 VMs
        Assert.Equal(4, one.HostSamples.Count);
        Assert.Equal(one.VmSeries.ToCsv(), two.VmSeries.ToCsv());
        Assert.Equal([0.25, 0.5, 0.75, 1.0], fractions);
        Assert.StartsWith("time_ms,vm,instructions,progress,run_ms,ready_ms,costop_ms,wait_ms,exits_csr", one.VmSeries.ToCsv());
    }

    private sealed class Progress(List<double> into) : IProgress<double> { public void Report(double value) => into.Add(value); }

    [Fact]
    public void Popek_goldberg_every_sensitive_instruction_traps_and_the_popf_like_variant_breaks_the_guest()
    {
        var result = PopekGoldberg.Run(new() { Rounds = 5 });
        Assert.All(result.SensitiveInstructions, r => Assert.True(r.Trapped, $"{r.Instruction} did not trap"));
        Assert.True(result.Headline.AllTrap);
        Assert.Equal(0L, result.Headline.InterruptsInsideCriticalSections(popfLike: false));
        Assert.True(result.Headline.InterruptsInsideCriticalSections(popfLike: true) > 0);
        Assert.False(result.CriticalSections.Single(r => r.Machine == PopekGoldberg.PopfLikeVariant).GuestCorrect);
        Assert.Contains("\"experiment\": \"popek-goldberg\"", result.ToJson());
    }

    [Fact]
    public void Type_2_costs_more_than_type_1_only_where_exits_go_to_the_hypervisor_process_and_neither_beats_bare()
    {
        Workload cpu = Workload.Cpu(), mmio = Workload.ExitMmio(20000), io = Workload.Io(200, 1);
        var result = Type1VsType2.Run(new() { DurationMilliseconds = 100, Workloads = [cpu, mmio, io] });
        var h = result.Headline;
        foreach (var w in new[] { cpu, mmio, io })
            foreach (var kind in new[] { HypervisorKind.Type1, HypervisorKind.Type2 })
                Assert.InRange(h.RelativeToBare(w, kind), 0.5, 1.0);                 // a hypervisor never makes the guest faster than bare
        Assert.True(h.RelativeToBare(cpu, HypervisorKind.Type1) > 0.95, $"cpu type1 {h.RelativeToBare(cpu, HypervisorKind.Type1):F3}");
        Assert.True(h.RelativeToBare(cpu, HypervisorKind.Type2) > 0.95, $"cpu type2 {h.RelativeToBare(cpu, HypervisorKind.Type2):F3}");   // CPU virtualization stays in the host kernel
        // Every MMIO exit to the user-space device model pays the host round trip on Type 2.
        Assert.True(h.RelativeToBare(mmio, HypervisorKind.Type2) < h.RelativeToBare(mmio, HypervisorKind.Type1) - 0.05,
            $"mmio {h.RelativeToBare(mmio, HypervisorKind.Type1):F3} vs {h.RelativeToBare(mmio, HypervisorKind.Type2):F3}");
        Assert.True(h.TimerLatencyMicroseconds(mmio, HypervisorKind.Type2) > h.TimerLatencyMicroseconds(mmio, HypervisorKind.Type1));
        // The timer is virtualized in the host kernel on both: an I/O-like guest pays the same on each.
        Assert.Equal(h.RelativeToBare(io, HypervisorKind.Type1), h.RelativeToBare(io, HypervisorKind.Type2), 3);
    }

    [Fact]
    public void Cpu_overcommit_ready_time_grows_with_the_ratio_for_busy_vms_only()
    {
        var result = CpuOvercommit.Run(new() { DurationMilliseconds = 60, Ratios = [1, 2, 4], PhysicalCpus = 1 });
        var h = result.Headline;
        Assert.InRange(h.ReadyPercentAt(1), 0, 1);
        Assert.InRange(h.ReadyPercentAt(2), 40, 60);     // 2:1 -> about half the time ready
        Assert.InRange(h.ReadyPercentAt(4), 65, 85);     // 4:1 -> about three quarters
        Assert.All(result.Rows.Where(r => r.Group == CpuOvercommit.MostlyIdle), r => Assert.InRange(r.ReadyPercentMean, 0, 5));
    }

    [Fact]
    public void Two_vcpu_vms_on_three_pcpus_are_co_stopped_when_busy_and_never_when_idle()
    {
        // Three pCPUs: a pair of sibling vCPUs cannot always run together, so one runs ahead.
        var result = CpuOvercommit.Run(new() { DurationMilliseconds = 60, Ratios = [2.0 / 3, 2], PhysicalCpus = 3, VcpusPerVm = 2 });
        var busy = result.Rows.Where(r => r.Group == CpuOvercommit.CpuBound).ToList();
        Assert.Equal([2, 6], busy.Select(r => r.Vcpus));                      // one VM, then three, of two vCPUs each
        Assert.Equal(0, busy[0].CoStopPercentMean);                           // one VM, three pCPUs: nothing to wait for
        Assert.True(result.Headline.CoStopPercentAt(2) > 1, $"co-stop at 2:1 is {result.Headline.CoStopPercentAt(2):F2} %");
        // Ready and co-stop are counted apart: together they are the time a busy vCPU did not run.
        Assert.InRange(busy[1].ReadyPercentMean + busy[1].CoStopPercentMean, 40, 60);
        // A halted vCPU adds no skew: mostly idle siblings are never held back.
        Assert.All(result.Rows.Where(r => r.Group == CpuOvercommit.MostlyIdle), r => Assert.InRange(r.CoStopPercentMean, 0, 0.5));
        Assert.Contains(result.Headlines, h => h.Name == "cpu-bound co-stop %");
        var e = Assert.Throws<ConfigurationException>(() => CpuOvercommit.Run(new() { VcpusPerVm = 9 }));
        Assert.Equal("vcpus-per-vm: 9 is not between 1 and 8", e.Message);
    }

    [Fact]
    public void Smt_experiment_gains_come_out_of_the_workloads_and_same_vm_siblings_pairs_only_a_vms_own_vcpus()
    {
        WorkloadPair alu = new(Workload.Alu(), Workload.Alu()), fits = new(Workload.Memory(12), Workload.Memory(12)), overflows = new(Workload.Memory(40), Workload.Memory(40));
        var result = Smt.Run(new() { DurationMilliseconds = 60, Pairs = [alu, fits, overflows] });
        var h = result.Headline;
        Assert.InRange(h.CoreThroughput(alu), 1.0, 1.2);
        Assert.True(h.CoreThroughput(fits) > h.CoreThroughput(alu) + 0.2, $"fits {h.CoreThroughput(fits)} vs alu {h.CoreThroughput(alu)}");
        Assert.True(h.CoreThroughput(overflows) < 1.0, $"overflows {h.CoreThroughput(overflows)}");
        Assert.All(result.Pairs.Where(r => !r.SmtOn), r => Assert.InRange(r.CoreRelative, 0.9, 1.1));   // time-sliced: no gain, no loss
        Assert.True(h.SameVmSiblingsShare(vcpusPerVm: 2) > 0.97, "two-vCPU VMs fill both threads of a core");
        Assert.True(h.SameVmSiblingsShare(vcpusPerVm: 1) < h.SameVmSiblingsShare(vcpusPerVm: 2), "one-vCPU VMs cannot share a core");
        Assert.InRange(h.SameVmSiblingsShare(vcpusPerVm: 1) / (1 - h.OneThreadPerCoreLoss), 0.95, 1.05);
    }

    [Fact]
    public void Smt_experiment_runs_only_the_parts_asked_for()
    {
        WorkloadPair twins = new(Workload.Cpu(), Workload.Cpu());
        var reported = new List<double>();
        var pairsOnly = Smt.Run(new() { DurationMilliseconds = 30, Pairs = [twins], Placements = false }, new Progress(reported));
        Assert.Equal(2, pairsOnly.Pairs.Count);
        Assert.Empty(pairsOnly.Placements);
        Assert.Equal(1.0, reported[^1], 9);   // a pair of twins runs alone once, and the progress still reaches the end
        Assert.DoesNotContain(pairsOnly.Headline.Sentences(), h => h.Name == "placement");
        Assert.Throws<KeyNotFoundException>(() => pairsOnly.Headline.OneThreadPerCoreLoss);

        var placementsOnly = Smt.Run(new() { DurationMilliseconds = 30, Pairs = [] });
        Assert.Empty(placementsOnly.Pairs);
        Assert.Equal(6, placementsOnly.Placements.Count);
        Assert.InRange(placementsOnly.Headline.OneThreadPerCoreLoss, 0.05, 0.3);

        var e = Assert.Throws<ConfigurationException>(() => Smt.Run(new() { Pairs = [], Placements = false }));
        Assert.Equal("pairs: is empty and placements is false: there is nothing to run", e.Message);
    }

    [Fact]
    public void Invalid_experiment_options_name_the_option()
    {
        var e = Assert.Throws<ConfigurationException>(() => CpuOvercommit.Run(new() { PhysicalCpus = 0 }));
        Assert.Equal("pcpus", e.Field);
        Assert.Equal("pcpus: 0 is not between 1 and 64", e.Message);
        e = Assert.Throws<ConfigurationException>(() => CpuOvercommit.Run(new() { Ratios = [1, -2] }));
        Assert.Equal("ratios: -2 is not a positive number", e.Message);
        e = Assert.Throws<ConfigurationException>(() => CpuOvercommit.Run(new() { Ratios = [] }));
        Assert.Equal("ratios: needs at least one value", e.Message);
        e = Assert.Throws<ConfigurationException>(() => CpuOvercommit.Run(new() { BusyWorkload = Workload.Memory(300) }));
        Assert.StartsWith("busy-workload: mem:pages=300", e.Message);
        e = Assert.Throws<ConfigurationException>(() => Type1VsType2.Run(new() { DurationMilliseconds = 5 }));
        Assert.Equal("duration-ms: 5 must be at least 20", e.Message);
        // Text from the command line is read by the option's type; a bad value names the option too.
        var pairs = Smt.Experiment.Options.Single(o => o.Name == "pairs");
        e = Assert.Throws<ConfigurationException>(() => pairs.Set(Smt.Experiment.CreateOptions(), "cpu+gpu"));
        Assert.Equal("pairs", e.Field);
        Assert.Contains("gpu", e.Message);
    }
}
