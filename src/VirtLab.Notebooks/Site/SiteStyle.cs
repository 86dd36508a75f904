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
        ol.lessons { list-style: none; padding-left: 0; }
        ol.lessons > li { border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1.25rem .75rem; margin: 1rem 0; }
        ol.lessons h2 { font-size: 1.25rem; margin: .25rem 0 .5rem; display: flex; flex-wrap: wrap; align-items: baseline; gap: .25rem .75rem; }
        ol.lessons h2 a { text-decoration: none; }
        .minutes { font-size: .85rem; font-weight: normal; color: var(--muted); }
        .lesson-facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); gap: 0 1.5rem; font-size: .95rem; }
        .lesson-facts .label { font-weight: 600; font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
        .lesson-facts ul { margin: .2rem 0 .5rem; padding-left: 1.2rem; }
        .lesson-sections { font-size: .88rem; color: var(--muted); margin: .25rem 0 0; }
        .lesson-sections a { color: var(--muted); }
        nav.sections { max-width: 49rem; margin: 1rem auto 0; padding: .6rem 1rem; border: 1px solid var(--line); border-radius: 6px; background: var(--code-bg); font-size: .92rem; }
        nav.sections ol { margin: .25rem 0; padding-left: 1.9rem; }
        nav.sections li { margin: .15rem 0; }
        nav.sections a { text-decoration: none; }
        .sections-title { font-weight: 600; }
        @media (min-width: 76rem) {
          .lesson-layout { display: grid; grid-template-columns: 15rem minmax(0, 52rem); gap: 0 2rem; max-width: 69rem; margin: 0 auto; }
          .lesson-layout > main { margin: 0; }
          nav.sections { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto; margin: 0; padding: 1.25rem 1rem 1rem 0; border: 0; border-right: 1px solid var(--line); border-radius: 0; background: none; }
          nav.lesson-nav { max-width: 69rem; }
        }
        .muted { color: var(--muted); font-size: .9rem; }
        .failed-badge { color: var(--error); font-size: .85rem; margin-left: .5rem; }
        """;
}
