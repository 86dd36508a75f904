using System.Globalization;
using System.Text;
using VirtLab.Hypervisor;
using VirtLab.Memory;
using VirtLab.Scheduling;

namespace VirtLab.Interactive;

/// <summary>
/// HTML and text views of the hypervisor's state: a <see cref="Host"/> (its cores and hardware
/// threads and what each runs now, its memory and reclamation state, its VMs) and a
/// <see cref="VirtualMachine"/> (its vCPUs' time, its exits by reason, its pages by state). A cell
/// that ends in a host or a VM shows these (see <see cref="VirtLabFormatters"/>); run the host a
/// little further and display it again to watch the scheduler and the memory policies at work.
/// <para>
/// Times are simulated milliseconds. A vCPU's time is split four ways, which always add up to the
/// time elapsed: <b>run</b> (on a hardware thread, guest work and exit handling), <b>ready</b>
/// (runnable, but no thread was free), <b>co-stop</b> (held back because it ran ahead of its
/// sibling vCPUs) and <b>wait</b> (idle in WFI, asleep, or stopped). A VM's pages are in one of five
/// states that add up to its configured size: mapped, shared, ballooned, swapped and untouched.
/// </para>
/// </summary>
public static class HypervisorViews
{
    /// <summary>The four parts of a vCPU's time, in the order views and charts stack them (see <see cref="TimeOf"/>).</summary>
    internal static IReadOnlyList<string> TimeStates { get; } = ["run", "ready", "co-stop", "wait"];

    /// <summary>Lines of a VM's console output a view shows (the last ones); <see cref="VirtualMachine.ConsoleOutput"/> has it all.</summary>
    public const int ConsoleLines = 12;

    private const string PageBarStyle = """
        <style>
        .virtlab .pagebar{display:flex;width:32em;max-width:100%;height:.9em;border:1px solid rgba(127,127,127,.4);margin:.3em 0}
        .virtlab .pagebar span{display:block;height:100%}
        .virtlab .s-mapped{background:#1f77b4}.virtlab .s-shared{background:#2ca02c}.virtlab .s-ballooned{background:#ff7f0e}
        .virtlab .s-swapped{background:#d62728}.virtlab .s-untouched{background:rgba(127,127,127,.25)}
        .virtlab .key{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:-.05em}
        </style>
        """;

    // ---------------------------------------------------------------- host

