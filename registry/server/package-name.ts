import semver from "semver";
import { AgentError } from "../../schemas/errors.js";

/** npm's rules for new package names: lower case, URL-safe, no leading dot or underscore, ≤ 214 chars. */
const packageNamePattern = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;

export function isValidPackageName(name: string): boolean {
  return name.length <= 214 && packageNamePattern.test(name);
}

export function assertPackageName(name: string): string {
  if (!isValidPackageName(name)) {
    throw new AgentError("E_USAGE", `Invalid package name ${JSON.stringify(name.slice(0, 220))}`, {
      hint: "Package names are lower case, URL-safe, at most 214 characters, optionally scoped as @scope/name.",
      details: { name: name.slice(0, 220) },
    });
  }
  return name;
}

export function assertVersion(version: string): string {
  if (semver.valid(version) !== version) {
    throw new AgentError("E_USAGE", `Invalid version ${JSON.stringify(version.slice(0, 100))}`, {
      hint: "Versions are full semver, e.g. 1.2.3.",
      details: { version: version.slice(0, 100) },
    });
  }
  return version;
}

/** "@scope/name" → "name": the tarball file prefix npm uses. */
export function unscopedName(name: string): string {
  const slash = name.indexOf("/");
  return slash === -1 ? name : name.slice(slash + 1);
}

export function tarballFileFor(name: string, version: string): string {
  return `${unscopedName(name)}-${version}.tgz`;
}

/** A dist-tag must not look like a version or a range, as npm requires. */
export function assertDistTag(tag: string): string {
  if (!/^[A-Za-z][A-Za-z0-9._-]{0,63}$/.test(tag) || semver.validRange(tag) !== null) {
    throw new AgentError("E_USAGE", `Invalid dist-tag ${JSON.stringify(tag.slice(0, 70))}`, {
      hint: "Tags start with a letter and cannot be a semver range (e.g. beta, next).",
      details: { tag: tag.slice(0, 70) },
    });
  }
  return tag;
}
