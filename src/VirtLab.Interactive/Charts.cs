using System.Globalization;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using VirtLab.Experiments;
using Table = VirtLab.Experiments.Table;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace VirtLab.Interactive;

/// <summary>One named line of a chart: x and y values of equal length.</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>A series from any numbers.</summary>
    public static Series Of<TX, TY>(string name, IEnumerable<TX> x, IEnumerable<TY> y) where TX : IConvertible where TY : IConvertible =>
        new(name, x.Select(v => v.ToDouble(CultureInfo.InvariantCulture)).ToList(), y.Select(v => v.ToDouble(CultureInfo.InvariantCulture)).ToList());
}

/// <summary>How a sweep chart lets the reader pick the swept value.</summary>
public enum SweepControl
{
    /// <summary>A slider under the chart, one step per value.</summary>
    Slider,

    /// <summary>A drop-down menu above the chart, one entry per value.</summary>
    Dropdown,
}

/// <summary>
/// Chart builders for lessons, on Plotly.NET. Each returns a Plotly.NET <see cref="GenericChart"/>,
/// which a notebook displays through VirtLab's formatter (no CDN; see <see cref="ChartHtml"/>).
/// Everything interactive (hover, zoom, sweep sliders) runs in the browser: the rendered course
/// needs no kernel.
/// <example>
/// <code>
/// Charts.TimeSeries("instructions retired", "cycles", "instructions", Series.Of("hart 0", cycles, retired))
/// Charts.Bars("instruction mix", "class", "count", mix.Keys, mix.Values)
/// Charts.Line(outcome.VmSeries, "time_ms", "ready_ms", by: "vm")          // from a table: one line per VM
/// Charts.Sweep("loop count", new[] { 10, 100, 1000 }, n => Charts.Bars(...))   // one chart, one slider
/// </code>
/// </example>
/// Presets draw a run of the hypervisor with titles and units set: <see cref="CpuTime"/>,
/// <see cref="VcpuTime"/>, <see cref="Memory"/>, <see cref="Exits(RunOutcome, ExitMeasure, string?)"/>,
/// and a sweep over any option of an experiment
/// (<see cref="Sweep{TOptions, TValue, TResult}(TOptions, System.Linq.Expressions.Expression{Func{TOptions, TValue}}, IEnumerable{TValue}, Func{TOptions, IProgress{double}?, TResult}, Func{TResult, GenericChart}, IProgress{double}?, SweepControl)"/>).
/// </summary>
public static partial class Charts
{
    /// <summary>Lines over time (or any x): one line per series.</summary>
    public static GenericChart TimeSeries(string title, string xTitle, string yTitle, params Series[] series)
    {
        VirtLabFormatters.Register();
        var lines = series.Select(s => CSharpChart.Line<double, double, string>(s.X, s.Y, Name: s.Name, ShowMarkers: s.X.Count <= 60)).ToList();
        return Titled(Combine(lines), title, xTitle, yTitle);
    }

    /// <summary>One line of <paramref name="y"/> over <paramref name="x"/>.</summary>
    public static GenericChart TimeSeries<TX, TY>(string title, string xTitle, string yTitle, IEnumerable<TX> x, IEnumerable<TY> y)
        where TX : IConvertible where TY : IConvertible => TimeSeries(title, xTitle, yTitle, Series.Of(yTitle, x, y));

    /// <summary>Stacked areas: each series is a layer on top of the ones before (shares of a total over time).</summary>
    public static GenericChart StackedArea(string title, string xTitle, string yTitle, params Series[] series)
    {
        VirtLabFormatters.Register();
        var layers = series.Select(s => CSharpChart.StackedArea<double, double, string>(s.X, s.Y, Name: s.Name)).ToList();
        return Titled(Combine(layers), title, xTitle, yTitle);
    }

    /// <summary>A bar per category.</summary>
    public static GenericChart Bars<TValue>(string title, string xTitle, string yTitle, IEnumerable<string> categories, IEnumerable<TValue> values)
        where TValue : IConvertible
    {
        VirtLabFormatters.Register();
        var bars = CSharpChart.Column<double, string, string>(
            values.Select(v => v.ToDouble(CultureInfo.InvariantCulture)).ToList(), Keys: categories.ToList(), Name: yTitle);
        return Titled(bars, title, xTitle, yTitle);
    }

    /// <summary>Bars from a dictionary (category to value), in the dictionary's order.</summary>
    public static GenericChart Bars<TValue>(string title, string xTitle, string yTitle, IEnumerable<KeyValuePair<string, TValue>> values)
        where TValue : IConvertible
    {
        var list = values.ToList();
        return Bars(title, xTitle, yTitle, list.Select(p => p.Key), list.Select(p => p.Value));
    }

    /// <summary>
    /// A line of one numeric column of <paramref name="table"/> over another. With <paramref name="by"/>,
    /// one line per value of that column, in order of first appearance: one per VM of a series, say
    /// (<c>Charts.Line(outcome.VmSeries, "time_ms", "ready_ms", by: "vm")</c>).
    /// </summary>
    public static GenericChart Line(Table table, string xColumn, string yColumn, string? title = null, string? by = null)
    {
        var x = table.Numbers(xColumn).ToList();
        var y = table.Numbers(yColumn).ToList();
        var series = by is null
            ? [new Series(yColumn, x, y)]
            : table.Column(by).Select((key, row) => (Key: Table.FormatValue(key), Row: row)).GroupBy(p => p.Key)
                .Select(g => new Series(g.Key, g.Select(p => x[p.Row]).ToList(), g.Select(p => y[p.Row]).ToList())).ToArray();
        return TimeSeries(title ?? table.Title ?? $"{yColumn} by {xColumn}", xColumn, yColumn, series);
    }

