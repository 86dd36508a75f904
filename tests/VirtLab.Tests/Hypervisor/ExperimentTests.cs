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
        Assert.Equal(8, one.VmSeries.Rows.Count);   // 4 samples x 2 VMs
        Assert.Equal(4, one.HostSeries.Rows.Count);
        Assert.Equal(one.VmSeries.ToCsv(), two.VmSeries.ToCsv());
        Assert.Equal([0.25, 0.5, 0.75, 1.0], fractions);
        Assert.StartsWith("time_ms,vm,instructions,progress,run_ms,ready_ms,costop_ms,wait_ms,exits_csr", one.VmSeries.ToCsv());
    }

    private sealed class Progress(List<double> into) : IProgress<double> { public void Report(double value) => into.Add(value); }

    [Fact]
    public void Popek_goldberg_every_sensitive_instruction_traps_and_the_popf_like_variant_breaks_the_guest()
    {
        var result = new PopekGoldbergExperiment().Run(new Dictionary<string, string> { ["rounds"] = "5" }, seed: 1);
        var sensitive = result.Table("sensitive_instructions");
        Assert.All(sensitive.Rows, r => Assert.True((bool)r[3], $"{r[0]} did not trap"));
        var contrast = result.Table("critical_sections");
        Assert.Equal(0L, contrast.Rows[0][3]);
        Assert.True((long)contrast.Rows[1][3] > 0);
        Assert.Contains("\"experiment\": \"popek-goldberg\"", result.ToJson());
    }

    [Fact]
    public void Type_2_costs_more_than_type_1_only_where_exits_go_to_the_hypervisor_process_and_neither_beats_bare()
    {
        var result = new Type1VsType2Experiment().Run(new Dictionary<string, string>
        {
            ["duration-ms"] = "100", ["workloads"] = "cpu;exit-mmio:work=20000;io:work=200,sleep=1",
        }, seed: 1);
        var t = result.Table("throughput");
        double Rel(string workload, string host) => (double)t.Rows.Single(r => ((string)r[0]).StartsWith(workload) && (string)r[1] == host)[3];
        double Latency(string workload, string host) => (double)t.Rows.Single(r => ((string)r[0]).StartsWith(workload) && (string)r[1] == host)[6];
        foreach (var w in new[] { "cpu", "exit-mmio", "io" })
            foreach (var h in new[] { "type1", "type2" })
                Assert.InRange(Rel(w, h), 0.5, 1.0);                 // a hypervisor never makes the guest faster than bare
        Assert.True(Rel("cpu", "type1") > 0.95, $"cpu type1 {Rel("cpu", "type1"):F3}");
        Assert.True(Rel("cpu", "type2") > 0.95, $"cpu type2 {Rel("cpu", "type2"):F3}");   // CPU virtualization stays in the host kernel
        // Every MMIO exit to the user-space device model pays the host round trip on Type 2.
        Assert.True(Rel("exit-mmio", "type2") < Rel("exit-mmio", "type1") - 0.05, $"mmio {Rel("exit-mmio", "type1"):F3} vs {Rel("exit-mmio", "type2"):F3}");
        Assert.True(Latency("exit-mmio", "type2") > Latency("exit-mmio", "type1"));
        // The timer is virtualized in the host kernel on both: an I/O-like guest pays the same on each.
        Assert.Equal(Rel("io", "type1"), Rel("io", "type2"), 3);
    }

    [Fact]
    public void Cpu_overcommit_ready_time_grows_with_the_ratio_for_busy_vms_only()
    {
        var result = new CpuOvercommitExperiment().Run(new Dictionary<string, string> { ["duration-ms"] = "60", ["ratios"] = "1,2,4", ["pcpus"] = "1" }, seed: 1);
        var t = result.Table("overcommit");
        var busy = t.Rows.Where(r => (string)r[0] == "cpu-bound").Select(r => (double)r[3]).ToList();
        var idle = t.Rows.Where(r => (string)r[0] == "mostly-idle").Select(r => (double)r[3]).ToList();
        Assert.InRange(busy[0], 0, 1);
        Assert.InRange(busy[1], 40, 60);     // 2:1 -> about half the time ready
        Assert.InRange(busy[2], 65, 85);     // 4:1 -> about three quarters
        Assert.All(idle, r => Assert.InRange(r, 0, 5));
    }

    [Fact]
    public void Smt_experiment_gains_come_out_of_the_workloads_and_same_vm_siblings_pairs_only_a_vms_own_vcpus()
    {
        var result = new SmtExperiment().Run(new Dictionary<string, string>
        {
            ["duration-ms"] = "60", ["pairs"] = "alu+alu;mem:pages=12+mem:pages=12;mem:pages=40+mem:pages=40",
        }, seed: 1);
        var pairs = result.Table("pairs");
        double Core(string pair) => (double)pairs.Rows.First(r => ((string)r[0]).StartsWith(pair) && (string)r[1] == "on")[4];
        double alu = Core("alu"), fits = Core("mem:pages=12"), overflows = Core("mem:pages=40");
        Assert.InRange(alu, 1.0, 1.2);
        Assert.True(fits > alu + 0.2, $"fits {fits} vs alu {alu}");
        Assert.True(overflows < 1.0, $"overflows {overflows}");
        Assert.All(pairs.Rows.Where(r => (string)r[1] == "off"), r => Assert.InRange((double)r[4], 0.9, 1.1));   // time-sliced: no gain, no loss
        var placement = result.Table("placement");
        double Relative(string policy, int vms) => (double)placement.Rows.First(r => (string)r[0] == policy && (int)r[1] == vms)[5];
        double smt4 = Relative("smt-aware", 4);
        Assert.True(Relative("same-vm-siblings", 2) > 0.97 * smt4, "two-vCPU VMs fill both threads of a core");
        Assert.True(Relative("same-vm-siblings", 4) < Relative("same-vm-siblings", 2), "one-vCPU VMs cannot share a core");
        Assert.InRange(Relative("same-vm-siblings", 4) / Relative("one-thread-per-core", 4), 0.95, 1.05);
    }

    [Fact]
    public void Invalid_experiment_options_name_the_option()
    {
        var e = Assert.Throws<ConfigurationException>(() => new SmtExperiment().Run(new Dictionary<string, string> { ["pairs"] = "cpu+gpu" }, 1));
        Assert.Contains("pairs", e.Message);
        Assert.Contains("gpu", e.Message);
        e = Assert.Throws<ConfigurationException>(() => new CpuOvercommitExperiment().Run(new Dictionary<string, string> { ["pcpus"] = "0" }, 1));
        Assert.StartsWith("pcpus:", e.Message);
    }
}
