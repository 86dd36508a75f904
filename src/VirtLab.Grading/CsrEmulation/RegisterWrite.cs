namespace VirtLab.Grading.CsrEmulation;

/// <summary>A guest register an emulation wrote: x<paramref name="Register"/> = <paramref name="Value"/>.</summary>
public sealed record RegisterWrite(int Register, uint Value);
