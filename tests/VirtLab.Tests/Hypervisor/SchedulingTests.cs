using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Scheduling;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Hypervisor;

public class SchedulingTests
{
    [Theory]
    [InlineData(HypervisorKind.Type1)]
    [InlineData(HypervisorKind.Type2)]
    public void Run_ready_costop_and_wait_add_up_to_elapsed_time_for_every_vcpu(HypervisorKind kind)
    {
        var host = new Host(SmallHost(cores: 1, threadsPerCore: 2) with { Kind = kind, CyclesPerMillisecond = 50_000, CyclesPerTimerTick = 50 });
        host.CreateVm(new VmConfig { Name = "cpu", Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "smp", Vcpus = 3, Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "io", Workload = Workload.Io(sleepTicks: 1), TickMilliseconds = 2 });
        host.CreateVm(new VmConfig { Name = "bursty", Workload = Workload.Bursty(2, 2), TickMilliseconds = 2 });
        host.RunFor(150);
        foreach (var e in host.Entities)
        {
            var s = e.Sched;
            Assert.Equal(host.Now, s.RunCycles + s.ReadyCycles + s.CoStopCycles + s.WaitCycles);
        }
        var smp = host.Vms[1].Vcpus;
        if (kind == HypervisorKind.Type1)
            Assert.Contains(smp, v => v.Sched.CoStopCycles > 0);  // 3 vCPUs on 2 threads with 30 ms slices: co-stop shows up
        Assert.All(host.Vms, vm => Assert.True(vm.Progress > 0, vm.Name));
        Assert.Contains(host.Vms[2].Vcpus, v => v.Sched.WaitCycles > 0);
        Assert.Contains(host.Entities, e => e.Sched.ReadyCycles > 0);
    }

    [Fact]
    public void Cpu_bound_vms_get_shares_proportional_to_their_weights()
    {
        var host = new Host(SmallHost(cores: 1) with { CyclesPerMillisecond = 40_000 });
        int[] weights = [256, 512, 1024];
        var vms = weights.Select((w, i) => host.CreateVm(new VmConfig { Name = $"w{w}", Weight = w, Workload = Workload.Cpu() })).ToList();
        host.RunFor(100);   // warm up: boots, first accounting periods
        var before = vms.Select(v => v.Vcpus[0].Sched.RunCycles).ToArray();
        var progress0 = vms.Select(v => v.Progress).ToArray();
        host.RunFor(1500);
        double total = vms.Select((v, i) => (double)(v.Vcpus[0].Sched.RunCycles - before[i])).Sum();
        double totalWork = vms.Select((v, i) => (double)(v.Progress - progress0[i])).Sum();
        for (int i = 0; i < vms.Count; i++)
        {
            double expected = weights[i] / (double)weights.Sum();
            double share = (vms[i].Vcpus[0].Sched.RunCycles - before[i]) / total;
            double workShare = (vms[i].Progress - progress0[i]) / totalWork;
            Assert.InRange(share, expected * 0.95, expected * 1.05);
            // The guests' own throughput agrees, a little less closely: world switches and timer ticks
            // cost the same per switch whatever the weight, and this test host (40,000 cycles/ms, to stay quick)
            // makes them 2.5x dearer than the default time scale does.
            Assert.InRange(workShare, expected * 0.93, expected * 1.07);
        }
    }

    [Fact]
    public void A_cap_limits_a_vm_to_its_percentage_of_a_thread_even_when_the_thread_is_free()
    {
        var host = new Host(SmallHost(cores: 1));
        var capped = host.CreateVm(new VmConfig { Name = "capped", CapPercent = 25, Workload = Workload.Cpu() });
        host.RunFor(600);
        double share = capped.Vcpus[0].Sched.RunCycles / (double)host.Now;
        Assert.InRange(share, 0.22, 0.28);
    }

