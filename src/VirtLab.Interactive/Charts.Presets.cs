using System.Linq.Expressions;
using System.Reflection;
using Plotly.NET;
using VirtLab.Experiments;
using VirtLab.Hypervisor;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace VirtLab.Interactive;

/// <summary>What <see cref="Charts.Exits(IEnumerable{VirtualMachine}, ExitMeasure, string?)"/> draws for each exit reason.</summary>
public enum ExitMeasure
{
    /// <summary>How many exits of the reason there were.</summary>
    Count,

    /// <summary>The cycles charged for them: the world switches, the handlers' work and any stall.</summary>
    Cycles,
}

// Presets: the standard charts of a run of the hypervisor, with titles and axis units set.
public static partial class Charts
{
    /// <summary>
    /// Where a VM's vCPU time went, over the run: run, ready, co-stop and wait as stacked areas, each
    /// as a share of the VM's vCPU time in each sample interval (so the stack is 100 % everywhere;
    /// a VM's vCPUs are added together). Ready is time the vCPUs could have run but no hardware
    /// thread was free; co-stop is time a vCPU was held back because it ran ahead of its siblings.
    /// With <paramref name="vm"/>, that VM; without, every VM of the run, one at a time behind a
    /// drop-down (a single VM needs none).
    /// <example><code>Charts.CpuTime(outcome)            // every VM, pick one in the drop-down
    /// Charts.CpuTime(outcome, "web")</code></example>
    /// </summary>
    public static GenericChart CpuTime(RunOutcome outcome, string? vm = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return PerVm(outcome, vm, name =>
        {
            var samples = outcome.SamplesOf(name);
            int vcpus = outcome.Host.Vms.First(v => v.Name == name).Vcpus.Count;
            var x = samples.Select(s => s.TimeMilliseconds).ToList();
            Series Share(string state, Func<VmSample, double> milliseconds)
            {
                var y = new List<double>(samples.Count);
                for (int i = 0; i < samples.Count; i++)
                {
                    double interval = (samples[i].TimeMilliseconds - (i == 0 ? 0 : samples[i - 1].TimeMilliseconds)) * vcpus;
                    double part = milliseconds(samples[i]) - (i == 0 ? 0 : milliseconds(samples[i - 1]));
                    y.Add(interval > 0 ? 100 * part / interval : 0);
                }
                return new Series(state, x, y);
            }
            return StackedArea($"Where the vCPU time of {name} went ({vcpus} {(vcpus == 1 ? "vCPU" : "vCPUs")})", "time (ms)", "share of vCPU time (%)",
                Share("run", s => s.RunMilliseconds), Share("ready", s => s.ReadyMilliseconds),
                Share("co-stop", s => s.CoStopMilliseconds), Share("wait", s => s.WaitMilliseconds));
        });
    }

    /// <summary>
    /// Where each vCPU's time went over the whole run so far: one bar per vCPU of <paramref name="host"/>,
    /// split into run, ready, co-stop and wait (ms). The bars of a VM's vCPUs stand side by side, so a
    /// vCPU that waits on its siblings (co-stop) stands out.
    /// </summary>
    public static GenericChart VcpuTime(Host host)
    {
        ArgumentNullException.ThrowIfNull(host);
        VirtLabFormatters.Register();
        var vcpus = host.Vms.SelectMany(vm => vm.Vcpus).ToList();
        var names = vcpus.Select(v => v.Name).ToList();
        double msPerCycle = 1.0 / host.Config.CyclesPerMillisecond;
        var layers = HypervisorViews.TimeStates.Select((state, i) => CSharpChart.Column<double, string, string>(
            vcpus.Select(v => HypervisorViews.TimeOf([v]).Parts[i] * msPerCycle).ToList(), Keys: names, Name: state)).ToList();
        var chart = Titled(Combine(layers), $"Where each vCPU's time went in {Html.Milliseconds(host.NowMilliseconds)}", "vCPU", "time (ms)");
        return Layout(chart, ("barmode", "stack"));
    }

