import { AgentError } from "../../schemas/errors.js";
import { userConfigKeyPattern } from "../../schemas/names.js";

/** `--config key=value` flags (repeatable) → key → raw text. */
export function parseConfigFlags(flags: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags ?? []) {
    const eq = flag.indexOf("=");
    const key = eq > 0 ? flag.slice(0, eq) : "";
    if (!userConfigKeyPattern.test(key)) {
      throw new AgentError("E_USAGE", `--config "${flag.replace(/=.*/, "=…")}" is not key=value`, {
        hint: "Pass each option as --config KEY=VALUE, e.g. --config retries=3",
        details: { key },
      });
    }
    out[key] = flag.slice(eq + 1);
  }
  return out;
}
