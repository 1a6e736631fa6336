// The secret age dashboard: how old the clients' secrets are per environment against the policy's
// maximum, who breaches the policy (per owner team and environment), which secrets nobody uses and which
// came from an imported inventory. Every count is a database aggregate; every list is the top N.
// A figure that counts clients is computed with the client list's own filter (clientListWhere), so it
// equals the length of the list its link opens.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { ageBucketRange, clientListWhere, currentSecretValid } from "../clients/queries";
import { AGE_BUCKETS, CLIENT_STATUSES, ClientListQuerySchema, ENVIRONMENTS, SECRET_METHODS, type Environment } from "../clients/schema";
import { db, Prisma } from "../db";
import { keysRequired, policyOf } from "../policy";
import { DAY_MS, validSecretWhere } from "../secrets/status";
import { getSettings } from "../settings";

/** Rows in a dashboard table; its link opens the full filtered list. */
export const DASHBOARD_TOP = 20;
/** Rows in a CSV export of a list table. */
export const DASHBOARD_EXPORT_LIMIT = 10_000;
/** A valid secret nobody authenticated with for this long is a candidate to revoke. */
export const UNUSED_SECRET_DAYS = 90;

export const LISTED: Prisma.ClientWhereInput = { status: { in: [...CLIENT_STATUSES] } };

export type ListFilter = Record<string, string | number>;
export type Figure = { count: number; href: string };

const asParams = (filter: ListFilter) => new URLSearchParams(Object.entries(filter).map(([k, v]) => [k, String(v)]));

export function clientsHref(filter: ListFilter): string {
  const query = asParams(filter).toString();
  return query ? `/clients?${query}` : "/clients";
}

/** How many clients the client list shows for `filter`: its query string parsed and counted as the page does. */
export async function listedFigure(filter: ListFilter, now: Date): Promise<Figure> {
  const query = ClientListQuerySchema.parse(Object.fromEntries(asParams(filter)));
  const count = await db().client.count({ where: clientListWhere(query, now) });
  return { count, href: clientsHref(filter) };
}

/**
 * How many listed clients hold a valid secret matching `where` (which holds validSecretWhere), with the
 * link to the client-list filter that shows exactly them (the same conditions as that filter's
 * secrets-some). Counted from the secrets' side, one group per client, read from an index: the list's
 * EXISTS filter would probe all 100,000 clients on SQLite. A valid secret's client is always listed
 * (see listedValidSecrets).
 */
async function clientsWithSecret(where: Prisma.ClientSecretWhereInput, filter: ListFilter): Promise<Figure> {
  const groups = await db().clientSecret.groupBy({ by: ["clientId"], where });
  return { count: groups.length, href: clientsHref(filter) };
}

/** The same count for keys (the keysExpiring, keysUnused and retiringInUse filters), of listed clients. */
export async function countClientsWithKey(where: Prisma.ClientKeyWhereInput): Promise<number> {
  return (await db().clientKey.groupBy({ by: ["clientId"], where: { AND: [where, { client: LISTED }] } })).length;
}

const clientRef = { select: { id: true, clientId: true, name: true, environment: true } } as const;
const secretRow = { id: true, hint: true, external: true, createdAt: true, expiresAt: true, rotatedAt: true, lastUsedAt: true, client: clientRef } as const;
export type SecretRow = Prisma.ClientSecretGetPayload<{ select: typeof secretRow }>;

/**
 * Valid secrets of listed clients. Deleting a client revokes every secret of it in the same transaction
 * (lib/clients/commands.ts deleteClient), so a valid secret's client is listed: the condition on the
 * secret alone is read from an index, where also reading each secret's client cost the dashboard a
 * client lookup per secret (tens of thousands of them for the unused secrets). A test holds the rule.
 */
const listedValidSecrets = (now: Date): Prisma.ClientSecretWhereInput => validSecretWhere(now);

/**
 * Clients' current valid secrets per environment and age bucket, one grouped pass over the client table.
 * The same conditions as the client list's `age` filter (the overview's histogram, split by environment).
 */