    /// <summary>
    /// A VM's memory over the run: its pages by state as stacked areas (mapped, shared, ballooned,
    /// swapped, untouched), which always add up to the VM's configured size. Watch ballooning and
    /// swapping take pages away from mapped as the host runs short of frames. With
    /// <paramref name="vm"/>, that VM; without, every VM behind a drop-down.
    /// </summary>
    public static GenericChart Memory(RunOutcome outcome, string? vm = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return PerVm(outcome, vm, name =>
        {
            var samples = outcome.SamplesOf(name);
            var x = samples.Select(s => s.TimeMilliseconds).ToList();
            Series Layer(string state, Func<VmSample, int> pages) => new(state, x, samples.Select(s => (double)pages(s)).ToList());
            return StackedArea($"The memory of {name} by page state ({samples[0].MaxPages:N0} pages)", "time (ms)", "guest pages",
                Layer("mapped", s => s.MappedPages), Layer("shared", s => s.SharedPages), Layer("ballooned", s => s.BalloonedPages),
                Layer("swapped", s => s.SwappedPages), Layer("untouched", s => s.UntouchedPages));
        });
    }

    /// <summary>
    /// The host's RAM over the run, frame by frame, as stacked areas that add up to all of it: the
    /// frames the hypervisor (or host OS) keeps, the frames VMs hold as their own, the frames shared
    /// between identical pages (page sharing), and the free frames. The reclamation policy acts as
    /// free frames fall (see <see cref="Host.ReclamationState"/>).
    /// </summary>
    public static GenericChart HostMemory(RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        VirtLabFormatters.Register();
        var samples = outcome.HostSamples;
        int total = outcome.Host.Ram.FrameCount;
        var x = samples.Select(s => s.TimeMilliseconds).ToList();
        Series Layer(string name, Func<HostSample, int> frames) => new(name, x, samples.Select(s => (double)frames(s)).ToList());
        string kept = outcome.Host.Config.Kind == HypervisorKind.Type1 ? "kept by the hypervisor" : "kept by the host OS";
        // Every frame is free, reserved, a VM's own, or shared: what the other three leave is the shared frames.
        return StackedArea($"Host memory ({total:N0} frames)", "time (ms)", "host frames",
            Layer(kept, s => s.ReservedFrames), Layer("VMs' own", s => s.VmMappedPages),
            Layer("shared", s => total - s.ReservedFrames - s.VmMappedPages - s.FreeFrames), Layer("free", s => s.FreeFrames));
    }

    /// <summary>
    /// Exits by reason as bars, one group per reason and one bar per VM: how many
    /// (<see cref="ExitMeasure.Count"/>) or the cycles charged for them (<see cref="ExitMeasure.Cycles"/>).
    /// Reasons no VM exited for are left out.
    /// </summary>
    public static GenericChart Exits(IEnumerable<VirtualMachine> vms, ExitMeasure measure = ExitMeasure.Count, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(vms);
        VirtLabFormatters.Register();
        var list = vms.ToList();
        var reasons = Enum.GetValues<VmExitReason>().Where(r => list.Any(vm => vm.Exits[r] > 0)).ToList();
        var keys = reasons.Select(r => r.ToString()).ToList();
        var bars = list.Select(vm => CSharpChart.Column<double, string, string>(
            reasons.Select(r => measure == ExitMeasure.Count ? vm.Exits[r] : (double)vm.Exits.CyclesOf(r)).ToList(), Keys: keys, Name: vm.Name)).ToList();
        if (bars.Count == 0) bars.Add(CSharpChart.Column<double, string, string>(Array.Empty<double>(), Keys: Array.Empty<string>(), Name: "no VMs"));
        var (defaultTitle, yTitle) = measure == ExitMeasure.Count ? ("VM exits by reason", "exits") : ("Cycles spent in VM exits, by reason", "cycles");
        return Layout(Titled(Combine(bars), title ?? defaultTitle, "exit reason", yTitle), ("barmode", "group"));
    }

    /// <summary>Exits by reason of every VM of <paramref name="host"/> (see <see cref="Exits(IEnumerable{VirtualMachine}, ExitMeasure, string?)"/>).</summary>
    public static GenericChart Exits(Host host, ExitMeasure measure = ExitMeasure.Count, string? title = null) =>
        Exits(host.Vms, measure, title);

    /// <summary>Exits by reason of every VM of the run, at its end (see <see cref="Exits(IEnumerable{VirtualMachine}, ExitMeasure, string?)"/>).</summary>
    public static GenericChart Exits(RunOutcome outcome, ExitMeasure measure = ExitMeasure.Count, string? title = null) =>
        Exits(outcome.Host.Vms, measure, title);

