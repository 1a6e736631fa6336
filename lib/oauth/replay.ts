// The replay store for client assertions: (client, jti) is unique in the database, so a jti is
// accepted once across every instance sharing it. Entries are kept until the assertion's exp plus the
// clock skew (after that the assertion is refused as expired anyway) and then pruned.
import { db } from "../db";
import { hotPath } from "../db/hot-path";
import { logUnexpected } from "../log";

/** True when this jti was not seen for this client before; the reservation is committed on return. */
export function reserveJti(clientDbId: string, jti: string, expiresAt: Date): Promise<boolean> {
  return hotPath().reserveJti(clientDbId, jti, expiresAt);
}

const PRUNE_EVERY_MS = 60_000;
let lastPrune = 0;

/** Deletes the reservations whose assertions can no longer be accepted anyway (expired before `now`). */
export async function pruneUsedAssertions(now = new Date()): Promise<number> {
  const { count } = await db().usedAssertion.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}

/**
 * Called on every token request: starts a prune at most once a minute per instance and returns at once,
 * so a request that does not prune pays for no promise.
 */
export function pruneUsedAssertionsWhenDue(now: Date): void {
  if (now.getTime() - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = now.getTime();
  pruneUsedAssertions(now).catch((error: unknown) => logUnexpected(error, "pruning used assertions failed"));
}
