namespace VirtLab.Grading.Exercises;

/// <summary>
/// What a submission may not use, from the manifest's <c>forbidden</c> field. Exercises 1 to 4 ask
/// for a policy that VirtLab already has (an instruction emulator, a scheduler, a reclamation
/// policy, an SMT placement); a submission that hands the work to VirtLab's own is refused before
/// any of its code runs (<see cref="Inspection.SubmissionInspection"/> reads the compiled code).
/// <code>
/// "forbidden": {
///   "implementationsOf": ["VirtLab.Scheduling.ISmtPlacement"],   // every VirtLab type that implements it
///   "types": ["VirtLab.Scheduling.SmtPlacement"],                // and these (a class that hands them out)
///   "allowed": []                                                 // members of those types the exercise gives
/// }
/// </code>
/// Names are full .NET type names (<c>Namespace.Type</c>, <c>Outer+Nested</c>), checked against
/// VirtLab when the manifest is read, so a typo is the instructor's error, not the student's.
/// </summary>
public sealed class ForbiddenUse
{
    /// <summary>The assemblies whose types a rule can name: VirtLab and VirtLab.Grading (the two a submission is compiled against besides .NET).</summary>
    private static readonly System.Reflection.Assembly[] VirtLabAssemblies = [typeof(Machine.Machine).Assembly, typeof(ForbiddenUse).Assembly];

    private readonly Dictionary<string, string> _builtIns;

    private ForbiddenUse(IReadOnlyList<string> implementationsOf, Dictionary<string, string> builtIns, IReadOnlyList<string> allowed)
    {
        ImplementationsOf = implementationsOf;
        _builtIns = builtIns;
        Allowed = allowed;
    }

    /// <summary>The interfaces the exercise asks the student to implement: every VirtLab implementation of them is forbidden, and so is every VirtLab member that hands one out (<c>HostConfig.Placement</c>).</summary>
    public IReadOnlyList<string> ImplementationsOf { get; }

    /// <summary>Every forbidden type's full name, each with why it is forbidden ("one of VirtLab's own implementations of ISmtPlacement").</summary>
    public IReadOnlyDictionary<string, string> BuiltIns => _builtIns;

    /// <summary>Members of forbidden types that the exercise gives the student, as <c>Namespace.Type.Member</c> (every overload).</summary>
    public IReadOnlyList<string> Allowed { get; }

    /// <summary>Whether <paramref name="type"/> (a full name) has members the exercise allows.</summary>
    public bool HasAllowedMembers(string type) => Allowed.Any(a => a.StartsWith(type + ".", StringComparison.Ordinal) && a.LastIndexOf('.') == type.Length);

    /// <summary>Whether the member <paramref name="member"/> of <paramref name="type"/> is allowed (a property's accessors count as the property).</summary>
    public bool IsAllowed(string type, string member) =>
        Allowed.Contains($"{type}.{member}") || (member.StartsWith("get_", StringComparison.Ordinal) && Allowed.Contains($"{type}.{member[4..]}"));

    /// <summary>
    /// The rule from its three lists, resolved against VirtLab: <paramref name="problem"/> receives
    /// a sentence naming the field and entry at fault, and the result is then null.
    /// </summary>
    internal static ForbiddenUse? Create(IReadOnlyList<string> implementationsOf, IReadOnlyList<string> types, IReadOnlyList<string> allowed, out string? problem)
    {
        problem = null;
        var builtIns = new Dictionary<string, string>(StringComparer.Ordinal);
        var everyType = VirtLabAssemblies.SelectMany(TypesOf).ToList();
        foreach (var name in implementationsOf)
        {
            var contract = Find(name);
            if (contract is not { IsInterface: true })
            {
                problem = $"forbidden.implementationsOf: '{name}' is not an interface of VirtLab";
                return null;
            }
            foreach (var t in everyType.Where(t => !t.IsInterface && contract.IsAssignableFrom(t)))
                builtIns.TryAdd(t.FullName!, $"one of VirtLab's own implementations of {contract.Name}");
        }
        foreach (var name in types)
        {
            if (Find(name) is null)
            {
                problem = $"forbidden.types: '{name}' is not a type of VirtLab";
                return null;
            }
            builtIns.TryAdd(name, "a built-in of VirtLab's that the exercise forbids");
        }
        foreach (var entry in allowed)
        {
            int dot = entry.LastIndexOf('.');
            string type = dot > 0 ? entry[..dot] : "";
            if (!builtIns.ContainsKey(type) || Find(type)!.GetMember(entry[(dot + 1)..]).Length == 0)
            {
                problem = $"forbidden.allowed: '{entry}' is not a member of a forbidden type (write Namespace.Type.Member)";
                return null;
            }
        }
        return new ForbiddenUse(implementationsOf, builtIns, allowed);
    }

    private static System.Type? Find(string name) => VirtLabAssemblies.Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);

    private static IEnumerable<System.Type> TypesOf(System.Reflection.Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (System.Reflection.ReflectionTypeLoadException e) { return e.Types.OfType<System.Type>(); }
    }
}