    /// <summary>
    /// A sweep over any option of an experiment: runs the experiment once per value of
    /// <paramref name="option"/> (the other options as in <paramref name="options"/>), draws each
    /// result with <paramref name="chartFor"/>, and puts the charts behind one slider labelled with
    /// the option's command-line name. Everything is computed here, so the slider works in the
    /// browser with no kernel. <paramref name="progress"/> gets the fraction of the whole sweep done
    /// (give it <see cref="Notebook.Progress"/>). An invalid value throws the experiment's
    /// <see cref="ConfigurationException"/>, which names the option.
    /// <example>
    /// <code>
    /// Charts.Sweep(new CpuOvercommitOptions { Ratios = [1, 2, 4], DurationMilliseconds = 50 }, o =&gt; o.PhysicalCpus, [1, 2, 4],
    ///     CpuOvercommit.Run, result =&gt; Charts.Line(result.Tables[0], "ratio", "ready_pct_mean", by: "vms"), Notebook.Progress("pcpus"))
    /// </code>
    /// </example>
    /// </summary>
    public static GenericChart Sweep<TOptions, TValue, TResult>(TOptions options, Expression<Func<TOptions, TValue>> option, IEnumerable<TValue> values,
        Func<TOptions, IProgress<double>?, TResult> run, Func<TResult, GenericChart> chartFor, IProgress<double>? progress = null,
        SweepControl control = SweepControl.Slider)
        where TOptions : ExperimentOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(chartFor);
        var property = OptionProperty(option);
        string name = ExperimentOption.Of(typeof(TOptions)).FirstOrDefault(o => o.Property.Name == property.Name)?.Name ?? property.Name;
        var list = values.ToList();
        int done = 0;
        return Sweep(name, list, value =>
        {
            var copy = (TOptions)(((ExperimentOptions)options) with { });
            property.SetValue(copy, value);
            var slice = progress is null ? null : new SweepSlice(progress, done, list.Count);
            var chart = chartFor(run(copy, slice));
            progress?.Report(++done / (double)list.Count);
            return chart;
        }, control);
    }

    /// <summary>As the other overload, for a run that takes no progress: <c>o =&gt; Ballooning.Run(o)</c>.</summary>
    public static GenericChart Sweep<TOptions, TValue, TResult>(TOptions options, Expression<Func<TOptions, TValue>> option, IEnumerable<TValue> values,
        Func<TOptions, TResult> run, Func<TResult, GenericChart> chartFor, IProgress<double>? progress = null, SweepControl control = SweepControl.Slider)
        where TOptions : ExperimentOptions
    {
        ArgumentNullException.ThrowIfNull(run);
        return Sweep(options, option, values, (o, _) => run(o), chartFor, progress, control);
    }

    /// <summary>The property <paramref name="option"/> names (<c>o =&gt; o.PhysicalCpus</c>); it must be a settable property of the options record.</summary>
    private static PropertyInfo OptionProperty<TOptions, TValue>(Expression<Func<TOptions, TValue>> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        var body = option.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : option.Body;
        if (body is MemberExpression { Member: PropertyInfo property } member && member.Expression == option.Parameters[0] && property.CanWrite)
            return property;
        throw new ArgumentException($"name one option of {typeof(TOptions).Name}, as in o => o.Seed (got {option})", nameof(option));
    }

    /// <summary>One run's share of a sweep's progress: run <paramref name="index"/>'s 0..1 becomes (index + fraction) / count.</summary>
    private sealed class SweepSlice(IProgress<double> overall, int index, int count) : IProgress<double>
    {
        public void Report(double value) => overall.Report((index + Math.Clamp(double.IsNaN(value) ? 0 : value, 0, 1)) / count);
    }

    /// <summary>The chart of <paramref name="vm"/>, or of every VM of the run behind a drop-down.</summary>
    private static GenericChart PerVm(RunOutcome outcome, string? vm, Func<string, GenericChart> chartFor)
    {
        var names = vm is not null ? [outcome.SamplesOf(vm)[0].Vm] : outcome.VmSamples.Select(s => s.Vm).Distinct().ToList();
        if (names.Count == 0) throw new ArgumentException("the run has no VMs to draw", nameof(outcome));
        return names.Count == 1 ? chartFor(names[0]) : Sweep("VM", names, chartFor, SweepControl.Dropdown);
    }

    /// <summary>Sets plain layout properties (as plotly.js names them) on <paramref name="chart"/>.</summary>
    private static GenericChart Layout(GenericChart chart, params (string Key, object Value)[] properties)
    {
        var layout = GenericChart.getLayout(chart);
        foreach (var (key, value) in properties) layout.SetProperty(key, value);
        return GenericChart.setLayout(layout, chart);
    }
}
