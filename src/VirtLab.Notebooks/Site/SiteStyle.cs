namespace VirtLab.Notebooks;

/// <summary>The site's one stylesheet: plain, readable, printable, no web fonts, no frameworks.</summary>
internal static class SiteStyle
{
    public const string FileName = "site.css";

    public const string Css = """
        :root { --text: #1f2328; --muted: #59636e; --line: #d1d9e0; --code-bg: #f6f8fa; --error: #b42318; --error-bg: #fef3f2; --link: #0550ae; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--text); background: #fff; font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { max-width: 52rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
        a { color: var(--link); }
        h1, h2, h3 { line-height: 1.25; }
        nav.lesson-nav { display: flex; justify-content: space-between; gap: 1rem; max-width: 52rem; margin: 0 auto; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); font-size: .95rem; }
        nav.lesson-nav.bottom { border-bottom: 0; border-top: 1px solid var(--line); }
        nav.lesson-nav a { text-decoration: none; }
        nav.lesson-nav .placeholder { visibility: hidden; }
        pre, code { font-family: ui-monospace, "Cascadia Code", Menlo, Consolas, monospace; font-size: .9em; }
        pre { background: var(--code-bg); padding: .75rem 1rem; overflow-x: auto; border-radius: 6px; }
        .cell { margin: 1.25rem 0; }
        .cell.code pre.source { border-left: 3px solid var(--line); }
        .outputs { margin-top: .25rem; }
        .output { margin: .25rem 0; overflow-x: auto; }
        pre.output { background: #fff; border: 1px solid var(--line); }
        pre.output.stderr { color: var(--error); }
        .output.error { background: var(--error-bg); border: 1px solid var(--error); color: var(--error); border-radius: 6px; padding: .5rem 1rem; }
        .output.error pre { background: transparent; padding: 0; margin: 0; white-space: pre-wrap; }
        .output.error summary { cursor: pointer; color: var(--muted); }
        table { border-collapse: collapse; }
        th, td { border: 1px solid var(--line); padding: .25rem .5rem; }
        ol.lessons li { margin: .4rem 0; }
        .muted { color: var(--muted); font-size: .9rem; }
        .failed-badge { color: var(--error); font-size: .85rem; margin-left: .5rem; }
        """;
}
