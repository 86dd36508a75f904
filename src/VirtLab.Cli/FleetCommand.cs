using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VirtLab.Experiments;
using VirtLab.Fleet;
using VirtLab.Hypervisor;

namespace VirtLab.Cli;

/// <summary>
/// <c>virtlab fleet</c>: runs a fleet scenario (the published PlanetLab data centre on real or
/// synthetic traces) under one or more consolidation policies and prints one row per policy:
/// energy, migrations and the SLA metrics, as a table, CSV or JSON.
/// </summary>
public static class FleetCommand
{
    /// <summary>The columns of the summary, one row per policy.</summary>
    public static readonly string[] Columns =
    [
        "policy", "energy_kwh", "migrations", "slatah_pct", "pdm_pct", "slav", "esv",
        "hosts_on_mean", "hosts_on_max", "unmet_pct", "slatah_pooled_pct", "pdm_pooled_pct",
    ];

    /// <summary>The columns of <c>--series</c>, one row per policy and interval.</summary>
    public static readonly string[] SeriesColumns =
        ["policy", "interval", "hour", "hosts_on", "hosts_with_vms", "energy_kwh", "demand_mips", "unmet_mips", "saturated_hosts", "overloaded_hosts", "migrations"];

    /// <summary>Builds the <c>fleet</c> command.</summary>
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = "planetlab: the published data centre (800 hosts, HP G4/G5) on the traces of --traces; synthetic: the same data centre on seeded synthetic traces (--vms, --seed)",
            DefaultValueFactory = _ => PlanetLabScenario.Name,
        };
        scenario.AcceptOnlyFromAmong(PlanetLabScenario.Name, "synthetic");
        var traces = new Option<string?>("--traces")
        {
            Description = "PlanetLab folder (one file per VM, one percentage per line) or CSV file (vm,time,cpu_pct[,mem_mib]); the real traces are at github.com/manoelcampos/planetlab-workload-traces",
            HelpName = "PATH",
        };
        var policy = new Option<string>("--policy")
        {
            Description = $"Policies, comma-separated, or 'all' (NPA, DVFS and the published dynamic policies): {ConsolidationPolicy.Syntax}",
            DefaultValueFactory = _ => "all",
        };
        var hosts = new Option<int?>("--hosts") { Description = $"Hosts in the data centre (default: {PlanetLabScenario.HostCount}, or 800 per 1052 VMs for synthetic)", HelpName = "N" };
        var vms = new Option<int>("--vms") { Description = "VMs of the synthetic scenario", DefaultValueFactory = _ => PlanetLabScenario.PlanetLabDayVms, HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic traces: the same seed gives the same results", DefaultValueFactory = _ => 1 };
        var memory = new Option<string>("--memory")
        {
            Description = "When RAM is checked: always (the physical rule), or initial-only (as CloudSim's PlanetLab examples, whose migrations ignore RAM; what the published figures assume)",
            DefaultValueFactory = _ => "always",
        };
        memory.AcceptOnlyFromAmong("always", "initial-only");
        var intervals = new Option<int>("--intervals") { Description = "Simulate only the first N intervals (default: the whole traces)", HelpName = "N" };
        var series = new Option<bool>("--series") { Description = "Print the fleet interval by interval (hosts on, energy, demand, migrations) instead of one row per policy" };
        var format = new Option<string>("--format") { Description = "Output format: table, csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var quiet = new Option<bool>("--quiet") { Description = "Do not report progress on stderr" };

        var command = new Command("fleet",
            "Simulate a data centre of VMs on real or synthetic workload traces under consolidation policies, and print " +
            "energy (kWh), migrations and the SLA metrics SLATAH, PDM, SLAV = SLATAH x PDM and ESV = energy x SLAV")
        {
            scenario, traces, policy, hosts, vms, seed, memory, intervals, series, format, quiet,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var request = new Request(parse.GetValue(scenario)!, parse.GetValue(traces), parse.GetValue(policy)!, parse.GetValue(hosts),
                    parse.GetValue(vms), parse.GetValue(seed), parse.GetValue(memory) == "always" ? MemoryCheck.Always : MemoryCheck.InitialPlacementOnly,
                    parse.GetValue(intervals));
                var runs = Run(request, parse.GetValue(quiet) ? null : error);
                string shown = parse.GetValue(format)!;
                var table = parse.GetValue(series) ? SeriesTable(runs) : Summary(runs, forText: shown == "table");
                output.Write(shown switch
                {
                    "csv" => table.ToCsv(),
                    "json" => Json(table, runs) + Environment.NewLine,
                    _ => $"# {runs[0].DataCenter}{Environment.NewLine}{table.ToText()}",
                });
                return 0;
            }
            catch (TraceFormatException e)
            {
                error.WriteLine($"virtlab fleet: {e.Message}");
                return ExitCodes.CannotLoad;
            }
            catch (ConfigurationException e)
            {
                error.WriteLine($"virtlab fleet: invalid configuration: {e.Message}");
                return ExitCodes.CannotLoad;
            }
        });
        return command;
    }

    /// <summary>What to run, as given on the command line.</summary>
    private sealed record Request(string Scenario, string? Traces, string Policies, int? Hosts, int Vms, int Seed, MemoryCheck Memory, int Intervals);

    private static List<FleetRun> Run(Request request, TextWriter? progress)
    {
        var policies = request.Policies.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
            ? ConsolidationPolicy.Published
            : request.Policies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ConsolidationPolicy.Parse).ToList();
        if (policies.Count == 0) throw new ConfigurationException("policy", "no policy given");
        var dataCenter = DataCenterFor(request, progress);
        if (request.Intervals != 0) dataCenter = dataCenter with { Intervals = request.Intervals };
        dataCenter.Validate();

        var runs = new List<FleetRun>();
        foreach (var p in policies)
        {
            int lastTenth = -1;
            var clock = Stopwatch.StartNew();
            var reporter = progress is null ? null : new SyncProgress(f =>
            {
                int tenth = (int)(f * 10);
                if (tenth == lastTenth) return;
                lastTenth = tenth;
                progress.WriteLine($"[fleet {p.Name}] {tenth * 10}%");
            });
            var run = FleetSimulation.Run(dataCenter, p, reporter);
            progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[fleet {p.Name}] done in {clock.Elapsed.TotalSeconds:0.00} s"));
            runs.Add(run);
        }
        return runs;
    }

    private static DataCenter DataCenterFor(Request request, TextWriter? progress)
    {
        if (request.Scenario == "synthetic")
        {
            if (request.Traces is not null) throw new ConfigurationException("traces", "the synthetic scenario makes its own traces; use --scenario planetlab with --traces");
            if (request.Vms < 1) throw new ConfigurationException("vms", $"{request.Vms} must be at least 1");
            return PlanetLabScenario.CreateSynthetic(request.Vms, request.Seed, request.Hosts, request.Memory);
        }
        if (request.Traces is null)
            throw new ConfigurationException("traces",
                "the planetlab scenario needs --traces PATH: a folder of PlanetLab files (github.com/manoelcampos/planetlab-workload-traces) or a CSV; or use --scenario synthetic");
        var clock = Stopwatch.StartNew();
        var set = TraceReader.Read(request.Traces);
        progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[fleet] read {set} in {clock.Elapsed.TotalSeconds:0.00} s"));
        return PlanetLabScenario.Create(set, request.Hosts ?? PlanetLabScenario.HostCount, request.Memory);
    }

    /// <summary>
    /// One row per run. For the text table, small figures (SLAV and ESV are products of small
    /// fractions) are shown in scientific notation rather than rounded to 0.000.
    /// </summary>
    private static Table Summary(IEnumerable<FleetRun> runs, bool forText)
    {
        var table = new Table("fleet", Columns);
        foreach (var run in runs)
        {
            var m = run.Metrics;
            object F(double value) => forText && value != 0 && Math.Abs(value) < 0.01 ? value.ToString("0.00E+00", CultureInfo.InvariantCulture) : value;
            table.Add(run.Policy.Name, m.EnergyKwh, m.Migrations, F(m.SlatahPercent), F(m.PdmPercent), F(m.Slav), F(m.Esv),
                m.MeanHostsOn, m.MaxHostsOn, F(m.UnmetPercent), F(m.SlatahPooledPercent), F(m.PdmPooledPercent));
        }
        return table;
    }

    private static Table SeriesTable(IEnumerable<FleetRun> runs)
    {
        var table = new Table("fleet_series", SeriesColumns);
        foreach (var run in runs)
            foreach (var r in run.Intervals)
                table.Add(run.Policy.Name, r.Interval, r.Interval * run.DataCenter.IntervalSeconds / 3600, r.HostsOn, r.HostsWithVms, r.EnergyKwh,
                    r.DemandMips, r.UnmetMips, r.SaturatedHosts, r.OverloadedHosts, r.Migrations);
        return table;
    }

    /// <summary>
    /// The runs as JSON: the data centre, when RAM was checked, and one object per row of
    /// <paramref name="table"/> (per policy, or per policy and interval with <c>--series</c>),
    /// keyed by column.
    /// </summary>
    private static string Json(Table table, IReadOnlyList<FleetRun> runs)
    {
        var dc = runs[0].DataCenter;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("data_center", dc.ToString());
            json.WriteString("memory_checked", dc.MemoryCheck == MemoryCheck.Always ? "always" : "initial-only");
            json.WriteString("slav", "slatah x pdm, both as fractions; esv = energy_kwh x slav");
            json.WriteStartArray(table.Name == "fleet" ? "runs" : "series");
            foreach (var row in table.Rows)
            {
                json.WriteStartObject();
                for (int i = 0; i < table.Columns.Count; i++)
                {
                    json.WritePropertyName(table.Columns[i]);
                    switch (row[i])
                    {
                        case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
                        case double: json.WriteNullValue(); break;
                        case int n: json.WriteNumberValue(n); break;
                        default: json.WriteStringValue(Convert.ToString(row[i], CultureInfo.InvariantCulture)); break;
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reports on the calling thread, so progress lines come in order.</summary>
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
