/** The catalog's only stylesheet, inlined: readable without it, no web fonts, high contrast, visible focus. */
export const catalogCss = `
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fff; --muted: #555; --line: #ccc; --accent: #0b57d0; --code: #f3f3f3; }
@media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #161616; --muted: #aaa; --line: #444; --accent: #8ab4f8; --code: #262626; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 1rem; }
header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; border-bottom: 1px solid var(--line); }
header .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
form[role=search] { display: flex; gap: .5rem; flex: 1; min-width: 16rem; align-items: center; }
form[role=search] input { flex: 1; padding: .4rem .6rem; font: inherit; }
button { font: inherit; padding: .4rem .9rem; }
ul.plugins { list-style: none; padding: 0; }
ul.plugins li { border-bottom: 1px solid var(--line); padding: .75rem 0; }
.muted { color: var(--muted); }
code, pre { background: var(--code); border-radius: 4px; }
code { padding: .1rem .3rem; }
pre { padding: .75rem; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 999px; padding: 0 .5rem; margin-right: .25rem; font-size: .85rem; }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
`;
