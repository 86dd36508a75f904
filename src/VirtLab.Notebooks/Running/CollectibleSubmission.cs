using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;

namespace VirtLab.Notebooks;

/// <summary>
/// A cell that leaves nothing for later cells to compile against, run so that the process forgets
/// it afterwards.
/// <para>
/// Roslyn's script runner keeps every submission for good: later cells are compiled on top of its
/// compilation (about 60 KiB of managed heap, mostly symbol tables), and its loader cannot unload
/// the assembly and the code JIT-compiled from it (about 100 KiB more of RSS). Over 200 executes of
/// a one-line cell that came to ~12 MiB of heap and ~30 MiB of RSS. A cell that declares nothing
/// (no variable, method or type, no using, no <c>#r</c> or <c>#load</c>) does not need to be in
/// that chain: no later cell can name anything in it. Such a cell, the usual "change a parameter,
/// run the experiment, display the chart" cell, is compiled on top of the chain like any other,
/// but emitted and loaded here into a collectible load context of its own, run against the
/// notebook's state, and unloaded once nothing refers to it. Assignments to earlier variables
/// still stick: they are fields of the earlier submissions, which this one shares.
/// </para>
/// <para>
/// Running a submission needs the array of submission objects Roslyn keeps for the chain
/// (<c>ScriptExecutionState</c>), which Roslyn does not make public. It is read by reflection; if a
/// later Roslyn renames it, <see cref="TryLoad"/> answers null and every cell takes Roslyn's own path,
/// as before. A test checks that this path is taken, so such a change does not go unnoticed.
/// </para>
/// </summary>
internal sealed class CollectibleSubmission
{
    private static readonly PropertyInfo? executionStateOfState =
        typeof(ScriptState).GetProperty("ExecutionState", BindingFlags.Instance | BindingFlags.NonPublic);

    private static readonly Type? executionStateType = executionStateOfState?.PropertyType;

    private static readonly FieldInfo? submissionObjects =
        executionStateType?.GetField("_submissionStates", BindingFlags.Instance | BindingFlags.NonPublic);

    private static readonly PropertyInfo? submissionCount =
        executionStateType?.GetProperty("SubmissionStateCount", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    private readonly CellLoadContext context;
    private readonly Func<object[], Task<object>> factory;

    private CollectibleSubmission(CellLoadContext context, Func<object[], Task<object>> factory)
    {
        this.context = context;
        this.factory = factory;
    }

    /// <summary>
    /// Emits and loads <paramref name="script"/> (already chained on the notebook's last accepted
    /// submission) if it declares nothing later cells could use and compiles cleanly. Returns null
    /// otherwise: such a cell goes through Roslyn's runner, which also reports its compile errors.
    /// </summary>
    public static CollectibleSubmission? TryLoad(Script<object> script, CancellationToken cancellationToken)
    {
        if (submissionObjects is null || submissionCount is null) return null;
        var compilation = script.GetCompilation();
        if (!DeclaresNothing(compilation)) return null;

        using var image = new MemoryStream();
        using var symbols = new MemoryStream();
        var emitted = compilation.Emit(image, symbols, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb), cancellationToken: cancellationToken);
        if (!emitted.Success) return null;
        image.Position = 0;
        symbols.Position = 0;

        var context = new CellLoadContext(compilation.AssemblyName!);
        var assembly = context.LoadFromStream(image, symbols);
        if (!context.ResolvesEveryReferenceOf(assembly))
        {
            // An assembly added by #r that no cell has used yet: Roslyn's loader knows where it
            // is, this context does not.
            context.Unload();
            return null;
        }
        var entryPoint = compilation.GetEntryPoint(cancellationToken)!;
        var factory = assembly.GetType(entryPoint.ContainingType.MetadataName, throwOnError: true)!
            .GetMethod(entryPoint.MetadataName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!
            .CreateDelegate<Func<object[], Task<object>>>();
        return new CollectibleSubmission(context, factory);
    }

    /// <summary>
    /// Runs the cell against <paramref name="previous"/>'s submission objects and starts unloading
    /// its code when it ends. Threads, tasks and objects the cell leaves behind keep the code alive
    /// until they are gone; the runtime unloads it then.
    /// </summary>
    public async Task<SubmissionResult> RunAsync(ScriptState previous)
    {
        try
        {
            var executionState = executionStateOfState!.GetValue(previous)!;
            var objects = (object[])submissionObjects!.GetValue(executionState)!;
            var count = (int)submissionCount!.GetValue(executionState)!;
            // This submission's slot is the next free one. It writes itself there, so it gets a copy:
            // the chain's own array must not hold a submission that is about to be unloaded.
            var shared = new object[Math.Max(objects.Length, count + 1)];
            Array.Copy(objects, shared, count);
            try
            {
                return new SubmissionResult(await factory(shared), null);
            }
            catch (Exception exception)
            {
                return new SubmissionResult(null, exception);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>
    /// True when the submission adds nothing a later cell could name or depend on. Fields count
    /// even when they come from an <c>out var</c> or a pattern in a top-level statement, since a
    /// script makes those fields too.
    /// </summary>
    private static bool DeclaresNothing(Compilation compilation)
    {
        // A #load adds the loaded script's tree to the cell's compilation.
        if (compilation.SyntaxTrees.Skip(1).Any()) return false;
        var root = (CompilationUnitSyntax)compilation.SyntaxTrees.Single().GetRoot();
        if (root.Usings.Count > 0 || root.Externs.Count > 0 || root.AttributeLists.Count > 0) return false;
        if (root.GetReferenceDirectives().Count > 0 || root.GetLoadDirectives().Count > 0) return false;
        return compilation.ScriptClass!.GetMembers().All(member => member.IsImplicitlyDeclared);
    }

    /// <summary>
    /// The load context of one cell: it finds the earlier submissions and the assemblies they
    /// loaded among those the process already has, and leaves the rest to the default context.
    /// </summary>
    private sealed class CellLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
    {
        public bool ResolvesEveryReferenceOf(Assembly assembly)
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                try
                {
                    LoadFromAssemblyName(reference);
                }
                catch (IOException)
                {
                    return false;
                }
            }
            return true;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var wanted = assemblyName.FullName;
            return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.FullName == wanted);
        }
    }
}
