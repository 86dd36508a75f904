using System.Text.Json;

namespace VirtLab.Grading.Running;

/// <summary>How the grader and its worker write requests and replies.</summary>
internal static class Protocol
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
