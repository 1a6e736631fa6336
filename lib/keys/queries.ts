// Reading a client's registered public keys, for the client page and the REST API. The output names
// its fields: what a person needs to tell keys apart and judge them, never anything beyond the public JWK.
import type { JWK } from "jose";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db } from "../db";
import { notFound } from "../errors";
import { rsaBits } from "../oauth/algorithms";

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
  status: string;
  notBefore: Date | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
  /** the email of who added it, "system" for the system, "deleted user" when the user is gone */
  createdBy: string;
  publicJwk: JWK;
};

/** "EC P-256", "RSA 2048", "OKP Ed25519": the key type with what tells its strength. */
export function keyTypeLabel(key: Pick<ClientKeyView, "kty" | "crv" | "bits">): string {
  if (key.bits) return `${key.kty} ${key.bits}`;
  return key.crv ? `${key.kty} ${key.crv}` : key.kty;
}

/** The client's keys, newest first. */
export async function listClientKeys(actor: Actor, clientDbId: string): Promise<ClientKeyView[]> {
  assertCan(actor, "client.read");
  const client = await db().client.findUnique({ where: { id: clientDbId }, select: { status: true } });
  if (!client || client.status === "deleted") throw notFound("The client");
  const rows = await db().clientKey.findMany({
    where: { clientId: clientDbId },
    orderBy: [{ createdAt: "desc" }, { kid: "asc" }],
    select: {
      id: true,
      kid: true,
      kty: true,
      alg: true,
      thumbprint: true,
      publicJwk: true,
      source: true,
      status: true,
      notBefore: true,
      expiresAt: true,
      lastUsedAt: true,
      createdAt: true,
      createdById: true,
    },
  });
  const creatorIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => !!id))];
  const creators = creatorIds.length ? await db().user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } }) : [];
  const emailById = new Map(creators.map((u) => [u.id, u.email]));
  return rows.map(({ createdById, publicJwk, ...row }) => {
    const jwk = JSON.parse(publicJwk) as JWK;
    return {
      ...row,
      crv: row.kty === "RSA" ? null : (jwk.crv ?? null),
      bits: row.kty === "RSA" ? rsaBits(jwk) : null,
      createdBy: createdById ? (emailById.get(createdById) ?? "deleted user") : "system",
      publicJwk: jwk,
    };
  });
}
