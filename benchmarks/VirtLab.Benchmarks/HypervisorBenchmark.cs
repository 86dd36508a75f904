using System.Diagnostics;
using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Benchmarks;

/// <summary>
/// The hypervisor speed benchmark of issue 3: 16 single-vCPU VMs with mixed workloads on a host of
/// 4 cores x 2 threads, for a number of simulated seconds (10 in the issue). Prints wall time and
/// guest instructions per second of host time, next to the bare machine's MIPS on a CPU-bound loop.
/// </summary>
public static class HypervisorBenchmark
{
    public static void Run(double simulatedSeconds = 10)
    {
        double bareMips = BareMips();
        // Warm up: a short untimed run of each kind of host, so the timed runs measure the simulator
        // in its steady state (the .NET JIT has tiered up the hot methods, the translator has compiled
        // the guest kernel's code), as BareMips does for the bare machine.
        foreach (var warm in new[] { BuildHost(Mix), BuildHost(CpuOnly) }) warm.RunFor(200);
        foreach (var (name, h) in new[] { ("mixed", BuildHost(Mix)), ("cpu-bound", BuildHost(CpuOnly)) })
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (double ms = 0; ms < simulatedSeconds * 1000; ms += 100)
            {
                h.RunFor(100);
                if ((int)ms % 1000 == 900) Console.Error.WriteLine($"[{name}] {h.NowMilliseconds / 1000:F1} s simulated");
            }
            clock.Stop();
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            ulong instructions = (ulong)h.Vms.Sum(v => (long)v.Instructions);
            double mips = instructions / clock.Elapsed.TotalSeconds / 1e6;
            Console.WriteLine($"{name}: {simulatedSeconds} simulated s, 16 VMs on 4x2 threads: wall {clock.Elapsed.TotalSeconds:F1} s, " +
                $"{instructions / 1e6:F0} M guest instructions, {mips:F1} MIPS aggregate ({mips / bareMips:P0} of bare {bareMips:F1} MIPS); " +
                $"CPU {cpuSeconds:F1} s, {instructions / cpuSeconds / 1e6:F1} MIPS per CPU second (less sensitive to a loaded machine)");
        }
    }

    internal static readonly string[] Mix = ["cpu", "cpu", "cpu", "cpu", "mem:pages=16", "mem:pages=48", "io", "bursty", "exit-csr:work=2000", "exit-mmio:work=2000", "exit-pv:work=2000", "cpu", "cpu", "io", "bursty", "mem:pages=8"];
    internal static readonly string[] CpuOnly = Enumerable.Repeat("cpu", 16).ToArray();

    internal static Host BuildHost(string[] workloads)
    {
        var host = new Host(new HostConfig { Cores = 4, ThreadsPerCore = 2, RamPages = 16_384 });
        for (int i = 0; i < workloads.Length; i++) host.CreateVm(new VmConfig { Name = $"vm{i}", Workload = Workload.Parse(workloads[i], out _)! });
        return host;
    }

    private static double BareMips()
    {
        var machine = BareLoop();
        machine.Run(20_000_000);
        return machine.Run(200_000_000).Mips;
    }

    /// <summary>The bare machine's CPU-bound loop (a multiply chain, like the <c>cpu</c> workload), loaded and ready to run.</summary>
    internal static VirtLab.Machine.Machine BareLoop()
    {
        var source = """
                .text
            _start:
                li   s5, 12345
                li   t0, 1103515245
            outer:
                li   a0, 100
            loop:
                mul  s5, s5, t0
                addi s5, s5, 1
                srli t1, s5, 7
                xor  s5, s5, t1
                addi a0, a0, -1
                bnez a0, loop
                j    outer
            """;
        var machine = new VirtLab.Machine.Machine();
        machine.Load(VirtLab.Assembly.Assembler.Assemble(source).Program!);
        return machine;
    }
}
