// Figures for the overview page. Every figure comes with the client-list filter that drills into it.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db, Prisma } from "../db";
import { AGE_BUCKETS, AUTH_METHODS } from "../clients/schema";
import { ageBucketRange } from "../clients/queries";
import { getSettings } from "../settings";
import { DAY_MS, validSecretWhere } from "../secrets/status";

const LISTED: Prisma.ClientWhereInput = { status: { in: ["active", "disabled"] } };

/**
 * Clients with a valid current secret, per age bucket, in one pass over the client table (five
 * separate counts cost five scans at 100,000 clients). The same conditions as clientListWhere's
 * `age` filter: status listed, current secret unexpired, created inside the bucket's range.
 */
async function secretAgeHistogram(now: Date): Promise<number[]> {
  const sums = AGE_BUCKETS.map((b, i) => {
    const range = ageBucketRange(b.id, now);
    const lower = range.gt ? Prisma.sql`"secretCreatedAt" > ${range.gt} AND ` : Prisma.empty;
    return Prisma.sql`SUM(CASE WHEN ${lower}"secretCreatedAt" <= ${range.lte} THEN 1 ELSE 0 END) AS ${Prisma.raw(`b${i}`)}`;
  });
  const [row] = await db().$queryRaw<Record<string, number | bigint | null>[]>(Prisma.sql`
    SELECT ${Prisma.join(sums)}
    FROM "Client"
    WHERE "status" IN ('active', 'disabled')
      AND "secretCreatedAt" IS NOT NULL
      AND ("secretExpiresAt" IS NULL OR "secretExpiresAt" > ${now})`);
  return AGE_BUCKETS.map((_, i) => Number(row?.[`b${i}`] ?? 0));
}

export async function overview(actor: Actor, now: Date = new Date()) {
  assertCan(actor, "client.read");
  const { "secret.expiringSoonDays": expiringDays } = await getSettings();
  // The age histogram and the expiring list count each client's current secret, exactly as the client
  // list filters them, so every figure equals the length of the list it links to.
  const expiringWhere: Prisma.ClientWhereInput = { AND: [LISTED, { secretExpiresAt: { gt: now, lte: new Date(now.getTime() + expiringDays * DAY_MS) } }] };
  const clientRef = { id: true, clientId: true, name: true, environment: true } as const;

  const [byMethod, byStatus, ageCounts, oldest, expiring, expiringCount] = await Promise.all([
    db().client.groupBy({ by: ["authMethod"], where: LISTED, _count: { _all: true } }),
    db().client.groupBy({ by: ["status"], where: LISTED, _count: { _all: true } }),
    secretAgeHistogram(now),
    // the oldest secrets still valid, including one rotating out: a reviewer wants to see those too
    db().clientSecret.findMany({
      where: validSecretWhere(now),
      orderBy: { createdAt: "asc" },
      take: 10,
      select: { id: true, hint: true, createdAt: true, expiresAt: true, rotatedAt: true, lastUsedAt: true, client: { select: clientRef } },
    }),
    db().client.findMany({ where: expiringWhere, orderBy: [{ secretExpiresAt: "asc" }, { id: "asc" }], take: 10, select: { ...clientRef, secretExpiresAt: true } }),
    db().client.count({ where: expiringWhere }),
  ]);
  const methodCount = new Map(byMethod.map((m) => [m.authMethod, m._count._all]));
  const statusCount = new Map(byStatus.map((s) => [s.status, s._count._all]));
  return {
    totals: {
      clients: (statusCount.get("active") ?? 0) + (statusCount.get("disabled") ?? 0),
      active: statusCount.get("active") ?? 0,
      disabled: statusCount.get("disabled") ?? 0,
      withValidSecret: ageCounts.reduce((a, b) => a + b, 0),
    },
    byMethod: AUTH_METHODS.map((method) => ({ method, count: methodCount.get(method) ?? 0, href: `/clients?method=${method}` })),
    secretAges: AGE_BUCKETS.map((b, i) => ({ bucket: b.id, label: b.label, count: ageCounts[i], href: `/clients?age=${encodeURIComponent(b.id)}` })),
    oldest,
    expiring: { days: expiringDays, count: expiringCount, rows: expiring, href: `/clients?expiring=${expiringDays}` },
  };
}

export type Overview = Awaited<ReturnType<typeof overview>>;
