namespace VirtLab.Experiments;

/// <summary>One host of <see cref="PageSharingExperiment"/>: its guests' memory after the run.</summary>
/// <param name="Set"><see cref="PageSharingExperiment.Identical"/> or <see cref="PageSharingExperiment.Mixed"/>.</param>
/// <param name="Vms">Guests on the host.</param>
/// <param name="BackedPages">Guest pages with memory behind them (a frame of their own or a shared one).</param>
/// <param name="SharedPages">Guest pages mapped to a shared frame.</param>
/// <param name="SharedFrames">Frames those pages share.</param>
/// <param name="SavedFrames">Frames sharing freed: shared pages - shared frames.</param>
/// <param name="SharedFraction">Shared pages / backed pages.</param>
/// <param name="SavedFraction">Saved frames / backed pages: the memory sharing gives back, as ESX reports it.</param>
/// <param name="CopyOnWrites">Writes that broke sharing (a private copy each).</param>
public sealed record PageSharingRow(
    [property: Column("set")] string Set,
    [property: Column("vms")] int Vms,
    [property: Column("backed_pages")] int BackedPages,
    [property: Column("shared_pages")] int SharedPages,
    [property: Column("shared_frames")] int SharedFrames,
    [property: Column("saved_frames")] int SavedFrames,
    [property: Column("shared_fraction")] double SharedFraction,
    [property: Column("saved_fraction")] double SavedFraction,
    [property: Column("copy_on_writes")] long CopyOnWrites);
