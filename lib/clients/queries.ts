// Reading the client registry. The list filters, sorts and pages in the database on indexed columns
// (secret age and expiry are denormalised onto the client row) so it stays fast at 100,000 clients;
// scripts/bench-registry.ts measures it.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db, Prisma, provider } from "../db";
import { notFound } from "../errors";
import { breakGlassAliveWhere, jwksHealthWhere, retiringInUseWhere, unusedKeyWhere } from "../keys/conditions";
import { DAY_MS } from "../secrets/status";
import { getSettings } from "../settings";
import { AGE_BUCKETS, CLIENT_STATUSES, SECRET_METHODS, type ClientListQuery } from "./schema";

export function ageBucketRange(bucketId: string, now: Date): { gt?: Date; lte?: Date } {
  const bucket = AGE_BUCKETS.find((b) => b.id === bucketId);
  if (!bucket) return {};
  // a secret N days old (ageInDays) was created in (now-(N+1) days, now-N days]: the lower bound is
  // exclusive, so a secret exactly 31 days old falls in one bucket only
  const range: { gt?: Date; lte?: Date } = { lte: new Date(now.getTime() - bucket.minDays * DAY_MS) };
  if (bucket.maxDays !== null) range.gt = new Date(now.getTime() - (bucket.maxDays + 1) * DAY_MS);
  return range;
}

/** The client's current secret is still valid (unexpired; imported secrets may have no expiry). */
export function currentSecretValid(now: Date): Prisma.ClientWhereInput {
  return { secretCreatedAt: { not: null }, OR: [{ secretExpiresAt: null }, { secretExpiresAt: { gt: now } }] };
}

/** What a filter reads from the settings: the jwks_uri staleness limit (default: the setting's default). */
export type ListContext = { jwksMaxStalenessHours?: number };

export function clientListWhere(query: ClientListQuery, now: Date = new Date(), context: ListContext = {}): Prisma.ClientWhereInput {
  return { AND: [query.status ? { status: query.status } : { status: { in: [...CLIENT_STATUSES] } }, ...clientListFilters(query, now, context)] };
}

/** The list's conditions besides status: none means the list is every listed client, in sort order. */
function clientListFilters(query: ClientListQuery, now: Date, context: ListContext = {}): Prisma.ClientWhereInput[] {
  const and: Prisma.ClientWhereInput[] = [];
  if (query.q) and.push({ searchText: { contains: query.q.toLowerCase() } });
  if (query.environment) and.push({ environment: query.environment });
  if (query.team) and.push({ ownerTeamId: query.team });
  if (query.method) and.push({ authMethod: query.method });
  // Age and expiry are those of the client's current secret (the newest unrevoked one, kept on the
  // client row by refreshSecretSummary): what the list shows in its columns, read through an index.
  // A secret rotating out is not the current one; it ends by itself within the overlap window.
  if (query.age) and.push({ secretCreatedAt: ageBucketRange(query.age, now) }, currentSecretValid(now));
  if (query.expiring) and.push({ secretExpiresAt: { gt: now, lte: new Date(now.getTime() + query.expiring * DAY_MS) } });
  if (query.migration === "overdue") and.push({ migrationState: "dual", dualUntil: { lte: now } });
  else if (query.migration) and.push({ migrationState: query.migration });
  // the current secret is older than N days (a policy's maximum age: environment=…&olderThan=N)
  if (query.olderThan) and.push({ secretCreatedAt: { lt: new Date(now.getTime() - query.olderThan * DAY_MS) } }, currentSecretValid(now));
  if (query.onSecret) and.push({ authMethod: { in: [...SECRET_METHODS] } });
  const validSecret: Prisma.ClientSecretWhereInput = { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  if (query.unused) {
    const since = new Date(now.getTime() - query.unused * DAY_MS);
    and.push({ secrets: { some: { AND: [validSecret, { createdAt: { lt: since } }, { OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: since } }] }] } } });
  }
  if (query.external) and.push({ secrets: { some: { AND: [validSecret, { external: true }] } } });
  if (query.keysExpiring) and.push({ keys: { some: { status: { not: "retired" }, expiresAt: { gt: now, lte: new Date(now.getTime() + query.keysExpiring * DAY_MS) } } } });
  if (query.keysUnused) and.push({ keys: { some: unusedKeyWhere(now, query.keysUnused) } });
  if (query.retiringInUse) and.push({ keys: { some: retiringInUseWhere(now, query.retiringInUse) } });
  if (query.jwks) and.push(jwksHealthWhere(query.jwks, now, context.jwksMaxStalenessHours ?? 24));
  if (query.breakGlass) and.push({ secrets: { some: breakGlassAliveWhere(now) } });
  return and;
}

export const clientListSelect = {
  id: true,
  clientId: true,
  name: true,
  environment: true,
  status: true,
  authMethod: true,
  secretCreatedAt: true,
  secretExpiresAt: true,
  lastAuthAt: true,
  createdAt: true,
  ownerTeam: { select: { id: true, name: true } },
} satisfies Prisma.ClientSelect;

export type ClientListRow = Prisma.ClientGetPayload<{ select: typeof clientListSelect }>;

