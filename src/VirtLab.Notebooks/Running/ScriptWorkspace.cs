using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.QuickInfo;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;
using RoslynCompletionItem = Microsoft.CodeAnalysis.Completion.CompletionItem;

namespace VirtLab.Notebooks;

/// <summary>
/// Roslyn's editor services (completion, quick info) over a <see cref="ScriptSession"/>: what a
/// student sees when typing in a cell is computed against every cell run so far.
/// <para>
/// Roslyn models a chain of script submissions as projects marked <c>isSubmission</c>, each
/// referencing the one before; the code being typed is one more such project at the end. The
/// chain is built lazily on the first request and extended as cells are accepted, so a notebook
/// that never asks for completion pays nothing. References get their XML documentation files
/// (beside each dll, or in the .NET reference pack), which is how VirtLab's doc comments reach
/// the student.
/// </para>
/// </summary>
internal sealed class ScriptWorkspace(ScriptSession session)
{
    /// <summary>Completion lists longer than this are cut (front ends filter as the student types).</summary>
    private const int MaximumCompletions = 500;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly List<Script> submissions = [];
    private readonly List<ProjectId> submissionProjects = [];
    private AdhocWorkspace? workspace;
    private Solution? solution;

    /// <summary>
    /// Builds the workspace and runs one completion and one quick info, so that Roslyn's services
    /// are composed and compiled before the student first presses Tab (several seconds of CPU).
    /// </summary>
    public async Task WarmUpAsync()
    {
        await CompleteAsync(new CompleteRequest(0, "Console.", 8));
        await InspectAsync(new InspectRequest(0, "Console", 3));
    }

    public async Task<CompletionsEvent> CompleteAsync(CompleteRequest request)
    {
        var empty = new CompletionsEvent(request.Id, request.Position, request.Position, []);
        var document = await WorkingDocumentAsync(request.Code);
        if (document is null || CompletionService.GetService(document) is not { } service) return empty;
        var position = Math.Clamp(request.Position, 0, request.Code.Length);
        try
        {
            var list = await service.GetCompletionsAsync(document, position);
            var span = list.Span;
            var typed = request.Code[span.Start..position];
            // Snippets ("for", "prop") expand in an editor only; a notebook front end would insert the bare word.
            var found = list.ItemsList
                .Where(item => !item.Tags.Contains("Snippet") && item.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .OrderBy(item => !item.FilterText.StartsWith(typed, StringComparison.Ordinal)) // exact case first
                .ThenBy(item => item.SortText, StringComparer.OrdinalIgnoreCase)
                .Select(item => new CompletionItem(InsertionText(item), Kind(item)))
                .DistinctBy(item => item.Text)
                .Take(MaximumCompletions)
                .ToList();
            return new CompletionsEvent(request.Id, span.Start, Math.Max(span.End, position), found);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"virtlab cell host: completion failed: {error.Message}");
            return empty;
        }
    }

    public async Task<InspectionEvent> InspectAsync(InspectRequest request)
    {
        var none = new InspectionEvent(request.Id, null, null);
        var document = await WorkingDocumentAsync(request.Code);
        if (document is null || QuickInfoService.GetService(document) is not { } service) return none;
        try
        {
            // Front ends send the cursor just after a name or after its "(": look there and one back.
            var position = Math.Clamp(request.Position, 0, request.Code.Length);
            foreach (var candidate in new[] { position, position - 1, position - 2 }.Where(p => p >= 0))
            {
                if (await service.GetQuickInfoAsync(document, candidate) is not { Sections.Length: > 0 } info) continue;
                var description = info.Sections.FirstOrDefault(s => s.Kind == QuickInfoSectionKinds.Description)?.Text ?? "";
                var rest = info.Sections.Where(s => s.Kind != QuickInfoSectionKinds.Description && s.Text.Length > 0).Select(s => s.Text).ToList();
                var plain = string.Join("\n\n", new[] { description }.Concat(rest).Where(t => t.Length > 0));
                var markdown = $"```csharp\n{description}\n```" + string.Concat(rest.Select(t => "\n\n" + t));
                return new InspectionEvent(request.Id, plain, markdown);
            }
            return none;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"virtlab cell host: inspection failed: {error.Message}");
            return none;
        }
    }

    /// <summary>
    /// <paramref name="code"/> as one more submission after every accepted cell, or null before
    /// the session has started.
    /// </summary>
    private async Task<Document?> WorkingDocumentAsync(string code)
    {
        await gate.WaitAsync();
        try
        {
            if (session.State?.Script is not { } last) return null;
            SyncSubmissions(last);
            var projectId = ProjectId.CreateNewId();
            var withWorkingProject = AddSubmission(solution!, projectId, last.GetCompilation(), code, submissionProjects.LastOrDefault());
            return withWorkingProject.GetProject(projectId)!.Documents.Single();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Adds the scripts accepted since the last request as submission projects.</summary>
    private void SyncSubmissions(Script last)
    {
        var chain = new List<Script>();
        for (var script = last; script is not null; script = script.Previous) chain.Add(script);
        chain.Reverse();
        var known = submissions.Count > 0 && chain.Count >= submissions.Count && ReferenceEquals(chain[submissions.Count - 1], submissions[^1]);
        if (!known)
        {
            workspace = new AdhocWorkspace();
            solution = workspace.CurrentSolution;
            submissions.Clear();
            submissionProjects.Clear();
        }
        foreach (var script in chain.Skip(submissions.Count))
        {
            var projectId = ProjectId.CreateNewId();
            solution = AddSubmission(solution!, projectId, script.GetCompilation(), script.Code, submissionProjects.LastOrDefault());
            submissions.Add(script);
            submissionProjects.Add(projectId);
        }
    }

    private static Solution AddSubmission(Solution solution, ProjectId projectId, Compilation compilation, string code, ProjectId? previous)
    {
        var name = "Submission" + projectId.Id.ToString("N")[..8];
        var options = compilation.Options.WithMetadataReferenceResolver(
            compilation.Options.MetadataReferenceResolver is { } resolver ? new DocumentedReferenceResolver(resolver) : null);
        var project = ProjectInfo.Create(
            projectId, VersionStamp.Create(), name, name, LanguageNames.CSharp,
            compilationOptions: options,
            parseOptions: compilation.SyntaxTrees.FirstOrDefault()?.Options,
            metadataReferences: compilation.ExternalReferences.Select(DocumentedReferenceResolver.WithDocumentation).Distinct(),
            projectReferences: previous is null ? [] : [new ProjectReference(previous)],
            isSubmission: true,
            hostObjectType: ScriptSession.GlobalsType);
        var document = DocumentInfo.Create(
            DocumentId.CreateNewId(projectId), name + ".csx",
            sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(code), VersionStamp.Create())));
        return solution.AddProject(project).AddDocument(document);
    }

    private static string InsertionText(RoslynCompletionItem item) =>
        item.Properties.TryGetValue("InsertionText", out var insertion) && !string.IsNullOrEmpty(insertion) ? insertion : item.DisplayText;

    private static readonly ImmutableArray<string> kinds =
    [
        "Method", "ExtensionMethod", "Property", "Field", "Event", "Local", "Parameter", "Constant",
        "Class", "Structure", "Interface", "Enum", "EnumMember", "Delegate", "Namespace", "Keyword", "TypeParameter",
    ];

    /// <summary>The item's kind in lower case (method, property, class, ...), from Roslyn's tags.</summary>
    private static string Kind(RoslynCompletionItem item) =>
        item.Tags.FirstOrDefault(kinds.Contains)?.ToLowerInvariant() ?? "text";
}
