import type { Settings } from "../../schemas/settings.js";
import type { SandboxMode } from "./plugin-process-spec.js";

export interface SandboxModeSources {
  /** --no-sandbox on the command line */
  noSandbox?: boolean;
  /** the user's own settings (~/.agent/settings.json) */
  userSettings?: Settings;
  /** project and local settings (<project>/.agent/settings*.json): a checked-out repo may not turn the sandbox off */
  projectSettings?: Settings[];
}

export interface SandboxModeDecision {
  mode: SandboxMode;
  /** where "off" came from, for the warning printed on every start */
  offBy?: "--no-sandbox" | "user settings";
  /** a project asked for sandbox "off" and was ignored */
  ignoredProjectOff: boolean;
}

/**
 * Whether plugin processes run sandboxed. Only the user can turn the sandbox off (--no-sandbox or
 * "sandbox": "off" in user settings): a project's settings travel with a cloned repository, so a
 * hostile repo could otherwise disable the sandbox for the plugins it ships or enables.
 */
export function decideSandboxMode(sources: SandboxModeSources): SandboxModeDecision {
  const ignoredProjectOff = (sources.projectSettings ?? []).some((s) => s.sandbox === "off");
  if (sources.noSandbox) return { mode: "off", offBy: "--no-sandbox", ignoredProjectOff };
  if (sources.userSettings?.sandbox === "off") return { mode: "off", offBy: "user settings", ignoredProjectOff };
  return { mode: "auto", ignoredProjectOff };
}

/** The warnings for a decision: one for "off" (printed on every start), one for an ignored project "off". */
export function sandboxModeWarnings(decision: SandboxModeDecision): string[] {
  const lines: string[] = [];
  if (decision.mode === "off")
    lines.push(`the plugin sandbox is OFF (${decision.offBy}): plugin processes can read your files and secrets and use the network`);
  if (decision.ignoredProjectOff)
    lines.push('this project\'s settings ask for "sandbox": "off"; ignored — only your user settings or --no-sandbox can turn the sandbox off');
  return lines;
}
