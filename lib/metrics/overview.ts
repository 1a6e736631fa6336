// Figures for the overview page. Every figure comes with the client-list filter that drills into it.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db } from "../db";
import { AGE_BUCKETS, AUTH_METHODS } from "../clients/schema";
import { ageBucketRange } from "../clients/queries";
import { getSettings } from "../settings";
import { DAY_MS, validSecretWhere } from "../secrets/status";

const LISTED = { status: { in: ["active", "disabled"] } };

export async function overview(actor: Actor, now: Date = new Date()) {
  assertCan(actor, "client.read");
  const { "secret.expiringSoonDays": expiringDays } = await getSettings();
  const valid = { ...validSecretWhere(now), client: LISTED };
  const expiringWhere = { ...valid, expiresAt: { gt: now, lte: new Date(now.getTime() + expiringDays * DAY_MS) } };

  const [byMethod, byStatus, ageCounts, oldest, expiring, expiringCount] = await Promise.all([
    db().client.groupBy({ by: ["authMethod"], where: LISTED, _count: { _all: true } }),
    db().client.groupBy({ by: ["status"], where: LISTED, _count: { _all: true } }),
    Promise.all(AGE_BUCKETS.map((b) => db().clientSecret.count({ where: { ...valid, createdAt: ageBucketRange(b.id, now) } }))),
    db().clientSecret.findMany({
      where: valid,
      orderBy: { createdAt: "asc" },
      take: 10,
      select: { id: true, hint: true, createdAt: true, expiresAt: true, lastUsedAt: true, client: { select: { id: true, clientId: true, name: true, environment: true } } },
    }),
    db().clientSecret.findMany({
      where: expiringWhere,
      orderBy: { expiresAt: "asc" },
      take: 10,
      select: { id: true, hint: true, expiresAt: true, rotatedAt: true, client: { select: { id: true, clientId: true, name: true } } },
    }),
    db().clientSecret.count({ where: expiringWhere }),
  ]);
  const methodCount = new Map(byMethod.map((m) => [m.authMethod, m._count._all]));
  const statusCount = new Map(byStatus.map((s) => [s.status, s._count._all]));
  return {
    totals: {
      clients: (statusCount.get("active") ?? 0) + (statusCount.get("disabled") ?? 0),
      active: statusCount.get("active") ?? 0,
      disabled: statusCount.get("disabled") ?? 0,
      validSecrets: ageCounts.reduce((a, b) => a + b, 0),
    },
    byMethod: AUTH_METHODS.map((method) => ({ method, count: methodCount.get(method) ?? 0, href: `/clients?method=${method}` })),
    secretAges: AGE_BUCKETS.map((b, i) => ({ bucket: b.id, label: b.label, count: ageCounts[i], href: `/clients?age=${encodeURIComponent(b.id)}` })),
    oldest,
    expiring: { days: expiringDays, count: expiringCount, rows: expiring, href: `/clients?expiring=${expiringDays}` },
  };
}

export type Overview = Awaited<ReturnType<typeof overview>>;
