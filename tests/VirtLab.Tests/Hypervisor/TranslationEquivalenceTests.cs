using VirtLab.Guest;
using VirtLab.Hypervisor;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

/// <summary>
/// Dynamic translation is an implementation detail of the hart: a host full of VMs must measure
/// exactly the same with it on as with it off, instruction for instruction, exit for exit.
/// </summary>
public class TranslationEquivalenceTests
{
    private static string Measure(int translationThreshold)
    {
        var host = new Host(SmallHost(cores: 2, threadsPerCore: 2) with { Seed = 7 });
        Workload[] workloads = [Workload.Cpu(), Workload.Memory(24), Workload.Io(), Workload.Bursty(), Workload.ExitCsr(), Workload.ExitMmio(), Workload.ExitPv()];
        for (int i = 0; i < workloads.Length; i++)
            host.CreateVm(new VmConfig { Name = $"vm{i}", Workload = workloads[i], Vcpus = i == 0 ? 2 : 1 });
        foreach (var vm in host.Vms) vm.Memory.Space.TranslationThreshold = translationThreshold;
        var log = new System.Text.StringBuilder();
        for (int step = 0; step < 10; step++)
        {
            host.RunFor(3);
            foreach (var vm in host.Vms)
            {
                log.Append($"{step} {vm.Name}: instructions {vm.Instructions} progress {vm.Progress} exits {vm.Exits.Total} exit-cycles {vm.Exits.TotalCycles}");
                foreach (var v in vm.Vcpus) log.Append($" [{v.Sched.RunCycles} {v.Sched.ReadyCycles} {v.Sched.CoStopCycles} {v.Sched.WaitCycles}]");
                log.Append($" mapped {vm.Memory.MappedPages} timer-latency {vm.TimerLatencyTotal} stopped {vm.StopReason}\n");
            }
        }
        return log.ToString();
    }

    [Fact]
    public void AHostMeasuresTheSameWithTranslationOnAndOff()
    {
        string interpreted = Measure(translationThreshold: 0);
        string translated = Measure(translationThreshold: 1);
        Assert.Contains("instructions", interpreted);
        Assert.Equal(interpreted, translated);
    }
}
