// Reading public keys, for the client page, the keys page and the REST API. The output names its
// fields: what a person needs to tell keys apart and judge them, never anything beyond the public JWK.
import type { JWK } from "jose";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db, type Prisma } from "../db";
import { invalid, notFound } from "../errors";
import { rsaBits } from "../oauth/algorithms";
import { getSettings } from "../settings";
import { jwksHealth, type JwksHealth } from "./jwks-uri";
import { keyStatusAt, type KeyStatus } from "./status";
import type { CertificateInfo } from "./validate";

export type ClientKeyView = {
  id: string;
  kid: string;
  kty: string;
  /** EC and OKP keys: the curve (P-256, Ed25519); null for RSA */
  crv: string | null;
  /** RSA keys: the modulus size in bits; null otherwise */
  bits: number | null;
  alg: string | null;
  /** RFC 7638 SHA-256 thumbprint, base64url */
  thumbprint: string;
  source: string;
  /** the status now: the stored one with its dates applied (a scheduled key whose date came is active) */
  status: KeyStatus;
  notBefore: Date | null;
  expiresAt: Date | null;
  retiringUntil: Date | null;
  retiredAt: Date | null;
  retireReason: string | null;
  lastUsedAt: Date | null;
  createdAt: Date;
  /** the email of who added it, "system" for the system or a jwks_uri, "deleted user" when the user is gone */
  createdBy: string;
  certificate: CertificateInfo | null;
  /** other clients that registered the same key (same thumbprint): one key should authenticate one client */
  sharedWith: { id: string; clientId: string }[];
  publicJwk: JWK;
};

/** "EC P-256", "RSA 2048", "OKP Ed25519": the key type with what tells its strength. */
export function keyTypeLabel(key: Pick<ClientKeyView, "kty" | "crv" | "bits">): string {
  if (key.bits) return `${key.kty} ${key.bits}`;
  return key.crv ? `${key.kty} ${key.crv}` : key.kty;
}

const keySelect = {
  id: true,
  clientId: true,
  kid: true,
  kty: true,
  alg: true,
  thumbprint: true,
  publicJwk: true,
  source: true,
  status: true,
  notBefore: true,
  expiresAt: true,
  retiringUntil: true,
  retiredAt: true,
  retireReason: true,
  lastUsedAt: true,
  createdAt: true,
  createdById: true,
  certificate: true,
} as const;
type KeyRow = Prisma.ClientKeyGetPayload<{ select: typeof keySelect }>;

function parseCertificate(text: string | null): CertificateInfo | null {
  if (!text) return null;
  const c = JSON.parse(text) as Record<string, string>;
  return { ...c, notBefore: new Date(c.notBefore), notAfter: new Date(c.notAfter) } as unknown as CertificateInfo;
}

async function toViews(rows: KeyRow[], now: Date): Promise<ClientKeyView[]> {
  const creatorIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => !!id))];
  const thumbprints = [...new Set(rows.map((r) => r.thumbprint))];
  const [creators, sharing] = await Promise.all([
    creatorIds.length ? db().user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } }) : [],
    thumbprints.length
      ? db().clientKey.findMany({
          where: { thumbprint: { in: thumbprints }, status: { not: "retired" }, client: { status: { not: "deleted" } } },
          select: { thumbprint: true, client: { select: { id: true, clientId: true } } },
        })
      : [],
  ]);
  const emailById = new Map(creators.map((u) => [u.id, u.email]));
  return rows.map(({ createdById, publicJwk, certificate, clientId, ...row }) => {
    const jwk = JSON.parse(publicJwk) as JWK;
    const others = new Map<string, { id: string; clientId: string }>();
    for (const s of sharing) if (s.thumbprint === row.thumbprint && s.client.id !== clientId) others.set(s.client.id, s.client);
    return {
      ...row,
      status: keyStatusAt(row, now),
      crv: row.kty === "RSA" ? null : (jwk.crv ?? null),
      bits: row.kty === "RSA" ? rsaBits(jwk) : null,
      createdBy: createdById ? (emailById.get(createdById) ?? "deleted user") : "system",
      certificate: parseCertificate(certificate),
      sharedWith: [...others.values()],
      publicJwk: jwk,
    };
  });
}

/** The client's keys: usable ones first, newest first within each group. */
export async function listClientKeys(actor: Actor, clientDbId: string): Promise<ClientKeyView[]> {
  assertCan(actor, "client.read");
  const client = await db().client.findUnique({ where: { id: clientDbId }, select: { status: true } });
  if (!client || client.status === "deleted") throw notFound("The client");
  const rows = await db().clientKey.findMany({ where: { clientId: clientDbId }, orderBy: [{ createdAt: "desc" }, { kid: "asc" }], select: keySelect });
  const order: Record<KeyStatus, number> = { active: 0, retiring: 1, scheduled: 2, expired: 3, retired: 4 };
  return (await toViews(rows, new Date())).sort((a, b) => order[a.status] - order[b.status]);
}

export type KeyAcrossClients = ClientKeyView & { client: { id: string; clientId: string; name: string; environment: string } };

async function withClients(rows: (KeyRow & { client: { id: string; clientId: string; name: string; environment: string } })[], now: Date): Promise<KeyAcrossClients[]> {
  const views = await toViews(rows, now);
  return views.map((v, i) => ({ ...v, client: rows[i].client }));
}

const withClient = { ...keySelect, client: { select: { id: true, clientId: true, name: true, environment: true } } } as const;
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

