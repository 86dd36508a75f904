namespace VirtLab.Interactive;

/// <summary>What <see cref="SelfCheck.Check"/> decided about a student's answer.</summary>
public enum CheckOutcome
{
    /// <summary>The answer matches the computed one (within the question's tolerance).</summary>
    Right,

    /// <summary>The answer is readable but does not match.</summary>
    Wrong,

    /// <summary>No answer yet (the cell still says <c>null</c>).</summary>
    NotAnswered,

    /// <summary>The answer is not of the kind the question wants (text for a number, an unknown choice letter).</summary>
    Unreadable,
}
