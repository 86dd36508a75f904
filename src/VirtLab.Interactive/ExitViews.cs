using System.Globalization;
using System.Text;
using VirtLab.Assembly;
using VirtLab.Hypervisor;
using VirtLab.Machine;

namespace VirtLab.Interactive;

/// <summary>
/// HTML and text views of VM exits: one <see cref="VmExit"/> (why the guest left, at which
/// instruction, with which operands, at what cost), one <see cref="TracedExit"/> as the four steps
/// of trap-and-emulate (the guest instruction, the exit, the emulation with the virtual CSRs and
/// registers before and after, the resume), and a whole <see cref="ExitTrace"/> (or any list of
/// traced exits) as a table, one exit per row. Turn a VM's trace on with
/// <c>vm.Trace.Start(capacity: 100)</c>, run the host, then display <c>vm.Trace</c> or
/// <c>vm.Trace.Exits[0]</c>.
/// </summary>
public static class ExitViews
{
    /// <summary>Rows a trace table shows before the rest is left out (the trace itself keeps them all).</summary>
    public const int MaxRows = 200;

    private const string Style = """
        <style>
        .virtlab.traced-exit ol.steps{margin:.2em 0;padding-left:1.4em}
        .virtlab.traced-exit ol.steps>li{margin:.35em 0}
        .virtlab.traced-exit .step{font-weight:600}
        .virtlab .csr-table td,.virtlab .csr-table th{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        .virtlab table.trace td{white-space:nowrap}.virtlab table.trace td.wrap{white-space:normal}
        </style>
        """;

    /// <summary>The HTML for one exit: reason, vCPU, guest pc and instruction, the operands its reason has, and the cycles charged.</summary>
    public static string ExitHtml(VmExit exit)
    {
        var html = Html.Open("vm-exit");
        html.Append("<div class=\"caption\">exit <code>").Append(exit.Reason).Append("</code></div>");
        html.Append(ExitTable(exit));
        return html.Append("</div>").ToString();
    }

    /// <summary>
    /// The HTML for one traced exit, in four numbered steps: 1. the guest instruction (pc,
    /// disassembly, vCPU, time); 2. the exit (reason, operands, cycles); 3. the emulation (every
    /// virtual CSR before and after, the changed ones marked <c>changed</c>, and the guest registers
    /// it changed); 4. where the guest resumes (or why the VM stopped).
    /// </summary>
    public static string TracedExitHtml(TracedExit traced)
    {
        var exit = traced.Exit;
        var html = Html.Open("traced-exit").Insert(0, Style);
        html.Append("<div class=\"caption\">exit #").Append(traced.Number).Append(" · <code>").Append(exit.Reason).Append("</code> · ")
            .Append(Html.Encode(exit.Vcpu?.Name ?? "")).Append(" · at ").Append(Html.Encode(Time(traced.AtMilliseconds))).Append("</div>");
        html.Append("<ol class=\"steps\">");

        html.Append("<li><span class=\"step\">Guest instruction.</span> ");
        html.Append(exit.Instruction != 0
            ? $"<code>{Html.Encode(exit.Disassembly)}</code> at pc <code>{Html.Hex(exit.Pc)}</code> (word <code>{Html.Hex(exit.Instruction)}</code>)"
            : $"no instruction: the hypervisor interrupts the guest at pc <code>{Html.Hex(exit.Pc)}</code>");
        html.Append("</li>");

        html.Append("<li><span class=\"step\">Exit to the hypervisor.</span> ").Append(Html.Encode(ReasonText(exit.Reason))).Append(ExitTable(exit)).Append("</li>");

        html.Append("<li><span class=\"step\">Emulation.</span> ");
        var changes = traced.CsrChanges;
        html.Append(changes.Count == 0 ? "No virtual CSR changed." : $"{changes.Count} virtual {(changes.Count == 1 ? "CSR" : "CSRs")} changed.");
        html.Append("<table class=\"csr-table\"><thead><tr><th></th>");
        var before = CsrValues(traced.CsrsBefore);
        var after = CsrValues(traced.CsrsAfter);
        foreach (var (name, _) in before) html.Append("<th>").Append(name).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var (label, values) in new[] { ("before", before), ("after", after) })
        {
            html.Append("<tr><th>").Append(label).Append("</th>");
            for (int i = 0; i < values.Count; i++)
                html.Append(before[i].Value != after[i].Value ? "<td class=\"changed\">" : "<td>").Append(Html.Hex(values[i].Value)).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (traced.RegisterChanges.Count == 0) html.Append("<div>No guest register changed.</div>");
        else
        {
            html.Append("<div>Guest registers changed:");
            foreach (var change in traced.RegisterChanges)
                html.Append(" <code class=\"changed\">").Append(Html.Encode(change.Name)).Append("</code> <code>").Append(Html.Hex(change.Before)).Append("</code> &rarr; <code>").Append(Html.Hex(change.After)).Append("</code>");
            html.Append("</div>");
        }
        html.Append("</li>");

        html.Append("<li><span class=\"step\">Resume.</span> ");
        if (traced.StopReason is { } stopped) html.Append("<span class=\"bad\">The VM stopped: ").Append(Html.Encode(stopped)).Append("</span>");
        else
        {
            html.Append("The guest resumes at pc <code>").Append(Html.Hex(traced.ResumePc)).Append("</code> ").Append(Html.Encode(ResumeText(traced)));
            if (exit.Vcpu is { } vcpu && vcpu.Vm.ReadGuestWord(traced.ResumePc) is var word and not 0)
                html.Append(": <code>").Append(Html.Encode(Disassembler.Disassemble(word, traced.ResumePc))).Append("</code>");
        }
        html.Append("</li></ol>");
        return html.Append("</div>").ToString();
    }

