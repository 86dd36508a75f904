using System.Globalization;
using System.Net;
using System.Text;

namespace VirtLab.Interactive;

/// <summary>Small helpers shared by the HTML formatters: escaping, hex, and the common stylesheet.</summary>
internal static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Hex(uint value) => "0x" + value.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>A count with thousands separators: <c>12,345</c>.</summary>
    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><paramref name="part"/> as a percentage of <paramref name="whole"/> with one decimal (<c>12.5 %</c>), or a dash when the whole is 0.</summary>
    public static string Percent(double part, double whole) =>
        whole > 0 ? (100 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–";

    /// <summary>Simulated milliseconds: <c>0.05 ms</c>, <c>12.5 ms</c>, <c>1,200 ms</c>.</summary>
    public static string Milliseconds(double ms) => ms.ToString(ms >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture) + " ms";

    public static string Number(double value) => value.ToString(Math.Abs(value) >= 100 || value == Math.Floor(value) ? "N0" : "G4", CultureInfo.InvariantCulture);

    /// <summary>
    /// Styles for every VirtLab view, scoped to <c>.virtlab</c> so they do not touch the page around
    /// them. Repeated in every output: each output must read well on its own (VS Code renders outputs
    /// separately, and a saved notebook may show only one of them).
    /// </summary>
    public const string Style = """
        <style>
        .virtlab{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:13px;margin:.25em 0}
        .virtlab table{border-collapse:collapse;margin:.25em 0}
        .virtlab th,.virtlab td{padding:2px 8px;border-bottom:1px solid rgba(127,127,127,.25);text-align:left;vertical-align:top}
        .virtlab th{font-weight:600}
        .virtlab td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .virtlab code,.virtlab .mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        .virtlab .changed{background:rgba(255,196,0,.35);font-weight:600}
        .virtlab .pc-row{background:rgba(0,140,255,.18)}
        .virtlab .muted{opacity:.6}
        .virtlab .caption{font-weight:600;margin:.2em 0}
        .virtlab .regs{display:grid;grid-template-columns:repeat(4,auto);gap:0 18px;justify-content:start}
        .virtlab .reg{white-space:nowrap}
        .virtlab .ok{color:#1a7f37}.virtlab .bad{color:#cf222e}
        </style>
        """;

    public static StringBuilder Open(string kind) => new StringBuilder(Style).Append("<div class=\"virtlab ").Append(kind).Append("\">");
}
