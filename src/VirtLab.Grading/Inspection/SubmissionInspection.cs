using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using VirtLab.Grading.Exercises;

namespace VirtLab.Grading.Inspection;

/// <summary>
/// Reads a compiled submission's metadata, in the grader and before any of its code runs, for a
/// use of what the exercise forbids (<see cref="ForbiddenUse"/>): VirtLab's own implementation of
/// the policy the student is asked to write. The bytes read here are the bytes the child process
/// loads (the grader hands them over itself), so what is checked is what runs.
/// <para>
/// Every way compiled C# can reach a type leaves a trace in metadata:
/// <list type="bullet">
/// <item>naming it (<c>new CreditScheduler()</c>, <c>typeof</c>, a generic argument, a cast) puts
/// it in the <b>type references</b>;</item>
/// <item>a member of another VirtLab type that hands one out (<c>new HostConfig().Placement</c>) is
/// a <b>member reference</b> whose signature names the exercise's interface;</item>
/// <item>a name in a string (<c>Type.GetType("VirtLab.Scheduling.CreditScheduler")</c>) is a
/// <b>user string</b>;</item>
/// <item>a name computed at run time needs reflection, run-time loading or binding by name
/// (<c>Type.GetType</c>, <c>Assembly</c>, <c>Activator</c>, <c>dynamic</c>, expression trees),
/// which a submission under such a rule may not use at all: their type and member references are
/// refused by namespace, type and member.</item>
/// </list>
/// A type with members the exercise gives (<c>SharesReclamationPolicy.Revoke</c>) may be named
/// only to call those: any other use (its constructor, <c>typeof</c>, a cast, a generic argument
/// that a framework method could instantiate) is refused.
/// </para>
/// </summary>
public static class SubmissionInspection
{
    /// <summary>Namespaces whose types reach types or members by a name known only at run time, or make objects without a constructor call the check could see.</summary>
    private static readonly string[] ByNameNamespaces =
    [
        "System.Reflection",               // Assembly, MethodInfo, PropertyInfo, Emit: members found by name, code made at run time
        "System.Runtime.Loader",           // AssemblyLoadContext: assemblies loaded by name or from bytes
        "System.Linq.Expressions",         // Expression.Property(x, "Name") and the like, compiled to code
        "System.ComponentModel",           // TypeDescriptor, PropertyDescriptor: properties by name
        "System.Runtime.Serialization",    // FormatterServices: objects made without their constructor
        "Microsoft.CSharp.RuntimeBinder",  // dynamic: members bound by name at run time
    ];

    /// <summary>Types that make objects of a type given at run time, or reach other assemblies. (<c>new T()</c> compiles to <c>Activator.CreateInstance&lt;T&gt;()</c>, which is allowed: its <c>T</c> is in the metadata, checked like any type.)</summary>
    private static readonly string[] ByNameTypes = ["System.Activator", "System.AppDomain"];

    /// <summary>Members of those namespaces that only describe, and that ordinary code uses: <c>GetType().Name</c> compiles to <c>MemberInfo.Name</c>.</summary>
    private static readonly (string Type, string Member)[] Descriptive = [("System.Reflection.MemberInfo", "get_Name")];

    /// <summary>Members that find a type by its name, or bind a delegate to a method by its name, or make an object without its constructor.</summary>
    private static readonly (string Type, string Member)[] ByNameMembers =
    [
        ("System.Type", "GetType"), ("System.Type", "ReflectionOnlyGetType"), ("System.Type", "GetTypeFromProgID"), ("System.Type", "GetTypeFromCLSID"),
        ("System.Type", "GetNestedType"), ("System.Type", "GetNestedTypes"), ("System.Type", "GetInterface"), ("System.Type", "InvokeMember"),
        ("System.Delegate", "CreateDelegate"),
        ("System.Runtime.CompilerServices.RuntimeHelpers", "GetUninitializedObject"),
    ];

    /// <summary>
    /// Why the compiled submission <paramref name="image"/> is refused under <paramref name="rule"/>,
    /// as a sentence naming the type or member, or null if it uses nothing forbidden.
    /// </summary>
    public static string? Refusal(byte[] image, ForbiddenUse rule)
    {
        try
        {
            using var pe = new PEReader(ImmutableArray.Create(image));
            return Refusal(pe, pe.GetMetadataReader(), rule);
        }
        catch (BadImageFormatException e)
        {
            return $"the compiled submission cannot be read ({e.Message})";
        }
    }

