import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CheckWorkerPool, parallelThreshold } from "../../registry/validate/check-listed-in-parallel.js";
import { validatePath, validatePathInParallel } from "../../registry/validate/validate-path.js";
import { agent } from "../support/run-agent.js";

/** A marketplace of many plugins, every seventh broken in a different way, so findings come from all over. */
const root = mkdtempSync(join(tmpdir(), "agent-validate-parallel-"));
const count = parallelThreshold * 3;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
const plugins = Array.from({ length: count }, (_, i) => {
  const name = `plugin-${i}`;
  const dir = join(root, "plugins", name);
  const broken = i % 7 === 3;
  write(join(dir, ".claude-plugin", "plugin.json"), broken ? `{"name": "${name}", "version": "banana", "descripton": "x"}` : JSON.stringify({ name, version: "1.0.0", description: `plugin ${i}`, author: { name: "t" } }));
  write(join(dir, "skills", "s", "SKILL.md"), i % 7 === 5 ? "---\nname: [unclosed\n---\nbody\n" : `---\nname: s\ndescription: skill of ${name}\n---\nDo it.\n`);
  if (i % 11 === 0) write(join(dir, "hooks", "hooks.json"), '{"hooks": {"NoSuchEvent": []}}');
  return { name, source: i % 13 === 0 ? `./plugins/missing-${i}` : `./plugins/${name}`, description: `plugin ${i}` };
});
write(join(root, ".claude-plugin", "marketplace.json"), JSON.stringify({ name: "many", owner: { name: "t" }, description: "many plugins", plugins }));

const builtEntry = resolve(import.meta.dirname, "../../dist/cli/check-listed-worker-entry.cjs");
function needsBuild(): string {
  if (!existsSync(builtEntry)) throw new Error("the worker threads run the built entry: run `npm run build` first (npm test does)");
  return builtEntry;
}

describe("validating a marketplace's plugins on several threads", () => {
  it("gives the same report, in the same order, as checking them on one thread", async () => {
    const serial = validatePath(root);
    expect(new Set(serial.findings.map((f) => f.code))).toEqual(new Set(["semver-invalid", "unknown-field", "author-missing", "frontmatter-yaml", "hook-event-unknown", "source-missing"]));
    // the built entry, wrapped to leave a mark of each worker's answer
    const marks = join(root, "marks");
    mkdirSync(marks);
    const wrapper = join(root, "worker.mjs");
    writeFileSync(
      wrapper,
      `import { writeFileSync } from "node:fs";
import { parentPort, threadId } from "node:worker_threads";
const post = parentPort.postMessage.bind(parentPort);
parentPort.postMessage = (result) => { writeFileSync(${JSON.stringify(marks)} + "/" + threadId, String(result.length)); post(result); };
await import(${JSON.stringify(needsBuild())});
`,
    );
    const parallel = await validatePathInParallel(root, new CheckWorkerPool(wrapper, 2));
    expect(parallel).toEqual(serial);
    expect(readdirSync(marks)).toHaveLength(2); // both workers started, took from the counter and answered
  });

  it("closes the pool unused for a plugin directory and for a marketplace of few plugins", async () => {
    const small = join(root, "small");
    write(join(small, ".claude-plugin", "marketplace.json"), JSON.stringify({ name: "small", owner: { name: "t" }, plugins: plugins.slice(0, 3).map((p) => ({ ...p, source: `../plugins/${p.name}` })) }));
    for (const path of [join(root, "plugins", "plugin-1"), small]) {
      const pool = new CheckWorkerPool(needsBuild(), 2);
      const exited = Promise.all((pool as unknown as { workers: import("node:worker_threads").Worker[] }).workers.map((w) => new Promise((r) => w.once("exit", r))));
      expect(await validatePathInParallel(path, pool)).toEqual(validatePath(path));
      await exited; // the workers were stopped, not left waiting for work
    }
  });

  it("still checks every plugin when a worker cannot start", async () => {
    const serial = validatePath(root);
    const parallel = await validatePathInParallel(root, new CheckWorkerPool(join(root, "no-such-worker.js"), 2));
    expect(parallel).toEqual(serial);
  });

  it("is what `agent plugin validate` runs: its --json report equals the one-thread report", async () => {
    const run = await agent(["plugin", "validate", "--json", root]);
    expect(run.status).toBe(1);
    expect(run.json()).toEqual(JSON.parse(JSON.stringify(validatePath(root))));
  });
});
