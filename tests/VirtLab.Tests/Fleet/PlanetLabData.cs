using VirtLab.Tests.Cli;

namespace VirtLab.Tests.Fleet;

/// <summary>
/// The real PlanetLab day (2011-03-03, 1052 VMs) in ../shared/data beside the repository, read in
/// place: tests never copy it, and VirtLab never needs it at run time. A machine without it skips
/// the tests that need it, with the reason; on CI (<c>CI=true</c>) that is a failure instead.
/// </summary>
public static class PlanetLabData
{
    /// <summary>Where the traces are: <c>VIRTLAB_PLANETLAB</c> if set, else ../shared/data/planetlab-20110303 from the repository root.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("VIRTLAB_PLANETLAB")
        ?? Path.GetFullPath(Path.Combine(CliHarness.RepoRoot, "..", "shared", "data", "planetlab-20110303"));

    private static readonly Lazy<VirtLab.Fleet.TraceSet?> Day = new(() =>
        System.IO.Directory.Exists(Directory) ? VirtLab.Fleet.TraceReader.ReadPlanetLab(Directory) : null);

    /// <summary>The folder, or a skip (a failure on CI) when it is missing.</summary>
    public static string RequireDirectory()
    {
        if (System.IO.Directory.Exists(Directory)) return Directory;
        string reason = $"the PlanetLab traces are not at {Directory} (set VIRTLAB_PLANETLAB to their folder)";
        if (ExternalTools.IsCi) throw new Xunit.Sdk.XunitException($"{reason}; CI=true so this is a failure, not a skip");
        Console.WriteLine($"Skipping: {reason}");
        Skip.If(true, reason);
        return Directory;
    }

    /// <summary>The whole day, read once per test run.</summary>
    public static VirtLab.Fleet.TraceSet Require()
    {
        RequireDirectory();
        return Day.Value!;
    }
}
