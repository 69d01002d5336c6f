import { existsSync, readFileSync } from "node:fs";

/** The root of the agent package (holds package.json and fixtures/): the nearest such directory above this module. */
export const packageRoot: string = (() => {
  for (let url = new URL("./", import.meta.url); url.pathname !== "/"; url = new URL("../", url)) {
    if (existsSync(new URL("package.json", url)) && existsSync(new URL("fixtures/marketplaces/", url))) return url.pathname.replace(/\/$/, "");
  }
  throw new Error("agent: cannot find package.json beside fixtures/");
})();

export const version: string = (JSON.parse(readFileSync(`${packageRoot}/package.json`, "utf8")) as { version: string }).version;