    /// <summary>One traced exit as text, one line per step.</summary>
    public static string TracedExitText(TracedExit traced)
    {
        var exit = traced.Exit;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"exit #{traced.Number}, {exit.Vcpu?.Name}, at {Time(traced.AtMilliseconds)}\n");
        text.Append("  1. guest instruction: ").Append(exit.Instruction != 0 ? $"{exit.Disassembly} at 0x{exit.Pc:x8}" : $"none (interrupted at 0x{exit.Pc:x8})").Append('\n');
        text.Append("  2. exit: ").Append(exit.Reason);
        foreach (var (name, value) in Operands(exit)) text.Append(", ").Append(name).Append(' ').Append(value);
        text.Append(CultureInfo.InvariantCulture, $", {exit.Cycles:N0} cycles\n");
        text.Append("  3. emulation: ").Append(Changes(traced) is { Length: > 0 } changes ? changes : "nothing changed").Append('\n');
        text.Append("  4. ").Append(traced.StopReason is { } stopped ? $"VM stopped: {stopped}" : $"resumes at 0x{traced.ResumePc:x8} {ResumeText(traced)}").Append('\n');
        return text.ToString();
    }

    /// <summary>The HTML for a whole trace: how much it kept and dropped, then its exits as a table (<see cref="MaxRows"/> at most).</summary>
    public static string TraceHtml(ExitTrace trace)
    {
        var html = Html.Open("exit-trace").Insert(0, Style);
        html.Append("<div class=\"caption\">").Append(Html.Encode(TraceCaption(trace))).Append("</div>");
        html.Append(TraceTable(trace.Exits));
        return html.Append("</div>").ToString();
    }

    /// <summary>The HTML for a list of traced exits (a part of a trace, say <c>vm.Trace.Exits.Where(e =&gt; e.Exit.Reason == VmExitReason.CsrAccess)</c>) as a table.</summary>
    public static string TraceHtml(IEnumerable<TracedExit> exits) =>
        Html.Open("exit-trace").Insert(0, Style).Append(TraceTable(exits.ToList())).Append("</div>").ToString();

    /// <summary>A whole trace as text: its caption, then one line per exit.</summary>
    public static string TraceText(ExitTrace trace) =>
        TraceCaption(trace) + "\n" + string.Concat(trace.Exits.Select(e => e + "\n"));

    private static string TraceTable(IReadOnlyList<TracedExit> exits)
    {
        var html = new StringBuilder();
        html.Append("<table class=\"trace\"><thead><tr><th>#</th><th>time</th><th>vCPU</th><th>pc</th><th>instruction</th><th>reason</th><th>operands</th><th>cycles</th><th>changed</th><th>resumes at</th></tr></thead><tbody>");
        foreach (var traced in exits.Take(MaxRows))
        {
            var exit = traced.Exit;
            html.Append("<tr><td class=\"num\">").Append(traced.Number).Append("</td><td class=\"num\">").Append(Html.Encode(Time(traced.AtMilliseconds))).Append("</td>")
                .Append("<td>").Append(Html.Encode(exit.Vcpu?.Name ?? "")).Append("</td>")
                .Append("<td class=\"mono\">").Append(Html.Hex(exit.Pc)).Append("</td>")
                .Append("<td><code>").Append(Html.Encode(exit.Disassembly)).Append("</code></td>")
                .Append("<td><code>").Append(exit.Reason).Append("</code></td>")
                .Append("<td class=\"wrap\">").Append(Html.Encode(string.Join(", ", Operands(exit).Select(o => $"{o.Name} {o.Value}")))).Append("</td>")
                .Append("<td class=\"num\">").Append(Html.Count(exit.Cycles)).Append("</td>")
                .Append("<td class=\"mono wrap\">").Append(Html.Encode(Changes(traced))).Append("</td>")
                .Append("<td class=\"mono\">").Append(traced.StopReason is { } stopped ? "<span class=\"bad\">VM stopped: " + Html.Encode(stopped) + "</span>" : Html.Hex(traced.ResumePc)).Append("</td></tr>");
        }
        html.Append("</tbody></table>");
        if (exits.Count == 0) html.Append("<div class=\"muted\">no exits</div>");
        if (exits.Count > MaxRows) html.Append("<div class=\"muted\">").Append(exits.Count - MaxRows).Append(" more exits not shown</div>");
        return html.ToString();
    }

    private static string TraceCaption(ExitTrace trace) =>
        trace.Capacity == 0 ? "exit trace: never started (vm.Trace.Start(capacity) turns it on)"
        : $"exit trace: {(trace.IsRecording ? "recording" : "stopped")}, {trace.Exits.Count:N0} exits kept of {trace.Seen:N0} seen"
          + (trace.Dropped > 0 ? $" ({trace.Dropped:N0} dropped: it keeps the {(trace.Limit == ExitTraceLimit.KeepFirst ? "first" : "last")} {trace.Capacity:N0})" : "");

    private static string ExitTable(VmExit exit)
    {
        var html = new StringBuilder("<table class=\"exit\"><tbody>");
        void Row(string name, string valueHtml) => html.Append("<tr><th>").Append(name).Append("</th><td>").Append(valueHtml).Append("</td></tr>");
        Row("vCPU", Html.Encode(exit.Vcpu?.Name ?? ""));
        Row("guest pc", "<code>" + Html.Hex(exit.Pc) + "</code>");
        Row("instruction", exit.Instruction != 0 ? "<code>" + Html.Encode(exit.Disassembly) + "</code>" : "<span class=\"muted\">none</span>");
        foreach (var (name, value) in Operands(exit)) Row(Html.Encode(name), "<code>" + Html.Encode(value) + "</code>");
        Row("cycles charged", Html.Count(exit.Cycles));
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>The operands an exit of its reason carries, by name (which ones depend on the reason: see <see cref="VmExit"/>).</summary>
    internal static IEnumerable<(string Name, string Value)> Operands(VmExit exit)
    {
        switch (exit.Reason)
        {
            case VmExitReason.Mmio or VmExitReason.BalloonDoorbell:
                yield return ("device", exit.Device ?? "");
                yield return ("access", $"{(exit.Access == MemoryAccess.Write ? "write" : "read")} of {exit.Size} bytes");
                yield return ("address", Html.Hex(exit.Address));
                yield return ("value", Html.Hex(exit.Value));
                break;
            case VmExitReason.GuestPageFault or VmExitReason.TouchFault or VmExitReason.SwapIn:
                yield return ("access", exit.Access.ToString().ToLowerInvariant());
                yield return ("guest page", Html.Hex(exit.Address));
                break;
            case VmExitReason.CsrAccess when exit.Csr is { } csr:
                yield return ("CSR", CsrNames.NameOrNumber((int)csr.Csr));
                yield return ("source", Html.Hex(exit.Value));
                break;
            case VmExitReason.Hypercall:
                yield return ("function", $"{exit.Value} ({HypercallName(exit.Value)})");
                break;
            case VmExitReason.GuestException:
                yield return ("cause reflected", exit.Cause.ToString());
                yield return ("tval", Html.Hex(exit.Tval));
                break;
            case VmExitReason.Timer or VmExitReason.SoftwareInterrupt:
                yield return ("interrupt injected", exit.Cause.ToString());
                break;
        }
    }

    private static string HypercallName(uint function) => function switch
    {
        Hypercalls.PutChar => "put-char",
        Hypercalls.SetTimer => "set-timer",
        Hypercalls.GetTime => "get-time",
        Hypercalls.Yield => "yield",
        Hypercalls.Notify => "notify",
        Hypercalls.Panic => "panic",
        Hypercalls.Shutdown => "shutdown",
        _ => "unknown",
    };

    private static string ReasonText(VmExitReason reason) => reason switch
    {
        VmExitReason.CsrAccess => "The deprivileged guest touched a machine-mode CSR, so the hart trapped to the hypervisor, which emulates the access on the vCPU's virtual CSRs.",
        VmExitReason.PrivilegedInstruction => "A privileged instruction (mret) trapped; the hypervisor performs it on the virtual CSRs.",
        VmExitReason.Wfi => "The guest is idle (wfi): the vCPU leaves its hardware thread until an interrupt is due.",
        VmExitReason.Mmio => "A load or store hit a virtual device's window; the device model served it.",
        VmExitReason.Hypercall => "The guest called the hypervisor on purpose (ecall with the hypercall marker in a7).",
        VmExitReason.GuestPageFault => "The guest touched a page with no host frame behind it (or wrote to a shared one): the hypervisor gives it a frame.",
        VmExitReason.Timer => "The guest's virtual timer is due: the hypervisor injects the interrupt into the guest's trap handler.",
        VmExitReason.GuestException => "A fault of the guest's own making: the hypervisor reflects it into the guest's trap handler, as a real hart would.",
        VmExitReason.SoftwareInterrupt => "Another vCPU sent an inter-processor interrupt: the hypervisor injects it.",
        VmExitReason.TouchFault => "The guest touched a page the active-memory sampler had hidden: the hypervisor counts the touch and maps the page back.",
        VmExitReason.SwapIn => "The page was in the host's swap area: the vCPU stalls while it is read back.",
        VmExitReason.BalloonDoorbell => "The guest's balloon driver rang the doorbell: the hypervisor inflates or deflates the balloon by the pages it listed.",
        _ => "",
    };

    private static string ResumeText(TracedExit traced)
    {
        var exit = traced.Exit;
        if (exit.Reason == VmExitReason.PrivilegedInstruction && traced.ResumePc == traced.CsrsBefore.MEpc) return "(the virtual mepc: mret returned there)";
        if (exit.Reason is VmExitReason.Timer or VmExitReason.SoftwareInterrupt or VmExitReason.GuestException && traced.ResumePc == (traced.CsrsAfter.MTvec & ~3u))
            return "(the guest's trap handler, at its mtvec)";
        if (exit.Instruction != 0 && traced.ResumePc == exit.Pc + 4) return "(the next instruction: the exit was emulated in place)";
        if (traced.ResumePc == exit.Pc) return "(the same instruction, which runs again)";
        return "";
    }

    /// <summary>The virtual CSRs and registers an exit's emulation changed, on one line.</summary>
    private static string Changes(TracedExit traced) =>
        string.Join("; ", traced.CsrChanges.Select(c => c.ToString()).Concat(traced.RegisterChanges.Select(r => r.ToString())));

    /// <summary>Every virtual CSR by name, in <see cref="VirtualCsrValues"/>' order.</summary>
    internal static List<(string Name, uint Value)> CsrValues(VirtualCsrValues c) =>
    [
        (Name(Csr.MStatus), c.MStatus), (Name(Csr.Mie), c.Mie), (Name(Csr.Mip), c.Mip), (Name(Csr.MTvec), c.MTvec), (Name(Csr.MEpc), c.MEpc),
        (Name(Csr.MCause), c.MCause), (Name(Csr.MTval), c.MTval), (Name(Csr.MScratch), c.MScratch), (Name(Csr.MCounterEn), c.MCounterEn),
    ];

    private static string Name(ushort csr) => CsrNames.NameOrNumber(csr);

    private static string Time(double ms) => ms.ToString("0.######", CultureInfo.InvariantCulture) + " ms";
}
