using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;
using VirtLab.Guest;
using VirtLab.Hypervisor;
using VirtLab.Interactive;
using static VirtLab.Tests.Hypervisor.GuestPrograms;

namespace VirtLab.Tests.Notebooks;

/// <summary>
/// The views of the hypervisor through the notebook's Formatter: a host, a VM, one exit, one traced
/// exit stepped through, and a whole trace. Each view is checked against the objects' own figures.
/// </summary>
[Collection(NotebookRunnerCollection.Name)] // the runner resets the Formatter; do not race it
public sealed class HypervisorViewTests
{
    // A CSR write (mscratch changes), a CSR read (a0 changes), an mret to the next instruction, a
    // hypercall that shuts the VM down.
    private static readonly string CsrSteps = $"""
            li      t0, 0x1234
            csrw    mscratch, t0
            csrr    a0, mscratch
            la      t1, after
            csrw    mepc, t1
            mret
        after:
            li      a0, 0
        {Shutdown}
        """;

    private static string Html(object value)
    {
        VirtLabFormatters.Register();
        return Formatter.ToDisplayString(value, HtmlFormatter.MimeType);
    }

    private static string Text(object value)
    {
        VirtLabFormatters.Register();
        return Formatter.ToDisplayString(value, PlainTextFormatter.MimeType);
    }

    private static VirtualMachine Traced()
    {
        var host = new Host(SmallHost());
        var vm = host.CreateVm(new VmConfig { Name = "steps", MemoryPages = 64 }, Assemble(CsrSteps));
        vm.Trace.Start(capacity: 100);
        for (int i = 0; i < 1000 && !vm.IsStopped; i++) host.RunFor(0.02);
        Assert.Equal(0, ExitCode(vm));
        return vm;
    }

    /// <summary>Two cores with two threads each, two busy 2-vCPU VMs, a busy VM and a mostly idle one, 20 ms in.</summary>
    private static Host Busy()
    {
        var host = new Host(SmallHost(cores: 2, threadsPerCore: 2) with { RamPages = 4096 });
        host.CreateVm(new VmConfig { Name = "smp", Vcpus = 2, Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "smp2", Vcpus = 2, Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "busy", Workload = Workload.Cpu() });
        host.CreateVm(new VmConfig { Name = "idle", Workload = Workload.Io() });
        host.RunFor(20);
        return host;
    }

    [Fact]
    public void A_traced_exit_steps_through_instruction_exit_emulation_and_resume_with_the_csrs_before_and_after()
    {
        var vm = Traced();
        var write = vm.Trace.Exits[0];
        Assert.Equal(VmExitReason.CsrAccess, write.Exit.Reason);

        var html = Html(write);
        Assert.Contains("class=\"virtlab traced-exit\"", html);
        Assert.Contains("Guest instruction.", html);
        Assert.Contains($"<code>{write.Exit.Disassembly}</code> at pc <code>0x{write.Exit.Pc:x8}</code>", html);
        Assert.Equal("csrw mscratch, t0", write.Exit.Disassembly);
        Assert.Contains("Exit to the hypervisor.", html);
        Assert.Contains("<tr><th>CSR</th><td><code>mscratch</code></td></tr>", html);
        Assert.Contains("<tr><th>source</th><td><code>0x00001234</code></td></tr>", html);
        // Every virtual CSR named, before and after; the one that changed is marked.
        foreach (var name in new[] { "mstatus", "mie", "mip", "mtvec", "mepc", "mcause", "mtval", "mscratch", "mcounteren" })
            Assert.Contains($"<th>{name}</th>", html);
        Assert.Contains("1 virtual CSR changed.", html);
        Assert.Contains("<tr><th>before</th>", html);
        Assert.Contains("<td class=\"changed\">0x00000000</td>", html);     // mscratch before
        Assert.Contains("<td class=\"changed\">0x00001234</td>", html);     // mscratch after
        Assert.Equal(2, CountOf(html, "class=\"changed\""));                // one CSR, two rows
        Assert.Contains("No guest register changed.", html);
        Assert.Contains($"resumes at pc <code>0x{write.Exit.Pc + 4:x8}</code> (the next instruction", html);

        // The read changes a register, not a CSR.
        var read = vm.Trace.Exits[1];
        var readHtml = Html(read);
        Assert.Contains("No virtual CSR changed.", readHtml);
        Assert.Contains("<code class=\"changed\">a0</code> <code>0x00000000</code> &rarr; <code>0x00001234</code>", readHtml);

        // mret resumes at the virtual mepc the guest wrote.
        var mret = vm.Trace.Exits.Single(e => e.Exit.Reason == VmExitReason.PrivilegedInstruction);
        Assert.Contains($"resumes at pc <code>0x{mret.CsrsBefore.MEpc:x8}</code> (the virtual mepc: mret returned there)", Html(mret));

        // The shutdown stops the VM: the last step says so instead of a resume.
        var last = vm.Trace.Exits[^1];
        Assert.Equal(VmExitReason.Hypercall, last.Exit.Reason);
        Assert.Contains("function</th><td><code>6 (shutdown)</code>", Html(last));
        Assert.Contains("The VM stopped: ", Html(last));

        var text = Text(write);
        Assert.Contains("1. guest instruction: ", text);
        Assert.Contains("2. exit: CsrAccess, CSR mscratch, source 0x00001234", text);
        Assert.Contains("3. emulation: mscratch: 0x00000000 -> 0x00001234", text);
        Assert.Contains($"4. resumes at 0x{write.Exit.Pc + 4:x8}", text);
    }