    /// <summary>
    /// The HTML for <paramref name="host"/>: a caption (kind, cores, scheduler, simulated time), a
    /// table of cores with what each hardware thread runs now and how busy it has been, the host's
    /// memory (free frames, reservation, swap, reclamation state, overcommit ratio), and one row per VM.
    /// </summary>
    public static string HostHtml(Host host)
    {
        var html = Html.Open("host").Insert(0, PageBarStyle);
        html.Append("<div class=\"caption\">").Append(Html.Encode(HostCaption(host))).Append("</div>");

        html.Append("<table class=\"threads\"><thead><tr><th>core</th>");
        for (int t = 0; t < host.Config.ThreadsPerCore; t++) html.Append("<th>thread ").Append(t).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var core in host.Threads.GroupBy(t => t.Core))
        {
            html.Append("<tr><th>").Append(core.Key).Append("</th>");
            foreach (var thread in core)
            {
                html.Append("<td title=\"hardware thread ").Append(thread.Index).Append("\">");
                if (!thread.Usable) html.Append("<span class=\"muted\">offline</span>");
                else
                {
                    html.Append(thread.Current is { } e ? "<code>" + Html.Encode(e.Name) + "</code>" : "<span class=\"muted\">idle</span>")
                        .Append(" <span class=\"muted\">&middot; busy ").Append(Html.Percent(thread.BusyCycles, ElapsedCycles(host))).Append(" so far</span>");
                }
                html.Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");

        html.Append("<table class=\"memory\"><tbody>");
        foreach (var (name, value) in HostMemory(host))
            html.Append("<tr><th>").Append(Html.Encode(name)).Append("</th><td>").Append(Html.Encode(value)).Append("</td></tr>");
        html.Append("</tbody></table>");

        if (host.Vms.Count > 0)
        {
            html.Append("<table class=\"vms\"><thead><tr><th>VM</th><th>vCPUs</th><th>state</th>");
            foreach (var state in TimeStates) html.Append("<th>").Append(state).Append("</th>");
            html.Append("<th>exits</th><th>mapped / max pages</th><th>balloon target</th><th>swapped</th></tr></thead><tbody>");
            foreach (var vm in host.Vms)
            {
                var time = TimeOf(vm.Vcpus);
                html.Append("<tr><td><code>").Append(Html.Encode(vm.Name)).Append("</code></td><td class=\"num\">").Append(vm.Vcpus.Count).Append("</td>")
                    .Append("<td>").Append(Html.Encode(VmState(vm))).Append("</td>");
                foreach (var part in time.Parts) html.Append("<td class=\"num\">").Append(Html.Percent(part, time.Total)).Append("</td>");
                html.Append("<td class=\"num\">").Append(Html.Count(vm.Exits.Total)).Append("</td>")
                    .Append("<td class=\"num\">").Append(Html.Count(vm.Memory.MappedPages)).Append(" / ").Append(Html.Count(vm.Memory.Pages)).Append("</td>")
                    .Append("<td class=\"num\">").Append(Html.Count(vm.Balloon.Target)).Append("</td>")
                    .Append("<td class=\"num\">").Append(Html.Count(vm.Memory.SwappedPages)).Append("</td></tr>");
            }
            html.Append("</tbody></table>");
        }
        if (host.HostProcesses.Count > 0)
        {
            html.Append("<div class=\"caption\">host processes (Type 2: they compete with the vCPU threads)</div><table><thead><tr><th>process</th>");
            foreach (var state in TimeStates) html.Append("<th>").Append(state).Append("</th>");
            html.Append("</tr></thead><tbody>");
            foreach (var process in host.HostProcesses)
            {
                var time = TimeOf([process]);
                html.Append("<tr><td><code>").Append(Html.Encode(process.Name)).Append("</code></td>");
                foreach (var part in time.Parts) html.Append("<td class=\"num\">").Append(Html.Percent(part, time.Total)).Append("</td>");
                html.Append("</tr>");
            }
            html.Append("</tbody></table>");
        }
        return html.Append("</div>").ToString();
    }

    /// <summary><paramref name="host"/> as text: the caption, one line per core, the memory, one line per VM.</summary>
    public static string HostText(Host host)
    {
        var text = new StringBuilder(HostCaption(host)).Append('\n');
        foreach (var core in host.Threads.GroupBy(t => t.Core))
        {
            text.Append("  core ").Append(core.Key).Append(':');
            foreach (var t in core)
                text.Append("  t").Append(t.Index).Append(' ').Append(!t.Usable ? "offline" : t.Current?.Name ?? "idle");
            text.Append('\n');
        }
        foreach (var (name, value) in HostMemory(host)) text.Append("  ").Append(name).Append(": ").Append(value).Append('\n');
        foreach (var vm in host.Vms) text.Append("  ").Append(VmCaption(vm)).Append('\n');
        return text.ToString();
    }

    private static string HostCaption(Host host)
    {
        var c = host.Config;
        return $"host · {(c.Kind == HypervisorKind.Type1 ? "Type 1" : "Type 2")} · {c.Cores} {(c.Cores == 1 ? "core" : "cores")}"
            + (c.ThreadsPerCore > 1 ? $" × {c.ThreadsPerCore} threads{(c.OneThreadPerCore ? " (one thread per core online)" : "")}" : "")
            + $" · {host.Scheduler.Name} scheduler · {Html.Milliseconds(host.NowMilliseconds)} simulated";
    }

    private static IEnumerable<(string Name, string Value)> HostMemory(Host host)
    {
        int frames = host.Ram.FrameCount, free = host.Frames.FreeFrames;
        yield return ("RAM", $"{Html.Count(frames)} frames ({Size(frames)})");
        yield return (host.Config.Kind == HypervisorKind.Type1 ? "kept by the hypervisor" : "kept by the host OS", $"{Html.Count(host.ReservedPages)} frames");
        yield return ("free", $"{Html.Count(free)} frames ({Html.Percent(free, host.GuestAvailablePages)} of the frames for VMs)");
        yield return ("mapped by VMs", $"{Html.Count(host.Vms.Sum(v => v.Memory.MappedPages))} pages");
        if (host.Sharing.SharedFrames > 0)
            yield return ("shared", $"{Html.Count(host.Sharing.SharingPages)} pages on {Html.Count(host.Sharing.SharedFrames)} frames ({Html.Count(host.Sharing.SavedFrames)} frames saved)");
        yield return ("swap", host.SwapArea is { } swap ? $"{Html.Count(swap.UsedPages)} of {Html.Count(swap.CapacityPages)} pages used" : "none");
        yield return ("reclamation state", host.ReclamationState.ToString().ToLowerInvariant());
        yield return ("memory overcommit", $"{host.OvercommitRatio.ToString("0.00", CultureInfo.InvariantCulture)} (VMs' max over the frames for VMs)");
    }

    // ---------------------------------------------------------------- VM

    /// <summary>
    /// The HTML for <paramref name="vm"/>: a caption (vCPUs, memory, state), its vCPUs with run /
    /// ready / co-stop / wait in ms and %, each vCPU's pc and virtual CSRs (the machine the guest
    /// believes it has), its exits by reason (count, cycles, cycles per exit), its pages by state
    /// (a bar and a table), its guest-physical memory map (RAM and device windows), its balloon and
    /// swap figures, and the last lines of its console.
    /// </summary>
    public static string VmHtml(VirtualMachine vm)
    {
        var html = Html.Open("vm").Insert(0, PageBarStyle);
        html.Append("<div class=\"caption\">").Append(Html.Encode(VmCaption(vm))).Append("</div>");

        html.Append("<table class=\"vcpus\"><thead><tr><th>vCPU</th><th>now</th><th>instructions</th>");
        foreach (var state in TimeStates) html.Append("<th>").Append(state).Append("</th>");
        html.Append("<th>dispatches</th></tr></thead><tbody>");
        foreach (var vcpu in vm.Vcpus)
        {
            var time = TimeOf([vcpu]);
            html.Append("<tr><td><code>").Append(Html.Encode(vcpu.Name)).Append("</code></td><td>").Append(Html.Encode(VcpuState(vcpu))).Append("</td>")
                .Append("<td class=\"num\">").Append(Html.Count(vcpu.Instructions)).Append("</td>");
            foreach (var part in time.Parts)
                html.Append("<td class=\"num\">").Append(Milliseconds(part, vm.Host)).Append(" <span class=\"muted\">").Append(Html.Percent(part, time.Total)).Append("</span></td>");
            html.Append("<td class=\"num\">").Append(Html.Count(vcpu.Sched.Dispatches)).Append("</td></tr>");
        }
        html.Append("</tbody></table>");

        // The machine each vCPU believes it has: its pc and its virtual machine-mode CSRs.
        html.Append("<table class=\"csr-table mono\"><thead><tr><th>vCPU</th><th>pc</th>");
        foreach (var (name, _) in ExitViews.CsrValues(default)) html.Append("<th>").Append(name).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var vcpu in vm.Vcpus)
        {
            html.Append("<tr><td>").Append(Html.Encode(vcpu.Name)).Append("</td><td>").Append(Html.Hex(vcpu.Hart.Pc)).Append("</td>");
            foreach (var (_, value) in ExitViews.CsrValues(VirtualCsrValues.Of(vcpu))) html.Append("<td>").Append(Html.Hex(value)).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");

        var exits = ExitRows(vm.Exits);
        if (exits.Count == 0) html.Append("<div class=\"muted\">no exits yet</div>");
        else
        {
            html.Append("<table class=\"exits\"><thead><tr><th>exit reason</th><th>exits</th><th>cycles</th><th>cycles per exit</th></tr></thead><tbody>");
            foreach (var (reason, count, cycles) in exits)
                html.Append("<tr><td><code>").Append(reason).Append("</code></td><td class=\"num\">").Append(Html.Count(count)).Append("</td><td class=\"num\">")
                    .Append(Html.Count(cycles)).Append("</td><td class=\"num\">").Append(Html.Count(Math.Round((double)cycles / count))).Append("</td></tr>");
            html.Append("<tr><th>all</th><td class=\"num\">").Append(Html.Count(vm.Exits.Total)).Append("</td><td class=\"num\">").Append(Html.Count(vm.Exits.TotalCycles))
                .Append("</td><td class=\"num\">").Append(Html.Count(Math.Round((double)vm.Exits.TotalCycles / vm.Exits.Total))).Append("</td></tr></tbody></table>");
        }

        var pages = PagesOf(vm);
        html.Append("<div class=\"pagebar\" title=\"pages by state\">");
        foreach (var (state, count) in pages.Where(p => p.Count > 0))
            html.Append("<span class=\"s-").Append(state).Append("\" style=\"width:").Append((100.0 * count / vm.Memory.Pages).ToString("0.###", CultureInfo.InvariantCulture))
                .Append("%\" title=\"").Append(state).Append(": ").Append(Html.Count(count)).Append(" pages\"></span>");
        html.Append("</div><table class=\"pages\"><thead><tr>");
        foreach (var (state, _) in pages) html.Append("<th><span class=\"key s-").Append(state).Append("\"></span>").Append(state).Append("</th>");
        html.Append("<th>total</th></tr></thead><tbody><tr>");
        foreach (var (_, count) in pages) html.Append("<td class=\"num\">").Append(Html.Count(count)).Append("</td>");
        html.Append("<td class=\"num\">").Append(Html.Count(vm.Memory.Pages)).Append("</td></tr></tbody></table>");

        html.Append("<table class=\"memory-map\"><thead><tr><th>guest-physical</th><th>what</th></tr></thead><tbody>");
        foreach (var (start, end, what) in MemoryMap(vm))
            html.Append("<tr><td class=\"mono\">").Append(Html.Hex(start)).Append("&ndash;").Append(Html.Hex(end)).Append("</td><td>").Append(Html.Encode(what)).Append("</td></tr>");
        html.Append("</tbody></table>");

        html.Append("<table class=\"memory\"><tbody>");
        foreach (var (name, value) in VmMemory(vm))
            html.Append("<tr><th>").Append(Html.Encode(name)).Append("</th><td>").Append(Html.Encode(value)).Append("</td></tr>");
        html.Append("</tbody></table>");

        if (LastLines(vm.ConsoleOutput) is { Length: > 0 } console)
            html.Append("<div class=\"caption\">console (last lines)</div><pre class=\"mono\">").Append(Html.Encode(console)).Append("</pre>");
        return html.Append("</div>").ToString();
    }

    /// <summary><paramref name="vm"/> as text: the caption, a line per vCPU, the exits by reason, the pages by state.</summary>
    public static string VmText(VirtualMachine vm)
    {
        var text = new StringBuilder(VmCaption(vm)).Append('\n');
        foreach (var vcpu in vm.Vcpus)
        {
            var time = TimeOf([vcpu]);
            text.Append("  ").Append(vcpu.Name).Append(" (").Append(VcpuState(vcpu)).Append("):");
            for (int i = 0; i < TimeStates.Count; i++)
                text.Append(' ').Append(TimeStates[i]).Append(' ').Append(Milliseconds(time.Parts[i], vm.Host)).Append(" (").Append(Html.Percent(time.Parts[i], time.Total)).Append(')');
            text.Append('\n');
        }
        text.Append("  exits:");
        foreach (var (reason, count, cycles) in ExitRows(vm.Exits)) text.Append(' ').Append(reason).Append(' ').Append(Html.Count(count)).Append(" (").Append(Html.Count(cycles)).Append(" cycles)");
        text.Append("\n  pages:");
        foreach (var (state, count) in PagesOf(vm)) text.Append(' ').Append(state).Append(' ').Append(Html.Count(count));
        text.Append(" of ").Append(Html.Count(vm.Memory.Pages)).Append('\n');
        foreach (var (name, value) in VmMemory(vm)) text.Append("  ").Append(name).Append(": ").Append(value).Append('\n');
        return text.ToString();
    }

    /// <summary>Exits by reason with at least one exit: the reason, how many, and the cycles charged for them.</summary>
    internal static List<(VmExitReason Reason, long Count, ulong Cycles)> ExitRows(ExitCounters exits) =>
        Enum.GetValues<VmExitReason>().Where(r => exits[r] > 0).Select(r => (r, exits[r], exits.CyclesOf(r))).ToList();

    /// <summary>The VM's pages in each of the five states, in the order views and charts stack them, from its own accounting.</summary>
    internal static List<(string State, int Count)> PagesOf(VirtualMachine vm)
    {
        var m = vm.Memory;
        return [("mapped", m.MappedPages), ("shared", m.SharedPages), ("ballooned", m.BalloonedPages), ("swapped", m.SwappedPages), ("untouched", m.CountPages(PageState.Untouched))];
    }

    /// <summary>The guest-physical address map: the device windows (every access an MMIO exit) and RAM, by address.</summary>
    private static IEnumerable<(uint Start, uint End, string What)> MemoryMap(VirtualMachine vm)
    {
        var space = vm.Memory.Space;
        var map = space.Devices.Select(d => (d.Base, d.Base + d.Device.Size - 1, $"{d.Device.Name}: device registers (every access exits to the device model)")).ToList();
        map.Add((space.RamBase, space.RamBase + space.RamSize - 1, $"RAM: {Html.Count(space.PageCount)} pages, each backed by a host frame only once touched"));
        return map.OrderBy(m => m.Item1);
    }

    private static string VmCaption(VirtualMachine vm) =>
        $"VM {vm.Name} · {vm.Vcpus.Count} {(vm.Vcpus.Count == 1 ? "vCPU" : "vCPUs")} · {Html.Count(vm.Memory.Pages)} pages ({Size(vm.Memory.Pages)}) · {VmState(vm)}";

    private static string VmState(VirtualMachine vm) =>
        vm.IsStopped ? $"{(vm.Crashed ? "crashed" : "stopped")}: {vm.StopReason}"
        : vm.ResetPending ? "resetting"
        : vm.IsMemoryBlocked ? "blocked (host memory low)"
        : "running";

    private static IEnumerable<(string Name, string Value)> VmMemory(VirtualMachine vm)
    {
        var m = vm.Memory;
        yield return ("min (guaranteed) / shares", $"{Html.Count(vm.Config.MinPages)} pages / {Html.Count(vm.Config.Shares)}");
        yield return ("balloon", vm.Config.BalloonDriver
            ? $"target {Html.Count(vm.Balloon.Target)} pages, {Html.Count(m.BalloonedPages)} in the balloon ({Html.Count(m.BalloonFreedFrames)} frames freed so far)"
            : "no balloon driver in this guest");
        yield return ("allocation target", $"{Html.Count(vm.TargetPages)} pages (the reclamation policy's)");
        yield return ("swap", $"{Html.Count(m.SwappedPages)} pages out; {Html.Count(m.SwapOuts)} swap-outs, {Html.Count(m.SwapIns)} swap-ins, {Milliseconds(vm.SwapInStallCycles, vm.Host)} stalled");
        yield return ("second-stage faults", Html.Count(m.Faults));
        if (vm.Resets.Count > 0) yield return ("resets", string.Join("; ", vm.Resets.Select(r => $"at {Html.Milliseconds(r.AtMilliseconds)}: {r.Reason}")));
    }

    private static string VcpuState(Vcpu vcpu) => vcpu.State switch
    {
        RunState.Runnable when vcpu.Sched.Thread >= 0 => $"running on thread {vcpu.Sched.Thread}",
        RunState.Runnable when vcpu.Sched.CoStopped => "co-stopped",
        RunState.Runnable => "ready",
        RunState.Waiting => "waiting",
        _ => "stopped",
    };

    // ---------------------------------------------------------------- numbers

    /// <summary>Run, ready, co-stop and wait cycles (<see cref="TimeStates"/>) summed over <paramref name="entities"/> (vCPUs, host processes), and their total.</summary>
    internal static (ulong[] Parts, ulong Total) TimeOf(IEnumerable<ISchedulable> entities)
    {
        var parts = new ulong[4];
        foreach (var v in entities)
        {
            parts[0] += v.Sched.RunCycles; parts[1] += v.Sched.ReadyCycles; parts[2] += v.Sched.CoStopCycles; parts[3] += v.Sched.WaitCycles;
        }
        return (parts, parts[0] + parts[1] + parts[2] + parts[3]);
    }

    /// <summary>Pages (or frames) of 4 KiB as KiB, MiB or GiB.</summary>
    private static string Size(int pages) =>
        pages < 256 ? $"{Html.Count(pages * 4)} KiB"
        : (pages < 256 * 1024 ? pages / 256.0 : pages / (256.0 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + (pages < 256 * 1024 ? " MiB" : " GiB");

    private static double ElapsedCycles(Host host) => host.NowMilliseconds * host.Config.CyclesPerMillisecond;

    private static string LastLines(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - ConsoleLines)));
    }

    private static string Milliseconds(ulong cycles, Host host) => Html.Milliseconds((double)cycles / host.Config.CyclesPerMillisecond);
}
