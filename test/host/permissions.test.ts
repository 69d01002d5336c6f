import { describe, expect, it } from "vitest";
import type { PermissionRequest } from "../../host/permissions/permission-decision.js";
import { PermissionPolicy, type PermissionPolicyOptions } from "../../host/permissions/permission-policy.js";
import { parsePermissionRules } from "../../host/permissions/permission-rule.js";

const signal = new AbortController().signal;
const policy = (o: Partial<PermissionPolicyOptions>) => new PermissionPolicy({ mode: "ask", projectDir: "/work/proj", ...o });
const bash = (command: string) => ({ command });

describe("permission rules", () => {
  it("parses comma- and space-separated lists, keeping commas inside parentheses", () => {
    expect(parsePermissionRules(["Read,Bash(git log, git status)", "Edit Grep"]).map((r) => r.source)).toEqual(["Read", "Bash(git log, git status)", "Edit", "Grep"]);
    expect(() => parsePermissionRules(["Bash(("])).toThrow(expect.objectContaining({ code: "E_USAGE" }));
  });

  it("Bash(git:*) allows git commands and nothing else; chained commands must all match", async () => {
    const p = policy({ mode: "allow", allow: ["Bash(git:*)"] });
    expect((await p.check("Bash", bash("git status"), { signal })).behavior).toBe("allow");
    expect((await p.check("Bash", bash("git"), { signal })).behavior).toBe("allow");
    expect((await p.check("Bash", bash("gitk"), { signal })).behavior).toBe("deny");
    expect((await p.check("Bash", bash("git status && curl evil.example"), { signal })).behavior).toBe("deny");
  });

  it("Read(src/**) matches project-relative and absolute paths inside src only", async () => {
    const p = policy({ mode: "allow", allow: ["Read(src/**)"] });
    expect((await p.check("Read", { file_path: "src/a/b.ts" }, { signal })).behavior).toBe("allow");
    expect((await p.check("Read", { file_path: "/work/proj/src/x.ts" }, { signal })).behavior).toBe("allow");
    const outside = await p.check("Read", { file_path: "/work/proj/secrets.env" }, { signal });
    expect(outside).toEqual({ behavior: "deny", reason: 'Read is not in --allowed-tools (Read(src/**)); add "Read" to allow it' });
  });

  it("deny always wins: over an allow rule, over allow mode, over a hook's allow and over a prompt", async () => {
    let asked = 0;
    const p = policy({ mode: "allow", allow: ["Bash"], deny: ["Bash(rm:*)"], prompter: async () => (asked++, "once") });
    for (const hookDecision of [undefined, "allow", "ask"] as const) {
      const d = await p.check("Bash", bash("ls && rm -rf build"), { signal, ...(hookDecision ? { hookDecision } : {}) });
      expect(d).toEqual({ behavior: "deny", reason: "Bash is denied by the rule Bash(rm:*)" });
    }
    expect(asked).toBe(0);
  });

  it("mode allow without an allow list approves everything not denied; mcp server prefixes work in rules", async () => {
    const p = policy({ mode: "allow", deny: ["mcp__plugin_x_db"] });
    expect((await p.check("Write", { file_path: "a" }, { signal })).behavior).toBe("allow");
    expect((await p.check("mcp__plugin_x_db__drop", {}, { signal })).behavior).toBe("deny");
    expect(p.deniedByRule("mcp__plugin_x_db__query")?.source).toBe("mcp__plugin_x_db");
  });

  it("mode ask without a terminal denies with a message that says how to allow the call", async () => {
    const d = await policy({}).check("Bash", bash("npm test"), { signal });
    expect(d.behavior).toBe("deny");
    expect(d.reason).toContain('--allowed-tools "Bash(npm:*)"');
    expect(d.reason).toContain("--permission-mode allow");
  });

  it("asks the prompter; an 'always' answer stops later prompts for the suggested rule", async () => {
    const requests: PermissionRequest[] = [];
    const p = policy({ prompter: async (r) => (requests.push(r), "always") });
    expect(await p.check("Bash", bash("git log"), { signal })).toEqual({ behavior: "allow", reason: "the user allowed Bash(git:*) for this session" });
    expect((await p.check("Bash", bash("git diff"), { signal })).behavior).toBe("allow");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ tool: "Bash", suggestedRule: "Bash(git:*)" });
  });

  it("a PreToolUse hook's 'ask' forces a prompt even when an allow rule matches, and a denial is final", async () => {
    const p = policy({ mode: "allow", allow: ["Write"], prompter: async () => "deny" });
    expect(await p.check("Write", { file_path: "a" }, { signal, hookDecision: "ask" })).toEqual({ behavior: "deny", reason: "the user denied Write" });
    expect((await p.check("Write", { file_path: "a" }, { signal })).behavior).toBe("allow");
  });

  it("a sub-agent's policy keeps the parent's lists, adds its own denials, and has a prompter only in bubble mode", async () => {
    const prompter = async () => "once" as const;
    const ask = policy({ prompter }).child({ deny: ["Write"] });
    expect(ask.prompter).toBeUndefined();
    expect((await ask.check("Write", { file_path: "a" }, { signal })).reason).toBe("Write is denied by the rule Write");
    const denied = await ask.check("Bash", bash("ls"), { signal, agent: "p:reviewer" });
    expect(denied.reason).toContain("the sub-agent p:reviewer cannot ask for permission (use --permission-mode bubble");
    const bubble = policy({ mode: "bubble", prompter }).child({});
    expect((await bubble.check("Bash", bash("ls"), { signal, agent: "p:reviewer" })).behavior).toBe("allow");
  });
});
