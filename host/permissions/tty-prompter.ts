import { createInterface } from "node:readline/promises";
import type { PermissionPrompter } from "./permission-decision.js";

/** Asks on the terminal: "y" once, "a" always (for this session, by the suggested rule), anything else denies. */
export function ttyPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): PermissionPrompter {
  return async (request, signal) => {
    const rl = createInterface({ input, output, terminal: true });
    try {
      const who = request.agent ? ` (asked by ${request.agent})` : "";
      const shown = JSON.stringify(request.input);
      const answer = await rl.question(`\nAllow ${request.tool}${who}? ${shown.length > 200 ? shown.slice(0, 200) + "…" : shown}\n  [y] once  [a] always (${request.suggestedRule})  [n] deny: `, { signal });
      const a = answer.trim().toLowerCase();
      return a === "y" || a === "yes" ? "once" : a === "a" || a === "always" ? "always" : "deny";
    } catch {
      return "deny";
    } finally {
      rl.close();
    }
  };
}
