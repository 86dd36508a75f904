namespace VirtLab.Notebooks;

/// <summary>A lesson as the site links to it: its title and its page's file name.</summary>
public sealed record LessonLink(string Title, string PageFileName);
