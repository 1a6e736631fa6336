// When a failed delivery is tried again: exponential back-off from a minute, doubling, capped at an
// hour, so a receiver that is down for a while is not hammered and one that is back soon hears soon.
export const BACKOFF_BASE_SECONDS = 60;
export const BACKOFF_MAX_SECONDS = 3_600;

/** The wait after the n-th failed attempt (n from 1): 60 s, 120 s, 240 s, … at most an hour. */
export function backoffSeconds(failedAttempts: number): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // 2^6 × 60 s already passes the cap; stop there so a large count cannot overflow
  return Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.min(exponent, 6));
}

/** The next attempt after `attempts` failures, or null when they are used up (the delivery fails for good). */
export function nextAttemptAt(now: Date, attempts: number, maxAttempts: number): Date | null {
  if (attempts >= maxAttempts) return null;
  return new Date(now.getTime() + backoffSeconds(attempts) * 1000);
}
