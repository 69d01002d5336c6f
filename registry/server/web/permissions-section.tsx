import type { Permissions } from "../../../schemas/permissions.js";
import type { PluginComponents } from "./plugin-components.js";

/** What the plugin's processes may touch (the `permissions` extension key) and the settings it asks for. */
export function PermissionsSection(props: { components: PluginComponents }) {
  const { permissions, userConfig } = props.components;
  return (
    <>
      <section aria-labelledby="permissions">
        <h2 id="permissions">Permissions</h2>
        {permissions ? (
          <dl>
            {permissionLines(permissions).map(([term, value]) => (
              <>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </>
            ))}
          </dl>
        ) : (
          <p>None declared: the plugin's processes get no workspace access, no network, no extra environment variables and no secrets.</p>
        )}
      </section>
      <section aria-labelledby="configuration">
        <h2 id="configuration">Configuration</h2>
        {userConfig.length ? (
          <table>
            <caption class="skip">Settings the plugin asks for when it is installed</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Title</th>
                <th scope="col">Type</th>
                <th scope="col">Required</th>
                <th scope="col">Sensitive</th>
              </tr>
            </thead>
            <tbody>
              {userConfig.map((option) => (
                <tr>
                  <th scope="row">
                    <code>{option.key}</code>
                  </th>
                  <td>
                    {option.title}
                    {option.description ? <div class="muted">{option.description}</div> : null}
                  </td>
                  <td>{option.type}</td>
                  <td>{option.required ? "yes" : "no"}</td>
                  <td>{option.sensitive ? "yes (kept in the OS keychain)" : "no"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No settings.</p>
        )}
      </section>
    </>
  );
}

function permissionLines(p: Permissions): [string, string][] {
  const network = p.network === undefined || p.network === "none" ? "none" : p.network === "full" ? "full" : `only ${p.network.allow.join(", ")}`;
  return [
    ["Workspace files", p.filesystem?.workspace ?? "none"],
    ["Network", network],
    ["Environment variables", p.env?.length ? p.env.join(", ") : "none"],
    ["Secrets", p.secrets?.length ? p.secrets.join(", ") : "none"],
  ];
}
