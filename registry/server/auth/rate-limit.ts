/**
 * Counts failed authentications per client address in a sliding window; once an address reaches
 * the limit, further credentialed requests from it get 429 until its oldest failure ages out.
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  blocked(address: string, now = Date.now()): number | undefined {
    const recent = this.recent(address, now);
    if (recent.length < this.limit) return undefined;
    return Math.ceil((recent[0]! + this.windowMs - now) / 1000);
  }

  fail(address: string, now = Date.now()): void {
    const recent = this.recent(address, now);
    recent.push(now);
    this.failures.set(address, recent);
    if (this.failures.size > 10_000) this.prune(now);
  }

  private recent(address: string, now: number): number[] {
    return (this.failures.get(address) ?? []).filter((at) => at > now - this.windowMs);
  }

  private prune(now: number): void {
    for (const [address, times] of this.failures) if (times.every((at) => at <= now - this.windowMs)) this.failures.delete(address);
  }
}
