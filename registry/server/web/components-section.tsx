import type { NamedComponent, PluginComponents } from "./plugin-components.js";

/** Commands, agents, skills, output styles, hooks, MCP and LSP servers and monitors, one list each. */
export function ComponentsSection(props: { components: PluginComponents }) {
  const c = props.components;
  const groups: { id: string; title: string; items: NamedComponent[] }[] = [
    { id: "commands", title: "Commands", items: c.commands.map((x) => ({ ...x, name: `/${x.name}` })) },
    { id: "agents", title: "Agents", items: c.agents },
    { id: "skills", title: "Skills", items: c.skills },
    { id: "hooks", title: "Hooks", items: c.hooks.map((event) => ({ name: event })) },
    { id: "mcp-servers", title: "MCP servers", items: c.mcpServers.map((name) => ({ name })) },
    { id: "lsp-servers", title: "LSP servers", items: c.lspServers.map((name) => ({ name })) },
    { id: "output-styles", title: "Output styles", items: c.outputStyles },
    { id: "monitors", title: "Monitors", items: c.monitors.map((name) => ({ name })) },
  ];
  const present = groups.filter((g) => g.items.length > 0);
  return (
    <section aria-labelledby="components">
      <h2 id="components">Components</h2>
      {present.length === 0 ? <p>This plugin adds no commands, agents, skills, hooks or servers.</p> : null}
      {present.map((group) => (
        <section aria-labelledby={`components-${group.id}`}>
          <h3 id={`components-${group.id}`}>
            {group.title} <span class="muted">({group.items.length})</span>
          </h3>
          <ul>
            {group.items.map((item) => (
              <li>
                <code>{item.name}</code>
                {item.description ? <span> — {item.description}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
