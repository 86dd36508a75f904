namespace VirtLab.Guest;

/// <summary>
/// Another version of one of the guest kernel's replaceable routines (see
/// <see cref="GuestKernel.ReplaceableRoutines"/>), for example a student's balloon driver routine,
/// to be assembled into the kernel by <see cref="GuestKernel.Assemble"/>.
/// </summary>
/// <param name="Routine">The routine it replaces, e.g. <c>balloon_inflate</c>. The source must define a label of that name: the kernel calls it there.</param>
/// <param name="Source">RISC-V assembly in the GNU <c>as</c> dialect. It may use the kernel's symbols and <c>.equ</c> names; labels of its own must not clash with the kernel's (numeric local labels such as <c>1:</c> and <c>1b</c> never do).</param>
/// <param name="FileName">The name errors in <paramref name="Source"/> are reported under, as <c>file:line:column</c>.</param>
public sealed record RoutineReplacement(string Routine, string Source, string FileName = "<replacement>");