export async function listClients(actor: Actor, query: ClientListQuery, now: Date = new Date()) {
  assertCan(actor, "client.read");
  const context: ListContext = query.jwks ? { jwksMaxStalenessHours: (await getSettings())["jwks.maxStalenessHours"] } : {};
  const where = clientListWhere(query, now, context);
  const skip = (query.page - 1) * query.pageSize;
  const orderBy: Prisma.ClientOrderByWithRelationInput[] = [
    NULLS_LAST_SORTS.includes(query.sort) ? { [query.sort]: { sort: query.dir, nulls: "last" } } : { [query.sort]: query.dir },
    { id: "asc" }, // a total order, so pages never repeat or skip a row
  ];
  const [rows, total] = await Promise.all([
    // Unfiltered, every listed client matches and only the sort index spares sorting them all, which
    // SQLite's planner does not see (pageFromSortIndex); PostgreSQL, analysed in full, reads that index
    // by itself. Filtered lists are left to the planner: it reads a filter's index and sorts the matches.
    provider() === "sqlite" && clientListFilters(query, now, context).length === 0
      ? pageFromSortIndex(query, skip)
      : db().client.findMany({ where, orderBy, skip, take: query.pageSize, select: clientListSelect }),
    db().client.count({ where }),
  ]);
  return { rows, total, page: query.page, pageSize: query.pageSize, pages: Math.max(1, Math.ceil(total / query.pageSize)) };
}

/** Sorts whose clients without a value come last, in either direction. */
const NULLS_LAST_SORTS: readonly ClientListQuery["sort"][] = ["secretCreatedAt", "lastAuthAt"];

/**
 * A page of the unfiltered list on SQLite, in exactly the order of the findMany in listClients. The
 * page's ids are read from the sort column's (column, id, status) index alone, so a deep page costs a
 * walk over index entries instead of sorting every listed client; then only those rows are loaded.
 * INDEXED BY pins that plan: with the sampled statistics the app gathers (PRAGMA optimize) the planner
 * takes status to be selective, reads the status index and sorts all ~100,000 rows (over 200 ms at page
 * 2000), and bound LIMIT and OFFSET values give it nothing better to go on.
 */
async function pageFromSortIndex(query: ClientListQuery, skip: number): Promise<ClientListRow[]> {
  const take = query.pageSize;
  // query.sort is one of CLIENT_SORTS, a column name, never free text
  const column = Prisma.raw(`"${query.sort}"`);
  // Prisma's name for @@index([<sort>, id, status]): if the schema loses it, this fails loudly
  const index = Prisma.raw(`"Client_${query.sort}_id_status_idx"`);
  const listed = Prisma.sql`"status" IN (${Prisma.join(query.status ? [query.status] : [...CLIENT_STATUSES])})`;
  const ids = (condition: Prisma.Sql, order: Prisma.Sql, limit: number, offset: number) =>
    db().$queryRaw<{ id: string }[]>(Prisma.sql`
      SELECT "id" FROM "Client" INDEXED BY ${index} WHERE ${listed} AND ${condition}
      ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`);

  // Descending, the index is read backwards and each run of equal values is sorted by id on the way.
  // SQLite keeps NULLs first in the index, so "nulls last" is two ranges: the clients with a value,
  // then those without (by id), which start where the first range ends.
  const valued = await ids(Prisma.sql`${column} IS NOT NULL`, Prisma.sql`${column} ${Prisma.raw(query.dir === "desc" ? "DESC" : "ASC")}, "id" ASC`, take, skip);
  let page = valued;
  if (valued.length < take && NULLS_LAST_SORTS.includes(query.sort)) {
    const valuedCount = valued.length
      ? skip + valued.length
      : Number((await db().$queryRaw<{ n: number | bigint }[]>(Prisma.sql`
          SELECT COUNT(*) AS "n" FROM "Client" INDEXED BY ${index} WHERE ${listed} AND ${column} IS NOT NULL`))[0].n);
    page = [...valued, ...(await ids(Prisma.sql`${column} IS NULL`, Prisma.sql`"id" ASC`, take - valued.length, Math.max(0, skip - valuedCount)))];
  }
  if (!page.length) return [];
  const rows = await db().client.findMany({ where: { id: { in: page.map((r) => r.id) } }, select: clientListSelect });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return page.flatMap(({ id }) => byId.get(id) ?? []);
}

export async function getClient(actor: Actor, clientDbId: string) {
  assertCan(actor, "client.read");
  const client = await db().client.findUnique({
    where: { id: clientDbId },
    select: {
      id: true,
      clientId: true,
      name: true,
      description: true,
      environment: true,
      status: true,
      authMethod: true,
      acceptedMethods: true,
      grantTypes: true,
      scopes: true,
      resources: true,
      introspection: true,
      audienceCompat: true,
      contactEmail: true,
      keySource: true,
      lastAuthAt: true,
      lastAuthMethod: true,
      disabledAt: true,
      createdAt: true,
      updatedAt: true,
      ownerTeam: { select: { id: true, name: true } },
      // outputs are shaped: the hash never leaves the database layer
      secrets: {
        orderBy: { createdAt: "desc" },
        select: { id: true, hint: true, external: true, createdAt: true, createdById: true, expiresAt: true, revokedAt: true, rotatedAt: true, lastUsedAt: true },
      },
    },
  });
  if (!client || client.status === "deleted") throw notFound("The client");
  const creatorIds = [...new Set(client.secrets.map((s) => s.createdById).filter((id): id is string => !!id))];
  const creators = await db().user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } });
  const emailById = new Map(creators.map((u) => [u.id, u.email]));
  return { ...client, secrets: client.secrets.map((s) => ({ ...s, createdBy: s.createdById ? (emailById.get(s.createdById) ?? "deleted user") : "system" })) };
}

export type ClientDetail = Awaited<ReturnType<typeof getClient>>;

export async function listTeams() {
  return db().team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}

/** The internal id of a listed client, by its public client_id (REST paths use the client_id). */
export async function clientDbIdByClientId(clientId: string): Promise<string> {
  const row = await db().client.findUnique({ where: { clientId }, select: { id: true, status: true } });
  if (!row || row.status === "deleted") throw notFound(`Client ${clientId}`);
  return row.id;
}
