import type { DirectSource } from "../../schemas/installed-plugins.js";

/** Two direct sources name the same place (the same directory, repository folder or git URL). */
export function sameDirectSource(a: DirectSource, b: DirectSource): boolean {
  return describeDirectSource(a) === describeDirectSource(b);
}

/** How a user would have typed the source: the directory, owner/repo[:path][#ref], or the git URL[#ref]. */
export function describeDirectSource(direct: DirectSource): string {
  switch (direct.source) {
    case "directory":
      return direct.path;
    case "github":
      return `${direct.repo}${direct.path ? `:${direct.path}` : ""}${direct.ref ? `#${direct.ref}` : ""}`;
    case "git":
      return `${direct.url}${direct.ref ? `#${direct.ref}` : ""}`;
  }
}