    [Fact]
    public void A_trace_is_a_table_with_one_row_per_exit_and_a_caption_that_counts_what_it_dropped()
    {
        var vm = Traced();
        var html = Html(vm.Trace);
        Assert.Contains("class=\"virtlab exit-trace\"", html);
        Assert.Contains($"exit trace: recording, {vm.Trace.Exits.Count} exits kept of {vm.Trace.Seen} seen", html);
        Assert.Equal(vm.Trace.Exits.Count, CountOf(html, "<tr><td class=\"num\">"));
        Assert.Contains("mscratch: 0x00000000 -&gt; 0x00001234", html);
        Assert.Contains("a0: 0x00000000 -&gt; 0x00001234", html);
        Assert.Contains("<code>CsrAccess</code>", html);
        Assert.Contains("VM stopped: ", html);
        Assert.Equal(vm.Trace.Exits.Count + 1, Text(vm.Trace).TrimEnd('\n').Split('\n').Length);

        // A part of a trace, as a query gives it, is a table too.
        var csr = vm.Trace.Exits.Where(e => e.Exit.Reason == VmExitReason.CsrAccess).ToList();
        Assert.Equal(csr.Count, CountOf(ExitViews.TraceHtml(csr), "<tr><td class=\"num\">"));
        Assert.Equal(csr.Count, CountOf(Html(vm.Trace.Exits.Where(e => e.Exit.Reason == VmExitReason.CsrAccess)), "<tr><td class=\"num\">"));
        Assert.Equal(2, CountOf(Html(vm.Trace.Exits.Take(2)), "<tr><td class=\"num\">"));
        Assert.Equal(vm.Trace.Exits.Count, CountOf(Html(vm.Trace.Exits), "<tr><td class=\"num\">"));
        Assert.Equal(csr.Count, CountOf(Html(csr), "<tr><td class=\"num\">"));

        // A full trace says what it dropped; one never started says how to start it.
        var host = new Host(SmallHost());
        var small = host.CreateVm(new VmConfig { Name = "small", MemoryPages = 64 }, Assemble(CsrSteps));
        Assert.Contains("never started (vm.Trace.Start(capacity) turns it on)", Html(small.Trace));
        small.Trace.Start(capacity: 2);
        for (int i = 0; i < 1000 && !small.IsStopped; i++) host.RunFor(0.02);
        Assert.Contains($"2 exits kept of {small.Trace.Seen} seen ({small.Trace.Seen - 2} dropped: it keeps the first 2)", Html(small.Trace));
    }

    [Fact]
    public void An_exit_record_shows_its_reason_instruction_operands_and_cycles()
    {
        var vm = Traced();
        var exit = vm.Trace.Exits[0].Exit;
        var html = Html(exit);
        Assert.Contains("class=\"virtlab vm-exit\"", html);
        Assert.Contains("exit <code>CsrAccess</code>", html);
        Assert.Contains($"<tr><th>guest pc</th><td><code>0x{exit.Pc:x8}</code></td></tr>", html);
        Assert.Contains($"<tr><th>cycles charged</th><td>{exit.Cycles:N0}</td></tr>", html);
        Assert.Contains("steps/vcpu0", html);
        Assert.Equal(exit.ToString(), Text(exit));
    }

