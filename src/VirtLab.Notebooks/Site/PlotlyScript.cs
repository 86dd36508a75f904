using System.Reflection;
using System.Text.RegularExpressions;

namespace VirtLab.Notebooks;

/// <summary>
/// Where the course site gets plotly.js from. The site ships it beside the pages
/// (<c>assets/plotly.min.js</c>) so that charts draw without a network.
/// <para>
/// Plotly.NET carries plotly.js as an embedded resource (Plotly.NET 6.0.0:
/// <c>Plotly.NET.plotly-2.28.0.min.js</c>). This library does not reference Plotly.NET; the caller
/// hands the script over, typically with <c>PlotlyScript.FromAssembly(typeof(Plotly.NET.GenericChart).Assembly)</c>,
/// or lets <see cref="FromLoadedAssemblies"/> find it at run time.
/// </para>
/// </summary>
public sealed partial class PlotlyScript
{
    private readonly Func<Stream> open;

    private PlotlyScript(Func<Stream> open, string origin)
    {
        this.open = open;
        Origin = origin;
    }

    /// <summary>Where the script came from (a file, a resource name), for messages.</summary>
    public string Origin { get; }

    [GeneratedRegex(@"plotly(-[0-9.]+)?(\.min)?\.js$", RegexOptions.IgnoreCase)]
    private static partial Regex PlotlyResourceName();

    /// <summary>plotly.js read from a file.</summary>
    public static PlotlyScript FromFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException("plotly.js not found", fullPath);
        return new PlotlyScript(() => File.OpenRead(fullPath), fullPath);
    }

    /// <summary>plotly.js given as text (tests use a small stand-in).</summary>
    public static PlotlyScript FromText(string javaScript) =>
        new(() => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(javaScript)), "text");

    /// <summary>plotly.js embedded as a resource in <paramref name="assembly"/> (such as Plotly.NET), or null if it has none.</summary>
    public static PlotlyScript? FromAssembly(Assembly assembly)
    {
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => PlotlyResourceName().IsMatch(n));
        return name is null ? null : new PlotlyScript(() => assembly.GetManifestResourceStream(name)!, $"{assembly.GetName().Name}: {name}");
    }

    /// <summary>plotly.js from the first loaded assembly that embeds it, or null when none does.</summary>
    public static PlotlyScript? FromLoadedAssemblies() =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(assembly => !assembly.IsDynamic)
            .Select(FromAssembly)
            .FirstOrDefault(script => script is not null);

    /// <summary>Copies the script to <paramref name="path"/>.</summary>
    public void WriteTo(string path)
    {
        using var source = open();
        using var target = File.Create(path);
        source.CopyTo(target);
    }
}
