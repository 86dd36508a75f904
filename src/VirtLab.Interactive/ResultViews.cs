using System.Text;
using VirtLab.Experiments;

namespace VirtLab.Interactive;

/// <summary>
/// HTML views of results: a <see cref="Table"/> (numbers right-aligned, in the table's own number
/// format), and a whole <see cref="ExperimentResult"/> (its headline figures, its tables, its notes).
/// A notebook cell that ends in either shows these (see <see cref="VirtLabFormatters"/>).
/// </summary>
public static class ResultViews
{
    /// <summary>Rows shown per table before the rest is left out (a series can have thousands; the CSV has them all).</summary>
    public const int MaxRows = 200;

    /// <summary>The HTML for <paramref name="table"/>, captioned with its title (or name).</summary>
    public static string TableHtml(Table table) => Html.Open("result-table").Append(TableBody(table)).Append("</div>").ToString();

    /// <summary>The HTML for <paramref name="result"/>: headline figures first, then each table, then the notes.</summary>
    public static string ExperimentResultHtml(ExperimentResult result)
    {
        var html = Html.Open("experiment-result");
        html.Append("<div class=\"caption\">").Append(Html.Encode(result.Name)).Append("</div>");
        if (CommandLine(result) is { } command)
            html.Append("<div class=\"muted\">the same run from the command line: <code>").Append(Html.Encode(command)).Append("</code></div>");
        if (result.Headlines.Count > 0)
        {
            html.Append("<table><tbody>");
            foreach (var (name, value) in result.Headlines)
                html.Append("<tr><th>").Append(Html.Encode(name)).Append("</th><td>").Append(Html.Encode(value)).Append("</td></tr>");
            html.Append("</tbody></table>");
        }
        foreach (var table in result.Tables) html.Append(TableBody(table));
        foreach (var note in result.Notes) html.Append("<div class=\"muted\">").Append(Html.Encode(note)).Append("</div>");
        return html.Append("</div>").ToString();
    }

    /// <summary>
    /// <c>virtlab experiment NAME --option value ...</c> with every option the result ran with, or
    /// null for a result that does not carry its options.
    /// </summary>
    public static string? CommandLine(ExperimentResult result)
    {
        // Each experiment's result derives from ExperimentResult<TOptions, THeadline>, whose Options is typed.
        if (result.GetType().GetProperty("Options")?.GetValue(result) is not ExperimentOptions options) return null;
        var arguments = ExperimentOption.Of(options.GetType()).Select(o => $"--{o.Name} {Quoted(o.ValueIn(options))}");
        return $"virtlab experiment {result.Name} {string.Join(' ', arguments)}";
    }

    private static string Quoted(string value) => value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or ';' or '|' or '&') ? value : $"'{value}'";

    private static string TableBody(Table table)
    {
        var html = new StringBuilder();
        html.Append("<div class=\"caption\">").Append(Html.Encode(table.Title ?? table.Name)).Append("</div>");
        html.Append("<table><thead><tr>");
        foreach (var column in table.Columns) html.Append("<th>").Append(Html.Encode(column)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows.Take(MaxRows))
        {
            html.Append("<tr>");
            foreach (var value in row)
                html.Append(Table.IsNumber(value) ? "<td class=\"num\">" : "<td>").Append(Html.Encode(Table.FormatValue(value))).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (table.Rows.Count > MaxRows)
            html.Append("<div class=\"muted\">").Append(table.Rows.Count - MaxRows).Append(" more rows (ToCsv() has them all)</div>");
        return html.ToString();
    }
}
