import type { SearchResult } from "../storage/storage.js";
import { Layout } from "./layout.js";
import { pluginHref } from "./plugin-href.js";

export interface HomeView {
  query: string;
  result: SearchResult;
  page: number;
  pageSize: number;
  marketplaceUrl: string;
}

/** `/` and `/?q=…`: the plugin list, or the matches of a search. */
export function HomePage(props: HomeView) {
  const { query, result, page, pageSize } = props;
  const heading = query ? `Plugins matching “${query}”` : "Plugins";
  const pageHref = (n: number) => `/?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(n) }).toString()}`;
  return (
    <Layout title={query ? `${query} · Plugin registry` : "Plugin registry"} query={query}>
      <h1>{heading}</h1>
      {query ? null : (
        <p>
          Add this registry to agent once: <code>agent plugin marketplace add {props.marketplaceUrl}</code>
        </p>
      )}
      <p class="muted" role="status">
        {result.total === 0 ? (query ? "No plugin matches this search." : "No plugins are published yet.") : `${result.total} plugin${result.total === 1 ? "" : "s"}`}
      </p>
      <ul class="plugins" aria-label={heading}>
        {result.packages.map((pkg) => (
          <li>
            <h2>
              <a href={pluginHref(pkg.name)}>{pkg.name}</a> <span class="muted">{pkg.version}</span>
            </h2>
            {pkg.description ? <p>{pkg.description}</p> : null}
            {pkg.keywords?.length ? (
              <p aria-label="Keywords">
                {pkg.keywords.map((k) => (
                  <a class="tag" href={`/?${new URLSearchParams({ q: k }).toString()}`}>
                    {k}
                  </a>
                ))}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      {result.total > pageSize ? (
        <nav aria-label="Pages">
          {page > 1 ? <a href={pageHref(page - 1)}>Previous page</a> : null} <span>Page {page} of {Math.ceil(result.total / pageSize)}</span>{" "}
          {page * pageSize < result.total ? <a href={pageHref(page + 1)}>Next page</a> : null}
        </nav>
      ) : null}
    </Layout>
  );
}
