// The replay store for client assertions: (client, jti) is unique in the database, so a jti is
// accepted once across every instance sharing it. Entries are kept until the assertion's exp plus the
// clock skew (after that the assertion is refused as expired anyway) and then pruned.
import { db } from "../db";
import { hotPath } from "../db/hot-path";

/** True when this jti was not seen for this client before; the reservation is committed on return. */
export function reserveJti(clientDbId: string, jti: string, expiresAt: Date): Promise<boolean> {
  return hotPath().reserveJti(clientDbId, jti, expiresAt);
}

const PRUNE_EVERY_MS = 60_000;
let lastPrune = 0;

/** Deletes expired reservations, at most once a minute per instance. */
export async function pruneUsedAssertions(now = new Date()): Promise<number> {
  if (now.getTime() - lastPrune < PRUNE_EVERY_MS) return 0;
  lastPrune = now.getTime();
  const { count } = await db().usedAssertion.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
