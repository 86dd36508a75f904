using Microsoft.DotNet.Interactive.Formatting;
using VirtLab.Assembly;
using VirtLab.Experiments;
using VirtLab.Interactive;
using VirtLab.Machine;

namespace VirtLab.Tests.Notebooks;

/// <summary>VirtLab.Interactive: formatters produce the expected HTML, charts and sweeps have the expected shape.</summary>
[Collection(NotebookRunnerCollection.Name)] // the runner resets the Formatter; do not race it
public sealed class InteractiveTests
{
    private const string Program = """
            li a0, 5
            li a1, 7
            add a2, a0, a1
            li t0, 0x100000
            li t1, 0x5555
            sw t1, 0(t0)
        loop: j loop
        """;

    private static (global::VirtLab.Machine.Machine Machine, AssemblyResult Assembled) Loaded()
    {
        var assembled = Assembler.Assemble(Program);
        Assert.True(assembled.Success, assembled.DiagnosticsText());
        var machine = new global::VirtLab.Machine.Machine();
        Assert.Null(machine.Load(assembled.Program!));
        return (machine, assembled);
    }

    private static string Html(object value)
    {
        VirtLabFormatters.Register();
        return Formatter.ToDisplayString(value, HtmlFormatter.MimeType);
    }

    [Fact]
    public void Register_is_idempotent_and_survives_a_formatter_reset()
    {
        VirtLabFormatters.Register();
        VirtLabFormatters.Register();
        Assert.True(VirtLabFormatters.IsRegistered);
        Formatter.ResetToDefault();
        Assert.False(VirtLabFormatters.IsRegistered);
        VirtLabFormatters.Register();
        Assert.True(VirtLabFormatters.IsRegistered);
    }

    [Fact]
    public void A_hart_shows_abi_names_pc_privilege_csrs_and_highlights_changed_registers()
    {
        var (machine, _) = Loaded();
        var hart = machine.Harts[0];
        var before = Html(hart);
        Assert.Contains("x10/a0", before);
        Assert.Contains("x2/sp", before);
        Assert.Contains("0x80000000", before);
        Assert.Contains("machine mode", before);
        Assert.Contains("mstatus", before);
        Assert.Contains("mtvec", before);
        Assert.DoesNotContain("reg changed", before); // nothing to compare with on first display

        hart.Run(3);
        var after = Html(hart);
        Assert.Contains("reg changed\" title=\"x10 = 5\"", after);
        Assert.Contains("reg changed\" title=\"x12 = 12\"", after);
        Assert.DoesNotContain("reg changed\" title=\"x2 ", after);

        var again = Html(hart); // nothing ran since: nothing is highlighted
        Assert.DoesNotContain("reg changed", again);
    }

    [Fact]
    public void A_listing_disassembles_and_marks_the_pc()
    {
        var (machine, assembled) = Loaded();
        machine.Harts[0].Run(2);
        var html = ProgramListing.Of(assembled, machine.Harts[0].Pc).ToHtml();
        Assert.Contains("addi a0, zero, 5".Replace("addi a0, zero, 5", Disassembler.Disassemble(assembled.Listing[0].Word, assembled.Listing[0].Address)), html);
        Assert.Contains("<tr class=\"pc-row\"><td title=\"pc\">&rarr;</td><td>80000008</td>", html);
        Assert.Contains("loop:", html);
        Assert.Contains("class=\"virtlab listing\"", Html(assembled));
        Assert.Contains("class=\"virtlab listing\"", Html(assembled.Program!));
    }

    [Fact]
    public void A_run_result_shows_reason_instructions_cycles_and_mips()
    {
        var (machine, _) = Loaded();
        var result = machine.Run();
        var html = Html(result);
        Assert.Contains("ProgramExited", html);
        Assert.Contains("passed", html);
        Assert.Contains($"<th>instructions</th><td class=\"num\">{result.Instructions:N0}</td>", html);
        Assert.Contains("MIPS", html);
        Assert.Contains("class=\"virtlab machine\"", Html(machine));
    }

    private sealed record Measurement(int Guests, double Mips, string Note);

    private sealed record Labelled([property: Column("guests")] int Guests, [property: Column("smt", WhenTrue = "on", WhenFalse = "off")] bool Smt, bool Plain);

