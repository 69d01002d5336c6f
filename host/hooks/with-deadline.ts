/** How a piece of hook work ended: its value, or the error that stopped it (timed out, aborted, or failed). */
export type DeadlineResult<T> = { ok: true; value: T } | { ok: false; error: unknown; timedOut: boolean; aborted: boolean };

/**
 * Runs hook work that is not a process (an MCP tool call, a model request) with a signal that aborts when
 * the caller's does or after `timeoutMs`, and stops waiting for it then even if the work ignores its signal.
 */
export async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, timeoutMs: number, signal: AbortSignal): Promise<DeadlineResult<T>> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, timeoutMs);
  try {
    if (signal.aborted) stop.abort();
    const stopped = new Promise<never>((_, reject) => stop.signal.addEventListener("abort", () => reject(new Error("stopped")), { once: true }));
    stopped.catch(() => {});
    return { ok: true, value: await Promise.race([work(stop.signal), stopped]) };
  } catch (error) {
    return { ok: false, error, timedOut, aborted: signal.aborted };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}
