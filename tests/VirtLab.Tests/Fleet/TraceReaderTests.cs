using VirtLab.Fleet;
using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Fleet;

/// <summary>The trace reader: the real PlanetLab day, the CSV format, and every kind of bad input, named by file and line.</summary>
public sealed class TraceReaderTests : IDisposable
{
    private readonly CliHarness _files = new();

    public void Dispose() => _files.Dispose();

    [SkippableFact]
    public void ReadsTheRealPlanetLabDay()
    {
        var day = PlanetLabData.Require();
        Assert.Equal(1052, day.Traces.Count);
        Assert.Equal(288, day.Intervals);
        Assert.Equal(300, day.IntervalSeconds);
        // Sorted by file name, whatever order the file system lists them in.
        var names = day.Traces.Select(t => t.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(Directory.GetFiles(PlanetLabData.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal), names);
        // The first file, checked against its text.
        var first = day.Traces[0];
        var lines = File.ReadAllLines(Path.Combine(PlanetLabData.Directory, first.Name));
        Assert.Equal(lines.Select(double.Parse), first.CpuPercent);
        Assert.All(day.Traces, t => Assert.All(t.CpuPercent, v => Assert.InRange(v, 0, 100)));
        // A day of light, bursty use: about 12 % on average, and some VMs reach 99 %.
        double mean = day.Traces.Average(t => t.MeanCpuPercent);
        Assert.InRange(mean, 11, 14);
        Assert.Equal(99, day.Traces.Max(t => t.PeakCpuPercent));
    }

    [SkippableFact]
    public void ReadIsAFolderOrAFile()
    {
        string folder = PlanetLabData.RequireDirectory();
        string csv = _files.Write("day.csv", "vm,time,cpu_pct\na,0,1\na,300,2\n");
        Assert.Equal(1052, TraceReader.Read(folder).Traces.Count);
        Assert.Equal("a", TraceReader.Read(csv).Traces.Single().Name);
        var missing = Assert.Throws<TraceFormatException>(() => TraceReader.Read(Path.Combine(_files.Directory, "nothing")));
        Assert.EndsWith("nothing: no such file or folder", missing.Message);
    }

    private string PlanetLabFolder(params (string Name, string Text)[] files)
    {
        string folder = Path.Combine(_files.Directory, "planetlab-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(folder, name), text);
        return folder;
    }

    private static string Lines(int count, int value = 5) => string.Concat(Enumerable.Repeat($"{value}\n", count));

    [Fact]
    public void APlanetLabFolderIsReadInNameOrderSkippingHiddenFiles()
    {
        string folder = PlanetLabFolder(("b", "1\n2\n3\n"), ("a", "4\n5\n6"), (".hidden", "junk"));
        var set = TraceReader.ReadPlanetLab(folder, intervals: 3);
        Assert.Equal(["a", "b"], set.Traces.Select(t => t.Name));
        Assert.Equal([4.0, 5, 6], set.Traces[0].CpuPercent);
        Assert.Equal(3, set.Intervals);
    }

    [Fact]
    public void TrailingBlankLinesAreHarmlessButABlankLineInsideIsAMissingValue()
    {
        string ok = PlanetLabFolder(("vm", "1\n2\n3\n\n\n"));
        Assert.Equal([1.0, 2, 3], TraceReader.ReadPlanetLab(ok, 3).Traces[0].CpuPercent);
        string bad = PlanetLabFolder(("vm", "1\n\n3\n"));
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.ReadPlanetLab(bad, 3));
        Assert.Equal(Path.Combine(bad, "vm"), e.File);
        Assert.Equal(2, e.Line);
        Assert.Equal($"{Path.Combine(bad, "vm")}:2: missing value (an empty line)", e.Message);
    }

    [Theory]
    [InlineData("7\n101\n", 2, "101 is over 100 percent")]
    [InlineData("7\n-1\n", 2, "-1 is a negative percentage")]
    [InlineData("7\n12.5\n", 2, "'12.5' is not a whole number of percent")]
    [InlineData("x\n1\n", 1, "'x' is not a whole number of percent")]
    public void ABadValueIsNamedWithItsFileAndLine(string text, int line, string problem)
    {
        string folder = PlanetLabFolder(("good", "1\n2\n"), ("vm", text));
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.ReadPlanetLab(folder, 2));
        Assert.Equal(Path.Combine(folder, "vm"), e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(problem, e.Problem);
    }

    [Fact]
    public void AFileOfTheWrongLengthIsNamed()
    {
        string shortFolder = PlanetLabFolder(("vm", Lines(287)));
        var tooShort = Assert.Throws<TraceFormatException>(() => TraceReader.ReadPlanetLab(shortFolder));
        Assert.Equal(288, tooShort.Line);
        Assert.Equal("the file ends after 287 values; it must hold 288, one per interval", tooShort.Problem);

        string longFolder = PlanetLabFolder(("vm", Lines(289)));
        var tooLong = Assert.Throws<TraceFormatException>(() => TraceReader.ReadPlanetLab(longFolder));
        Assert.Equal(289, tooLong.Line);
        Assert.Equal("more than 288 values (a file holds one value per interval, 288 in all)", tooLong.Problem);

        string empty = PlanetLabFolder(("vm", ""));
        Assert.Equal(1, Assert.Throws<TraceFormatException>(() => TraceReader.ReadPlanetLab(empty)).Line);
    }

    [Fact]
    public void AnEmptyOrMissingFolderIsNamed()
    {
        string empty = PlanetLabFolder();
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.ReadPlanetLab(empty));
        Assert.Equal(0, e.Line);
        Assert.Equal($"{empty}: the folder holds no trace files (PlanetLab format: one file per VM)", e.Message);
        string missing = Path.Combine(_files.Directory, "missing");
        Assert.Equal($"{missing}: no such folder", Assert.Throws<TraceFormatException>(() => TraceReader.ReadPlanetLab(missing)).Message);
    }

