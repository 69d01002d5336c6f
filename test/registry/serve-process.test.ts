import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { agent, builtCli } from "../support/run-agent.js";
import { publishBody, putJson, removeTemps, tempDir } from "./registry-fixture.js";
import { pluginEntries, rawTarball } from "./raw-tarball.js";

const children: ChildProcess[] = [];

/** `agent registry serve` as a real child process; resolves with its first stdout line. */
async function serve(dataDir: string, env: NodeJS.ProcessEnv = {}, json = true): Promise<{ child: ChildProcess; first: string; lines: string[] }> {
  const child = spawn(process.execPath, [builtCli, "registry", "serve", "--port", "0", "--data", dataDir, ...(json ? ["--json"] : [])], {
    env: { PATH: process.env.PATH, HOME: dataDir, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("registry serve did not start in 20 s")), 20_000);
    rl.on("line", (line) => {
      lines.push(line);
      if (lines.length === 1) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once("exit", (code) => reject(new Error(`registry serve exited with ${code}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, json ? 0 : 100));
  return { child, first, lines };
}

function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => stop(c, "SIGKILL")));
});
afterAll(() => removeTemps());

describe("agent registry serve as a process", () => {
  it("prints the URL and a one-time admin token on first start only; token create mints working tokens", async () => {
    const data = tempDir();
    const first = await serve(data, {}, false);
    expect(first.lines[0]).toMatch(/^Registry listening on http:\/\/127\.0\.0\.1:\d+\/$/);
    const url = /http:\/\/[^ ]+[^/]/.exec(first.lines[0]!)![0];
    const tokenLine = first.lines.find((l) => l.includes("admin token (shown once)"));
    const admin = /agr_\S+/.exec(tokenLine ?? "")![0];
    expect((await (await fetch(`${url}/-/whoami`, { headers: { authorization: `Bearer ${admin}` } })).json())).toEqual({ username: "admin" });
    const minted = await agent(["registry", "token", "create", "--user", "ci", "--scope", "publish", "--data", data, "--json"]);
    expect(minted.status).toBe(0);
    const ci = minted.json().token as string;
    expect((await (await fetch(`${url}/-/whoami`, { headers: { authorization: `Bearer ${ci}` } })).json())).toEqual({ username: "ci" });
    await stop(first.child);
    const again = await serve(data);
    expect(JSON.parse(again.first).adminToken).toBeUndefined();
    expect(JSON.stringify(await agent(["registry", "audit", "--json", "--data", data]).then((r) => r.json()))).not.toContain(admin);
  });

  it("AGENT_REGISTRY_ADMIN_TOKEN seeds the admin token instead of printing one", async () => {
    const started = await serve(tempDir(), { AGENT_REGISTRY_ADMIN_TOKEN: "agr_seeded_token_for_automation_0123456789" });
    const info = JSON.parse(started.first);
    expect(info.adminToken).toBeUndefined();
    const res = await fetch(`${info.url}/-/whoami`, { headers: { authorization: "Bearer agr_seeded_token_for_automation_0123456789" } });
    expect(await res.json()).toEqual({ username: "admin" });
  });

  it("kill -9 mid-publish leaves no half-published version: every listed version serves its exact tarball, every other version can still be published", async () => {
    const data = tempDir();
    const token = "agr_crash_test_admin_token_0123456789abcdef";
    const env = { AGENT_REGISTRY_ADMIN_TOKEN: token };
    const { child, first } = await serve(data, env);
    const url = JSON.parse(first).url as string;
    const versions = Array.from({ length: 60 }, (_, i) => `1.0.${i}`);
    const bodies = new Map(versions.map((v) => [v, publishBody("crashy", v, rawTarball(pluginEntries("crashy", v, [{ path: "package/blob.bin", body: createHash("sha512").update(v).digest("hex").repeat(400) }])))]));
    const succeeded = new Set<string>();
    let firstSuccess: () => void = () => undefined;
    const gotOne = new Promise<void>((resolve) => (firstSuccess = resolve));
    const publishAll = (async () => {
      const queue = [...versions];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let v = queue.shift(); v; v = queue.shift()) {
            const res = await fetch(`${url}/crashy`, { ...putJson(bodies.get(v)), headers: { "content-type": "application/json", authorization: `Bearer ${token}` } }).catch(() => undefined);
            if (res?.status === 201) {
              succeeded.add(v);
              firstSuccess();
            }
          }
        }),
      );
    })();
    await gotOne;
    await new Promise((resolve) => setTimeout(resolve, 150));
    await stop(child, "SIGKILL");
    await publishAll;
    expect(succeeded.size).toBeLessThan(versions.length);

    const restarted = await serve(data, env);
    const url2 = JSON.parse(restarted.first).url as string;
    const packument = (await (await fetch(`${url2}/crashy`)).json()) as { versions: Record<string, { dist: { integrity: string; tarball: string } }> };
    const listed = Object.keys(packument.versions);
    for (const v of succeeded) expect(listed).toContain(v);
    expect(readdirSync(join(data, "packages", "crashy", "published")).sort()).toEqual([...listed].sort());
    expect(readdirSync(join(data, "packages", "crashy", "tarballs")).sort()).toEqual(listed.map((v) => `crashy-${v}.tgz`).sort());
    for (const v of listed) {
      const bytes = Buffer.from(await (await fetch(packument.versions[v]!.dist.tarball)).arrayBuffer());
      expect(`sha512-${createHash("sha512").update(bytes).digest("base64")}`).toBe(packument.versions[v]!.dist.integrity);
    }
    const missing = versions.filter((v) => !listed.includes(v)).slice(0, 5);
    for (const v of missing) {
      const res = await fetch(`${url2}/crashy`, { ...putJson(bodies.get(v)), headers: { "content-type": "application/json", authorization: `Bearer ${token}` } });
      expect([v, res.status]).toEqual([v, 201]);
    }
  });
});
