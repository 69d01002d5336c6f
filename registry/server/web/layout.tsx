import type { Child } from "hono/jsx";
import { catalogCss } from "./styles.js";

/** Every catalog page: lang, landmarks (banner, search, main, contentinfo), a skip link, one h1 per page. */
export function Layout(props: { title: string; query?: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <style>{catalogCss}</style>
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <header>
          <a class="brand" href="/">
            Plugin registry
          </a>
          <SearchForm query={props.query ?? ""} />
        </header>
        <main id="content" tabindex={-1}>
          {props.children}
        </main>
        <footer>
          <p>
            Claude Code plugins served as npm packages. Marketplace: <a href="/marketplace.json">/marketplace.json</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

/** A plain GET form: search works without JavaScript. */
export function SearchForm(props: { query: string }) {
  return (
    <form role="search" method="get" action="/" aria-label="Search plugins">
      <label for="q">Search plugins</label>
      <input id="q" name="q" type="search" value={props.query} placeholder="name, description or keyword" />
      <button type="submit">Search</button>
    </form>
  );
}
