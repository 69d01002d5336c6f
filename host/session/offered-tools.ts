import type { HostTool } from "../tools/host-tool.js";

/**
 * The tools the model is offered: a tool that also answers to a bare name (core-tools' Read, Write, …)
 * is offered once, by that name; `hidden` drops tools a deny rule names outright.
 */
export function offeredTools(all: HostTool[], hidden: (name: string) => boolean = () => false): HostTool[] {
  return all.filter((t) => !hidden(t.name) && !hasBareTwin(t, all));
}

function hasBareTwin(tool: HostTool, all: HostTool[]): boolean {
  return tool.name.startsWith("mcp__") && all.some((o) => o !== tool && o.pluginId === tool.pluginId && !o.name.startsWith("mcp__") && tool.name.endsWith(`__${o.name}`));
}