    [Fact]
    public void Each_scheduler_keeps_its_own_per_vcpu_state_and_shows_it()
    {
        var host = new Host(SmallHost(cores: 1));
        var credit = Assert.IsType<CreditScheduler>(host.Scheduler);
        host.CreateVm(new VmConfig { Name = "hog", Workload = Workload.Cpu() });
        var capped = host.CreateVm(new VmConfig { Name = "capped", CapPercent = 10, Workload = Workload.Cpu() }).Vcpus[0];
        var io = host.CreateVm(new VmConfig { Name = "io", Workload = Workload.Io(workRounds: 50, sleepTicks: 1), TickMilliseconds = 5 }).Vcpus[0];
        bool parked = false, boosted = false;
        while (host.NowMilliseconds < 200)
        {
            host.Step();
            parked |= credit.IsParked(capped);
            boosted |= credit.PriorityOf(io) == CreditPriority.Boost;
            // Clamped to one period's worth (300) at each accounting; running spends at most 300 more before the next.
            foreach (var e in host.Entities) Assert.InRange(credit.CreditOf(e), -600, 300);
        }
        Assert.True(parked, "the capped VM used its 10 % and was parked");
        Assert.True(boosted, "the I/O VM woke with credit and was boosted");

        var type2 = new Host(SmallHost(cores: 1) with { Kind = HypervisorKind.Type2 });
        var fair = Assert.IsType<FairShareScheduler>(type2.Scheduler);
        var light = type2.CreateVm(new VmConfig { Name = "light", Weight = 256, Workload = Workload.Cpu() }).Vcpus[0];
        var heavy = type2.CreateVm(new VmConfig { Name = "heavy", Weight = 1024, Workload = Workload.Cpu() }).Vcpus[0];
        type2.RunFor(200);
        // Virtual runtime is run time scaled by 256 / weight, and CFS keeps the two close: the heavy one ran about 4x as long.
        Assert.InRange(fair.VirtualRuntimeOf(heavy) / fair.VirtualRuntimeOf(light), 0.8, 1.25);
        Assert.InRange(heavy.Sched.RunCycles / (double)light.Sched.RunCycles, 3.2, 5);
    }

    [Fact]
    public void An_io_vm_that_wakes_gets_boost_and_runs_promptly_next_to_cpu_hogs()
    {
        var host = new Host(SmallHost(cores: 1));
        for (int i = 0; i < 3; i++) host.CreateVm(new VmConfig { Name = $"hog{i}", Workload = Workload.Cpu() });
        var io = host.CreateVm(new VmConfig { Name = "io", Workload = Workload.Io(workRounds: 50, sleepTicks: 1), TickMilliseconds = 5 });
        host.RunFor(300);
        // Timer interrupts are delivered well within one 30 ms slice of the hogs.
        double meanLatencyMs = io.TimerLatencyTotal / (double)io.TimerInterrupts / host.Config.CyclesPerMillisecond;
        Assert.True(io.TimerInterrupts > 20);
        Assert.True(meanLatencyMs < 2, $"mean latency {meanLatencyMs} ms");
    }

