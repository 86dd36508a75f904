using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace VirtLab.Experiments;

/// <summary>
/// Reads the summaries of VirtLab's doc comments from VirtLab.xml, the documentation file the build
/// writes next to VirtLab.dll, as plain text (a <c>&lt;see cref="..."/&gt;</c> becomes the name it
/// points to). This is how an option's doc comment also becomes its <c>--help</c> text.
/// </summary>
internal static partial class XmlDocumentation
{
    /// <summary>The documentation file's name.</summary>
    public static string FileName => typeof(XmlDocumentation).Assembly.GetName().Name + ".xml";

    private static readonly Lazy<IReadOnlyDictionary<string, string>?> summaries = new(Load);

    /// <summary>The summary of <paramref name="member"/>'s doc comment, or null if it has none or the file is missing.</summary>
    public static string? SummaryOf(MemberInfo member)
    {
        string prefix = member switch { PropertyInfo => "P:", FieldInfo => "F:", MethodInfo => "M:", Type => "T:", _ => "" };
        string id = member is Type type ? prefix + Name(type) : prefix + Name(member.DeclaringType!) + "." + member.Name;
        return summaries.Value is { } all && all.TryGetValue(id, out var summary) ? summary : null;
    }

    private static string Name(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    private static IReadOnlyDictionary<string, string>? Load()
    {
        string? directory = Path.GetDirectoryName(typeof(XmlDocumentation).Assembly.Location);
        string path = Path.Combine(string.IsNullOrEmpty(directory) ? AppContext.BaseDirectory : directory, FileName);
        if (!File.Exists(path)) return null;
        var members = XDocument.Load(path).Root?.Element("members")?.Elements("member") ?? [];
        var result = new Dictionary<string, string>();
        foreach (var member in members)
            if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
                result[name] = Spaces().Replace(PlainText(summary), " ").Trim();
        return result;
    }

    private static string PlainText(XElement element) => string.Concat(element.Nodes().Select(node => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see => see.Attribute("langword")?.Value ?? ShortName(see.Attribute("cref")?.Value ?? ""),
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => reference.Attribute("name")?.Value ?? "",
        XElement { Name.LocalName: "para" } para => " " + PlainText(para) + " ",
        XElement other => PlainText(other),
        _ => "",
    }));

    /// <summary><c>T:VirtLab.Hypervisor.HostConfig</c> to <c>HostConfig</c>; a method's parameter list is dropped.</summary>
    private static string ShortName(string cref)
    {
        string name = cref.Contains(':') ? cref[(cref.IndexOf(':') + 1)..] : cref;
        int paren = name.IndexOf('(');
        if (paren >= 0) name = name[..paren];
        return name[(name.LastIndexOf('.') + 1)..];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