    [Fact]
    public void A_table_from_records_has_columns_html_and_csv()
    {
        var table = Table.From([new Measurement(1, 40.5, "a, b"), new Measurement(2, 20.25, "say \"hi\"")], "speed");
        Assert.Equal(["Guests", "Mips", "Note"], table.Columns);
        Assert.Equal("Guests,Mips,Note\n1,40.5,\"a, b\"\n2,20.25,\"say \"\"hi\"\"\"\n", table.ToCsv().ReplaceLineEndings("\n"));
        var html = Html(table);
        Assert.Contains("class=\"virtlab result-table\"", html);
        Assert.Contains("<th>Guests</th>", html);
        Assert.Contains("<td class=\"num\">20.2</td>", html);    // the text form's number format: one decimal from 10 up
        Assert.Contains("speed", html);
        Assert.Equal([40.5, 20.25], table.Numbers("Mips"));
        Assert.Throws<ArgumentException>(() => table.Add(1));
        Assert.Throws<KeyNotFoundException>(() => table.Column("mips"));
    }

    [Fact]
    public void Column_attributes_name_columns_and_write_booleans_as_words()
    {
        var table = Table.From([new Labelled(2, true, false)], "threads");
        Assert.Equal(["guests", "smt", "Plain"], table.Columns);
        Assert.Equal(["on"], table.Column("smt"));
        Assert.Equal("guests,smt,Plain\n2,on,False\n", table.ToCsv().ReplaceLineEndings("\n"));
        Assert.Contains("\"Plain\": false", table.ToJson());
        // Rows with leading values: a setting in front of each sample, as the experiments' series tables have.
        var series = new Table("series", ["mode", .. Table.ColumnsOf<Labelled>()]).AddRows([new Labelled(1, false, true)], "swap");
        Assert.Equal(["swap", 1, "off", true], series.Rows[0]);
    }

    [Fact]
    public void An_experiment_result_shows_its_headline_tables_and_notes_and_charts_draw_from_its_tables()
    {
        var result = PopekGoldberg.Run(new() { Rounds = 2, CriticalIterations = 1000 });
        var html = Html(result);
        Assert.Contains("class=\"virtlab experiment-result\"", html);
        Assert.Contains("sensitive instructions that trap", html);
        Assert.Contains("<th>exit_reason</th>", html);
        Assert.Contains("CsrAccess", html);
        Assert.Equal(result.ToText(), Formatter.ToDisplayString(result, PlainTextFormatter.MimeType));

        var outcome = ExperimentRunner.Run(new ExperimentSpec
        {
            Host = new VirtLab.Hypervisor.HostConfig { Cores = 1 },
            Vms = [new VirtLab.Hypervisor.VmConfig { Name = "a" }, new VirtLab.Hypervisor.VmConfig { Name = "b", Workload = VirtLab.Guest.Workload.Io() }],
            DurationMilliseconds = 30,
        });
        var chart = Charts.Line(outcome.VmSeries, "time_ms", "ready_ms", by: "vm");
        var traces = Plotly.NET.GenericChart.getTraces(chart).ToList();
        Assert.Equal(2, traces.Count);    // one line per VM
        Assert.Contains("\"name\":\"b\"", ChartHtml.Render(chart));
        var bars = Charts.Bars(result.TableNamed("critical_sections"), "machine", "interrupts_taken");
        Assert.Single(Plotly.NET.GenericChart.getTraces(bars));

        // In plain text a chart is its title, the same in every process (the kernel and the runner compare it).
        VirtLabFormatters.Register();
        Assert.Equal("chart: Ready time", Formatter.ToDisplayString(Charts.Titled(chart, "Ready time", "ms", "ms"), PlainTextFormatter.MimeType));
        Assert.Equal("chart", ChartHtml.PlainText(Plotly.NET.CSharp.Chart.Point<double, double, string>([1.0], [2.0])));
    }

