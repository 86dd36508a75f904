using System.Runtime.CompilerServices;
using System.Text;
using VirtLab.Assembly;
using VirtLab.Machine;

namespace VirtLab.Interactive;

/// <summary>
/// HTML views of the machine: a hart's registers and CSRs, a whole machine, and a run result.
/// A hart remembers what it looked like the last time it was shown, so registers that changed
/// since then are highlighted: run a few instructions, display the hart again, and the effect
/// of those instructions stands out.
/// </summary>
public static class MachineViews
{
    private sealed record Snapshot(uint[] Registers, uint Pc);

    private static readonly ConditionalWeakTable<Hart, Snapshot> lastShown = new();

    /// <summary>The HTML for <paramref name="hart"/>; registers that changed since its previous display are marked <c>changed</c>.</summary>
    public static string HartHtml(Hart hart) => Html.Open("hart").Append(HartBody(hart)).Append("</div>").ToString();

    /// <summary>Forgets what <paramref name="hart"/> looked like, so its next display highlights nothing.</summary>
    public static void ForgetHistory(Hart hart) => lastShown.Remove(hart);

    private static string HartBody(Hart hart)
    {
        var registers = hart.Registers;
        lastShown.TryGetValue(hart, out var previous);
        lastShown.AddOrUpdate(hart, new Snapshot(registers, hart.Pc));

        var html = new StringBuilder();
        html.Append("<div class=\"caption\">hart ").Append(hart.HartId)
            .Append(" &middot; pc <code").Append(previous is not null && previous.Pc != hart.Pc ? " class=\"changed\"" : "").Append('>').Append(Html.Hex(hart.Pc)).Append("</code>")
            .Append(" &middot; ").Append(Html.Encode(PrivilegeName(hart.Privilege))).Append(" mode")
            .Append(" &middot; ").Append(hart.Instret.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" instructions retired")
            .Append(hart.IsWaitingForInterrupt ? " &middot; waiting in wfi" : "")
            .Append("</div>");
        if (hart.Memory.TryFetch(hart.Pc, out uint word))
            html.Append("<div>next: <code>").Append(Html.Encode(Disassembler.Disassemble(word, hart.Pc))).Append("</code></div>");

        // Registers column by column (x0..x7 in the first column, ...), as a register file is usually drawn.
        html.Append("<div class=\"regs mono\">");
        for (int row = 0; row < 8; row++)
        {
            for (int column = 0; column < 4; column++)
            {
                int r = column * 8 + row;
                bool changed = previous is not null && previous.Registers[r] != registers[r];
                html.Append("<span class=\"reg").Append(changed ? " changed" : "").Append("\" title=\"x").Append(r).Append(" = ").Append(registers[r]).Append("\">")
                    .Append(Html.Encode(RegisterLabel(r))).Append(' ')
                    .Append(registers[r] == 0 ? "<span class=\"muted\">" + Html.Hex(0) + "</span>" : Html.Hex(registers[r]))
                    .Append("</span>");
            }
        }
        html.Append("</div>");

        html.Append("<table class=\"csrs mono\"><tr>");
        foreach (var (name, _) in KeyCsrs(hart)) html.Append("<th>").Append(name).Append("</th>");
        html.Append("</tr><tr>");
        foreach (var (_, value) in KeyCsrs(hart)) html.Append("<td>").Append(Html.Hex(value)).Append("</td>");
        html.Append("</tr></table>");
        return html.ToString();
    }

    /// <summary>The label of register <paramref name="number"/>: <c>x10/a0</c>.</summary>
    public static string RegisterLabel(int number) => $"x{number}/{RegisterNames.AbiName(number)}".PadRight(8);

    private static IEnumerable<(string Name, uint Value)> KeyCsrs(Hart hart) =>
    [
        ("mstatus", hart.MStatus), ("mie", hart.Mie), ("mip", hart.Mip), ("mtvec", hart.MTvec),
        ("mepc", hart.MEpc), ("mcause", hart.MCause), ("mtval", hart.MTval), ("mscratch", hart.MScratch),
    ];

    private static string PrivilegeName(Privilege privilege) => privilege switch
    {
        Privilege.Machine => "machine",
        Privilege.Supervisor => "supervisor",
        Privilege.User => "user",
        _ => privilege.ToString(),
    };

    /// <summary>The HTML for a machine: its configuration, every hart, and the console output so far.</summary>
    public static string MachineHtml(VirtLab.Machine.Machine machine)
    {
        var html = Html.Open("machine");
        html.Append("<div class=\"caption\">machine &middot; ")
            .Append(machine.Harts.Count).Append(machine.Harts.Count == 1 ? " hart" : " harts")
            .Append(" &middot; ").Append(machine.Config.RamSize / (1024 * 1024)).Append(" MiB RAM at ").Append(Html.Hex(MachineConfig.RamBase))
            .Append(" &middot; ").Append(machine.HasEnded ? "ended" : "running").Append("</div>");
        foreach (var hart in machine.Harts) html.Append(HartBody(hart));
        var console = machine.ConsoleOutput;
        if (console.Length > 0)
            html.Append("<div class=\"caption\">console output</div><pre class=\"mono\">").Append(Html.Encode(console)).Append("</pre>");
        return html.Append("</div>").ToString();
    }

    /// <summary>The HTML for a run result: why it stopped, exit code, instructions, cycles and speed.</summary>
    public static string RunResultHtml(RunResult result)
    {
        var html = Html.Open("run-result");
        string verdict = result.Passed ? "<span class=\"ok\">passed</span>"
            : result.Reason == ExitReason.ProgramExited ? $"<span class=\"bad\">exited with code {result.ExitCode}</span>"
            : $"<span class=\"bad\">{Html.Encode(ReasonText(result.Reason))}</span>";
        html.Append("<table><tr><th>result</th><td>").Append(verdict).Append("</td></tr>")
            .Append("<tr><th>exit reason</th><td><code>").Append(result.Reason).Append("</code></td></tr>")
            .Append("<tr><th>exit code</th><td class=\"num\">").Append(result.ExitCode).Append("</td></tr>")
            .Append("<tr><th>instructions</th><td class=\"num\">").Append(result.Instructions.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append("</td></tr>")
            .Append("<tr><th>cycles</th><td class=\"num\">").Append(result.Cycles.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append("</td></tr>")
            .Append("<tr><th>host time</th><td class=\"num\">").Append(result.Elapsed.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)).Append(" ms</td></tr>")
            .Append("<tr><th>MIPS</th><td class=\"num\">").Append(result.Mips.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).Append("</td></tr>");
        if (!string.IsNullOrEmpty(result.Message))
            html.Append("<tr><th>message</th><td>").Append(Html.Encode(result.Message)).Append("</td></tr>");
        return html.Append("</table></div>").ToString();
    }

    private static string ReasonText(ExitReason reason) => reason switch
    {
        ExitReason.InstructionBudgetExhausted => "instruction budget exhausted",
        ExitReason.Deadlocked => "deadlocked",
        ExitReason.Unsupported => "unsupported request",
        _ => reason.ToString(),
    };
}
