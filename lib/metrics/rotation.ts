// The rotation health dashboard: what expires soon (secrets, keys, certificates), keys nobody uses,
// retiring keys still signing, jwks_uri health and break-glass secrets alive. Counts are database
// aggregates; lists are the top N; client counts use the client list's own filters (see secret-age.ts).
import type { Actor } from "../auth/actor";
import { breakGlassAliveWhere, jwksHealthWhere, retiringInUseWhere, unusedKeyWhere, type JwksHealthFilter } from "../keys/conditions";
import { assertCan } from "../auth/guard";
import { clientListWhere } from "../clients/queries";
import { ClientListQuerySchema } from "../clients/schema";
import { db, type Prisma } from "../db";
import { unhealthyJwksUris } from "../keys/queries";
import { DAY_MS } from "../secrets/status";
import { getSettings } from "../settings";
import { clientsHref, countClientsWithKey, DASHBOARD_TOP, LISTED, listedFigure } from "./secret-age";

/** The expiry windows shown side by side; both edges inclusive of the window's end, exclusive of now. */
export const EXPIRY_WINDOWS = [7, 30] as const;
/** An active key no assertion used for this long (or never) is a candidate to retire. */
export const UNUSED_KEY_DAYS = 90;
/** A retiring key that verified an assertion this recently is still in use: its client has not switched. */
export const RETIRING_IN_USE_DAYS = 7;

const clientRef = { select: { id: true, clientId: true, name: true, environment: true } } as const;
const keyRow = { id: true, kid: true, kty: true, alg: true, source: true, status: true, expiresAt: true, retiringUntil: true, lastUsedAt: true, createdAt: true, certificate: true, client: clientRef } as const;

function shapeKey({ certificate, ...key }: Prisma.ClientKeyGetPayload<{ select: typeof keyRow }>) {
  // only whether it is a certificate: the certificate's details belong to the client page
  return { ...key, isCertificate: certificate !== null };
}
export type KeyRow = ReturnType<typeof shapeKey>;

const within = (now: Date, days: number) => ({ gt: now, lte: new Date(now.getTime() + days * DAY_MS) });