    [Fact]
    public void ReadsACsvWithMemoryInAnyRowOrder()
    {
        string csv = _files.Write("fleet.csv", """
            vm,time,cpu_pct,mem_mib
            web,600,30,512
            # comments and blank lines are skipped

            web,0,10,500
            db,0,50,2000
            web,300,20.5,510
            db,300,60,2001
            db,600,70,2002
            """);
        var set = TraceReader.ReadCsv(csv);
        Assert.Equal(["web", "db"], set.Traces.Select(t => t.Name));
        Assert.Equal(300, set.IntervalSeconds);
        Assert.Equal([10, 20.5, 30], set.Traces[0].CpuPercent);
        Assert.Equal([500.0, 510, 512], set.Traces[0].MemoryMib!);
        Assert.Equal([50.0, 60, 70], set.Traces[1].CpuPercent);
    }

    [Fact]
    public void ACsvWithoutHeaderOrMemoryIsFine()
    {
        var set = TraceReader.ReadCsv(_files.Write("plain.csv", "a,100,1\na,160,2\nb,100,3\nb,160,4\n"));
        Assert.Equal(60, set.IntervalSeconds);
        Assert.Null(set.Traces[0].MemoryMib);
        Assert.Equal([3.0, 4], set.Traces[1].CpuPercent);
    }

    [Theory]
    [InlineData("vm,time,cpu\na,0,1\n", 1, "column 3 of the header is 'cpu'; expected vm,time,cpu_pct")]
    [InlineData("vm,time\n", 1, "2 columns; expected vm,time,cpu_pct or vm,time,cpu_pct,mem_mib")]
    [InlineData("vm,time,cpu_pct\na,0,1\na,300\n", 3, "2 values; the file has 3 columns")]
    [InlineData("vm,time,cpu_pct\na,0,\n", 2, "missing value: cpu_pct")]
    [InlineData("vm,time,cpu_pct\n,0,1\n", 2, "missing value: vm")]
    [InlineData("vm,time,cpu_pct\na,0,150\n", 2, "150 is over 100 percent")]
    [InlineData("vm,time,cpu_pct\na,0,abc\n", 2, "cpu_pct 'abc' is not a number")]
    [InlineData("vm,time,cpu_pct\na,-5,1\n", 2, "time -5 is negative")]
    [InlineData("vm,time,cpu_pct,mem_mib\na,0,1,-3\n", 2, "mem_mib -3 is negative")]
    [InlineData("vm,time,cpu_pct\na,0,1\na,300,2\na,0,3\n", 4, "a second row for vm a at time 0 (the first is on line 2)")]
    [InlineData("vm,time,cpu_pct\na,0,1\na,300,2\nb,0,1\n", 4, "vm b has no row for time 300 (every vm needs a row for each of the file's 2 times)")]
    [InlineData("vm,time,cpu_pct\na,0,1\na,100,2\na,250,3\n", 4, "time 250 is not on the file's 100 s grid starting at 0")]
    public void ABadCsvIsNamedWithItsLine(string text, int line, string problem)
    {
        string csv = _files.Write("bad.csv", text);
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.ReadCsv(csv));
        Assert.Equal((csv, line, problem), (e.File, e.Line, e.Problem));
        Assert.Equal($"{csv}:{line}: {problem}", e.Message);
    }

    [Fact]
    public void AnEmptyCsvIsNamed()
    {
        string csv = _files.Write("empty.csv", "vm,time,cpu_pct\n");
        Assert.Equal($"{csv}: no rows (expected vm,time,cpu_pct[,mem_mib])", Assert.Throws<TraceFormatException>(() => TraceReader.ReadCsv(csv)).Message);
    }

    [Fact]
    public void TraceFiguresForRightSizing()
    {
        var trace = new Trace("vm", [10, 20, 30, 40, 100]);
        Assert.Equal(40, trace.MeanCpuPercent);
        Assert.Equal(100, trace.PeakCpuPercent);
        Assert.Equal(40, trace.CpuPercentile(0.8));
        Assert.Equal(100, trace.CpuPercentile(0.95));
        Assert.Equal(10, trace.CpuPercentile(0.2));
        var vm = new FleetVm(new VmType("small", 1000, 1740), trace);
        Assert.Equal(400, vm.MeanDemandMips, 9);
        Assert.Equal(1000, vm.RightSizedMips(), 9);       // the busiest interval is in the top 5 %
        Assert.Equal(400, vm.RightSizedMips(0.8), 9);
        Assert.Equal(300, vm.DemandMips(2), 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trace("vm", [101]));
        Assert.Throws<ArgumentException>(() => new TraceSet("x", [new Trace("a", [1, 2]), new Trace("b", [1])]));
    }
}
