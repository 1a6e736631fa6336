// Failed authentications are limited per source address and per client, in fixed one-minute windows,
// in memory (each instance counts its own traffic). A well-behaved client is never slowed: only
// failures count, and an address that authenticated successfully as a client keeps working for that
// client even while someone else's failures hold the client over its limit (otherwise anyone who knows
// a client_id could lock the real client out).

export const WINDOW_MS = 60_000;
export const MAX_FAILURES_PER_ADDRESS = 30;
export const MAX_FAILURES_PER_CLIENT = 60;
const TRUSTED_FOR_MS = 15 * 60_000;
const MAX_ENTRIES = 100_000;

type Window = { start: number; count: number };

export class FailureLimiter {
  private readonly failures = new Map<string, Window>();
  private readonly trusted = new Map<string, number>();
  private readonly refusals = new Map<string, number>();

  constructor(
    private readonly limits = { perAddress: MAX_FAILURES_PER_ADDRESS, perClient: MAX_FAILURES_PER_CLIENT },
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds to wait when the caller is over a limit, or 0 when the request may be checked. */
  retryAfter(clientId: string, address: string): number {
    const now = this.clock();
    const waits = [this.wait(`a:${address}`, this.limits.perAddress, now)];
    const trustedUntil = this.trusted.get(`${clientId}\n${address}`) ?? 0;
    if (trustedUntil <= now) waits.push(this.wait(`c:${clientId}`, this.limits.perClient, now));
    return Math.max(...waits);
  }

  /**
   * True for the first refusal of this client and address in the current window: a flood of refused
   * requests is recorded once per minute, not once per request, so it cannot fill the event table.
   */
  firstRefusal(clientId: string, address: string): boolean {
    const now = this.clock();
    const key = `${clientId}\n${address}`;
    const recorded = this.refusals.get(key);
    if (recorded !== undefined && now - recorded < WINDOW_MS) return false;
    bounded(this.refusals).set(key, now);
    return true;
  }

  recordFailure(clientId: string, address: string): void {
    const now = this.clock();
    this.bump(`a:${address}`, now);
    if (clientId) this.bump(`c:${clientId}`, now);
  }

  recordSuccess(clientId: string, address: string): void {
    bounded(this.trusted).set(`${clientId}\n${address}`, this.clock() + TRUSTED_FOR_MS);
  }

  private wait(key: string, limit: number, now: number): number {
    const window = this.failures.get(key);
    if (!window || now - window.start >= WINDOW_MS || window.count < limit) return 0;
    return Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
  }

  private bump(key: string, now: number): void {
    const window = this.failures.get(key);
    if (window && now - window.start < WINDOW_MS) window.count += 1;
    else bounded(this.failures).set(key, { start: now, count: 1 });
  }
}

/** Drops the oldest entry first once a map is full, so memory stays bounded under a flood of addresses. */
function bounded<V>(map: Map<string, V>): Map<string, V> {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  return map;
}
