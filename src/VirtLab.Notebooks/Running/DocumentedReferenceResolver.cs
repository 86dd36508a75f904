using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace VirtLab.Notebooks;

/// <summary>
/// Resolves <c>#r</c> like the script's own resolver, and gives each assembly its XML
/// documentation file so that quick info shows doc comments. The file is looked for beside the
/// dll (VirtLab's own libraries ship one), then, for .NET's own assemblies, in the reference pack
/// the SDK installs (<c>packs/Microsoft.NETCore.App.Ref/VERSION/ref/netX.Y</c>).
/// </summary>
internal sealed class DocumentedReferenceResolver(MetadataReferenceResolver inner) : MetadataReferenceResolver
{
    private MetadataReferenceResolver Inner => inner;

    private static readonly ConcurrentDictionary<string, PortableExecutableReference> documented = new(StringComparer.Ordinal);
    private static readonly Lazy<string?> referencePackDirectory = new(FindReferencePack);

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        [.. inner.ResolveReference(reference, baseFilePath, properties).Select(r => (PortableExecutableReference)WithDocumentation(r))];

    public override bool ResolveMissingAssemblies => inner.ResolveMissingAssemblies;

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        inner.ResolveMissingAssembly(definition, referenceIdentity);

    public override bool Equals(object? other) => other is DocumentedReferenceResolver resolver && resolver.Inner.Equals(inner);

    public override int GetHashCode() => inner.GetHashCode();

    /// <summary>The same reference, with its documentation when a file for it exists.</summary>
    public static MetadataReference WithDocumentation(MetadataReference reference)
    {
        if (reference is not PortableExecutableReference { FilePath: { } path } portable) return reference;
        return documented.GetOrAdd(path, _ => DocumentationFile(path) is { } xml
            ? MetadataReference.CreateFromFile(path, portable.Properties, XmlDocumentationProvider.CreateFromFile(xml))
            : portable);
    }

    private static string? DocumentationFile(string assemblyPath)
    {
        var beside = Path.ChangeExtension(assemblyPath, ".xml");
        if (File.Exists(beside)) return beside;
        if (referencePackDirectory.Value is not { } pack) return null;
        var inPack = Path.Combine(pack, Path.GetFileNameWithoutExtension(assemblyPath) + ".xml");
        return File.Exists(inPack) ? inPack : null;
    }

    /// <summary>The newest reference pack folder for the running .NET's major version, if the SDK is installed.</summary>
    private static string? FindReferencePack()
    {
        // .../dotnet/shared/Microsoft.NETCore.App/10.0.1/System.Runtime.dll -> .../dotnet
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var dotnetRoot = runtimeDirectory is null ? null : Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packs = dotnetRoot is null ? null : Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        if (packs is null || !Directory.Exists(packs)) return null;
        var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        return Directory.EnumerateDirectories(packs)
            .Where(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) && v.Major == Environment.Version.Major)
            .OrderByDescending(d => Version.Parse(Path.GetFileName(d).Split('-')[0]))
            .Select(d => Path.Combine(d, "ref", framework))
            .FirstOrDefault(Directory.Exists);
    }
}
