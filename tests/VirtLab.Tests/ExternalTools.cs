using System.Diagnostics;
using System.Text;

namespace VirtLab.Tests;

/// <summary>The result of running an external program.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    public override string ToString() =>
        $"exit code {ExitCode}{(TimedOut ? " (timed out)" : "")}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>
/// Finds external tools (GNU binutils, qemu...) for tests that compare VirtLab against them.
/// </summary>
/// <remarks>
/// A missing tool skips the test on a developer machine but fails it on CI (environment variable
/// <c>CI=true</c>), so a broken CI image cannot silently turn comparisons off.
/// </remarks>
public static class ExternalTools
{
    /// <summary>True when running on CI (<c>CI=true</c>), where missing tools are failures.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Full path of <paramref name="exe"/> on PATH, or null.</summary>
    public static string? Find(string exe)
    {
        if (Path.IsPathRooted(exe)) return File.Exists(exe) ? exe : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in new[] { exe, exe + ".exe" })
            {
                var full = Path.Combine(directory, candidate);
                if (File.Exists(full)) return full;
            }
        }
        return null;
    }

    /// <summary>
    /// Full path of <paramref name="exe"/>. If it is missing, skips the current <c>[SkippableFact]</c> with
    /// the reason, or fails it when <see cref="IsCi"/>.
    /// </summary>
    public static string Require(string exe)
    {
        var found = Find(exe);
        if (found is not null) return found;
        string reason = $"external tool '{exe}' not found on PATH (on Debian: apt-get install binutils-riscv64-unknown-elf for the RISC-V binutils)";
        if (IsCi) throw new Xunit.Sdk.XunitException($"{reason}; CI=true so this is a failure, not a skip");
        Console.WriteLine($"Skipping: {reason}");
        Skip.If(true, reason);
        return exe; // not reached
    }

    /// <summary>
    /// Runs a program with arguments, waits at most <paramref name="timeout"/> and captures its output.
    /// <paramref name="environment"/> adds variables (a null value removes one).
    /// </summary>
    public static ProcessResult Run(string exe, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null,
        string? standardInput = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        bool exited = process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60));
        if (!exited)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
        }
        else
        {
            process.WaitForExit(); // flush the asynchronous output readers
        }
        lock (stdout) lock (stderr)
            return new ProcessResult(exited ? process.ExitCode : -1, stdout.ToString(), stderr.ToString(), !exited);
    }

    /// <summary>Runs a program and fails the test with its output if it does not exit with code 0.</summary>
    public static ProcessResult RunChecked(string exe, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var args = arguments.ToList();
        var result = Run(exe, args, timeout, workingDirectory);
        if (result.ExitCode != 0 || result.TimedOut)
            throw new Xunit.Sdk.XunitException($"'{exe} {string.Join(' ', args)}' failed: {result}");
        return result;
    }
}