    [Fact]
    public void Bars_from_a_table_grouped_by_a_column_draw_one_series_per_value_with_its_own_categories()
    {
        var table = new Table("throughput", "workload", "host", "relative")
            .Add("cpu", "type1", 0.98).Add("cpu", "type2", 0.97)
            .Add("mmio", "type1", 0.93).Add("mmio", "type2", 0.78)
            .Add("io", "type1", 0.95);   // a group may lack a category
        var chart = Charts.Bars(table, "workload", "relative", "Throughput relative to bare", by: "host");
        var traces = Plotly.NET.GenericChart.getTraces(chart).ToList();
        Assert.Equal(2, traces.Count);
        var html = ChartHtml.Render(chart);
        Assert.Contains("\"name\":\"type1\"", html);
        Assert.Contains("\"name\":\"type2\"", html);
        Assert.Contains("\"x\":[\"cpu\",\"mmio\",\"io\"]", html);
        Assert.Contains("\"y\":[0.97,0.78]", html);
        Assert.Contains("Throughput relative to bare", html);
        Assert.Contains("\"text\":\"relative\"", html);   // the value column titles the y axis
    }

    [Fact]
    public void Chart_json_is_plotly_nets_figure_with_the_template_written_once_and_reused()
    {
        var bars = Charts.Bars("mix", "class", "count", ["alu", "load"], [3, 4]);
        var sweep = Charts.Sweep("n", [1, 2], n => Charts.TimeSeries("t", "x", "y", new Series("a", [0, 1], [n, 2 * n])));
        foreach (var chart in new[] { bars, sweep, Charts.Bars("again", "c", "v", ["a"], [1]) })
        {
            var ours = System.Text.Json.Nodes.JsonNode.Parse(ChartHtml.FigureJson(chart));
            var plotlys = System.Text.Json.Nodes.JsonNode.Parse(Plotly.NET.GenericChart.toFigureJson(chart));
            Assert.Equal(Canonical(plotlys), Canonical(ours));
        }
        // A chart with its own template gets that template, not the cached one.
        var plain = Plotly.NET.GenericChart.setLayout(new Plotly.NET.Layout(), Charts.Bars("plain", "c", "v", ["a"], [1]));
        var layout = Plotly.NET.GenericChart.getLayout(plain);
        var own = new DynamicObj.DynamicObj();
        own.SetProperty("layout", new DynamicObj.DynamicObj());
        layout.SetProperty("template", own);
        Assert.Contains("\"template\":{\"layout\":{}}", ChartHtml.FigureJson(plain));
    }

    /// <summary>JSON with every object's properties sorted by name, so that two documents compare equal whatever their property order.</summary>
    private static string Canonical(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        System.Text.Json.Nodes.JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };

    [Fact]
    public void A_sweep_chart_has_one_slider_step_per_swept_value_and_precomputed_traces()
    {
        int[] values = [10, 20, 40, 80];
        var chart = Charts.Sweep("n", values, n => Charts.TimeSeries("t", "x", "y",
            new Series("a", [0, 1, 2], [0, n, 2 * n]), new Series("b", [0, 1, 2], [n, n, n])));
        Assert.Equal(values.Select(v => v.ToString()), Charts.SweepLabels(chart));
        Assert.Equal(8, Plotly.NET.GenericChart.getTraces(chart).Count());

        var html = ChartHtml.Render(chart);
        Assert.Contains("\"sliders\"", html);
        Assert.Contains("\"visible\":[true,true,false,false,false,false,false,false]", html);
        Assert.Contains("\"visible\":[false,false,false,false,false,false,true,true]", html);

        var dropdown = Charts.Sweep("n", values, n => Charts.Bars("t", "x", "y", ["p", "q"], [n, 2 * n]), SweepControl.Dropdown);
        Assert.Equal(values.Select(v => "n = " + v), Charts.SweepLabels(dropdown));
    }

    [Fact]
    public void Chart_html_draws_with_plotly_from_the_page_or_embedded_never_a_cdn()
    {
        var chart = Charts.Bars("mix", "class", "count", ["alu", "load"], [3, 4]);
        var html = Html(chart);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("class=\"virtlab-chart\"", html);
        Assert.DoesNotContain("cdn", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);

        var saved = ChartHtml.Loading;
        try
        {
            ChartHtml.Loading = PlotlyLoading.EmbedOnce;
            ChartHtml.ResetEmbedding();
            var first = ChartHtml.Render(chart);
            var second = ChartHtml.Render(chart);
            Assert.True(first.Length > 1_000_000, "the first chart carries plotly.js");
            Assert.True(second.Length < 100_000, "later charts do not");
            Assert.DoesNotContain("<script src", first, StringComparison.OrdinalIgnoreCase); // inline, not fetched
        }
        finally
        {
            ChartHtml.Loading = saved;
        }
    }
}
