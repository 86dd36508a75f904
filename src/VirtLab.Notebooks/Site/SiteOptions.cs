namespace VirtLab.Notebooks;

/// <summary>How <see cref="CourseSite"/> renders the course.</summary>
public sealed record SiteOptions
{
    /// <summary>The course title, shown on the index page and in every page's title.</summary>
    public string Title { get; init; } = "VirtLab course";

    /// <summary>
    /// The plotly.js to ship as <c>assets/plotly.min.js</c>. When null, the site looks for it in the
    /// loaded assemblies (<see cref="PlotlyScript.FromLoadedAssemblies"/>); if it finds none, the
    /// site has no plotly.js and charts stay blank — but it still never points at a CDN.
    /// </summary>
    public PlotlyScript? Plotly { get; init; }

    /// <summary>Also save each executed notebook as <c>notebooks/NAME.ipynb</c> and link it from its page.</summary>
    public bool IncludeNotebooks { get; init; } = true;
}
