// The CLI the benchmarks time: dist/cli/main.cjs as `npm run build` leaves it. When a tsc run (an editor,
// `npx tsc`) is newer than the bundle, the CLI runs tsc's unbundled output instead, several times slower,
// and every figure would be wrong: the benchmarks stop before measuring anything.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** Path of the built, bundled CLI; throws when it is missing or older than the last tsc build. */
export function builtCli() {
  const cli = fileURLToPath(new URL("../../dist/cli/main.cjs", import.meta.url));
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
  const { bundleIsCurrent } = require("../../dist/cli/load-bundle.cjs");
  if (!bundleIsCurrent()) {
    throw new Error("the bundled CLI (dist/cli/chunks) is older than the last tsc build (dist/.tsbuildinfo), so the CLI would run tsc's slower output: run `npm run build` first");
  }
  return cli;
}
