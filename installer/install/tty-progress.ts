import type { FetchProgress } from "./install-plugins.js";

/**
 * One self-rewriting status line on a terminal while plugins are fetched, copied and verified:
 * `Fetching plugins 2/4 … lib1@mkt`. `finish()` clears it so the summary prints on a clean line.
 * Callers create it only for a TTY stderr without --json; pipes and JSON output stay quiet.
 */
export function ttyProgress(out: NodeJS.WritableStream): { report(event: FetchProgress): void; finish(): void } {
  let shown = false;
  const active = new Set<string>();
  return {
    report(event) {
      if (event.phase === "fetching") active.add(event.id);
      else active.delete(event.id);
      const names = [...active].join(", ");
      out.write(`\r\x1b[2KFetching plugins ${event.done}/${event.total}${names ? ` … ${names}` : ""}`);
      shown = true;
    },
    finish() {
      if (shown) out.write("\r\x1b[2K");
      shown = false;
    },
  };
}
