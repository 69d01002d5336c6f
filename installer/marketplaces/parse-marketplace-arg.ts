import { stat } from "../../registry/files/async-fs.js";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { AgentError } from "../../schemas/errors.js";
import type { MarketplaceSource } from "../../schemas/marketplace-source.js";

const githubShorthand = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * `agent plugin marketplace add <source>` argument → a marketplace source, as Claude Code parses it
 * (reference §4.2): scp-like ssh, http(s) git URLs (.git or /_git/, github.com/owner/repo), other
 * http(s) URLs as marketplace.json URLs, ./ ../ / ~ paths (a .json file or a directory), and GitHub
 * `owner/repo[@ref|#ref]`. Unlike Claude Code, file://, ssh:// and git:// URLs are accepted as git, and
 * `npm:<package>[@<version>]` names an npm package (registry and auth from the user's npm config).
 */
export async function parseMarketplaceArg(arg: string, cwd: string, env: NodeJS.ProcessEnv): Promise<MarketplaceSource> {
  const input = arg.trim();
  if (input.startsWith("npm:")) return npmPackage(input.slice(4));
  refuseEmbeddedCredentials(input);
  const scp = /^[^@\s/]+@[^:\s/]+:[^\s]+$/.exec(input);
  if (scp && !input.includes("://")) return gitWithRef(input);
  if (/^(file|ssh|git|git\+ssh):\/\//i.test(input)) return gitWithRef(input);
  if (/^https?:\/\//i.test(input)) {
    const [url] = splitRef(input);
    const parsed = new URL(url);
    if (parsed.pathname.endsWith(".git") || parsed.pathname.includes("/_git/")) return gitWithRef(input);
    const parts = parsed.pathname.split("/").filter(Boolean);
    if (parsed.hostname === "github.com" && parts.length === 2) {
      const [, ref] = splitRef(input);
      return { source: "git", url: `${parsed.origin}/${parts[0]}/${parts[1]}.git`, ...(ref ? { ref } : {}) };
    }
    return { source: "url", url: input };
  }
  if (/^(\.\/|\.\.\/|\/|~)/.test(input) || input === "." || input === "..") {
    const path = input.startsWith("~") ? resolve(env.HOME ?? homedir(), input.slice(1).replace(/^\//, "")) : resolve(cwd, input);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new AgentError("E_NOT_FOUND", `Path does not exist: ${path}`, { details: { path } });
    if (info.isDirectory()) return { source: "directory", path };
    if (!path.endsWith(".json")) {
      throw new AgentError("E_USAGE", `File path must point to a .json file (marketplace.json) or a directory containing .claude-plugin/marketplace.json: ${path}`, { details: { path } });
    }
    return { source: "file", path };
  }
  if (input.includes("/") && !input.startsWith("@") && !input.includes(":")) {
    const m = /^([^@#]+)(?:[@#](.+))?$/.exec(input);
    const repo = m?.[1] ?? input;
    if (!githubShorthand.test(repo)) {
      throw new AgentError("E_USAGE", `'${input}' is not a valid GitHub owner/repo shorthand. For a git repo, use the full https:// clone URL (ending in .git).`, {
        details: { input },
      });
    }
    return { source: "github", repo, ...(m?.[2] ? { ref: m[2] } : {}) };
  }
  throw new AgentError("E_USAGE", "Invalid marketplace source format. Try: owner/repo, https://..., or ./path", {
    hint: "agent plugin marketplace add owner/repo | https://host/repo.git | file:///path/repo.git | https://host/marketplace.json | ./dir",
    details: { input },
  });
}

/** A password or token inside the URL would be written to settings and known_marketplaces.json. */
function refuseEmbeddedCredentials(input: string): void {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return;
  }
  if (!url.password) return;
  url.username = url.username ? "***" : "";
  url.password = "***";
  throw new AgentError("E_USAGE", `The URL carries credentials (${url.href}); agent does not write secrets into settings`, {
    hint: "Drop them from the URL and use a git credential helper (git config credential.helper), GITHUB_TOKEN for GitHub, or a header such as Authorization: Bearer ${TOKEN}.",
    details: { url: url.href },
  });
}

function npmPackage(spec: string): MarketplaceSource {
  const m = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(?:@(.+))?$/i.exec(spec);
  if (!m) {
    throw new AgentError("E_USAGE", `'${spec}' is not an npm package name`, { hint: "agent plugin marketplace add npm:@scope/catalog[@version]", details: { input: spec } });
  }
  return { source: "npm", package: m[1]!, ...(m[2] ? { version: m[2] } : {}) };
}

function splitRef(input: string): [string, string | undefined] {
  const hash = input.indexOf("#");
  return hash < 0 ? [input, undefined] : [input.slice(0, hash), input.slice(hash + 1) || undefined];
}

function gitWithRef(input: string): MarketplaceSource {
  const [url, ref] = splitRef(input);
  return { source: "git", url, ...(ref ? { ref } : {}) };
}
