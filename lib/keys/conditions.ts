// Conditions on keys and jwks_uri clients shared by the dashboards and the client list's drill-down
// filters, so a figure and the list its link opens always count the same rows.
import type { Prisma } from "../db";

const DAY_MS = 86_400_000;

/** Keys active now (a scheduled key whose date came counts) that are not new and signed nothing for `days` days. */
export function unusedKeyWhere(now: Date, days: number): Prisma.ClientKeyWhereInput {
  const since = new Date(now.getTime() - days * DAY_MS);
  return {
    AND: [
      { status: { in: ["active", "scheduled"] } },
      { OR: [{ notBefore: null }, { notBefore: { lte: now } }] },
      { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      { createdAt: { lt: since } },
      { OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: since } }] },
    ],
  };
}

/** Retiring keys still accepted that verified an assertion in the last `days` days: their client has not switched. */
export function retiringInUseWhere(now: Date, days: number): Prisma.ClientKeyWhereInput {
  return { status: "retiring", retiringUntil: { gt: now }, lastUsedAt: { gte: new Date(now.getTime() - days * DAY_MS) } };
}

export type JwksHealthFilter = "healthy" | "degraded" | "failing";

/** jwks_uri clients of one health, in the database (lib/keys/jwks-uri.ts jwksHealth). */
export function jwksHealthWhere(health: JwksHealthFilter, now: Date, maxStalenessHours: number): Prisma.ClientWhereInput {
  const stale = new Date(now.getTime() - maxStalenessHours * 3_600_000);
  const byHealth: Record<JwksHealthFilter, Prisma.ClientWhereInput> = {
    healthy: { jwksGoodAt: { not: null }, jwksFailures: 0 },
    degraded: { jwksGoodAt: { gte: stale }, jwksFailures: { gt: 0 } },
    failing: { OR: [{ jwksGoodAt: null }, { jwksGoodAt: { lt: stale }, jwksFailures: { gt: 0 } }] },
  };
  return { AND: [{ keySource: "jwks_uri" }, byHealth[health]] };
}

/** A break-glass secret still valid. */
export function breakGlassAliveWhere(now: Date): Prisma.ClientSecretWhereInput {
  return { breakGlass: true, revokedAt: null, expiresAt: { gt: now } };
}