/** Clients whose current secret expires within each window, and the soonest within the widest. */
export async function expiringSecrets(actor: Actor, now: Date, limit = DASHBOARD_TOP) {
  assertCan(actor, "client.read");
  const widest = EXPIRY_WINDOWS[EXPIRY_WINDOWS.length - 1];
  const [windows, rows] = await Promise.all([
    Promise.all(EXPIRY_WINDOWS.map(async (days) => ({ days, clients: await listedFigure({ expiring: days }, now) }))),
    db().client.findMany({
      where: clientListWhere(ClientListQuerySchema.parse({ expiring: widest }), now),
      orderBy: [{ secretExpiresAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, clientId: true, name: true, environment: true, secretExpiresAt: true },
    }),
  ]);
  return { windows, widest, rows };
}

/** Keys and certificates (keys that came with one) expiring within each window; retired keys left out. */
export async function expiringKeyFigures(actor: Actor, now: Date, limit = DASHBOARD_TOP) {
  assertCan(actor, "client.read");
  // the conditions of the client list's keysExpiring filter and of lib/keys/queries expiringKeys
  const where = (days: number): Prisma.ClientKeyWhereInput => ({ status: { not: "retired" }, expiresAt: within(now, days), client: LISTED });
  const widest = EXPIRY_WINDOWS[EXPIRY_WINDOWS.length - 1];
  const [windows, rows] = await Promise.all([
    Promise.all(
      EXPIRY_WINDOWS.map(async (days) => {
        const [keys, certificates, clients] = await Promise.all([
          db().clientKey.count({ where: where(days) }),
          db().clientKey.count({ where: { AND: [where(days), { certificate: { not: null } }] } }),
          countClientsWithKey(where(days)).then((count) => ({ count, href: clientsHref({ keysExpiring: days }) })),
        ]);
        return { days, keys, certificates, clients };
      }),
    ),
    db().clientKey.findMany({ where: where(widest), orderBy: [{ expiresAt: "asc" }, { id: "asc" }], take: limit, select: keyRow }),
  ]);
  return { windows, widest, rows: rows.map(shapeKey) };
}

/** Keys counted and listed with the number of distinct clients holding one, both in the database. */
async function keyFigure(where: Prisma.ClientKeyWhereInput, orderBy: Prisma.ClientKeyOrderByWithRelationInput[], limit: number) {
  const [keys, clients, rows] = await Promise.all([
    db().clientKey.count({ where: { AND: [where, { client: LISTED }] } }),
    countClientsWithKey(where),
    db().clientKey.findMany({ where: { AND: [where, { client: LISTED }] }, orderBy, take: limit, select: keyRow }),
  ]);
  return { keys, clients, rows: rows.map(shapeKey) };
}

export async function unusedKeys(actor: Actor, now: Date, limit = DASHBOARD_TOP) {
  assertCan(actor, "client.read");
  return { days: UNUSED_KEY_DAYS, ...(await keyFigure(unusedKeyWhere(now, UNUSED_KEY_DAYS), [{ lastUsedAt: { sort: "asc", nulls: "first" } }, { createdAt: "asc" }, { id: "asc" }], limit)) };
}

export async function retiringKeysInUse(actor: Actor, now: Date, limit = DASHBOARD_TOP) {
  assertCan(actor, "client.read");
  return { days: RETIRING_IN_USE_DAYS, ...(await keyFigure(retiringInUseWhere(now, RETIRING_IN_USE_DAYS), [{ retiringUntil: "asc" }, { id: "asc" }], limit)) };
}

/**
 * jwks_uri clients per health, the conditions of lib/keys/jwks-uri.ts jwksHealth in the database:
 * never fetched well → failing; no failure since the last good fetch → healthy; failing for longer
 * than the staleness limit → failing; otherwise degraded (the cached key set still serves).
 */
export async function jwksUriHealth(actor: Actor, now: Date, limit = DASHBOARD_TOP) {
  assertCan(actor, "client.read");
  const hours = (await getSettings())["jwks.maxStalenessHours"];
  const count = (health: JwksHealthFilter) => db().client.count({ where: { AND: [LISTED, jwksHealthWhere(health, now, hours)] } });
  const [healthy, degraded, failing, unhealthy] = await Promise.all([count("healthy"), count("degraded"), count("failing"), unhealthyJwksUris(actor)]);
  return { healthy, degraded, failing, total: healthy + degraded + failing, rows: unhealthy.slice(0, limit) };
}

/** Break-glass secrets still valid (not revoked, not expired): emergencies, each one worth a look. */
export async function breakGlassSecrets(actor: Actor, now: Date, limit = DASHBOARD_TOP) {
  assertCan(actor, "client.read");
  // a live break-glass secret is valid, so its client is listed (lib/metrics/secret-age.ts listedValidSecrets)
  const where: Prisma.ClientSecretWhereInput = breakGlassAliveWhere(now);
  const [count, rows] = await Promise.all([
    db().clientSecret.count({ where }),
    db().clientSecret.findMany({
      where,
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, hint: true, createdAt: true, expiresAt: true, lastUsedAt: true, client: { select: { ...clientRef.select, breakGlassUntil: true } } },
    }),
  ]);
  return { count, rows };
}

export async function rotationDashboard(actor: Actor, now: Date = new Date()) {
  assertCan(actor, "client.read");
  const [secrets, keys, unused, retiring, jwks, breakGlass] = await Promise.all([
    expiringSecrets(actor, now),
    expiringKeyFigures(actor, now),
    unusedKeys(actor, now),
    retiringKeysInUse(actor, now),
    jwksUriHealth(actor, now),
    breakGlassSecrets(actor, now),
  ]);
  return { secrets, keys, unused, retiring, jwks, breakGlass };
}

export type RotationDashboard = Awaited<ReturnType<typeof rotationDashboard>>;
