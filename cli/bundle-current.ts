import { statSync } from "node:fs";

/**
 * True while the bundled CLI (scripts/bundle.mjs, run by `npm run build`) is at least as new as the last
 * tsc build: it is then used, as it starts several times faster than the hundreds of modules tsc writes,
 * and a `tsc` run without a fresh bundle never runs stale code.
 */
export function bundleIsCurrent(): boolean {
  const mtime = (path: string) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
  const bundled = mtime("./chunks/run-cli.cjs");
  return bundled !== undefined && bundled >= (mtime("../.tsbuildinfo") ?? 0);
}
