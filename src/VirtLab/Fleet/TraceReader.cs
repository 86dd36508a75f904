using System.Globalization;

namespace VirtLab.Fleet;

/// <summary>
/// Reads workload traces in the two formats VirtLab knows:
/// <list type="bullet">
/// <item><b>PlanetLab</b> (the format CloudSim ships): a folder with one file per VM, one whole
/// number per line, the VM's CPU use in percent over one 5-minute interval; a day is 288 lines.
/// The public traces: github.com/manoelcampos/planetlab-workload-traces, or CloudSim's
/// <c>modules/cloudsim-examples/src/main/resources/workload/planetlab</c>.</item>
/// <item><b>CSV</b>: <c>vm,time,cpu_pct[,mem_mib]</c>, one row per VM and interval, time in seconds
/// from the start, equally spaced; an optional header line names the columns.</item>
/// </list>
/// Every problem is a <see cref="TraceFormatException"/> naming the file and the line.
/// </summary>
public static class TraceReader
{
    /// <summary>Lines in a PlanetLab day file: 24 hours of 5-minute intervals.</summary>
    public const int PlanetLabDayIntervals = 288;

    /// <summary>
    /// Reads <paramref name="path"/>: a folder is read as PlanetLab files (<see cref="ReadPlanetLab"/>),
    /// a file as CSV (<see cref="ReadCsv"/>).
    /// </summary>
    public static TraceSet Read(string path) =>
        Directory.Exists(path) ? ReadPlanetLab(path)
        : File.Exists(path) ? ReadCsv(path)
        : throw new TraceFormatException(path, 0, "no such file or folder");