    private static string? Refusal(PEReader pe, MetadataReader md, ForbiddenUse rule)
    {
        var reading = new Reading(pe, md, rule);
        return reading.Types() ?? reading.Members() ?? reading.TypeUses() ?? reading.Strings();
    }

    /// <summary>One compiled submission read under one rule, a kind of trace at a time; each returns the first refusal or null.</summary>
    private sealed class Reading(PEReader pe, MetadataReader md, ForbiddenUse rule)
    {
        private readonly TypeNames _names = new(md);

        /// <summary>Type references: a forbidden type named.</summary>
        public string? Types()
        {
            foreach (var h in md.TypeReferences)
            {
                string type = _names.Of(h);
                if (rule.BuiltIns.ContainsKey(type) && !rule.HasAllowedMembers(type)) return $"the code uses {Forbidden(type)}";
            }
            return null;
        }

        /// <summary>
        /// Member references: of a type with allowed members only those; none that finds things by
        /// name or deals in what does (any use of a reflection object is a call of such a member);
        /// none of VirtLab's that hands out a built-in, as what it returns or through an out parameter.
        /// </summary>
        public string? Members()
        {
            var handedOut = rule.BuiltIns.Keys.Concat(rule.ImplementationsOf).ToHashSet(StringComparer.Ordinal);
            var own = md.TypeDefinitions.Select(_names.Of).ToHashSet(StringComparer.Ordinal);
            foreach (var h in md.MemberReferences)
            {
                var member = md.GetMemberReference(h);
                if (_names.Of(member.Parent) is not { } parent) continue;
                string type = GenericDefinition(parent), name = md.GetString(member.Name), shown = $"{type}.{Shown(name)}";
                if (rule.BuiltIns.ContainsKey(type) && !rule.IsAllowed(type, name))
                    return $"the code uses {shown} ({rule.BuiltIns[type]}); of that type only {AllowedOf(type)} may be used";
                if (Descriptive.Contains((type, name)) || IsNewT(member, type, name)) continue;
                if (ByNameMembers.Contains((type, name)) || ByNameTypes.Contains(type) || IsByName(type)) return $"the code uses {shown}: {ByName}";
                string[] signature = Signature(member);
                if (signature.SelectMany(Parts).FirstOrDefault(IsByName) is { } dealsIn) return $"the code uses {shown}, which deals in {dealsIn}: {ByName}";
                if (own.Contains(type) || rule.IsAllowed(type, name)) continue;
                var given = signature.Where((t, i) => i == 0 || t.EndsWith('&')).Select(t => Mentioned(t, handedOut)).FirstOrDefault(b => b is not null);
                if (given is not null)
                    return $"the code uses {shown}, which hands out VirtLab's own {given[(given.LastIndexOf('.') + 1)..]}; the exercise is to write your own";
            }
            return null;
        }