export async function secretAgeHistogram(actor: Actor, now: Date) {
  assertCan(actor, "client.read");
  const sums = AGE_BUCKETS.map((b, i) => {
    const range = ageBucketRange(b.id, now);
    const lower = range.gt ? Prisma.sql`"secretCreatedAt" > ${range.gt} AND ` : Prisma.empty;
    return Prisma.sql`SUM(CASE WHEN ${lower}"secretCreatedAt" <= ${range.lte} THEN 1 ELSE 0 END) AS ${Prisma.raw(`b${i}`)}`;
  });
  const [groups, settings] = await Promise.all([
    db().$queryRaw<Record<string, string | number | bigint | null>[]>(Prisma.sql`
      SELECT "environment", ${Prisma.join(sums)}
      FROM "Client"
      WHERE "status" IN ('active', 'disabled')
        AND "secretCreatedAt" IS NOT NULL
        AND ("secretExpiresAt" IS NULL OR "secretExpiresAt" > ${now})
      GROUP BY "environment"`),
    getSettings(),
  ]);
  const policy = policyOf(settings);
  return ENVIRONMENTS.map((environment) => {
    const group = groups.find((g) => g.environment === environment);
    const buckets = AGE_BUCKETS.map((b, i) => ({
      bucket: b.id,
      label: b.label,
      minDays: b.minDays,
      maxDays: b.maxDays,
      count: Number(group?.[`b${i}`] ?? 0),
      href: clientsHref({ environment, age: b.id }),
    }));
    // 0 means the environment has no maximum: no policy line
    const maxAgeDays = policy.maxSecretAgeDays[environment] || null;
    return { environment, maxAgeDays, buckets, total: buckets.reduce((sum, b) => sum + b.count, 0) };
  });
}

/** The oldest valid secrets, including ones rotating out (a reviewer wants to see those too). */
export async function oldestSecrets(actor: Actor, now: Date, limit = DASHBOARD_TOP): Promise<SecretRow[]> {
  assertCan(actor, "client.read");
  return db().clientSecret.findMany({ where: listedValidSecrets(now), orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit, select: secretRow });
}

/**
 * Policy breaches per owner team and environment, counted as the client page counts them
 * (lib/policy clientBreaches): a client on a secret whose current valid secret is older than its
 * environment's maximum; a client still on a secret where private_key_jwt is required by now.
 */
