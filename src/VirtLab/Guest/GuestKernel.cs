using System.Reflection;
using VirtLab.Assembly;
using VirtLab.Programs;

namespace VirtLab.Guest;

/// <summary>
/// The guest kernel shipped with VirtLab: <c>GuestKernel.s</c>, embedded in the library as
/// readable source and assembled by VirtLab's own assembler the first time it is needed.
/// </summary>
public static class GuestKernel
{
    /// <summary>Most vCPUs the kernel has per-hart slots for.</summary>
    public const int MaxHarts = 8;

    private static readonly Lazy<string> _source = new(() =>
    {
        using var stream = typeof(GuestKernel).Assembly.GetManifestResourceStream("VirtLab.Guest.GuestKernel.s")
            ?? throw new InvalidOperationException("the guest kernel source is missing from the VirtLab assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static readonly Lazy<ProgramImage> _image = new(() =>
    {
        var result = Assembler.Assemble(Source, "GuestKernel.s");
        if (!result.Success) throw new InvalidOperationException("the guest kernel does not assemble:\n" + result.DiagnosticsText());
        return result.Program!;
    });

    /// <summary>The kernel's assembly source.</summary>
    public static string Source => _source.Value;

    /// <summary>The assembled kernel.</summary>
    public static ProgramImage Image => _image.Value;

    /// <summary>Address of a symbol of the kernel (params, progress, ticks, ...).</summary>
    public static uint Symbol(string name) =>
        Image.TryGetSymbol(name, out uint address) ? address : throw new KeyNotFoundException($"guest kernel has no symbol '{name}'");
}
