using System.Reflection;
using System.Runtime.CompilerServices;
using StudentPolicies;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Memory;
using VirtLab.Tests.Memory;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

/// <summary>
/// Policies written outside VirtLab (examples/StudentPolicies), against its public API only, run
/// on real hosts and do what they say.
/// </summary>
public class OutsidePolicyTests
{
    [Fact]
    public void The_student_policies_are_built_in_an_assembly_that_sees_only_the_public_api()
    {
        var student = typeof(RoundRobinScheduler).Assembly;
        var virtlab = typeof(Host).Assembly;
        Assert.NotSame(virtlab, student);
        Assert.Contains(virtlab.GetName().Name, student.GetReferencedAssemblies().Select(a => a.Name));
        var friends = virtlab.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToList();
        Assert.NotEmpty(friends);                                  // VirtLab has friends (the tests) ...
        Assert.DoesNotContain(student.GetName().Name, friends);   // ... and the student's assembly is not one of them
    }

    [Fact]
    public void A_round_robin_scheduler_from_outside_gives_every_busy_vcpu_the_same_share_whatever_its_weight()
    {
        var rr = new RoundRobinScheduler(sliceMilliseconds: 10);
        var host = new Host(SmallHost(cores: 1) with { CyclesPerMillisecond = 40_000, Scheduler = rr });
        Assert.Same(rr, host.Scheduler);
        int[] weights = [256, 512, 1024];   // the credit scheduler would give them 1/7, 2/7 and 4/7
        var vms = weights.Select(w => host.CreateVm(new VmConfig { Name = $"w{w}", Weight = w, Workload = Workload.Cpu() })).ToList();
        host.RunFor(60);
        var before = vms.Select(v => v.Vcpus[0].Sched.RunCycles).ToArray();
        host.RunFor(600);
        double total = vms.Select((v, i) => (double)(v.Vcpus[0].Sched.RunCycles - before[i])).Sum();
        foreach (var (vm, i) in vms.Select((v, i) => (v, i)))
            Assert.InRange((vm.Vcpus[0].Sched.RunCycles - before[i]) / total, 0.32, 0.345);
        // Strict rotation, one 10 ms slice each: w256, w512, w1024, w256, ...
        Assert.InRange(rr.Dispatched.Count, 64, 68);
        for (int i = 0; i < rr.Dispatched.Count; i++) Assert.Equal(vms[i % 3].Vcpus[0].Name, rr.Dispatched[i]);
        Assert.All(vms, vm => Assert.InRange(vm.Vcpus[0].Sched.Dispatches, 21, 23));
        Assert.Null(host.PolicyFailure);
    }

    [Fact]
    public void A_reclamation_policy_from_outside_sets_balloon_targets_the_guests_then_meet()
    {
        var policy = new EqualBalloonsPolicy();
        var host = new Host(BalloonDriverTests.MemHost() with { RamPages = 100 + 700, HypervisorMemoryPages = 100, ReclamationPolicy = policy });
        // Each guest touches 350 pages once, frees them to its own free list, then walks 60; b starts 30 ms after a.
        // Together they want some 760 pages of the 700: the host runs short, and a's free list has pages to give.
        var a = host.CreateVm(new VmConfig { Name = "a", MemoryPages = 512, TickMilliseconds = 1, Workload = Workload.WorkingSet(60, 350) });
        var b = host.CreateVm(new VmConfig { Name = "b", MemoryPages = 512, TickMilliseconds = 1, Workload = Workload.WorkingSet(60, 350, startDelayTicks: 30) });
        host.RunFor(150);
        string state = $"targets {string.Join(", ", policy.Targets)}; ballooned {a.Memory.BalloonedPages} / {b.Memory.BalloonedPages}; " +
            $"mapped {a.Memory.MappedPages} / {b.Memory.MappedPages}; swap-outs {a.Memory.SwapOuts} / {b.Memory.SwapOuts}; free {host.Frames.FreeFrames}; periods {string.Join(",", host.PeriodsInState)}";
        Assert.True(policy.ShortPeriods > 0, state);
        foreach (var vm in new[] { a, b })
        {
            Assert.False(vm.IsStopped, vm.StopReason);
            Assert.Equal(policy.Targets[vm.Name], (int)vm.Balloon.Target);                  // what the policy set is what the device holds
            Assert.InRange(vm.Memory.BalloonedPages, policy.Targets[vm.Name] - 5, policy.Targets[vm.Name]);   // and the driver got there
        }
        Assert.True(a.Memory.BalloonedPages + b.Memory.BalloonedPages > 50, state);
        Assert.True(a.Memory.BalloonFreedFrames > 0, state);                                  // frames came back from a's idle pages
        Assert.Equal(ReclamationState.High, host.ReclamationState);                          // and the host is no longer short
        Assert.Null(host.PolicyFailure);
        FrameAudit.Check(host);
    }

    [Fact]
    public void An_smt_placement_from_outside_keeps_each_core_to_one_vm()
    {
        var host = new Host(SmallHost(cores: 2, threadsPerCore: 2) with { Placement = new OneVmPerCorePlacement() });
        host.CreateVm(new VmConfig { Name = "smp", Vcpus = 2, Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "solo-a", Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "solo-b", Workload = Workload.Cpu() });
        int shared = 0;
        while (host.NowMilliseconds < 100)
        {
            host.Step();
            for (int c = 0; c < 2; c++)
                if (host.Threads[2 * c].Current is { } a && host.Threads[2 * c + 1].Current is { } b) { Assert.Equal(a.Group, b.Group); shared++; }
        }
        Assert.True(shared > 0, "the SMP VM's two vCPUs shared a core");
        Assert.All(host.Vms, vm => Assert.True(vm.Progress > 0, vm.Name));
    }
}
