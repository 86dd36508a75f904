using System.Text.Json.Nodes;
using VirtLab.Tests.Notebooks;

namespace VirtLab.Tests.Kernel;

/// <summary>
/// Runs Kernel/Clients/kernel_client.py once: jupyter_client's blocking client starts VirtLab's
/// kernel from an installed kernelspec and goes through every scenario the tests below check.
/// </summary>
public sealed class KernelClientRun : IDisposable
{
    private readonly Lazy<JsonObject> results;

    public KernelClientRun() => results = new Lazy<JsonObject>(Run);

    public string WorkingDirectory { get; } = Path.Combine(Path.GetTempPath(), "virtlab-kernel-client-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>What the client saw (runs the client on first use, so a skip happens inside a test).</summary>
    public JsonObject Results => results.Value;

    private JsonObject Run()
    {
        var python = JupyterClients.RequirePython("jupyter_client");
        Directory.CreateDirectory(WorkingDirectory);
        var jupyterPath = JupyterClients.InstallKernel(Path.Combine(WorkingDirectory, "prefix"));
        var resultFile = Path.Combine(WorkingDirectory, "results.json");
        JupyterClients.Run(python, [JupyterClients.Script("kernel_client.py"), WorkingDirectory, resultFile], jupyterPath, WorkingDirectory, TimeSpan.FromMinutes(15));
        return JsonNode.Parse(File.ReadAllText(resultFile))!.AsObject();
    }

    public void Dispose()
    {
        try { Directory.Delete(WorkingDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelClientCollection : ICollectionFixture<KernelClientRun>
{
    public const string Name = "kernel client";
}

/// <summary>VirtLab's kernel, driven by jupyter_client as VS Code or JupyterLab would drive it.</summary>
[Collection(KernelClientCollection.Name)]
public sealed class KernelClientTests(KernelClientRun run)
{
    private JsonObject Results => run.Results;

    private static IEnumerable<JsonObject> Outputs(JsonNode? execution, string type) =>
        execution!["outputs"]!.AsArray().Select(o => o!.AsObject()).Where(o => (string?)o["type"] == type);

    private static JsonObject Content(JsonObject output) => output["content"]!.AsObject();

    [SkippableFact]
    public void Kernel_info_says_protocol_5_3_and_csharp()
    {
        var info = Results["kernel_info"]!;
        Assert.Equal("ok", (string?)info["status"]);
        Assert.Equal("5.3", (string?)info["protocol_version"]);
        Assert.Equal("C#", (string?)info["language_info"]!["name"]);
        Assert.Equal(".cs", (string?)info["language_info"]!["file_extension"]);
        Assert.Equal("virtlab", (string?)info["implementation"]);
    }

    [SkippableFact]
    public void Execute_streams_stdout_displays_values_and_reports_errors_with_execution_counts()
    {
        var stdout = Results["stdout"]!;
        Assert.Equal("ok", (string?)stdout["status"]);
        var stream = Content(Assert.Single(Outputs(stdout, "stream")));
        Assert.Equal("stdout", (string?)stream["name"]);
        Assert.Equal("hello from the kernel\n", (string?)stream["text"]);

        var display = Content(Assert.Single(Outputs(Results["display"], "display_data")));
        Assert.Equal("42", (string?)display["data"]!["text/plain"]);

        var error = Results["error"]!;
        Assert.Equal("error", (string?)error["status"]);
        Assert.Equal("System.InvalidOperationException: boom", (string?)error["reply"]!["evalue"]);
        Assert.Equal("System.InvalidOperationException: boom", (string?)Content(Assert.Single(Outputs(error, "error")))["evalue"]);
        Assert.True((int)error["reply"]!["execution_count"]! > (int)stdout["reply"]!["execution_count"]!);
    }

    [SkippableFact]
    public void A_chart_goes_out_as_plotly_json_and_as_html()
    {
        Assert.Equal("ok", (string?)Results["library"]!["status"]);
        var chart = Results["chart"]!;
        Assert.Equal("ok", (string?)chart["status"]);
        var result = Content(Assert.Single(Outputs(chart, "execute_result")));
        var data = result["data"]!.AsObject();
        var figure = Assert.IsType<JsonObject>(data["application/vnd.plotly.v1+json"]); // a JSON value, not a string
        Assert.Equal("bar", (string?)figure["data"]![0]!["type"]);
        Assert.Contains("Plotly.newPlot", (string?)data["text/html"]);
        Assert.Contains("if (typeof window.Plotly === 'undefined')", (string?)data["text/html"]); // the first chart carries plotly.js
        Assert.NotNull(result["execution_count"]);
    }

    [SkippableFact]
    public void Completion_of_a_new_machine_lists_its_members()
    {
        var completion = Results["completion"]!;
        Assert.Equal("ok", (string?)completion["status"]);
        var matches = completion["matches"]!.AsArray().Select(m => (string?)m).ToList();
        Assert.Contains("Run", matches);
        Assert.Contains("Harts", matches);
        Assert.Contains("Load", matches);
        Assert.Equal(14, (int)completion["cursor_start"]!);
        Assert.Equal(14, (int)completion["cursor_end"]!);
    }

    [SkippableFact]
    public void Inspect_shows_VirtLabs_doc_comment()
    {
        var inspection = Results["inspection"]!;
        Assert.Equal("ok", (string?)inspection["status"]);
        Assert.True((bool)inspection["found"]!);
        var text = (string?)inspection["data"]!["text/plain"];
        Assert.Contains("VirtLab.Machine.Machine", text);
        Assert.Contains("A complete emulated RISC-V computer", text);
        Assert.Contains("```csharp", (string?)inspection["data"]!["text/markdown"]);
    }

    [SkippableFact]
    public void Is_complete_waits_for_an_open_brace()
    {
        Assert.Equal("incomplete", (string?)Results["is_complete"]!["open"]!["status"]);
        Assert.Equal("complete", (string?)Results["is_complete"]!["closed"]!["status"]);
    }

    [SkippableFact]
    public void An_interrupt_stops_an_endless_loop_and_the_kernel_goes_on_in_a_fresh_process()
    {
        var interrupt = Results["interrupt"]!;
        Assert.Equal("error", (string?)interrupt["reply"]!["status"]);
        Assert.StartsWith("the cell was interrupted; it did not stop", (string?)interrupt["reply"]!["evalue"]);
        Assert.Equal("ok", (string?)interrupt["after"]!["status"]);
        Assert.Equal("2", (string?)Content(Assert.Single(Outputs(interrupt["after"], "execute_result")))["data"]!["text/plain"]);
        Assert.NotEqual((int)interrupt["first_child"]!, (int)interrupt["second_child"]!);
        Assert.True(NotebookRunnerTests.ProcessIsGone((int)interrupt["first_child"]!), "the spinning cell's process still runs");
    }

    [SkippableFact]
    public void A_stack_overflow_ends_only_the_cells_process_and_the_next_cell_runs()
    {
        var overflow = Results["stack_overflow"]!;
        Assert.Equal("error", (string?)overflow["status"]);
        Assert.Equal("the cell ended the C# process: stack overflow; the notebook's state was reset", (string?)overflow["reply"]!["evalue"]);
        var after = Results["after_stack_overflow"]!;
        Assert.Equal("ok", (string?)after["status"]);
        Assert.Equal("still here\n", (string?)Content(Assert.Single(Outputs(after, "stream")))["text"]);
    }

    [SkippableFact]
    public void Console_ReadLine_asks_a_front_end_that_allows_input_and_reads_the_end_of_input_otherwise()
    {
        var input = Results["input"]!;
        var allowed = input["allowed"]!;
        Assert.Equal("ok", (string?)allowed["status"]);
        Assert.Equal("name? hello Ada\n", string.Concat(Outputs(allowed, "stream").Select(o => (string?)Content(o)["text"])));
        var asked = Assert.Single(input["asked"]!.AsArray());
        Assert.False((bool)asked!["password"]!);
        Assert.Equal("end of input", (string?)Content(Assert.Single(Outputs(input["not_allowed"], "execute_result")))["data"]!["text/plain"]);
    }

    [SkippableFact]
    public void A_thread_that_throws_after_its_cell_is_reported_under_that_cell_and_the_next_cell_is_told()
    {
        var outliving = Results["outliving_thread"]!;
        Assert.StartsWith("a thread or task this cell started threw System.InvalidOperationException: thrown after its cell after the cell had finished",
            (string?)outliving["late_error"]?["evalue"]);
        var next = outliving["next"]!;
        Assert.Equal("error", (string?)next["status"]);
        Assert.StartsWith("a thread or task that an earlier cell started threw an exception that nothing caught, and that ended the C# process before this cell ran",
            (string?)next["reply"]!["evalue"]);
        Assert.Equal("4", (string?)Content(Assert.Single(Outputs(outliving["after"], "execute_result")))["data"]!["text/plain"]);
    }

    [SkippableFact]
    public void A_wrongly_signed_message_is_refused_and_logged_and_the_kernel_lives_on()
    {
        var wrong = Results["wrong_signature"]!;
        Assert.False((bool)wrong["ran"]!, "the wrongly signed code ran");
        Assert.Contains("refused a message on shell: wrong signature", (string?)Results["kernel_log"]);
        Assert.Equal("ok", (string?)wrong["after"]!["status"]);
    }

    [SkippableFact]
    public void Two_hundred_executes_of_a_cell_that_declares_nothing_leave_the_childs_memory_flat()
    {
        var (heapGrowth, rssGrowth) = Measured("many", "-224750");
        // Each such cell runs as a collectible submission and is unloaded after it, so nothing of it
        // stays. Measured over the 200, after the 700 warm-ups: +0.2 to +0.4 KiB of managed heap per
        // execute, where the same cells kept in Roslyn's chain cost ~60 KiB each (12 MiB over 200),
        // and RSS -0.8 to -1.8 MiB (Debug, Release). The warm-ups are what first raises RSS: JIT work in a fresh
        // process, then the GC's and the native allocator's high-water marks for compiling. A run
        // of 1,200 executes in a process that had run other cells rose by ~20 MiB until ~700 and
        // then stayed within +-1 MiB, and a replica that only compiles the cells, loading nothing,
        // rises the same way. The bounds are far under what kept cells cost (18 to 30 MiB of RSS over
        // 200 in Release) and catch cells being kept again.
        Assert.True(heapGrowth < 200 * 4, $"the managed heap grew by {heapGrowth} KiB over 200 executes");
        Assert.True(rssGrowth < 200 * 40, $"RSS grew by {rssGrowth} KiB over 200 executes");
    }

    [SkippableFact]
    public void Two_hundred_executes_of_cells_that_declare_variables_grow_by_the_submissions_they_keep()
    {
        var (heapGrowth, rssGrowth) = Measured("many_declaring", "398");
        // Not flat, and cannot be while cells are Roslyn script submissions: a cell that declares a
        // variable stays in the chain later cells compile against. Measured per execute of a
        // one-line cell: ~70 KiB of managed heap (its compilation, which binds the ~170 framework
        // references it inherits) and ~90-230 KiB of RSS (that, plus its loaded assembly: runtime
        // structures and code). Before the first submission alone got the framework references,
        // every cell repeated them and the growth was quadratic: ~1.5 MiB per execute over these
        // 200 (1.4 MiB of heap per cell by cell 200). The bounds leave CI noise room and catch
        // anything like that coming back.
        Assert.True(heapGrowth < 200 * 120, $"the managed heap grew by {heapGrowth} KiB over 200 executes");
        Assert.True(rssGrowth < 200 * 400, $"RSS grew by {rssGrowth} KiB over 200 executes");
    }

    /// <summary>
    /// Prints one 200-execute measurement and checks what holds for both: one child ran them all,
    /// the last value is right, and the kernel process, which only relays messages, stayed nearly
    /// flat (measured ~16 KiB per execute with no forced GC in it; the bound catches it keeping
    /// what it relays). Returns the child's heap and RSS growth in KiB.
    /// </summary>
    private (long HeapGrowth, long RssGrowth) Measured(string name, string lastValue)
    {
        var many = Results[name]!;
        Assert.True((bool)many["same_child"]!);
        Assert.Equal(lastValue, (string?)Content(Assert.Single(Outputs(many["last"], "execute_result")))["data"]!["text/plain"]);
        var before = (long)many["rss_before_kib"]!;
        var after = (long)many["rss_after_kib"]!;
        var heapGrowth = ((long)many["heap_after_bytes"]! - (long)many["heap_before_bytes"]!) / 1024;
        Console.WriteLine($"{name}, 200 executes after {(int)many["warm_ups"]!} warm-ups (which took RSS {(long)many["rss_before_warm_up_kib"]! / 1024.0:0.0} -> {(long)many["rss_before_raw_kib"]! / 1024.0:0.0} MiB): "
                          + $"{(double)many["seconds"]!:0.0} s; child RSS after a full GC {before / 1024.0:0.0} MiB -> {after / 1024.0:0.0} MiB, "
                          + $"{(after - before) / 200.0:0} KiB per execute (without the GC {(long)many["rss_before_raw_kib"]! / 1024.0:0.0} -> {(long)many["rss_after_raw_kib"]! / 1024.0:0.0} MiB); "
                          + $"managed heap after a full GC {heapGrowth / 1024.0:+0.0;-0.0} MiB, {heapGrowth / 200.0:0.0} KiB per execute; "
                          + $"the kernel process (no cells run in it) {(long)many["kernel_rss_before_kib"]! / 1024.0:0.0} -> {(long)many["kernel_rss_after_kib"]! / 1024.0:0.0} MiB");
        var kernelGrowth = (long)many["kernel_rss_after_kib"]! - (long)many["kernel_rss_before_kib"]!;
        Assert.True(kernelGrowth < 200 * 64, $"the kernel process's RSS grew by {kernelGrowth} KiB over 200 executes");
        return (heapGrowth, after - before);
    }

    [SkippableFact]
    public void A_restart_forgets_the_state_and_a_shutdown_ends_the_kernel()
    {
        var restarted = Results["after_restart"]!;
        Assert.Equal("error", (string?)restarted["status"]);
        Assert.Contains("CS0103", (string?)restarted["reply"]!["evalue"]);
        Assert.False((bool)Results["shutdown"]!["alive"]!);
        Console.WriteLine($"kernel start: {(double)Results["start_seconds"]!:0.0} s; shutdown: {(double)Results["shutdown"]!["seconds"]!:0.0} s");
    }
}
