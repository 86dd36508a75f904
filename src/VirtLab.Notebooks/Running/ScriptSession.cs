using System.Collections.Immutable;
using System.Reflection;
using Microsoft.AspNetCore.Html;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace VirtLab.Notebooks;

/// <summary>
/// Runs C# cells one after another as Roslyn script submissions, the way the Polyglot C# kernel
/// does: each cell continues the state of the previous one (<see cref="ScriptState.ContinueWithAsync(string, ScriptOptions?, CancellationToken)"/>),
/// so variables, types and usings declared in one cell are visible in the next.
/// It lives inside the <see cref="CellHost"/> child process, never in VirtLab's own process.
/// <para>
/// A submission inherits every reference of the submissions before it, so only the first one
/// gets the framework's assemblies; later ones get just what was added since (a package's
/// assemblies). Handing each submission the whole list again made Roslyn bind a reference list
/// that grew by the framework's ~170 assemblies per cell: the child's memory grew quadratically,
/// about 0.4 MiB per cell at cell 50 and 1.4 MiB at cell 200.
/// </para>
/// <para>
/// Only cells that declare something join the chain. One that declares nothing runs as a
/// <see cref="CollectibleSubmission"/> on top of it and is unloaded afterwards, since no later cell
/// can refer to it.
/// </para>
/// </summary>
internal sealed class ScriptSession
{
    /// <summary>The kernel's default usings.</summary>
    public static readonly ImmutableArray<string> DefaultImports =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> frameworkReferences = new(FrameworkReferences);

    private readonly NotebookGlobals globals = new();
    private readonly PackageRestore restore;
    private readonly List<PackageRequest> requestedPackages = [];
    private readonly List<string> restoreSources;
    private readonly Dictionary<string, string> loadedPackages = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> packageAssemblies = new(StringComparer.Ordinal);
    /// <summary>What the first submission is compiled with: the framework, VirtLab.Notebooks, the formatters.</summary>
    private readonly ScriptOptions options;
    /// <summary>References added since the last accepted submission; the next one brings them in.</summary>
    private readonly List<MetadataReference> pendingReferences = [];
    private ScriptState<object>? state;

    public ScriptSession(string notebookDirectory, PackageRestore restore, IEnumerable<string> restoreSources)
    {
        this.restore = restore;
        this.restoreSources = restoreSources.ToList();
        options = ScriptOptions.Default
            .WithReferences(frameworkReferences.Value)
            .AddReferences(typeof(NotebookGlobals).Assembly, typeof(Formatter).Assembly, typeof(IHtmlContent).Assembly)
            .WithImports(DefaultImports)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(notebookDirectory))
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, notebookDirectory))
            .WithEmitDebugInformation(true)
            .WithAllowUnsafe(true);
    }

    /// <summary>
    /// Restores the packages a cell asks for and adds their assemblies to the references of the
    /// following submissions. Returns the newly loaded packages.
    /// </summary>
    public async Task<IReadOnlyList<ResolvedPackage>> AddPackagesAsync(PackageDirectives directives, CancellationToken cancellationToken)
    {
        restoreSources.AddRange(directives.Sources.Except(restoreSources));
        var newRequests = new List<PackageRequest>();
        foreach (var request in directives.Packages)
        {
            if (loadedPackages.TryGetValue(request.Name, out var loadedVersion))
            {
                if (request.Version is null || request.Version == loadedVersion) continue;
                throw new PackageRestoreException(
                    $"{request.Name} version {request.Version} cannot be added because version {loadedVersion} is already loaded. Restart the kernel to change it.");
            }
            newRequests.Add(request);
        }
        if (newRequests.Count == 0) return [];

        var restored = await restore.RestoreAsync([.. requestedPackages, .. newRequests], restoreSources, cancellationToken);
        foreach (var package in restored.Packages)
        {
            if (loadedPackages.TryGetValue(package.Name, out var loadedVersion) && loadedVersion != package.Version)
                throw new PackageRestoreException(
                    $"{package.Name} version {package.Version} cannot be added because version {loadedVersion} is already loaded. Restart the kernel to change it.");
        }

        requestedPackages.AddRange(newRequests);
        var added = restored.Packages.Where(p => !loadedPackages.ContainsKey(p.Name)).ToList();
        foreach (var package in added) loadedPackages[package.Name] = package.Version;
        var newAssemblies = restored.AssemblyPaths.Where(packageAssemblies.Add).ToList();
        pendingReferences.AddRange(newAssemblies.Select(path => MetadataReference.CreateFromFile(path)));
        return added;
    }

    /// <summary>The state later cells continue from: every accepted submission, newest last. Null before <see cref="StartAsync"/>.</summary>
    public ScriptState<object>? State => state;

    /// <summary>The object whose members cells see as globals (<c>display</c>, <c>HTML</c>).</summary>
    public static Type GlobalsType => typeof(NotebookGlobals);

    /// <summary>
    /// Runs the empty first submission that later cells continue from, then compiles and runs two
    /// throw-away ones, one kept and one collectible: the first real compilation costs a second or
    /// more of JIT work, which is better paid while the process starts than inside the first cell's
    /// timeout.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        state = await CSharpScript.Create("", options, typeof(NotebookGlobals)).RunAsync(globals, cancellationToken);
        await state.ContinueWithAsync("var warmUp = new[] { 1, 2 }.Select(i => i.ToString()).ToList(); warmUp", ContinuationOptions, cancellationToken);
        await RunAsync("new[] { 1, 2 }.Select(i => i.ToString()).ToList()", cancellationToken); // and the path of a cell that declares nothing
    }

    /// <summary>
    /// Compiles and runs one cell after the last accepted one. A compile error throws
    /// <see cref="CompilationErrorException"/>; an exception thrown by the cell's code is returned in
    /// <see cref="SubmissionResult.Exception"/>. A cell that declares something becomes the state
    /// later cells continue from, even if it threw: variables it declared before it threw stay
    /// available, as in the Polyglot kernel. A cell that declares nothing is run as a
    /// <see cref="CollectibleSubmission"/>, so that the process can forget it.
    /// </summary>
    public async Task<SubmissionResult> RunAsync(string code, CancellationToken cancellationToken)
    {
        var previous = state ?? throw new InvalidOperationException("call StartAsync first");
        var script = previous.Script.ContinueWith(code, ContinuationOptions);
        // A pending package reference has to ride on a kept submission, or later cells would not see it.
        if (pendingReferences.Count == 0 && CollectibleSubmission.TryLoad(script, cancellationToken) is { } collectible)
            return await collectible.RunAsync(previous);

        var next = await script.RunFromAsync(previous, catchException: _ => true, cancellationToken);
        state = next;
        // Its submission carries them now, and every later one inherits them. A cell that did not
        // compile never gets here, so a package added by it still reaches the next cell.
        pendingReferences.RemoveAll(next.Script.Options.MetadataReferences.Contains);
        return new SubmissionResult(next.ReturnValue, next.Exception);
    }

    /// <summary>The options of a submission after the first: inherited references are not repeated.</summary>
    private ScriptOptions ContinuationOptions => options.WithReferences(pendingReferences);

    /// <summary>
    /// Every managed assembly of the running .NET shared framework. Referencing them all is what
    /// makes <c>System.Linq</c> (and <c>System.Net.Http</c>, ...) resolve in a script.
    /// </summary>
    private static ImmutableArray<MetadataReference> FrameworkReferences()
    {
        var directory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return [.. Directory.EnumerateFiles(directory, "*.dll").Where(IsManagedAssembly).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
