using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtLab.Grading.Exercises;

/// <summary>
/// One exercise: a folder <c>exercises/NN-name/</c> holding
/// <list type="bullet">
/// <item><c>README.md</c>: the task, what is given, what is graded, the points;</item>
/// <item><c>exercise.json</c>: this manifest: the judge, the files the student edits, the limits, and every test with its points;</item>
/// <item>the student's files (starter code; in the source version with solutions between
/// <c>BEGIN SOLUTION</c> and <c>END SOLUTION</c>, see <see cref="SolutionRegions"/>);</item>
/// <item><c>hidden/tests.json</c>: the parameters of the hidden tests, instructor-only.</item>
/// </list>
/// Loading never runs anything; it checks the manifest and names the file and field at fault.
/// </summary>
public sealed class Exercise
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFile = "exercise.json";
    /// <summary>The folder of instructor-only material; the student version leaves it out.</summary>
    public const string HiddenFolder = "hidden";
    /// <summary>The hidden tests' parameters, inside <see cref="HiddenFolder"/>.</summary>
    public const string HiddenTestsFile = "tests.json";

    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private Exercise(string directory, string id, string title, string judge, IReadOnlyList<string> studentFiles, ResourceLimits limits, IReadOnlyList<ExerciseTest> tests, ForbiddenUse? forbidden)
    {
        Forbidden = forbidden;
        Directory = directory;
        Id = id;
        Title = title;
        Judge = judge;
        StudentFiles = studentFiles;
        Limits = limits;
        Tests = tests;
    }

    /// <summary>The exercise's folder.</summary>
    public string Directory { get; }
    /// <summary>The folder name, e.g. <c>06-sizing</c>: number, then name.</summary>
    public string Id { get; }
    public string Title { get; }
    /// <summary>The name of the trusted code that asks and judges (see <see cref="Judging.Judges"/>).</summary>
    public string Judge { get; }
    /// <summary>The files the student edits, relative to the exercise folder. Only these are taken from a submission.</summary>
    public IReadOnlyList<string> StudentFiles { get; }
    /// <summary>Limits of each test unless the test sets its own.</summary>
    public ResourceLimits Limits { get; }
    /// <summary>What the submission's code may not use (VirtLab's own implementation of what the exercise asks for), or null if anything goes.</summary>
    public ForbiddenUse? Forbidden { get; }
    /// <summary>Every test, visible and hidden, in manifest order.</summary>
    public IReadOnlyList<ExerciseTest> Tests { get; }
    /// <summary>Whether the hidden tests' parameters are here (the instructor's source version).</summary>
    public bool HasHiddenTests => Tests.Any(t => t.Hidden && t.Available);
    /// <summary>Points of all tests, hidden ones included.</summary>
    public double MaxPoints => Tests.Sum(t => t.Points);

    /// <summary>Whether <paramref name="directory"/> holds an exercise manifest.</summary>
    public static bool IsExerciseDirectory(string directory) => File.Exists(Path.Combine(directory, ManifestFile));

    /// <summary>Reads the exercise in <paramref name="directory"/>. Throws <see cref="ExerciseFormatException"/> for a malformed one.</summary>
    public static Exercise Load(string directory)
    {
        directory = Path.GetFullPath(directory);
        string manifestPath = Path.Combine(directory, ManifestFile);
        var manifest = ReadObject(manifestPath);
        var fields = new ManifestFields(manifestPath, manifest);
        fields.OnlyKnown("", manifest, "id", "title", "judge", "studentFiles", "limits", "forbidden", "tests");

        string id = fields.Name(manifest, "id");
        string folder = Path.GetFileName(directory);
        if (id != folder) throw new ExerciseFormatException(manifestPath, $"id '{id}' must equal the folder name '{folder}'");
        string title = fields.RequiredText(manifest, "title");
        string judge = fields.RequiredText(manifest, "judge");
        var studentFiles = fields.RequiredTexts(manifest, "studentFiles");
        foreach (var f in studentFiles)
            if (Path.IsPathRooted(f) || f.Split('/', '\\').Contains("..") || f.StartsWith(HiddenFolder + "/", StringComparison.Ordinal))
                throw new ExerciseFormatException(manifestPath, $"studentFiles: '{f}' must be a path inside the exercise folder, outside '{HiddenFolder}/'");
        var limits = fields.Limits(manifest, "limits", ResourceLimits.Default);
        var forbidden = fields.Forbidden(manifest, "forbidden");

        var hidden = ReadHiddenTests(directory);
        var tests = new List<ExerciseTest>();
        if (manifest["tests"] is not JsonArray testArray || testArray.Count == 0)
            throw new ExerciseFormatException(manifestPath, "tests: needs a list of at least one test");
        for (int i = 0; i < testArray.Count; i++)
        {
            if (testArray[i] is not JsonObject t) throw new ExerciseFormatException(manifestPath, $"tests[{i}]: is not an object");
            tests.Add(ReadTest(fields, t, i, limits, hidden));
        }
        var duplicate = tests.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ExerciseFormatException(manifestPath, $"tests: the name '{duplicate.Key}' is used twice");
        if (hidden is not null)
            foreach (var name in hidden.Tests.Keys)
                if (!tests.Any(t => t.Hidden && t.Name == name))
                    throw new ExerciseFormatException(hidden.File, $"test '{name}' is not listed as a hidden test in {ManifestFile} (the manifest holds every test's points)");
        return new Exercise(directory, id, title, judge, studentFiles, limits, tests, forbidden);
    }

    private static ExerciseTest ReadTest(ManifestFields fields, JsonObject t, int index, ResourceLimits exerciseLimits, HiddenTests? hidden)
    {
        string where = $"tests[{index}]";
        fields.OnlyKnown(where, t, "name", "group", "points", "hidden", "variant", "parameters", "limits");
        string name = fields.Name(t, "name", where);
        where = $"test '{name}'";
        string group = t.ContainsKey("group") ? fields.Name(t, "group", where) : "tests";
        double points = fields.RequiredNumber(t, "points", where);
        if (!(points >= 0)) throw new ExerciseFormatException(fields.File, $"{where}: points must not be negative");
        bool isHidden = t["hidden"] is JsonValue h && h.TryGetValue(out bool b) ? b
            : t["hidden"] is null ? false
            : throw new ExerciseFormatException(fields.File, $"{where}: hidden must be true or false");
        if (!isHidden)
        {
            return new ExerciseTest
            {
                Name = name, Group = group, Points = points, Hidden = false,
                Variant = fields.Variant(t, where),
                Parameters = new TestParameters(fields.Object(t, "parameters", where), fields.File, name),
                Limits = fields.Limits(t, "limits", exerciseLimits, where),
            };
        }
        if (t.ContainsKey("parameters") || t.ContainsKey("variant") || t.ContainsKey("limits"))
            throw new ExerciseFormatException(fields.File, $"{where}: a hidden test's variant, parameters and limits belong in {HiddenFolder}/{HiddenTestsFile}, which the student version leaves out");
        if (hidden is null || !hidden.Tests.TryGetValue(name, out var h2))
        {
            if (hidden is not null)
                throw new ExerciseFormatException(hidden.File, $"the hidden test '{name}' of {ManifestFile} has no entry here");
            return new ExerciseTest { Name = name, Group = group, Points = points, Hidden = true, Limits = exerciseLimits };
        }
        var hf = new ManifestFields(hidden.File, h2);
        return new ExerciseTest
        {
            Name = name, Group = group, Points = points, Hidden = true,
            Variant = hf.Variant(h2, where),
            Parameters = new TestParameters(hf.Object(h2, "parameters", where), hidden.File, name),
            Limits = hf.Limits(h2, "limits", exerciseLimits, where),
        };
    }

    private sealed record HiddenTests(string File, Dictionary<string, JsonObject> Tests);

    private static HiddenTests? ReadHiddenTests(string directory)
    {
        string path = Path.Combine(directory, HiddenFolder, HiddenTestsFile);
        if (!File.Exists(path)) return null;
        var root = ReadObject(path);
        var fields = new ManifestFields(path, root);
        fields.OnlyKnown("", root, "tests");
        if (root["tests"] is not JsonArray list) throw new ExerciseFormatException(path, "tests: needs a list of tests");
        var tests = new Dictionary<string, JsonObject>();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject t) throw new ExerciseFormatException(path, $"tests[{i}]: is not an object");
            fields.OnlyKnown($"tests[{i}]", t, "name", "variant", "parameters", "limits");
            string name = fields.RequiredText(t, "name", $"tests[{i}]");
            if (!tests.TryAdd(name, t)) throw new ExerciseFormatException(path, $"tests: the name '{name}' is used twice");
        }
        return new HiddenTests(path, tests);
    }

    private static JsonObject ReadObject(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ExerciseFormatException(path, $"cannot be read: {e.Message}"); }
        try
        {
            return JsonNode.Parse(text, documentOptions: JsonOptions) as JsonObject
                ?? throw new ExerciseFormatException(path, "must hold a JSON object");
        }
        catch (JsonException e)
        {
            throw new ExerciseFormatException(path, $"line {e.LineNumber + 1}: not valid JSON: {e.Message}");
        }
    }

    /// <summary>Typed reads of manifest fields with errors that name the file and field.</summary>
    private sealed class ManifestFields(string file, JsonObject root)
    {
        public string File { get; } = file;
        public JsonObject Root { get; } = root;

        private string Name(string where, string field) => where.Length == 0 ? field : $"{where}.{field}";

        public void OnlyKnown(string where, JsonObject o, params string[] known)
        {
            foreach (var (key, _) in o)
                if (!known.Contains(key))
                    throw new ExerciseFormatException(File, $"{Name(where, key)}: unknown field (known: {string.Join(", ", known)})");
        }

        /// <summary>An id, test or group name: it ends up in file names, command lines and CI step ids.</summary>
        public string Name(JsonObject o, string field, string where = "")
        {
            string name = RequiredText(o, field, where);
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z0-9][A-Za-z0-9._-]*$"))
                throw new ExerciseFormatException(File, $"{Name(where, field)}: '{name}' may hold only letters, digits, '.', '_' and '-'");
            return name;
        }

        public string RequiredText(JsonObject o, string field, string where = "") =>
            OptionalText(o, field, where) ?? throw new ExerciseFormatException(File, $"{Name(where, field)}: missing");

        public string? OptionalText(JsonObject o, string field, string where = "")
        {
            var node = o[field];
            if (node is null) return null;
            if (node is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s)) return s;
            throw new ExerciseFormatException(File, $"{Name(where, field)}: must be a non-empty text");
        }

        public double RequiredNumber(JsonObject o, string field, string where)
        {
            var node = o[field] ?? throw new ExerciseFormatException(File, $"{Name(where, field)}: missing");
            if (node is JsonValue v && v.TryGetValue(out double d)) return d;
            throw new ExerciseFormatException(File, $"{Name(where, field)}: must be a number");
        }

        public IReadOnlyList<string> RequiredTexts(JsonObject o, string field)
        {
            if (o[field] is JsonArray a && a.Count > 0 && a.All(e => e is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s)))
                return a.Select(e => e!.GetValue<string>()).ToList();
            throw new ExerciseFormatException(File, $"{field}: needs a list of at least one file name");
        }

        /// <summary>A list of texts, empty when the field is absent.</summary>
        public IReadOnlyList<string> OptionalTexts(JsonObject o, string field, string where)
        {
            if (o[field] is null) return [];
            if (o[field] is JsonArray a && a.All(e => e is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s)))
                return a.Select(e => e!.GetValue<string>()).ToList();
            throw new ExerciseFormatException(File, $"{Name(where, field)}: must be a list of names");
        }

        public ForbiddenUse? Forbidden(JsonObject o, string field)
        {
            if (o[field] is null) return null;
            if (o[field] is not JsonObject f) throw new ExerciseFormatException(File, $"{field}: must be an object");
            OnlyKnown(field, f, "implementationsOf", "types", "allowed");
            var rule = ForbiddenUse.Create(OptionalTexts(f, "implementationsOf", field), OptionalTexts(f, "types", field), OptionalTexts(f, "allowed", field), out var problem);
            return rule ?? throw new ExerciseFormatException(File, problem!);
        }

        public JsonObject Object(JsonObject o, string field, string where)
        {
            var node = o[field];
            if (node is null) return new JsonObject();
            return node as JsonObject ?? throw new ExerciseFormatException(File, $"{Name(where, field)}: must be an object");
        }

        public VariantScope Variant(JsonObject o, string where) => OptionalText(o, "variant", where) switch
        {
            null or "student" => VariantScope.Student,
            "class" => VariantScope.Class,
            var other => throw new ExerciseFormatException(File, $"{Name(where, "variant")}: '{other}' is not 'student' or 'class'"),
        };

        public ResourceLimits Limits(JsonObject o, string field, ResourceLimits fallback, string where = "")
        {
            var node = o[field];
            if (node is null) return fallback;
            if (node is not JsonObject l) throw new ExerciseFormatException(File, $"{Name(where, field)}: must be an object");
            string at = Name(where, field);
            OnlyKnown(at, l, "cpuSeconds", "wallSeconds", "memoryMiB");
            double Get(string key, double d) => l[key] is null ? d : l[key] is JsonValue v && v.TryGetValue(out double x) ? x
                : throw new ExerciseFormatException(File, $"{at}.{key}: must be a number");
            var limits = new ResourceLimits(Get("cpuSeconds", fallback.CpuSeconds), Get("wallSeconds", fallback.WallSeconds), (int)Get("memoryMiB", fallback.MemoryMiB));
            if (limits.Problem() is { } problem) throw new ExerciseFormatException(File, $"{at}: {problem}");
            return limits;
        }
    }
}
