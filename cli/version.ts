import { existsSync, readFileSync } from "node:fs";

/** The root of the agent package (holds package.json and fixtures/), from source or from dist/. */
export const packageRoot: string = (() => {
  for (const up of ["../", "../../"]) {
    const url = new URL(up, import.meta.url);
    if (existsSync(new URL("package.json", url)) && existsSync(new URL("cli/", url))) return url.pathname.replace(/\/$/, "");
  }
  throw new Error("agent: cannot find package.json beside cli/");
})();

export const version: string = (JSON.parse(readFileSync(`${packageRoot}/package.json`, "utf8")) as { version: string }).version;
