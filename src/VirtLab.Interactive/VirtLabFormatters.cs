using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using VirtLab.Assembly;
using VirtLab.Experiments;
using VirtLab.Hypervisor;
using VirtLab.Machine;
using VirtLab.Programs;

namespace VirtLab.Interactive;

/// <summary>
/// Registers VirtLab's HTML formatters with .NET Interactive's <see cref="Formatter"/>, so that a
/// notebook cell ending in a hart, a machine, a program, a run result, a <see cref="Table"/>,
/// an experiment's result, a host, a VM, an exit or an exit trace, or a Plotly chart shows a
/// readable view instead of a property dump; <see cref="MarkdownText"/> shows as rendered Markdown.
/// <para>
/// Registration happens when this assembly is loaded (module initializer) and again on
/// <see cref="Register"/>; calling it more than once is harmless. A kernel reset
/// (<see cref="Formatter.ResetToDefault"/>, which VirtLab's runner does before every notebook)
/// drops the formatters, so lessons call <c>VirtLabFormatters.Register()</c> in their first cell.
/// </para>
/// </summary>
public static class VirtLabFormatters
{
    private static readonly Lock gate = new();
    private static readonly Table probe = new("virtlab-formatter-probe", "value");

    /// <summary>
    /// True while VirtLab's formatters are registered with the Formatter. Asked of the Formatter
    /// itself (by formatting a probe) because a kernel reset clears registrations behind our back.
    /// </summary>
    public static bool IsRegistered => Formatter.ToDisplayString(probe, HtmlFormatter.MimeType).Contains("class=\"virtlab result-table\"", StringComparison.Ordinal);

#pragma warning disable CA2255 // a library initializer on purpose: referencing the dll is enough to get readable outputs
    [ModuleInitializer]
    internal static void RegisterOnLoad() => Register();
#pragma warning restore CA2255

    /// <summary>Registers the formatters unless they already are. Safe to call any number of times.</summary>
    public static void Register()
    {
        lock (gate)
        {
            if (IsRegistered) return;
            const string html = HtmlFormatter.MimeType;
            Formatter.Register<Hart>((hart, writer) => writer.Write(MachineViews.HartHtml(hart)), html);
            Formatter.Register<VirtLab.Machine.Machine>((machine, writer) => writer.Write(MachineViews.MachineHtml(machine)), html);
            Formatter.Register<RunResult>((result, writer) => writer.Write(MachineViews.RunResultHtml(result)), html);
            Formatter.Register<AssemblyResult>((result, writer) => writer.Write(ProgramListing.Of(result).ToHtml()), html);
            Formatter.Register<ProgramImage>((program, writer) => writer.Write(ProgramListing.Of(program).ToHtml()), html);
            Formatter.Register<ProgramListing>((listing, writer) => writer.Write(listing.ToHtml()), html);
            Formatter.Register<Table>((table, writer) => writer.Write(ResultViews.TableHtml(table)), html);
            Formatter.Register<ExperimentResult>((result, writer) => writer.Write(ResultViews.ExperimentResultHtml(result)), html);
            Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.Render(chart)), html);
            Formatter.Register<Table>((table, writer) => writer.Write(table.ToText()), PlainTextFormatter.MimeType);
            Formatter.Register<ExperimentResult>((result, writer) => writer.Write(result.ToText()), PlainTextFormatter.MimeType);
            // The figure as JSON too: JupyterLab and VS Code draw this MIME type themselves, with no
            // script to trust and no network; HTML stays first for the course site and nbconvert.
            Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.FigureJson(chart)), ChartHtml.PlotlyMimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), html, ChartHtml.PlotlyMimeType);
            Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.PlainText(chart)), PlainTextFormatter.MimeType);
            Formatter.Register<ProgramListing>((listing, writer) => writer.Write(listing.ToString()), PlainTextFormatter.MimeType);
            Formatter.Register<Question>((question, writer) => writer.Write(SelfCheckViews.QuestionHtml(question)), html);
            Formatter.Register<Question>((question, writer) => writer.Write(question.ToString()), PlainTextFormatter.MimeType);
            Formatter.Register<CheckResult>((result, writer) => writer.Write(SelfCheckViews.ResultHtml(result)), html);
            Formatter.Register<CheckResult>((result, writer) => writer.Write(result.ToString()), PlainTextFormatter.MimeType);
            Formatter.Register<VirtLab.Grading.Trial.TrialResult>((result, writer) => writer.Write(SelfCheckViews.TrialHtml(result)), html);
            Formatter.Register<VirtLab.Grading.Trial.TrialResult>((result, writer) => writer.Write(result.ToString()), PlainTextFormatter.MimeType);
            RegisterHypervisorViews();
            // The Formatter was reset (or this is the first registration): a new kernel session.
            SelfCheckSession.StartNew();
        }
    }

    /// <summary>Views of hosts and VMs (<see cref="HypervisorViews"/>), of exits and traces (<see cref="ExitViews"/>), and Markdown prose.</summary>
    private static void RegisterHypervisorViews()
    {
        const string html = HtmlFormatter.MimeType, text = PlainTextFormatter.MimeType;
        Formatter.Register<Host>((host, writer) => writer.Write(HypervisorViews.HostHtml(host)), html);
        Formatter.Register<Host>((host, writer) => writer.Write(HypervisorViews.HostText(host)), text);
        Formatter.Register<VirtualMachine>((vm, writer) => writer.Write(HypervisorViews.VmHtml(vm)), html);
        Formatter.Register<VirtualMachine>((vm, writer) => writer.Write(HypervisorViews.VmText(vm)), text);
        Formatter.Register<VmExit>((exit, writer) => writer.Write(ExitViews.ExitHtml(exit)), html);
        Formatter.Register<VmExit>((exit, writer) => writer.Write(exit.ToString()), text);
        Formatter.Register<TracedExit>((exit, writer) => writer.Write(ExitViews.TracedExitHtml(exit)), html);
        Formatter.Register<TracedExit>((exit, writer) => writer.Write(ExitViews.TracedExitText(exit)), text);
        Formatter.Register<ExitTrace>((trace, writer) => writer.Write(ExitViews.TraceHtml(trace)), html);
        Formatter.Register<ExitTrace>((trace, writer) => writer.Write(ExitViews.TraceText(trace)), text);
        // A part of a trace (vm.Trace.Exits.Where(...), .Take(5), a list) shows as the same table.
        Formatter.Register<IEnumerable<TracedExit>>((exits, writer) => writer.Write(ExitViews.TraceHtml(exits)), html);
        Formatter.Register<IEnumerable<TracedExit>>((exits, writer) => writer.Write(string.Concat(exits.Select(e => e + "\n"))), text);
        Formatter.Register<MarkdownText>((markdown, writer) => writer.Write(markdown.Text), MarkdownText.MimeType);
        Formatter.Register<MarkdownText>((markdown, writer) => writer.Write(markdown.Text), text);
        // Markdown only (the runner adds plain text): front ends render it themselves, and an HTML
        // form would win over it in Jupyter's ranking.
        Formatter.SetPreferredMimeTypesFor(typeof(MarkdownText), MarkdownText.MimeType);
    }
}