    [Fact]
    public void Same_configuration_and_seed_give_identical_results()
    {
        static string Run(int seed)
        {
            var host = new Host(SmallHost(cores: 1, threadsPerCore: 2) with { Kind = HypervisorKind.Type2, Seed = seed });
            host.CreateVm(new VmConfig { Name = "a", Workload = Workload.Cpu() });
            host.CreateVm(new VmConfig { Name = "b", Vcpus = 2, Workload = Workload.Memory(40) });
            host.CreateVm(new VmConfig { Name = "c", Workload = Workload.Io(), TickMilliseconds = 2 });
            host.CreateVm(new VmConfig { Name = "d", Workload = Workload.ExitMmio() });
            host.RunFor(60);
            return string.Join(";", host.Vms.Select(v => $"{v.Instructions},{v.Progress},{v.Exits.Total},{v.Memory.MappedPages},{v.TimerLatencyTotal}"))
                + "|" + string.Join(";", host.Entities.Select(e => $"{e.Sched.RunCycles},{e.Sched.ReadyCycles},{e.Sched.CoStopCycles}"));
        }
        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));   // the seed drives the host's background processes
    }

    // Hand-written instruction streams, as the sampler would record them.
    private static SampledInstruction Op(InstructionClass c, int rd = 0, int rs1 = 0, int rs2 = 0, bool taken = false) => new(c, (byte)rd, (byte)rs1, (byte)rs2, taken);

    /// <summary>Four independent add/shift chains and a loop branch: plenty of instruction-level parallelism.</summary>
    private static ExecutionProfile AluBound() => new()
    {
        MemoryFraction = 0, FootprintBytes = 16 << 10,
        Stream = [Op(InstructionClass.Alu, 10, 10), Op(InstructionClass.Alu, 11, 11), Op(InstructionClass.Alu, 12, 12), Op(InstructionClass.Alu, 13, 13),
                  Op(InstructionClass.Alu, 10, 10), Op(InstructionClass.Alu, 11, 11), Op(InstructionClass.Alu, 12, 12), Op(InstructionClass.Alu, 13, 13),
                  Op(InstructionClass.Alu, 14, 14), Op(InstructionClass.Branch, 0, 14, 0, taken: true)],
    };

    /// <summary>A hash whose every step waits for the one before, starting with a multiply.</summary>
    private static ExecutionProfile LatencyBound() => new()
    {
        MemoryFraction = 0, FootprintBytes = 16 << 10,
        Stream = [Op(InstructionClass.Multiply, 5, 5, 6), Op(InstructionClass.Alu, 5, 5), Op(InstructionClass.Alu, 7, 5), Op(InstructionClass.Alu, 5, 5, 7),
                  Op(InstructionClass.Alu, 10, 10), Op(InstructionClass.Branch, 0, 10, 0, taken: true)],
    };

    /// <summary>Load, add, store over a footprint: each add waits for its load.</summary>
    private static ExecutionProfile MemoryWalk(int footprintKiB) => new()
    {
        MemoryFraction = 0.33, FootprintBytes = footprintKiB << 10,
        Stream = [Op(InstructionClass.Alu, 5, 8, 9), Op(InstructionClass.Load, 6, 5), Op(InstructionClass.Alu, 6, 6), Op(InstructionClass.Store, 0, 5, 6),
                  Op(InstructionClass.Alu, 9, 9, 10), Op(InstructionClass.Branch, 0, 9, 11, taken: true)],
    };

    private static double SmtGain(SmtCoreModel model, ExecutionProfile p) => 2 * model.Ipc(p, p) / model.Ipc(p, null);

    [Fact]
    public void Smt_gains_little_for_alu_bound_pairs_more_for_stalling_ones_and_loses_when_the_cache_overflows()
    {
        var model = new SmtCoreModel();
        double alu = SmtGain(model, AluBound()), chain = SmtGain(model, LatencyBound());
        double fits = SmtGain(model, MemoryWalk(64)), overflows = SmtGain(model, MemoryWalk(192));
        Assert.InRange(alu, 1.0, 1.21);           // alone it issues 10 in 6 cycles: a sibling can add at most 2 / (10/6) = 1.2x
        Assert.True(chain > 1.5, $"latency-bound gain {chain}");   // the sibling fills the multiply's bubbles
        Assert.True(fits > alu + 0.2, $"fits {fits} vs alu {alu}");
        Assert.True(overflows < 1.0, $"overflow gain {overflows}");   // 384 KiB in a 256 KiB cache: misses each alone would not have
    }

    [Fact]
    public void Smt_outcome_follows_the_pipeline_resources_not_a_fixed_gain()
    {
        var alu = AluBound();
        // Alone, the ALU-bound thread issues about two per cycle on the two-wide core, one on a one-ALU core.
        Assert.InRange(new SmtCoreModel().Ipc(alu, null), 1.6, 2.0);
        Assert.InRange(new SmtCoreModel { AluPorts = 1 }.Ipc(alu, null), 0.8, 1.0);
        // Twice the issue width and ports: now the sibling has room, and the same pair gains a lot.
        var wide = new SmtCoreModel { IssueWidth = 4, AluPorts = 4 };
        Assert.True(SmtGain(wide, alu) > 1.25, $"wide-core gain {SmtGain(wide, alu)}");
        // A faster multiplier leaves fewer bubbles for the sibling to fill.
        Assert.True(SmtGain(new SmtCoreModel { MultiplyLatencyCycles = 1 }, LatencyBound()) < SmtGain(new SmtCoreModel(), LatencyBound()));
        // The unpipelined core (the bare hart's timing) is one instruction per cycle, shared.
        Assert.Equal(1.0, new SmtCoreModel { Pipelined = false }.Ipc(alu, null));
        Assert.Equal(0.5, new SmtCoreModel { Pipelined = false }.Ipc(alu, alu));
    }

    [Fact]
    public void The_sampler_records_what_the_guest_executes()
    {
        var host = new Host(SmallHost(cores: 1) with { CyclesPerMillisecond = 100_000 });
        var cpu = host.CreateVm(new VmConfig { Name = "cpu", Workload = Workload.Cpu() });
        var mem = host.CreateVm(new VmConfig { Name = "mem", Workload = Workload.Memory(40) });
        host.RunFor(120);
        var c = cpu.Vcpus[0].Profile; var m = mem.Vcpus[0].Profile;
        Assert.NotEmpty(c.Stream);
        Assert.NotEmpty(m.Stream);
        // spin: one multiply in six instructions, almost no memory.
        double mulShare = c.Stream.Count(i => i.Class == InstructionClass.Multiply) / (double)c.Stream.Count;
        Assert.InRange(mulShare, 0.12, 0.2);
        Assert.True(c.MemoryFraction < 0.05, $"cpu memory fraction {c.MemoryFraction}");
        // The memory walk: a load and a store in every eight instructions, over most of its 40 pages.
        Assert.InRange(m.MemoryFraction, 0.2, 0.3);
        Assert.InRange(m.FootprintBytes, 30 * 4096, 48 * 4096);
    }

    [Fact]
    public void A_steady_guest_keeps_its_profile_and_a_new_phase_gets_a_new_one()
    {
        var host = new Host(SmallHost(cores: 2) with { CyclesPerMillisecond = 100_000 });
        var cpu = host.CreateVm(new VmConfig { Name = "cpu", Workload = Workload.Cpu() });
        // Sleeps 40 ms, touches 300 pages, then walks 200 of them: its code and footprint change.
        var grower = host.CreateVm(new VmConfig { Name = "grower", MemoryPages = 512, TickMilliseconds = 1, Workload = Workload.WorkingSet(200, 300, startDelayTicks: 40) });
        host.RunFor(40);
        long cpuAt40 = cpu.Vcpus[0].Profile.Version, growerAt40 = grower.Vcpus[0].Profile.Version;
        double footprintAt40 = grower.Vcpus[0].Profile.FootprintBytes;
        Assert.True(cpuAt40 > 0, "the cpu guest has a profile after 40 ms");
        host.RunFor(160);
        Assert.Equal(cpuAt40, cpu.Vcpus[0].Profile.Version);                   // the same loop: no new profile, no replays
        Assert.True(grower.Vcpus[0].Profile.Version > growerAt40, "the grower's new phase was published");
        Assert.True(grower.Vcpus[0].Profile.FootprintBytes > 4 * footprintAt40,
            $"footprint {footprintAt40 / 4096} pages asleep, {grower.Vcpus[0].Profile.FootprintBytes / 4096} walking");
        long growerWalking = grower.Vcpus[0].Profile.Version;
        host.RunFor(100);
        Assert.Equal(growerWalking, grower.Vcpus[0].Profile.Version);          // walking steadily: kept
    }

    [Fact]
    public void Smt_aware_placement_spreads_two_vcpus_over_two_cores_and_packed_does_not()
    {
        static double Throughput(ISmtPlacement placement)
        {
            var host = new Host(SmallHost(cores: 2, threadsPerCore: 2) with { Placement = placement, CyclesPerMillisecond = 100_000 });
            var vms = Enumerable.Range(0, 2).Select(i => host.CreateVm(new VmConfig { Name = $"v{i}", Workload = Workload.Alu() })).ToList();
            host.RunFor(60);
            return vms.Sum(v => (double)v.Instructions);
        }
        double aware = Throughput(SmtPlacement.SmtAware), packed = Throughput(SmtPlacement.Packed);
        Assert.InRange(aware / packed, 1.5, 2.0);   // two cores vs one core shared by two ALU-bound threads
    }

    [Fact]
    public void Sibling_busy_time_is_the_run_time_beside_a_busy_sibling_thread()
    {
        // Three busy one-vCPU VMs on two SMT cores: SMT-aware placement gives one a core of its own and
        // puts the other two on the two threads of the other core.
        var host = new Host(SmallHost(cores: 2, threadsPerCore: 2));
        var vms = Enumerable.Range(0, 3).Select(i => host.CreateVm(new VmConfig { Name = $"v{i}", Workload = Workload.Alu() })).ToList();
        host.RunFor(20);
        var byCore = vms.Select(v => v.Vcpus[0]).GroupBy(v => host.Threads[v.Sched.Thread].Core).ToList();
        var alone = Assert.Single(byCore, g => g.Count() == 1).Single();
        Assert.Equal(0ul, alone.Sched.SiblingBusyCycles);
        foreach (var shared in Assert.Single(byCore, g => g.Count() == 2))
            Assert.InRange((double)shared.Sched.SiblingBusyCycles / shared.Sched.RunCycles, 0.95, 1.0);

        // Without SMT there is no sibling, and an idle sibling (a sleeping VM) is not a busy one.
        var plain = new Host(SmallHost(cores: 1));
        var vm = plain.CreateVm(new VmConfig { Name = "v", Workload = Workload.Alu() });
        plain.RunFor(5);
        Assert.Equal(0ul, vm.Vcpus[0].Sched.SiblingBusyCycles);
        var quiet = new Host(new HostConfig { Cores = 1, ThreadsPerCore = 2 });
        var busy = quiet.CreateVm(new VmConfig { Name = "busy", Workload = Workload.Alu() });
        var sleeper = quiet.CreateVm(new VmConfig { Name = "sleeper", Workload = Workload.Io(workRounds: 10, sleepTicks: 5), TickMilliseconds = 1 });
        quiet.RunFor(20);
        Assert.True(sleeper.Vcpus[0].Sched.WaitCycles > quiet.Now / 2, "the sleeper sleeps most of the time");
        var b = busy.Vcpus[0].Sched;
        Assert.True(b.SiblingBusyCycles > 0 && b.SiblingBusyCycles < b.RunCycles / 2,
            $"beside a VM that mostly sleeps: {b.SiblingBusyCycles} of {b.RunCycles} cycles with the sibling busy");
        Assert.True(sleeper.Vcpus[0].Sched.SiblingBusyCycles <= sleeper.Vcpus[0].Sched.RunCycles);
    }

    [Fact]
    public void Same_vm_siblings_never_puts_two_vms_on_one_core_and_still_pairs_a_vms_own_vcpus()
    {
        var host = new Host(SmallHost(cores: 2, threadsPerCore: 2) with { Placement = SmtPlacement.SameVmSiblings });
        host.CreateVm(new VmConfig { Name = "smp-a", Vcpus = 2, Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "smp-b", Vcpus = 2, Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "solo", Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "io", Workload = Workload.Io(sleepTicks: 1), TickMilliseconds = 2 });
        int paired = 0, steps = 0;
        while (host.NowMilliseconds < 150)
        {
            host.Step();
            steps++;
            for (int c = 0; c < 2; c++)
            {
                var (a, b) = (host.Threads[2 * c].Current, host.Threads[2 * c + 1].Current);
                if (a is null || b is null) continue;
                Assert.Equal(a.Group, b.Group);
                paired++;
            }
        }
        Assert.True(paired > steps / 4, $"siblings ran the same VM in only {paired} core-steps of {steps}");
        Assert.All(host.Vms, vm => Assert.True(vm.Progress > 0, vm.Name));

        // Without the rule the same host does put different VMs on one core.
        var open = new Host(SmallHost(cores: 2, threadsPerCore: 2));
        for (int i = 0; i < 4; i++) open.CreateVm(new VmConfig { Name = $"v{i}", Workload = Workload.Cpu() });
        open.RunFor(5);
        Assert.NotEqual(open.Threads[0].Current!.Group, open.Threads[1].Current!.Group);
    }

    [Theory]
    [InlineData("cores")]
    [InlineData("threads-per-core")]
    [InlineData("memory-pages")]
    [InlineData("weight")]
    [InlineData("workload")]
    [InlineData("core.issue-width")]
    public void Invalid_configurations_get_one_error_naming_the_field(string field)
    {
        var e = Assert.Throws<ConfigurationException>(() =>
        {
            var host = new Host(field switch
            {
                "cores" => SmallHost() with { Cores = 0 },
                "threads-per-core" => SmallHost() with { ThreadsPerCore = 3 },
                "core.issue-width" => SmallHost() with { Core = new SmtCoreModel { IssueWidth = 0 } },
                _ => SmallHost(),
            });
            switch (field)
            {
                case "memory-pages": host.CreateVm(new VmConfig { Name = "big", MemoryPages = VmConfig.MaxMemoryPages + 1 }); break;
                case "weight": host.CreateVm(new VmConfig { Name = "neg", Weight = -5 }); break;
                case "workload":
                    var w = Workload.Parse("crypto-miner", out string? error);
                    Assert.Null(w);
                    throw new ConfigurationException("workload", error!);
            }
        });
        Assert.Contains(field, e.Message);
    }
}
