using VirtLab.Guest;
using VirtLab.Hypervisor;

namespace VirtLab.Experiments;

/// <summary>
/// N identical guests (same kernel, same workload) with the page-sharing scan on, N = 1..max, then
/// a mixed set. The shared fraction is pages mapped to shared frames over all guest pages with
/// memory behind them; saved is the frames that sharing freed. Both come from the scan's hash,
/// full compare and copy-on-write, not from a formula.
/// </summary>
public sealed class PageSharingExperiment : IExperiment
{
    public string Name => "page-sharing";
    public string Description => "N identical guests and a mixed set with content-based page sharing: shared fraction and memory saved";
    public IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["duration-ms"] = "60", ["max-vms"] = "10", ["workload"] = "cache:pages=64", ["scan-pages"] = "256",
    };

    public ExperimentResult Run(IReadOnlyDictionary<string, string> o, int seed, IProgress<double>? progress = null)
    {
        double duration = Options.Double(o, Defaults, "duration-ms", 1);
        int max = Options.Int(o, Defaults, "max-vms", 1, 32);
        var workload = Options.Workload(Options.Get(o, Defaults, "workload"), "workload");
        int scan = Options.Int(o, Defaults, "scan-pages", 1);
        var result = new ExperimentResult(Name);
        var table = new Table("sharing", "set", "vms", "backed_pages", "shared_pages", "shared_frames", "saved_frames", "shared_fraction", "saved_fraction", "copy_on_writes");
        result.Tables.Add(table);
        Workload[] mixed = [Workload.Cpu(), Workload.Memory(32, 4096), Workload.Io(), Workload.Phases(48, 5), Workload.ExitMmio()];
        var sets = Enumerable.Range(1, max).Select(n => ($"identical", Enumerable.Repeat(workload, n).ToArray()))
            .Append(("mixed", mixed)).ToList();
        int done = 0;
        foreach (var (label, workloads) in sets)
        {
            var host = new Host(new HostConfig { Cores = Math.Min(workloads.Length, 8), RamPages = 4096 + workloads.Length * 600, SharingScanPages = scan, ReclamationPolicy = null, Seed = seed });
            for (int i = 0; i < workloads.Length; i++)
                host.CreateVm(new VmConfig { Name = $"vm{i}", MemoryPages = 256, TickMilliseconds = 1, Workload = workloads[i] });
            host.RunFor(duration);
            int shared = host.Vms.Sum(v => v.Memory.SharedPages), backed = host.Vms.Sum(v => v.Memory.MappedPages) + shared;
            table.Add(label, workloads.Length, backed, shared, host.Sharing.SharedFrames, host.Sharing.SavedFrames,
                backed > 0 ? (double)shared / backed : 0, backed > 0 ? (double)host.Sharing.SavedFrames / backed : 0, host.Vms.Sum(v => v.Memory.CopyOnWrites));
            progress?.Report(++done / (double)sets.Count);
        }
        var rows = table.Rows;
        result.Headlines.Add(("shared fraction, identical N=1..", string.Join(", ", rows.Where(r => (string)r[0] == "identical").Select(r => $"{(int)r[1]}:{(double)r[6]:P0}"))));
        result.Headlines.Add(("saved fraction, identical N=1..", string.Join(", ", rows.Where(r => (string)r[0] == "identical").Select(r => $"{(int)r[1]}:{(double)r[7]:P0}"))));
        result.Headlines.Add(("shared fraction, mixed", $"{(double)rows[^1][6]:P0} (saved {(int)rows[^1][5]} frames)"));
        result.Notes.Add("shared_fraction = guest pages mapped to shared frames / guest pages with memory behind them; saved = shared pages - shared frames; saved_fraction = saved / guest pages with memory behind them (the memory sharing gives back, as ESX reports it).");
        result.Notes.Add("The default workload, cache, fills its pages once with bytes that are the same in every guest and then only reads them, like the same files or libraries in every guest's memory; mem (which keeps rewriting its pages) shares little but zero pages.");
        return result;
    }
}