        /// <summary>A type with allowed members, used otherwise: as a generic argument (<c>Lazy&lt;T&gt;</c> would make one), or in the code itself (<c>typeof</c>, a cast, an array).</summary>
        public string? TypeUses()
        {
            for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
                if (Mentioned(md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).DecodeSignature(_names, null), rule.BuiltIns.Keys) is { } type)
                    return AsType(type, "");
            for (int row = 1; row <= md.GetTableRowCount(TableIndex.MethodSpec); row++)
                foreach (var argument in md.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row)).DecodeSignature(_names, null))
                    if (Mentioned(argument, rule.BuiltIns.Keys) is { } type)
                        return AsType(type, " argument");
            // An instruction that names a type (ldtoken, castclass, isinst, newarr, box) carries its token: a
            // byte search may mistake a constant for one, which refuses too much, never too little.
            var tokens = md.TypeReferences.Where(h => rule.BuiltIns.ContainsKey(_names.Of(h)))
                .Select(h => (Token: BitConverter.GetBytes(MetadataTokens.GetToken(h)), Type: _names.Of(h))).ToList();
            foreach (var m in md.MethodDefinitions)
            {
                int rva = md.GetMethodDefinition(m).RelativeVirtualAddress;
                if (tokens.Count == 0 || rva == 0) continue;
                var il = pe.GetMethodBody(rva).GetILBytes() ?? [];
                foreach (var (token, type) in tokens)
                    if (il.AsSpan().IndexOf(token) >= 0) return AsType(type, " (typeof, a cast, an array)");
            }
            return null;
        }

        /// <summary>User strings: a forbidden type's name, which reflection or a serializer could turn into the type.</summary>
        public string? Strings()
        {
            for (var h = MetadataTokens.UserStringHandle(1); !h.IsNil; h = md.GetNextHandle(h))
            {
                string text = md.GetUserString(h);
                foreach (var type in rule.BuiltIns.Keys)
                {
                    string simple = type[(Math.Max(type.LastIndexOf('.'), type.LastIndexOf('+')) + 1)..];
                    if (Regex.IsMatch(text, $@"\b{Regex.Escape(simple)}\b"))
                        return $"the code holds the text \"{Shorten(text)}\", which names {Forbidden(type)}";
                }
            }
            return null;
        }

        private string ByName => "reflection, run-time loading and binding by name could reach VirtLab's own " +
            string.Join(" or ", rule.ImplementationsOf.Select(i => i[(i.LastIndexOf('.') + 1)..]).DefaultIfEmpty("built-in policy")) +
            " by a name built at run time, so this exercise does not allow them";

        private string Forbidden(string type) => $"{type} ({rule.BuiltIns[type]}); the exercise is to write your own";

        private string AsType(string type, string how) => $"the code uses {type} as a type{how}, not only its allowed members {AllowedOf(type)} ({rule.BuiltIns[type]})";

        private string AllowedOf(string type) =>
            string.Join(" and ", rule.Allowed.Where(a => a.StartsWith(type + ".", StringComparison.Ordinal)).Select(a => a[(type.Length + 1)..]));

        /// <summary>Whether the member is <c>Activator.CreateInstance&lt;T&gt;()</c>, what <c>new T()</c> compiles to.</summary>
        private bool IsNewT(MemberReference member, string type, string name) =>
            type == "System.Activator" && name == "CreateInstance" && member.GetKind() == MemberReferenceKind.Method
            && member.DecodeMethodSignature(_names, null) is { Header.IsGeneric: true, ParameterTypes.Length: 0 };

        /// <summary>A field's type, or a method's return type then its parameters' types.</summary>
        private string[] Signature(MemberReference member)
        {
            if (member.GetKind() == MemberReferenceKind.Field) return [member.DecodeFieldSignature(_names, null)];
            var method = member.DecodeMethodSignature(_names, null);
            return [method.ReturnType, .. method.ParameterTypes];
        }
    }

    /// <summary>Whether <paramref name="type"/> is one of the ways to reach a type by a name known only at run time. Attributes are markers and do nothing themselves (the compiler emits <c>DefaultMemberAttribute</c> for every indexer).</summary>
    private static bool IsByName(string type)
    {
        if (ByNameTypes.Contains(type)) return true;
        if (type.EndsWith("Attribute", StringComparison.Ordinal)) return false;
        int dot = type.LastIndexOf('.');
        string ns = dot < 0 ? "" : type[..dot];
        return ByNameNamespaces.Any(n => ns == n || ns.StartsWith(n + ".", StringComparison.Ordinal));
    }

    /// <summary>"System.Lazy`1" for "System.Lazy`1&lt;X&gt;": the type a member of a generic instantiation belongs to.</summary>
    private static string GenericDefinition(string type)
    {
        int angle = type.IndexOf('<');
        return angle < 0 ? type : type[..angle];
    }

    /// <summary>The first of <paramref name="names"/> that appears in the spelled-out type <paramref name="type"/> as a whole name.</summary>
    private static string? Mentioned(string type, IEnumerable<string> names)
    {
        var parts = Parts(type);
        return names.FirstOrDefault(parts.Contains);
    }

    /// <summary>The type names in a spelled-out type: "System.Lazy`1", "X" for "System.Lazy`1&lt;X&gt;".</summary>
    private static string[] Parts(string type) => type.Split(['<', '>', ',', '[', ']', '&', '*', '(', ')', ' '], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>"Placement" for "get_Placement": members as the student wrote them.</summary>
    private static string Shown(string member) => member switch
    {
        ".ctor" => "constructor",
        _ when member.StartsWith("get_", StringComparison.Ordinal) || member.StartsWith("set_", StringComparison.Ordinal) => member[4..],
        _ => member,
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
