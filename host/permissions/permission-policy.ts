import type { PermissionDecision, PermissionPrompter, PermissionRequestAnswer } from "./permission-decision.js";
import { parsePermissionRules, ruleMatches, suggestRule, type PermissionRule } from "./permission-rule.js";

export type PermissionMode = "ask" | "bubble" | "allow";
export const permissionModes: readonly PermissionMode[] = ["ask", "bubble", "allow"];

export interface PermissionPolicyOptions {
  mode: PermissionMode;
  allow?: string[];
  deny?: string[];
  projectDir: string;
  /** how to ask a person; absent when nobody can answer (no TTY) */
  prompter?: PermissionPrompter;
  /** tools that never need a prompt (host-core tools such as Skill) unless a deny rule names them */
  trusted?: ReadonlySet<string>;
}

/**
 * Decides whether a tool call may run. Order: a deny rule always wins; then an allow rule (from
 * --allowed-tools or an "always" answer); then a PreToolUse hook's "allow"; then the mode: `allow`
 * approves what no allow list restricts; `ask` and `bubble` allow what a loaded skill's `allowed-tools`
 * covers, then run the PermissionRequest hooks (which may allow, with a changed input, or deny) and
 * then ask the prompter — and with no prompter
 * (no TTY) deny with a message saying how to allow the call.
 */
export class PermissionPolicy {
  readonly mode: PermissionMode;
  private readonly deny: PermissionRule[];
  private readonly allow: PermissionRule[];
  private readonly granted: PermissionRule[] = [];
  /** rules from the `allowed-tools` of skills loaded in this session, each with the skill that brought it */
  private readonly skillGrants: { rule: PermissionRule; skill: string }[] = [];

  constructor(private readonly options: PermissionPolicyOptions) {
    this.mode = options.mode;
    this.deny = parsePermissionRules(options.deny ?? []);
    this.allow = parsePermissionRules(options.allow ?? []);
  }

  get prompter(): PermissionPrompter | undefined {
    return this.options.prompter;
  }

  /** A policy for a sub-agent: the parent's lists plus its own, and a prompter only in bubble mode. */
  child(extra: { allow?: string[]; deny?: string[] }): PermissionPolicy {
    return new PermissionPolicy({
      ...this.options,
      allow: [...(this.options.allow ?? []), ...(extra.allow ?? [])],
      deny: [...(this.options.deny ?? []), ...(extra.deny ?? [])],
      ...(this.mode === "bubble" ? {} : { prompter: undefined }),
    });
  }

  /**
   * A loaded skill's `allowed-tools`: calls they match run without a prompt for the rest of the session
   * (as in Claude Code). They only stand in for a prompt: deny rules still win, and they never widen an
   * --allowed-tools list in allow mode.
   */
  grantForSkill(skill: string, rules: string[]): void {
    let parsed: PermissionRule[];
    try {
      parsed = parsePermissionRules(rules);
    } catch {
      return; // a malformed allowed-tools grants nothing
    }
    for (const rule of parsed) this.skillGrants.push({ rule, skill });
  }

  /** Denied outright by a deny rule (used to hide tools a session may never call). */
  deniedByRule(tool: string): PermissionRule | undefined {
    return this.deny.find((r) => r.specifier === undefined && ruleMatches(r, tool, {}, this.options.projectDir, "any-part"));
  }

  async check(
    tool: string,
    input: Record<string, unknown>,
    context: { hookDecision?: "allow" | "ask"; agent?: string; signal: AbortSignal; permissionRequest?: (suggestedRule: string) => Promise<PermissionRequestAnswer> },
  ): Promise<PermissionDecision> {
    const dir = this.options.projectDir;
    const denied = this.deny.find((r) => ruleMatches(r, tool, input, dir, "any-part"));
    if (denied) return { behavior: "deny", reason: `${tool} is denied by the rule ${denied.source}` };
    if (context.hookDecision !== "ask") {
      const allowed = [...this.allow, ...this.granted].find((r) => ruleMatches(r, tool, input, dir, "every-part"));
      if (allowed) return { behavior: "allow", reason: `allowed by the rule ${allowed.source}` };
      if (this.options.trusted?.has(tool)) return { behavior: "allow", reason: `${tool} is part of the host` };
      if (context.hookDecision === "allow") return { behavior: "allow", reason: "allowed by a PreToolUse hook" };
      if (this.mode === "allow") {
        if (this.allow.length === 0) return { behavior: "allow", reason: "permission mode allow" };
        return { behavior: "deny", reason: `${tool} is not in --allowed-tools (${this.allow.map((r) => r.source).join(", ")}); add "${suggestRule(tool, input)}" to allow it` };
      }
    }
    const bySkill = this.skillGrants.find((g) => ruleMatches(g.rule, tool, input, dir, "every-part"));
    if (bySkill) return { behavior: "allow", reason: `allowed by the skill ${bySkill.skill} (allowed-tools: ${bySkill.rule.source})` };
    const rule = suggestRule(tool, input);
    const hooked = await context.permissionRequest?.(rule);
    if (hooked?.decision === "deny" || hooked?.decision === "block") return { behavior: "deny", reason: hooked.reason ?? `a PermissionRequest hook denied ${tool}` };
    if (hooked?.decision === "allow") return { behavior: "allow", reason: hooked.reason ?? "allowed by a PermissionRequest hook", ...(hooked.updatedInput ? { updatedInput: hooked.updatedInput } : {}) };
    const prompter = this.options.prompter;
    if (!prompter) {
      const who = context.agent ? `the sub-agent ${context.agent} cannot ask for permission (use --permission-mode bubble to forward its prompts)` : "nobody can be asked for permission (stdin is not a terminal)";
      return { behavior: "deny", reason: `${tool} needs permission and ${who}; to allow it, pass --allowed-tools "${rule}" or --permission-mode allow` };
    }
    const answer = await prompter({ tool, input, suggestedRule: rule, ...(context.agent ? { agent: context.agent } : {}) }, context.signal);
    if (answer === "deny") return { behavior: "deny", reason: `the user denied ${tool}` };
    if (answer === "always") this.granted.push(...parsePermissionRules([rule]));
    return { behavior: "allow", reason: answer === "always" ? `the user allowed ${rule} for this session` : "the user allowed it once" };
  }
}
