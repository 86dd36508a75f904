using System.Diagnostics;

namespace VirtLab.Benchmarks;

/// <summary>
/// Times <c>qemu-system-riscv32 -machine spike</c> on the same ELF files. QEMU exits when the program
/// writes tohost; its start-up time is measured on a program that exits at once and subtracted.
/// </summary>
public static class Qemu
{
    public const string Executable = "qemu-system-riscv32";

    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, Executable);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Best wall time of <paramref name="runs"/> runs of QEMU on <paramref name="elf"/>.</summary>
    public static TimeSpan BestTime(string qemu, string elf, int runs)
    {
        var best = TimeSpan.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            var start = new ProcessStartInfo(qemu)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "-machine", "spike", "-cpu", "rv32,f=off,d=off", "-nographic", "-bios", "none", "-kernel", elf })
                start.ArgumentList.Add(arg);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"QEMU did not finish {elf} within 120 s");
            }
            clock.Stop();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"QEMU exited with {process.ExitCode} on {elf}: {stdout.Result}{stderr.Result}");
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        return best;
    }
}