export async function secretBreaches(actor: Actor, now: Date) {
  assertCan(actor, "client.read");
  const policy = policyOf(await getSettings());
  const limited = ENVIRONMENTS.filter((e) => policy.maxSecretAgeDays[e] > 0);
  const required = ENVIRONMENTS.filter((e) => keysRequired(policy, e, now));
  const onSecret: Prisma.ClientWhereInput = { authMethod: { in: [...SECRET_METHODS] } };
  const tooOldWhere: Prisma.ClientWhereInput = {
    AND: [LISTED, onSecret, currentSecretValid(now), { OR: limited.map((environment) => ({ environment, secretCreatedAt: { lt: new Date(now.getTime() - policy.maxSecretAgeDays[environment] * DAY_MS) } })) }],
  };
  const [tooOld, afterRequired] = await Promise.all([
    limited.length ? db().client.groupBy({ by: ["ownerTeamId", "environment"], where: tooOldWhere, _count: { _all: true } }) : [],
    required.length ? db().client.groupBy({ by: ["ownerTeamId", "environment"], where: { AND: [LISTED, onSecret, { environment: { in: required } }] }, _count: { _all: true } }) : [],
  ]);
  const key = (g: { ownerTeamId: string; environment: string }) => `${g.ownerTeamId} ${g.environment}`;
  const cells = new Map<string, { teamId: string; environment: Environment }>();
  for (const g of [...tooOld, ...afterRequired]) cells.set(key(g), { teamId: g.ownerTeamId, environment: g.environment as Environment });
  const teams = await db().team.findMany({ where: { id: { in: [...new Set([...cells.values()].map((c) => c.teamId))] } }, select: { id: true, name: true } });
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const count = (groups: typeof tooOld, k: string) => groups.find((g) => key(g) === k)?._count._all ?? 0;

  const rows = [...cells].map(([k, { teamId, environment }]) => {
    const base = { environment, team: teamId };
    const maxAgeDays = policy.maxSecretAgeDays[environment];
    return {
      team: { id: teamId, name: teamName.get(teamId) ?? teamId },
      environment,
      maxAgeDays: maxAgeDays || null,
      tooOld: maxAgeDays > 0 ? { count: count(tooOld, k), href: clientsHref({ ...base, olderThan: maxAgeDays, onSecret: 1 }) } : null,
      afterRequired: required.includes(environment) ? { count: count(afterRequired, k), href: clientsHref({ ...base, onSecret: 1 }) } : null,
    };
  });
  rows.sort((a, b) => (b.tooOld?.count ?? 0) + (b.afterRequired?.count ?? 0) - ((a.tooOld?.count ?? 0) + (a.afterRequired?.count ?? 0)) || a.team.name.localeCompare(b.team.name) || a.environment.localeCompare(b.environment));
  const totals = ENVIRONMENTS.map((environment) => ({
    environment,
    maxAgeDays: policy.maxSecretAgeDays[environment] || null,
    requiredSince: required.includes(environment) ? policy.requiredMethod[environment].from : null,
    tooOld: limited.includes(environment)
      ? { count: tooOld.filter((g) => g.environment === environment).reduce((s, g) => s + g._count._all, 0), href: clientsHref({ environment, olderThan: policy.maxSecretAgeDays[environment], onSecret: 1 }) }
      : null,
    afterRequired: required.includes(environment)
      ? { count: afterRequired.filter((g) => g.environment === environment).reduce((s, g) => s + g._count._all, 0), href: clientsHref({ environment, onSecret: 1 }) }
      : null,
  }));
  return { rows, totals };
}

/** Valid secrets created, and not used, in the last `days` days: candidates to revoke. */
export async function unusedSecrets(actor: Actor, now: Date, limit = DASHBOARD_TOP) {
  assertCan(actor, "client.read");
  const since = new Date(now.getTime() - UNUSED_SECRET_DAYS * DAY_MS);
  const where: Prisma.ClientSecretWhereInput = { AND: [listedValidSecrets(now), { createdAt: { lt: since } }, { OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: since } }] }] };
  const [secrets, clients, rows] = await Promise.all([
    db().clientSecret.count({ where }),
    clientsWithSecret(where, { unused: UNUSED_SECRET_DAYS }),
    db().clientSecret.findMany({ where, orderBy: [{ lastUsedAt: { sort: "asc", nulls: "first" } }, { createdAt: "asc" }, { id: "asc" }], take: limit, select: secretRow }),
  ]);
  return { days: UNUSED_SECRET_DAYS, secrets, clients, rows };
}

/** Valid secrets recorded from an imported inventory: Keyshift never saw their value. */
export async function externalSecrets(actor: Actor, now: Date, limit = DASHBOARD_TOP) {
  assertCan(actor, "client.read");
  const where: Prisma.ClientSecretWhereInput = { AND: [listedValidSecrets(now), { external: true }] };
  const [secrets, clients, rows] = await Promise.all([
    db().clientSecret.count({ where }),
    clientsWithSecret(where, { external: 1 }),
    db().clientSecret.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit, select: secretRow }),
  ]);
  return { secrets, clients, rows };
}

export async function secretAgeDashboard(actor: Actor, now: Date = new Date()) {
  assertCan(actor, "client.read");
  const [histogram, oldest, breaches, unused, external] = await Promise.all([
    secretAgeHistogram(actor, now),
    oldestSecrets(actor, now),
    secretBreaches(actor, now),
    unusedSecrets(actor, now),
    externalSecrets(actor, now),
  ]);
  return { histogram, oldest: { rows: oldest, href: clientsHref({ sort: "secretCreatedAt", dir: "asc" }) }, breaches, unused, external };
}

export type SecretAgeDashboard = Awaited<ReturnType<typeof secretAgeDashboard>>;
