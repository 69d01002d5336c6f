#!/usr/bin/env node
// Bundles the CLI that tsc wrote into dist/ so it starts fast: dist/cli/run-cli.js and everything it
// imports, with zod, commander, semver, yaml, picomatch and the Anthropic SDK (~300 modules on the way
// to `agent run`'s first request) inlined, become a few CommonJS chunk files under dist/cli/chunks/
// (lazily imported modules stay separate chunks). Other packages stay external: they hold native code
// or are heavy and loaded only by the commands that need them. CommonJS, because Node 20 can load it
// with V8's code cache (dist/cli/load-bundle.cjs) and skips the ES module loader's resolve-and-link work;
// scripts/warm-code-cache.mjs then writes the cache beside each chunk.
// dist/cli/main.cjs (the bin) runs the chunks while they are newer than the last tsc build, else
// the modules tsc wrote. Source maps point back into dist/ for `--debug` stack traces.
// Run after `tsc -p tsconfig.json` (npm run build does both).
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = `${root}dist/cli/chunks`;
const inlined = ["zod", "commander", "semver", "yaml", "picomatch", "@anthropic-ai/sdk", "@opentelemetry/api"];

/** A bare import of a package not in the inline list stays an import of node_modules. */
function external(id) {
  if (id.startsWith("node:") || id.startsWith(".") || id.startsWith("/") || id.startsWith("\0")) return id.startsWith("node:");
  const name = id.startsWith("@") ? id.split("/").slice(0, 2).join("/") : id.split("/")[0];
  return !inlined.includes(name);
}

/**
 * commander loads node:child_process (and with it net, dgram, …: ~4 ms at start-up) only to run
 * executable subcommands, which agent never declares: it is loaded on first use instead.
 */
const lazyChildProcessInCommander = {
  name: "lazy-child-process-in-commander",
  transform(code, id) {
    if (!/[\\/]commander[\\/]lib[\\/]command\.js$/.test(id)) return null;
    const eager = "const childProcess = require('node:child_process');";
    if (!code.includes(eager)) this.error(`${id} no longer has \`${eager}\`: update scripts/bundle.mjs`);
    return code.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };");
  },
};

/**
 * The parse graph of the schemas the installer reads its files with (dist/schemas/parsers.js), baked from
 * those very schemas in place of the stand-in module tsc wrote: the bundle checks a settings file, a
 * marketplace.json or a plugin.json without loading zod (schemas/bake-parsers.ts).
 */
async function parserGraphModule() {
  const { schemaLoaders } = await import(`${root}dist/schemas/parsers.js`);
  const { bakeParserGraph, packParserGraph } = await import(`${root}dist/schemas/bake-parsers.js`);
  const rules = await import(`${root}dist/schemas/rules.js`);
  const schemas = Object.fromEntries(await Promise.all(Object.entries(schemaLoaders).map(async ([name, load]) => [name, await load()])));
  // the nodes' JSON in one string, each parsed when first reached (bake-parsers.ts: PackedGraph)
  const graph = JSON.stringify(packParserGraph(bakeParserGraph(schemas, rules)));
  return `import * as rules from "./rules.js";\nimport { bakedNodes } from "./baked-nodes.js";\nexport const bakedGraph = bakedNodes(${graph}, rules);\n`;
}
const bakedParserGraph = {
  name: "baked-parser-graph",
  async load(id) {
    return id === `${root}dist/schemas/parser-graph.js` ? await parserGraphModule() : null;
  },
};

rmSync(outDir, { recursive: true, force: true });
await build({
  // the validator's worker threads have their own entry, sharing the CLI's chunks
  input: { "run-cli": `${root}dist/cli/run-cli.js`, "check-listed-worker": `${root}dist/registry/validate/check-listed-worker.js` },
  platform: "node",
  external,
  logLevel: "warn",
  plugins: [lazyChildProcessInCommander, bakedParserGraph],
  checks: { ineffectiveDynamicImport: false }, // a module some commands import lazily and others eagerly is simply shared
  output: {
    dir: outDir,
    format: "cjs",
    dynamicImportInCjs: false, // lazy chunks and external packages load with require(): no ES module loader at run time
    sourcemap: true,
    sourcemapExcludeSources: true, // the sources are the dist/ files beside the chunks
    // ASCII only, and no comments but licences: V8 keeps a chunk's source in memory for as long as the
    // process runs, one byte per character when every character is ASCII and two otherwise (one "—" in
    // a comment was enough). A run of `plugin install` touches ~250 fewer pages of memory.
    charset: "ascii",
    comments: { legal: true, annotation: false, jsdoc: false },
    entryFileNames: "[name].cjs",
    chunkFileNames: "[name]-[hash].cjs",
  },
});