/** Every key with this RFC 7638 thumbprint, on every client: who uses a key someone found somewhere. */
export async function findKeysByThumbprint(actor: Actor, thumbprint: string): Promise<KeyAcrossClients[]> {
  assertCan(actor, "client.read");
  const value = thumbprint.trim();
  if (!THUMBPRINT.test(value)) throw invalid("A thumbprint is the 43-character base64url RFC 7638 SHA-256 thumbprint of a key.", { thumbprint: "Not a thumbprint" });
  const rows = await db().clientKey.findMany({ where: { thumbprint: value, client: { status: { not: "deleted" } } }, orderBy: { createdAt: "asc" }, select: withClient, take: 200 });
  return withClients(rows, new Date());
}

/** Keys (and certificates) whose expiry falls within the window, soonest first; retired keys left out. */
export async function expiringKeys(actor: Actor, withinDays?: number): Promise<{ days: number; keys: KeyAcrossClients[] }> {
  assertCan(actor, "client.read");
  const days = withinDays ?? (await getSettings())["keys.expiringSoonDays"];
  const now = new Date();
  const rows = await db().clientKey.findMany({
    where: { expiresAt: { gt: now, lte: new Date(now.getTime() + days * 86_400_000) }, status: { not: "retired" }, client: { status: { not: "deleted" } } },
    orderBy: { expiresAt: "asc" },
    select: withClient,
    take: 500,
  });
  return { days, keys: (await withClients(rows, now)).filter((k) => k.status !== "retired") };
}

/** Keys registered for more than one client (not retired): each should be replaced by a key per client. */
export async function sharedKeys(actor: Actor): Promise<{ thumbprint: string; clients: { id: string; clientId: string; name: string; kid: string }[] }[]> {
  assertCan(actor, "client.read");
  const groups = await db().clientKey.groupBy({ by: ["thumbprint"], where: { status: { not: "retired" }, client: { status: { not: "deleted" } } }, _count: { clientId: true }, having: { clientId: { _count: { gt: 1 } } }, orderBy: { thumbprint: "asc" }, take: 200 });
  if (!groups.length) return [];
  const rows = await db().clientKey.findMany({
    where: { thumbprint: { in: groups.map((g) => g.thumbprint) }, status: { not: "retired" }, client: { status: { not: "deleted" } } },
    select: { thumbprint: true, kid: true, client: { select: { id: true, clientId: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  const byThumbprint = new Map<string, { id: string; clientId: string; name: string; kid: string }[]>();
  for (const r of rows) byThumbprint.set(r.thumbprint, [...(byThumbprint.get(r.thumbprint) ?? []), { ...r.client, kid: r.kid }]);
  return [...byThumbprint].map(([thumbprint, clients]) => ({ thumbprint, clients })).filter((g) => new Set(g.clients.map((c) => c.id)).size > 1);
}

export type JwksUriView = {
  uri: string;
  health: JwksHealth;
  fetchedAt: Date | null;
  goodAt: Date | null;
  refreshAt: Date | null;
  failures: number;
  lastError: string | null;
};

export type JwksFetchView = {
  id: number;
  at: Date;
  uri: string;
  trigger: string;
  outcome: string;
  httpStatus: number | null;
  errorCode: string | null;
  error: string | null;
  keyCount: number | null;
  added: string[];
  removed: string[];
  ignored: { kid: string | null; reason: string }[];
  durationMs: number | null;
};

/** The client's jwks_uri with its health and the recent fetches, or null when it has none. */
export async function clientJwksUri(actor: Actor, clientDbId: string, limit = 20): Promise<{ uri: JwksUriView; fetches: JwksFetchView[] } | null> {
  assertCan(actor, "client.read");
  const client = await db().client.findUnique({
    where: { id: clientDbId },
    select: { status: true, keySource: true, jwksUri: true, jwksFetchedAt: true, jwksGoodAt: true, jwksRefreshAt: true, jwksFailures: true, jwksLastError: true },
  });
  if (!client || client.status === "deleted") throw notFound("The client");
  if (client.keySource !== "jwks_uri" || !client.jwksUri) return null;
  const [settings, fetches] = await Promise.all([
    getSettings(),
    db().jwksFetch.findMany({ where: { clientId: clientDbId }, orderBy: [{ at: "desc" }, { id: "desc" }], take: Math.min(Math.max(limit, 1), 200) }),
  ]);
  return {
    uri: {
      uri: client.jwksUri,
      health: jwksHealth(client, new Date(), settings["jwks.maxStalenessHours"]),
      fetchedAt: client.jwksFetchedAt,
      goodAt: client.jwksGoodAt,
      refreshAt: client.jwksRefreshAt,
      failures: client.jwksFailures,
      lastError: client.jwksLastError,
    },
    fetches: fetches.map(({ clientId: _clientId, ...f }) => ({ ...f, added: JSON.parse(f.added), removed: JSON.parse(f.removed), ignored: JSON.parse(f.ignored) })),
  };
}

/** Every jwks_uri that is not healthy (its last fetch failed), worst first. */
export async function unhealthyJwksUris(actor: Actor) {
  assertCan(actor, "client.read");
  const [settings, clients] = await Promise.all([
    getSettings(),
    db().client.findMany({
      where: { keySource: "jwks_uri", status: { not: "deleted" }, jwksFailures: { gt: 0 } },
      select: { id: true, clientId: true, name: true, environment: true, jwksUri: true, jwksFetchedAt: true, jwksGoodAt: true, jwksFailures: true, jwksLastError: true },
      orderBy: [{ jwksGoodAt: "asc" }, { clientId: "asc" }],
      take: 500,
    }),
  ]);
  const now = new Date();
  return clients.map((c) => ({ ...c, health: jwksHealth(c, now, settings["jwks.maxStalenessHours"]) })).sort((a, b) => (a.health === b.health ? 0 : a.health === "failing" ? -1 : 1));
}
