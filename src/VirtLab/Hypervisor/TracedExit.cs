using System.Globalization;
using System.Text;

namespace VirtLab.Hypervisor;

/// <summary>
/// One exit as an <see cref="ExitTrace"/> kept it: the exit itself (guest instruction, reason,
/// operands, cycles), the guest's virtual CSRs and pc before and after the hypervisor handled it, and
/// the registers the handling changed. Read in order, a trace steps through "guest instruction, exit,
/// emulation, resume" one exit at a time.
/// </summary>
/// <param name="Number">Which exit this was among those the trace saw, from 0 (exits the trace dropped still count).</param>
/// <param name="AtMilliseconds">The host's simulated time of the exit.</param>
/// <param name="Exit">The exit, with the cycles charged for it.</param>
/// <param name="CsrsBefore">The virtual CSRs when the exit reached the hypervisor.</param>
/// <param name="CsrsAfter">The virtual CSRs when the guest resumed.</param>
/// <param name="RegisterChanges">Guest registers the handling changed.</param>
/// <param name="ResumePc">Where the guest resumed: after the instruction, at mepc for an mret, at the guest's trap handler for a reflected exception or an injected interrupt.</param>
/// <param name="StopReason">Set when handling the exit stopped the VM (a shutdown or panic hypercall, a fault loop, an emulator that failed): why.</param>
public sealed record TracedExit(
    long Number, double AtMilliseconds, VmExit Exit, VirtualCsrValues CsrsBefore, VirtualCsrValues CsrsAfter,
    IReadOnlyList<RegisterChange> RegisterChanges, uint ResumePc, string? StopReason)
{
    /// <summary>The virtual CSRs the handling changed.</summary>
    public IReadOnlyList<CsrChange> CsrChanges => CsrsBefore.ChangesTo(CsrsAfter);

    /// <summary>The exit, what changed, and where the guest resumed, on one line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"#{Number} at {AtMilliseconds:0.######} ms: {Exit}");
        foreach (var change in CsrChanges) text.Append("; ").Append(change);
        foreach (var change in RegisterChanges) text.Append("; ").Append(change);
        text.Append(StopReason is null ? $"; resumes at 0x{ResumePc:x8}" : $"; VM stopped: {StopReason}");
        return text.ToString();
    }
}
