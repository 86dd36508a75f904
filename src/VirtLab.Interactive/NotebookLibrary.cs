namespace VirtLab.Interactive;

/// <summary>
/// The folder of assemblies that lessons reference with <c>#r "lib/VirtLab.Interactive.dll"</c>:
/// VirtLab.Interactive and everything it needs that is not part of .NET (VirtLab, Plotly.NET,
/// FSharp.Core, ...). The notebook host provides .NET Interactive's Formatting package itself
/// (VirtLab's runner and the Polyglot kernel both do), so it is left out: a second copy would
/// register formatters with a Formatter nobody reads.
/// <para>
/// <c>virtlab course</c> and <c>virtlab notebook run</c> call <see cref="Deploy"/> with
/// <c>notebooks/lib</c> before running lessons, copying the assemblies from the tool's own folder,
/// so a fresh clone needs nothing but the .NET SDK. The folder is git-ignored.
/// </para>
/// </summary>
public static class NotebookLibrary
{
    /// <summary>The folder name, relative to the notebooks.</summary>
    public const string FolderName = "lib";

    /// <summary>Assemblies the notebook host provides; never copied.</summary>
    public static readonly IReadOnlySet<string> HostProvided = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Microsoft.DotNet.Interactive.Formatting", "Microsoft.AspNetCore.Html.Abstractions",
    };

    private static readonly Lock gate = new();

    /// <summary>
    /// True when a cell (or a whole notebook's text) loads VirtLab from this folder, as in
    /// <c>#r "lib/VirtLab.Interactive.dll"</c>: hosts deploy the folder before running it.
    /// </summary>
    public static bool IsReferencedBy(string code) =>
        code.Contains("\"" + FolderName + "/VirtLab", StringComparison.Ordinal);

    /// <summary>
    /// The files <see cref="Deploy"/> copies: full paths of VirtLab.Interactive and its non-framework
    /// dependencies, each with its XML documentation file when there is one (a kernel's inspect and
    /// completion show those doc comments).
    /// </summary>
    public static IReadOnlyList<string> Files()
    {
        var self = typeof(NotebookLibrary).Assembly;
        var directory = Path.GetDirectoryName(self.Location) ?? AppContext.BaseDirectory;
        var found = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<System.Reflection.AssemblyName>([self.GetName()]);
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name.Name is null || found.ContainsKey(name.Name) || HostProvided.Contains(name.Name)) continue;
            var file = Path.Combine(directory, name.Name + ".dll");
            if (!File.Exists(file)) continue; // part of .NET
            found[name.Name] = file;
            var documentation = Path.ChangeExtension(file, ".xml");
            if (File.Exists(documentation)) found[name.Name + ".xml"] = documentation;
            foreach (var reference in System.Reflection.Assembly.LoadFrom(file).GetReferencedAssemblies()) pending.Push(reference);
        }
        return [.. found.Values];
    }

    /// <summary>
    /// Copies the library into <paramref name="libDirectory"/> (created if needed). Files that are
    /// already identical are left alone. Returns the number of files written.
    /// </summary>
    public static int Deploy(string libDirectory)
    {
        lock (gate)
        {
            Directory.CreateDirectory(libDirectory);
            int written = 0;
            foreach (var file in Files())
            {
                var target = Path.Combine(libDirectory, Path.GetFileName(file));
                if (File.Exists(target) && SameContent(file, target)) continue;
                var temporary = target + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
                File.Copy(file, temporary, overwrite: true);
                File.Move(temporary, target, overwrite: true);
                written++;
            }
            return written;
        }
    }

    private static bool SameContent(string a, string b)
    {
        var (infoA, infoB) = (new FileInfo(a), new FileInfo(b));
        return infoA.Length == infoB.Length && File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
    }
}
