import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A hash of every file and directory under `dir` (paths, modes and contents): equal hashes = untouched state. */
export function hashTree(dir: string): string {
  const hash = createHash("sha256");
  const walk = (rel: string) => {
    const abs = join(dir, rel);
    if (!existsSync(abs)) return;
    for (const name of readdirSync(abs).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const info = lstatSync(join(dir, path));
      hash.update(`${path}\0${info.mode}\0`);
      if (info.isDirectory()) walk(path);
      else if (info.isFile()) hash.update(readFileSync(join(dir, path)));
    }
  };
  walk("");
  return hash.digest("hex");
}

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}
