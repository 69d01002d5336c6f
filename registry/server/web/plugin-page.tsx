import type { Packument, VersionManifest } from "../storage/storage.js";
import { ComponentsSection } from "./components-section.js";
import { InstallSection } from "./install-section.js";
import { Layout } from "./layout.js";
import { PermissionsSection } from "./permissions-section.js";
import type { PluginComponents } from "./plugin-components.js";
import { pluginHref } from "./plugin-href.js";

export interface PluginView {
  packument: Packument;
  /** the version shown: ?version=, else latest */
  version: string;
  manifest: VersionManifest;
  owners: string[];
  components: PluginComponents | undefined;
  /** the marketplace entry name to install */
  pluginName: string;
  marketplaceName: string;
  marketplaceUrl: string;
}

/** `/plugins/<name>`: what the plugin is, what it adds, what it may touch, and how to install it. */
export function PluginPage(props: PluginView) {
  const { packument, version, manifest, components } = props;
  const description = typeof manifest.description === "string" ? manifest.description : packument.description;
  const latest = packument["dist-tags"].latest;
  return (
    <Layout title={`${packument.name} · Plugin registry`}>
      <h1>{packument.name}</h1>
      <p>
        <span>Version {version}</span>
        {version !== latest && latest ? (
          <span>
            {" "}
            (latest is <a href={pluginHref(packument.name)}>{latest}</a>)
          </span>
        ) : null}
        {typeof manifest.license === "string" ? <span> · {manifest.license}</span> : null}
        {props.owners.length ? <span> · maintained by {props.owners.join(", ")}</span> : null}
      </p>
      {manifest.deprecated ? (
        <p role="alert">
          <strong>Deprecated:</strong> {manifest.deprecated}
        </p>
      ) : null}
      {description ? <p>{description}</p> : null}
      <InstallSection pluginName={props.pluginName} marketplaceName={props.marketplaceName} marketplaceUrl={props.marketplaceUrl} />
      {components ? (
        <>
          <ComponentsSection components={components} />
          <PermissionsSection components={components} />
          <section aria-labelledby="dependencies">
            <h2 id="dependencies">Dependencies</h2>
            {components.dependencies.length ? (
              <ul>
                {components.dependencies.map((d) => (
                  <li>
                    <code>{d}</code>
                  </li>
                ))}
              </ul>
            ) : (
              <p>No plugin dependencies.</p>
            )}
          </section>
        </>
      ) : (
        <p role="status">The contents of this version could not be read.</p>
      )}
      <VersionsSection packument={packument} shown={version} />
    </Layout>
  );
}

function VersionsSection(props: { packument: Packument; shown: string }) {
  const { packument } = props;
  const tagsOf = (v: string) => Object.entries(packument["dist-tags"]).filter(([, tagged]) => tagged === v).map(([tag]) => tag);
  const versions = Object.keys(packument.versions).reverse();
  return (
    <section aria-labelledby="versions">
      <h2 id="versions">Versions</h2>
      <table>
        <caption class="skip">All published versions of {packument.name}</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Published</th>
            <th scope="col">Tags</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr>
              <th scope="row">{v === props.shown ? <span aria-current="page">{v}</span> : <a href={pluginHref(packument.name, v)}>{v}</a>}</th>
              <td>{packument.time[v] ? <time datetime={packument.time[v]}>{packument.time[v]!.slice(0, 10)}</time> : ""}</td>
              <td>
                {tagsOf(v).map((t) => (
                  <span class="tag">{t}</span>
                ))}
              </td>
              <td>{packument.versions[v]?.deprecated ? `Deprecated: ${packument.versions[v]!.deprecated}` : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
