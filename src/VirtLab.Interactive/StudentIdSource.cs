namespace VirtLab.Interactive;

/// <summary>Where the student id that seeds the self-check questions came from.</summary>
public enum StudentIdSource
{
    /// <summary>Set in the notebook: <c>Student.Id = "alice";</c>. Wins over the environment.</summary>
    Notebook,

    /// <summary>The <c>VIRTLAB_STUDENT</c> environment variable (how <c>virtlab answers --student</c> passes it).</summary>
    Environment,

    /// <summary>Neither: the course's default id, the same for everyone. The lesson says so once.</summary>
    Default,
}