    [Fact]
    public void A_vm_shows_its_vcpus_time_exits_by_reason_pages_by_state_balloon_and_stop_reason()
    {
        var host = Busy();
        var vm = host.Vms[0];
        vm.Balloon.Target = 40;
        var html = Html(vm);
        Assert.Contains("class=\"virtlab vm\"", html);
        Assert.Contains(Encoded("VM smp · 2 vCPUs · 256 pages (1 MiB) · running"), html);

        // Each vCPU: run, ready, co-stop and wait in ms and as a share of its time.
        foreach (var header in new[] { "<th>run</th>", "<th>ready</th>", "<th>co-stop</th>", "<th>wait</th>" }) Assert.Contains(header, html);
        foreach (var vcpu in vm.Vcpus)
        {
            var s = vcpu.Sched;
            ulong total = s.RunCycles + s.ReadyCycles + s.CoStopCycles + s.WaitCycles;
            Assert.Equal(20 * host.Config.CyclesPerMillisecond, total);   // the four parts add up to the time elapsed
            Assert.Contains($"<code>{vcpu.Name}</code>", html);
            string Cell(ulong cycles) => $"{((double)cycles / host.Config.CyclesPerMillisecond).ToString("0.##", CultureInfo.InvariantCulture)} ms <span class=\"muted\">{Percent(cycles, total)}</span>";
            Assert.Contains(Cell(s.RunCycles), html);
            Assert.Contains(Cell(s.ReadyCycles), html);
        }
        Assert.True(host.Vms.SelectMany(v => v.Vcpus).Sum(v => (long)v.Sched.ReadyCycles) > 0, "five busy vCPUs on four threads: some wait");

        // Exits by reason, with their cycles; the timer is among them.
        Assert.Contains($"<tr><td><code>Timer</code></td><td class=\"num\">{vm.Exits[VmExitReason.Timer]:N0}</td><td class=\"num\">{vm.Exits.CyclesOf(VmExitReason.Timer):N0}</td>", html);
        Assert.Contains($"<tr><th>all</th><td class=\"num\">{vm.Exits.Total:N0}</td><td class=\"num\">{vm.Exits.TotalCycles:N0}</td>", html);

        // Pages by state, adding up to the VM's size.
        var m = vm.Memory;
        Assert.Equal(m.Pages, m.MappedPages + m.SharedPages + m.BalloonedPages + m.SwappedPages + m.CountPages(VirtLab.Memory.PageState.Untouched));
        Assert.Contains("<th><span class=\"key s-mapped\"></span>mapped</th><th><span class=\"key s-shared\"></span>shared</th><th><span class=\"key s-ballooned\"></span>ballooned</th><th><span class=\"key s-swapped\"></span>swapped</th><th><span class=\"key s-untouched\"></span>untouched</th><th>total</th>", html);
        Assert.Contains($"<tr><td class=\"num\">{m.MappedPages:N0}</td><td class=\"num\">{m.SharedPages:N0}</td><td class=\"num\">{m.BalloonedPages:N0}</td><td class=\"num\">{m.SwappedPages:N0}</td><td class=\"num\">{m.CountPages(VirtLab.Memory.PageState.Untouched):N0}</td><td class=\"num\">256</td></tr>", html);
        Assert.Contains("<span class=\"s-mapped\" style=\"width:", html);
        Assert.Contains("target 40 pages, 0 in the balloon", html);

        // A stopped VM says why; each vCPU's pc and virtual CSRs as the guest left them; its memory map.
        var stopped = Traced();
        var stoppedHtml = Html(stopped);
        Assert.Contains($"stopped: {stopped.StopReason}", stoppedHtml);
        var csrs = stoppedHtml[stoppedHtml.IndexOf("<table class=\"csr-table mono\">", StringComparison.Ordinal)..];
        csrs = csrs[..csrs.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Contains("<th>vCPU</th><th>pc</th><th>mstatus</th><th>mie</th>", csrs);
        var c = stopped.Vcpus[0].Csrs;
        Assert.Contains($"<tr><td>steps/vcpu0</td><td>0x{stopped.Vcpus[0].Hart.Pc:x8}</td><td>0x{c.MStatus:x8}</td><td>0x{c.Mie:x8}</td>", csrs);
        Assert.Contains("<td>0x00001234</td>", csrs);   // mscratch, as the guest wrote it
        Assert.Contains("<tr><td class=\"mono\">0x80000000&ndash;0x8003ffff</td><td>RAM: 64 pages", stoppedHtml);
        Assert.Contains("<tr><td class=\"mono\">0x02000000&ndash;0x0200ffff</td><td>vclint: device registers", stoppedHtml);
        Assert.Contains("vballoon: device registers", stoppedHtml);

        var text = Text(vm);
        Assert.StartsWith("VM smp · 2 vCPUs", text);
        Assert.Contains("smp/vcpu1 (", text);
        Assert.Contains($" Timer {vm.Exits[VmExitReason.Timer]:N0} (", text);
        Assert.Contains($"pages: mapped {m.MappedPages:N0} shared 0 ballooned 0 swapped 0 untouched ", text);
    }

    [Fact]
    public void A_host_shows_cores_and_threads_with_what_runs_where_its_memory_reclamation_state_and_vms()
    {
        var host = Busy();
        var html = Html(host);
        Assert.Contains("class=\"virtlab host\"", html);
        Assert.Contains(Encoded("host · Type 1 · 2 cores × 2 threads · credit scheduler · 20 ms simulated"), html);
        Assert.Contains("<th>core</th><th>thread 0</th><th>thread 1</th>", html);
        foreach (var thread in host.Threads)
        {
            string runs = thread.Current is { } e ? $"<code>{e.Name}</code>" : "<span class=\"muted\">idle</span>";
            Assert.Contains($"<td title=\"hardware thread {thread.Index}\">{runs} <span class=\"muted\">&middot; busy {Percent(thread.BusyCycles, 20 * host.Config.CyclesPerMillisecond)} so far", html);
        }
        Assert.Contains(host.Threads.First(t => t.Current is not null).Current!.Name, html);
        Assert.Contains($"<tr><th>free</th><td>{host.Frames.FreeFrames:N0} frames (", html);
        Assert.Contains($"<tr><th>reclamation state</th><td>{host.ReclamationState.ToString().ToLowerInvariant()}</td></tr>", html);
        Assert.Contains("<tr><th>swap</th><td>0 of 65,536 pages used</td></tr>", html);
        Assert.Contains("<tr><th>kept by the hypervisor</th><td>256 frames</td></tr>", html);
        foreach (var vm in host.Vms)
            Assert.Contains($"<tr><td><code>{vm.Name}</code></td><td class=\"num\">{vm.Vcpus.Count}</td><td>running</td>", html);
        Assert.Contains($"<td class=\"num\">{host.Vms[0].Memory.MappedPages:N0} / 256</td>", html);

        var text = Text(host);
        Assert.Contains("  core 0:  t0 ", text);
        Assert.Contains("  core 1:  t2 ", text);
        Assert.Contains("  reclamation state: high", text);
        Assert.Contains("  VM idle · 1 vCPU · 256 pages (1 MiB) · running", text);
    }

    [Fact]
    public void A_type2_host_lists_its_host_processes_and_offline_threads_show_as_offline()
    {
        var host = new Host(SmallHost(cores: 2, threadsPerCore: 2) with { Kind = HypervisorKind.Type2, OneThreadPerCore = true });
        host.CreateVm(new VmConfig { Name = "guest", Workload = Workload.Cpu() });
        host.RunFor(5);
        var html = Html(host);
        Assert.Contains(Encoded("host · Type 2 · 2 cores × 2 threads (one thread per core online) · fair scheduler"), html);
        Assert.Contains("<span class=\"muted\">offline</span>", html);
        Assert.Contains("host processes (Type 2: they compete with the vCPU threads)", html);
        Assert.Contains($"<code>{host.HostProcesses[0].Name}</code>", html);
        Assert.Contains("kept by the host OS", html);
    }

    private static string Encoded(string text) => System.Net.WebUtility.HtmlEncode(text);

    private static string Percent(double part, double whole) => (100 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
