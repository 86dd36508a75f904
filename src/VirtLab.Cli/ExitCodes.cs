namespace VirtLab.Cli;

/// <summary>
/// The exit codes of <c>virtlab</c>. A guest program's own exit code (from HTIF <c>tohost</c> or the
/// test finisher) is passed through unchanged when it fits in 1..255; the codes VirtLab itself
/// uses are chosen from the top of that range (like <c>timeout</c>'s 124) so they rarely clash.
/// </summary>
public static class ExitCodes
{
    /// <summary>The program ended and reported success (tohost = 1, or test finisher pass).</summary>
    public const int Success = 0;

    /// <summary>A guest failure code that would read as 0 on the host (a multiple of 256) becomes this.</summary>
    public const int GuestFailure = 1;

    /// <summary>Nothing ran: bad command line, missing or unreadable file, assembly errors, malformed ELF, program does not fit in RAM.</summary>
    public const int CannotLoad = 2;

    /// <summary>The instruction budget (--max-instructions) ran out before the program ended.</summary>
    public const int BudgetExhausted = 124;

    /// <summary>Every hart waits in wfi and no enabled interrupt can ever wake one.</summary>
    public const int Deadlocked = 125;

    /// <summary>The program asked for something the machine does not support (e.g. an unknown HTIF command), or the emulator failed internally.</summary>
    public const int Unsupported = 126;

    /// <summary>Text for <c>--help</c>.</summary>
    public const string HelpText =
        """
        Exit codes of virtlab run:
          0        the program ended successfully (tohost = 1, or test finisher pass)
          1..255   the program's own failure code (tohost = code << 1 | 1, or finisher 0x3333 | code << 16);
                   codes above 255 are reduced to their low byte, and to 1 if that byte is 0
          2        nothing ran: bad arguments, missing file, assembly errors, malformed ELF
          124      the instruction budget (--max-instructions) ran out
          125      deadlock: every hart waits in wfi with no interrupt that could wake it
          126      the program asked for something unsupported (e.g. an unknown HTIF command)
        """;

    /// <summary>The host exit code for a guest exit code: 0 stays 0, anything else is a non-zero byte.</summary>
    public static int FromGuest(int code)
    {
        if (code == 0) return Success;
        int low = code & 0xFF;
        return low == 0 ? GuestFailure : low;
    }
}
