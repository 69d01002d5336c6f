import { describe, expect, it } from "vitest";
import { sbplProfile, sbplString, type SbplPolicy } from "../../host/sandbox/sbpl-profile.js";

const base: SbplPolicy = {
  pluginRoot: "/Users/ann/.agent/plugins/cache/m/p/1.0.0",
  dataDir: "/Users/ann/.agent/plugins/data/p-m",
  home: "/Users/ann",
  hidden: ["/Users/ann/.agent"],
  network: { kind: "none" },
};
const lines = (text: string) => text.trim().split("\n");

describe("macOS sandbox-exec profile (SBPL text; sandbox-exec itself cannot run here)", () => {
  it("denies by default and allows only process start, fork and signals within the sandbox", () => {
    const l = lines(sbplProfile(base));
    expect(l[0]).toBe("(version 1)");
    expect(l[1]).toBe("(deny default)");
    expect(l).toContain("(allow process-exec)");
    expect(l).toContain("(allow process-fork)");
    expect(l).toContain("(allow signal (target same-sandbox))");
    expect(l.some((x) => /\(allow signal\)$/.test(x) || x === "(allow default)")).toBe(false);
  });

  it("hides home, temp dirs and agent state, then re-allows reading only the plugin's own dirs", () => {
    const l = lines(sbplProfile(base));
    const deny = l.findIndex((x) => x.startsWith("(deny file-read*"));
    const allow = l.findIndex((x) => x.startsWith("(allow file-read* (subpath"));
    expect(l[deny]).toContain('(subpath "/Users/ann")');
    expect(l[deny]).toContain('(subpath "/private/tmp")');
    expect(l[deny]).toContain('(subpath "/private/var/folders")');
    expect(l[deny]).toContain('(subpath "/Users/ann/.agent")');
    expect(l[allow]).toBe(`(allow file-read* (subpath "${base.pluginRoot}") (subpath "${base.dataDir}"))`);
    expect(allow).toBeGreaterThan(deny); // SBPL: the last matching rule wins
  });

  it("allows writes only to the data dir (and /dev/null, stdout, stderr)", () => {
    const writes = lines(sbplProfile(base)).filter((x) => x.includes("file-write"));
    expect(writes).toEqual([`(allow file-write* (subpath "${base.dataDir}") (literal "/dev/null") (literal "/dev/stdout") (literal "/dev/stderr"))`]);
  });

  it("mounts the workspace read-only, read-write or hides it, as declared", () => {
    const ws = "/Users/ann/src/proj";
    const read = sbplProfile({ ...base, workspace: { path: ws, access: "read" } });
    expect(read).toMatch(new RegExp(`\\(allow file-read\\*[^\\n]*\\(subpath "${ws}"\\)`));
    expect(read).not.toMatch(new RegExp(`\\(allow file-write\\*[^\\n]*${ws}`));
    const write = sbplProfile({ ...base, workspace: { path: ws, access: "write" } });
    expect(write).toMatch(new RegExp(`\\(allow file-write\\*[^\\n]*\\(subpath "${ws}"\\)`));
    const none = sbplProfile({ ...base, workspace: { path: ws, access: "none" } });
    expect(none).toMatch(new RegExp(`\\(deny file-read\\*[^\\n]*\\(subpath "${ws}"\\)`));
    expect(none).not.toMatch(new RegExp(`\\(allow file-(read|write)\\*[^\\n]*${ws}`));
  });

  it("network none: no network rule at all (deny default covers it) and unix sockets denied last", () => {
    const l = lines(sbplProfile(base));
    expect(l.filter((x) => x.includes("network"))).toEqual(["(deny network-outbound (remote unix-socket))"]);
    expect(l.at(-1)).toBe("(deny network-outbound (remote unix-socket))");
  });

  it("network full: outbound allowed, unix sockets still denied by the last rule", () => {
    const l = lines(sbplProfile({ ...base, network: { kind: "full" } }));
    expect(l).toContain("(allow network-outbound)");
    expect(l.at(-1)).toBe("(deny network-outbound (remote unix-socket))");
  });

  it("network allowlist: outbound only to the host proxy's loopback port, and the port is required", () => {
    const l = lines(sbplProfile({ ...base, network: { kind: "allowlist", allow: ["api.example.com"] }, proxyPort: 40123 }));
    expect(l.filter((x) => x.includes("network"))).toEqual(['(allow network-outbound (remote ip "localhost:40123"))', "(deny network-outbound (remote unix-socket))"]);
    expect(() => sbplProfile({ ...base, network: { kind: "allowlist", allow: ["a.example"] } })).toThrow(/proxy port/);
  });

  it("quotes paths so a quote or backslash in a path cannot end the string and add rules", () => {
    expect(sbplString('/x/"a\\b')).toBe('"/x/\\"a\\\\b"');
    const text = sbplProfile({ ...base, dataDir: '/d/") (allow default) ("' });
    expect(text).not.toMatch(/^\(allow default\)/m);
    expect(text).toContain('(subpath "/d/\\") (allow default) (\\"")');
  });
});