    /// <summary>
    /// Reads every file of a PlanetLab folder (files whose name starts with '.' are skipped), sorted
    /// by file name so the order of the VMs does not depend on the file system (CloudSim takes the
    /// directory listing as it comes). Each file must hold <paramref name="intervals"/> lines.
    /// </summary>
    public static TraceSet ReadPlanetLab(string directory, int intervals = PlanetLabDayIntervals)
    {
        if (intervals < 1) throw new ArgumentOutOfRangeException(nameof(intervals), $"{intervals} intervals: must be at least 1");
        if (!Directory.Exists(directory)) throw new TraceFormatException(directory, 0, "no such folder");
        var files = Directory.GetFiles(directory)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0) throw new TraceFormatException(directory, 0, "the folder holds no trace files (PlanetLab format: one file per VM)");
        var traces = new Trace[files.Length];
        for (int i = 0; i < files.Length; i++) traces[i] = ReadPlanetLabFile(files[i], intervals);
        return new TraceSet(directory, traces, TraceSet.PlanetLabIntervalSeconds);
    }

    /// <summary>Reads one PlanetLab file of <paramref name="intervals"/> whole percentages.</summary>
    public static Trace ReadPlanetLabFile(string file, int intervals = PlanetLabDayIntervals)
    {
        var values = new double[intervals];
        string[] lines = ReadLines(file);
        int count = 0, lineNumber = 0;
        foreach (string raw in lines)
        {
            lineNumber++;
            string line = raw.Trim();
            if (count == intervals)
            {
                if (lines.Skip(lineNumber - 1).All(l => l.Trim().Length == 0)) break;   // blank lines at the very end are harmless
                throw new TraceFormatException(file, lineNumber, $"more than {intervals} values (a file holds one value per interval, {intervals} in all)");
            }
            if (line.Length == 0) throw new TraceFormatException(file, lineNumber, "missing value (an empty line)");
            if (!int.TryParse(line, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int percent))
                throw new TraceFormatException(file, lineNumber, $"'{line}' is not a whole number of percent");
            CheckPercent(file, lineNumber, percent);
            values[count++] = percent;
        }
        if (count < intervals)
            throw new TraceFormatException(file, lineNumber + 1, $"the file ends after {count} values; it must hold {intervals}, one per interval");
        return new Trace(Path.GetFileName(file), values);
    }

    /// <summary>
    /// Reads a CSV of <c>vm,time,cpu_pct[,mem_mib]</c>. VMs keep the order of their first row; each
    /// must have one row for every time of the file, and the times must be equally spaced (their
    /// spacing is the interval length).
    /// </summary>
    public static TraceSet ReadCsv(string file)
    {
        var rows = new Dictionary<string, List<(double Time, double Cpu, double Mem, int Line)>>(StringComparer.Ordinal);
        var order = new List<string>();
        int columns = 0, lineNumber = 0;
        foreach (string raw in ReadLines(file))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] fields = line.Split(',');
            for (int i = 0; i < fields.Length; i++) fields[i] = fields[i].Trim();
            if (columns == 0)
            {
                columns = fields.Length;
                if (columns is not (3 or 4))
                    throw new TraceFormatException(file, lineNumber, $"{columns} columns; expected vm,time,cpu_pct or vm,time,cpu_pct,mem_mib");
                if (fields[0].Equals("vm", StringComparison.OrdinalIgnoreCase))
                {
                    string[] expected = columns == 3 ? ["vm", "time", "cpu_pct"] : ["vm", "time", "cpu_pct", "mem_mib"];
                    for (int i = 0; i < columns; i++)
                        if (!fields[i].Equals(expected[i], StringComparison.OrdinalIgnoreCase))
                            throw new TraceFormatException(file, lineNumber, $"column {i + 1} of the header is '{fields[i]}'; expected {string.Join(",", expected)}");
                    continue;
                }
            }
            if (fields.Length != columns)
                throw new TraceFormatException(file, lineNumber, $"{fields.Length} values; the file has {columns} columns");
            string vm = fields[0];
            if (vm.Length == 0) throw new TraceFormatException(file, lineNumber, "missing value: vm");
            double time = Number(file, lineNumber, fields[1], "time");
            if (time < 0) throw new TraceFormatException(file, lineNumber, $"time {fields[1]} is negative");
            double cpu = Number(file, lineNumber, fields[2], "cpu_pct");
            CheckPercent(file, lineNumber, cpu);
            double mem = 0;
            if (columns == 4)
            {
                mem = Number(file, lineNumber, fields[3], "mem_mib");
                if (mem < 0) throw new TraceFormatException(file, lineNumber, $"mem_mib {fields[3]} is negative");
            }
            if (!rows.TryGetValue(vm, out var list))
            {
                rows[vm] = list = new();
                order.Add(vm);
            }
            list.Add((time, cpu, mem, lineNumber));
        }
        if (order.Count == 0) throw new TraceFormatException(file, 0, "no rows (expected vm,time,cpu_pct[,mem_mib])");

        // The times of the file, equally spaced: their spacing is the interval.
        var times = rows.Values.SelectMany(r => r.Select(x => x.Time)).Distinct().Order().ToArray();
        double start = times[0];
        double interval = times.Length > 1 ? times.Zip(times.Skip(1), (a, b) => b - a).Min() : TraceSet.PlanetLabIntervalSeconds;
        int intervals = (int)Math.Round((times[^1] - start) / interval) + 1;
        var traces = new List<Trace>(order.Count);
        foreach (string vm in order)
        {
            var cpu = new double[intervals];
            var mem = new double[intervals];
            var seenAt = new int[intervals];
            foreach (var (time, c, m, line) in rows[vm])
            {
                double index = (time - start) / interval;
                int i = (int)Math.Round(index);
                if (Math.Abs(index - i) > 1e-6)
                    throw new TraceFormatException(file, line, $"time {time.ToString(CultureInfo.InvariantCulture)} is not on the file's {interval.ToString(CultureInfo.InvariantCulture)} s grid starting at {start.ToString(CultureInfo.InvariantCulture)}");
                if (seenAt[i] != 0)
                    throw new TraceFormatException(file, line, $"a second row for vm {vm} at time {time.ToString(CultureInfo.InvariantCulture)} (the first is on line {seenAt[i]})");
                seenAt[i] = line;
                cpu[i] = c;
                mem[i] = m;
            }
            int missing = Array.IndexOf(seenAt, 0);
            if (missing >= 0)
                throw new TraceFormatException(file, rows[vm][0].Line,
                    $"vm {vm} has no row for time {(start + missing * interval).ToString(CultureInfo.InvariantCulture)} (every vm needs a row for each of the file's {intervals} times)");
            traces.Add(new Trace(vm, cpu, columns == 4 ? mem : null));
        }
        return new TraceSet(file, traces, interval);
    }

    private static void CheckPercent(string file, int line, double percent)
    {
        if (percent > 100) throw new TraceFormatException(file, line, $"{percent.ToString(CultureInfo.InvariantCulture)} is over 100 percent");
        if (percent < 0) throw new TraceFormatException(file, line, $"{percent.ToString(CultureInfo.InvariantCulture)} is a negative percentage");
    }

    private static double Number(string file, int line, string text, string column)
    {
        if (text.Length == 0) throw new TraceFormatException(file, line, $"missing value: {column}");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new TraceFormatException(file, line, $"{column} '{text}' is not a number");
        return value;
    }

    private static string[] ReadLines(string file)
    {
        try
        {
            return File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceFormatException(file, 0, $"cannot read: {e.Message}");
        }
    }
}
