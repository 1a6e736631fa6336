// Reading the client registry. The list filters, sorts and pages in the database on indexed columns
// (secret age and expiry are denormalised onto the client row) so it stays fast at 100,000 clients;
// scripts/bench-registry.ts measures it.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db, Prisma } from "../db";
import { notFound } from "../errors";
import { DAY_MS } from "../secrets/status";
import { AGE_BUCKETS, type ClientListQuery } from "./schema";

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

export function clientListWhere(query: ClientListQuery, now: Date = new Date()): Prisma.ClientWhereInput {
  const and: Prisma.ClientWhereInput[] = [query.status ? { status: query.status } : { status: { in: ["active", "disabled"] } }];
  if (query.q) and.push({ searchText: { contains: query.q.toLowerCase() } });
  if (query.environment) and.push({ environment: query.environment });
  if (query.team) and.push({ ownerTeamId: query.team });
  if (query.method) and.push({ authMethod: query.method });
  // Age and expiry are those of the client's current secret (the newest unrevoked one, kept on the
  // client row by refreshSecretSummary): what the list shows in its columns, read through an index.
  // A secret rotating out is not the current one; it ends by itself within the overlap window.
  if (query.age) and.push({ secretCreatedAt: ageBucketRange(query.age, now) }, currentSecretValid(now));
  if (query.expiring) and.push({ secretExpiresAt: { gt: now, lte: new Date(now.getTime() + query.expiring * DAY_MS) } });
  return { AND: and };
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
  const where = clientListWhere(query, now);
  const orderBy: Prisma.ClientOrderByWithRelationInput[] = [
    query.sort === "secretCreatedAt" || query.sort === "lastAuthAt"
      ? { [query.sort]: { sort: query.dir, nulls: "last" } }
      : { [query.sort]: query.dir },
    { id: "asc" }, // a total order, so pages never repeat or skip a row
  ];
  const [rows, total] = await Promise.all([
    db().client.findMany({ where, orderBy, skip: (query.page - 1) * query.pageSize, take: query.pageSize, select: clientListSelect }),
    db().client.count({ where }),
  ]);
  return { rows, total, page: query.page, pageSize: query.pageSize, pages: Math.max(1, Math.ceil(total / query.pageSize)) };
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
