using System.Diagnostics;
using System.Security.Cryptography;
using System.Security;
using System.Text;

namespace VirtLab.Notebooks;

/// <summary>A package that a restore resolved, directly asked for or pulled in by another package.</summary>
internal sealed record ResolvedPackage(string Name, string Version);

/// <summary>What a restore produced: the packages it resolved and the assemblies to reference.</summary>
internal sealed record RestoredPackages(IReadOnlyList<ResolvedPackage> Packages, IReadOnlyList<string> AssemblyPaths);

/// <summary>
/// Resolves <c>#r "nuget: ..."</c> the way the Polyglot kernel does: by a real restore.
/// <para>
/// It writes a small class-library project with one <c>PackageReference</c> per requested
/// package, runs <c>dotnet build</c> on it, and reads back the assemblies that MSBuild would copy
/// next to the library (<c>ReferenceCopyLocalPaths</c>): the packages' runtime assemblies and
/// those of all their dependencies, at the versions NuGet chose. The result is cached in a folder
/// named by a hash of the package set and sources, so the second run of a lesson costs nothing.
/// </para>
/// </summary>
internal sealed class PackageRestore(string cacheDirectory, TimeSpan timeout)
{
    private const string ResultFile = "resolved-assemblies.txt";

    public async Task<RestoredPackages> RestoreAsync(IReadOnlyCollection<PackageRequest> packages, IReadOnlyCollection<string> sources, CancellationToken cancellationToken)
    {
        var projectDirectory = Path.Combine(cacheDirectory, CacheKey(packages, sources));
        var resultPath = Path.Combine(projectDirectory, ResultFile);
        if (!File.Exists(resultPath))
        {
            WriteProject(projectDirectory, packages, sources);
            await BuildAsync(projectDirectory, cancellationToken);
        }
        return ReadResult(resultPath);
    }

    private static string CacheKey(IEnumerable<PackageRequest> packages, IEnumerable<string> sources)
    {
        var text = string.Join(";", packages.Select(p => $"{p.Name.ToLowerInvariant()}/{p.Version}").Order(StringComparer.Ordinal))
                   + "|" + string.Join(";", sources.Order(StringComparer.Ordinal))
                   + "|" + Environment.Version;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    private static void WriteProject(string directory, IEnumerable<PackageRequest> packages, IEnumerable<string> sources)
    {
        Directory.CreateDirectory(directory);
        // Empty files stop MSBuild from picking up build settings of folders above the cache.
        foreach (var shield in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(Path.Combine(directory, shield), "<Project />\n");

        var references = string.Join("\n", packages.Select(p =>
            $"""    <PackageReference Include="{SecurityElement.Escape(p.Name)}" Version="{SecurityElement.Escape(p.Version ?? "*")}" />"""));
        var project = $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>
                <ImplicitUsings>disable</ImplicitUsings>
                <CopyLocalLockFileAssemblies>true</CopyLocalLockFileAssemblies>
                <GenerateDocumentationFile>false</GenerateDocumentationFile>
                <RestoreAdditionalProjectSources>{SecurityElement.Escape(string.Join(";", sources))}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
              <!-- Write the resolved runtime assemblies, one "path|package|version" a line. Satellite
                   (culture) and runtime-specific assemblies have a sub-folder and are left out. -->
              <Target Name="WriteResolvedAssemblies" AfterTargets="Build">
                <ItemGroup>
                  <ResolvedAssembly Include="@(ReferenceCopyLocalPaths)" Condition="'%(ReferenceCopyLocalPaths.Extension)' == '.dll' and '%(ReferenceCopyLocalPaths.DestinationSubDirectory)' == ''" />
                </ItemGroup>
                <WriteLinesToFile File="$(MSBuildProjectDirectory)/{ResultFile}" Lines="@(ResolvedAssembly->'%(FullPath)|%(NuGetPackageId)|%(NuGetPackageVersion)')" Overwrite="true" />
              </Target>
            </Project>
            """;
        File.WriteAllText(Path.Combine(directory, "packages.csproj"), project);
    }

    private async Task BuildAsync(string directory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotNetHost.Executable)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", "packages.csproj", "-c", "Release", "-nologo", "-v:q", "-nodeReuse:false", "-p:UseSharedCompilation=false" })
            start.ArgumentList.Add(argument);
        // The cell host's heap limit is not MSBuild's. When the runner itself runs under `dotnet test` or MSBuild, these point at the parent's
        // MSBuild; the child build must find its own.
        foreach (var variable in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly", CellProcess.HeapLimitVariable })
            start.Environment.Remove(variable);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new PackageRestoreException($"package restore timed out after {timeout.TotalSeconds:0} s");
        }
        if (process.ExitCode != 0)
        {
            var log = (await output) + (await errors);
            var errorLines = log.Split('\n').Where(line => line.Contains("error", StringComparison.OrdinalIgnoreCase)).Select(line => line.Trim()).Distinct();
            throw new PackageRestoreException("package restore failed:\n" + string.Join("\n", errorLines));
        }
    }

    private static RestoredPackages ReadResult(string path)
    {
        var entries = File.ReadAllLines(path).Where(line => line.Length > 0).Select(line => line.Split('|')).ToList();
        var packages = entries.Where(e => e.Length >= 3 && e[1].Length > 0)
            .Select(e => new ResolvedPackage(e[1], e[2]))
            .DistinctBy(p => p.Name.ToLowerInvariant())
            .ToList();
        return new RestoredPackages(packages, entries.Select(e => e[0]).Distinct().ToList());
    }
}

/// <summary>A <c>#r "nuget: ..."</c> that could not be restored or would load a second version of a package.</summary>
public sealed class PackageRestoreException(string message) : Exception(message);
