namespace VirtLab.Notebooks;

/// <summary>A section of a lesson (one of its <c>##</c> headings) and the anchor its page gives it.</summary>
/// <param name="Title">The heading's text, without markdown.</param>
/// <param name="Anchor">The id of the heading on the lesson's page (link to <c>page.html#anchor</c>).</param>
public sealed record LessonSection(string Title, string Anchor);