    /// <summary>A bar per row of <paramref name="table"/>: the text of <paramref name="categoryColumn"/> under the number in <paramref name="valueColumn"/>.</summary>
    public static GenericChart Bars(Table table, string categoryColumn, string valueColumn, string? title = null) =>
        Bars(title ?? table.Title ?? $"{valueColumn} by {categoryColumn}", categoryColumn, valueColumn,
            table.Column(categoryColumn).Select(Table.FormatValue), table.Numbers(valueColumn));

    /// <summary>
    /// One chart for a whole parameter sweep: <paramref name="chartFor"/> draws the chart for one
    /// value; every value's traces are precomputed into a single figure and a slider (or drop-down)
    /// shows one value's traces at a time. It works in the browser alone, with no kernel. The axes
    /// and title come from the first value's chart.
    /// </summary>
    public static GenericChart Sweep<T>(string parameter, IEnumerable<T> values, Func<T, GenericChart> chartFor, SweepControl control = SweepControl.Slider)
    {
        VirtLabFormatters.Register();
        var steps = values.Select(v => (Label: Label(v), Chart: chartFor(v))).ToList();
        if (steps.Count == 0) throw new ArgumentException("a sweep needs at least one value", nameof(values));

        var traces = new List<Trace>();
        var owner = new List<int>(); // step index of each trace
        for (int step = 0; step < steps.Count; step++)
        {
            foreach (var trace in GenericChart.getTraces(steps[step].Chart))
            {
                trace.SetProperty("visible", step == 0);
                traces.Add(trace);
                owner.Add(step);
            }
        }

        var chart = GenericChart.ofTraceObjects(true, traces);
        chart = GenericChart.setLayout(GenericChart.getLayout(steps[0].Chart), chart);
        var visibility = steps.Select((_, step) => owner.Select(o => o == step).ToArray()).ToList();
        var layout = GenericChart.getLayout(chart);
        if (control == SweepControl.Slider)
        {
            var slider = new Slider();
            slider.SetProperty("active", 0);
            slider.SetProperty("currentvalue", Dyn(("prefix", parameter + ": "), ("visible", true)));
            slider.SetProperty("pad", Dyn(("t", 80)));
            slider.SetProperty("steps", steps.Select((s, i) => Step(new SliderStep(), s.Label, visibility[i])).ToList());
            chart = Chart.withSlider(slider, FSharpOption<bool>.None).Invoke(chart);
        }
        else
        {
            var menu = new UpdateMenu();
            menu.SetProperty("active", 0);
            menu.SetProperty("x", 0);
            menu.SetProperty("xanchor", "left");
            menu.SetProperty("y", 1.15);
            menu.SetProperty("yanchor", "top");
            menu.SetProperty("buttons", steps.Select((s, i) => Step(new UpdateMenuButton(), parameter + " = " + s.Label, visibility[i])).ToList());
            chart = Chart.withUpdateMenu(menu, FSharpOption<bool>.None).Invoke(chart);
        }
        return chart;
    }

    /// <summary>The labels of a sweep chart's steps (slider steps or drop-down entries), for tests and checks.</summary>
    public static IReadOnlyList<string> SweepLabels(GenericChart chart)
    {
        var layout = GenericChart.getLayout(chart);
        foreach (var (key, itemsKey) in new[] { ("sliders", "steps"), ("updatemenus", "buttons") })
        {
            if (layout.TryGetPropertyValue(key) is { } found && found.Value is System.Collections.IEnumerable controls)
            {
                foreach (var control in controls.OfType<DynamicObj.DynamicObj>())
                {
                    if (control.TryGetPropertyValue(itemsKey) is { } items && items.Value is System.Collections.IEnumerable list)
                        return list.OfType<DynamicObj.DynamicObj>().Select(s => s.TryGetPropertyValue("label") is { } l ? l.Value?.ToString() ?? "" : "").ToList();
                }
            }
        }
        return [];
    }

    private static TStep Step<TStep>(TStep step, string label, bool[] visible) where TStep : DynamicObj.DynamicObj
    {
        step.SetProperty("label", label);
        step.SetProperty("method", "restyle");
        step.SetProperty("args", new object[] { new Dictionary<string, object> { ["visible"] = visible } });
        return step;
    }

    private static DynamicObj.DynamicObj Dyn(params (string Key, object Value)[] properties)
    {
        var obj = new DynamicObj.DynamicObj();
        foreach (var (key, value) in properties) obj.SetProperty(key, value);
        return obj;
    }

    private static string Label<T>(T value) => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "";

    private static GenericChart Combine(IReadOnlyList<GenericChart> charts) => charts.Count == 1 ? charts[0] : CSharpChart.Combine(charts);

    /// <summary>Sets the chart's title and axis titles (plain layout properties, as plotly.js names them).</summary>
    public static GenericChart Titled(GenericChart chart, string title, string xTitle, string yTitle)
    {
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("title", Dyn(("text", title)));
        layout.SetProperty("xaxis", Dyn(("title", Dyn(("text", xTitle))), ("automargin", true)));
        layout.SetProperty("yaxis", Dyn(("title", Dyn(("text", yTitle))), ("automargin", true)));
        return GenericChart.setLayout(layout, chart);
    }
}
