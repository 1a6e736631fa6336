// The authorization server's own signing keys, staged next → current → previous. The next key is
// published before it signs anything, so resource servers that cache the JWKS already know it when a
// rotation makes it current; a previous key stays published until every token it signed has expired.
// Private keys are sealed at rest (AES-256-GCM under a key derived from the master key).
import crypto from "node:crypto";
import type { JWK } from "jose";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { jwkThumbprint } from "../crypto/jwk";
import { seal, unseal } from "../crypto/seal";
import { db, isUniqueViolation, processCache, transaction, type Tx } from "../db";
import { conflict } from "../errors";
import { getSettings } from "../settings";

export const SERVER_KEY_ALG = "ES256";
// how long an instance may sign with a key after another instance rotated (DESIGN.md: 5 seconds); a
// rotation committed in this process reaches it at once (writeEpochOf), whichever copy of this module
// serves the endpoint (the app's server loads one beside Next.js's bundle)
const CACHE_MS = 5_000;

export type ServerKeyStatus = "next" | "current" | "previous" | "retired";

function newKeyPair(): { kid: string; publicJwk: JWK; privateJwk: JWK } {
  const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privateJwk = privateKey.export({ format: "jwk" }) as JWK;
  const kid = jwkThumbprint(privateJwk);
  const { d: _private, ...publicPart } = privateJwk;
  return { kid, publicJwk: { ...publicPart, kid, alg: SERVER_KEY_ALG, use: "sig" }, privateJwk: { ...privateJwk, kid, alg: SERVER_KEY_ALG } };
}

async function createKey(tx: Tx, status: "next" | "current", now: Date) {
  const { kid, publicJwk, privateJwk } = newKeyPair();
  return tx.serverKey.create({
    data: {
      kid,
      alg: SERVER_KEY_ALG,
      status,
      publicJwk: JSON.stringify(publicJwk),
      privateKey: seal(JSON.stringify(privateJwk), `server-key:${kid}`),
      slot: status,
      activatedAt: status === "current" ? now : null,
    },
  });
}

/**
 * A current and a next key exist. Safe when several instances start at once: the `slot` column is
 * unique for current and next, so a second creator fails and reads what the first made.
 */
export async function ensureServerKeys(): Promise<void> {
  const slots = await db().serverKey.findMany({ where: { status: { in: ["current", "next"] } }, select: { status: true } });
  const missing = (["current", "next"] as const).filter((s) => !slots.some((k) => k.status === s));
  for (const status of missing) {
    try {
      await transaction((tx) => createKey(tx, status, new Date()));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}

type SigningKey = { kid: string; alg: string; key: crypto.KeyObject };
const signing = processCache<SigningKey>(CACHE_MS, async () => {
  let row = await db().serverKey.findFirst({ where: { status: "current" } });
  if (!row) {
    await ensureServerKeys();
    row = await db().serverKey.findFirstOrThrow({ where: { status: "current" } });
  }
  const jwk = JSON.parse(unseal(row.privateKey, `server-key:${row.kid}`)) as JWK;
  return { kid: row.kid, alg: row.alg, key: crypto.createPrivateKey({ key: jwk as crypto.JsonWebKey, format: "jwk" }) };
});

/** The current key, decrypted; cached for a few seconds per instance. */
export function currentSigningKey(now = Date.now()): Promise<SigningKey> {
  return signing.get(now);
}

export function forgetSigningKey(): void {
  signing.forget();
  published.forget();
}

const published = processCache<{ keys: JWK[] }>(CACHE_MS, async (at) => {
  const now = new Date(at);
  await ensureServerKeys();
  const rows = await db().serverKey.findMany({
    where: { OR: [{ status: { in: ["current", "next"] } }, { status: "previous", publishUntil: { gt: now } }] },
    orderBy: { createdAt: "desc" },
  });
  const order: Record<string, number> = { current: 0, next: 1, previous: 2 };
  rows.sort((a, b) => order[a.status] - order[b.status]);
  return { keys: rows.map((r) => JSON.parse(r.publicJwk) as JWK) };
});

/** The public JWKS: next, current, and previous keys whose tokens may still be alive. */
export function publishedJwks(now = new Date()): Promise<{ keys: JWK[] }> {
  return published.get(now.getTime());
}

/** Every signing key with its stage, newest first (public facts only: no key material). */
export async function listServerKeys(actor: Actor) {
  assertCan(actor, "settings.read");
  await ensureServerKeys();
  return db().serverKey.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, kid: true, alg: true, status: true, createdAt: true, activatedAt: true, retiredAt: true, publishUntil: true },
  });
}

/**
 * Rotation: next becomes current, current becomes previous (published until every token it signed has
 * expired, plus the clock skew), and a new next is made. Previous keys past that time are retired.
 */
export async function rotateServerKeys(actor: Actor): Promise<{ current: string; next: string; previous: string }> {
  assertCan(actor, "server_key.rotate");
  await ensureServerKeys();
  // read now, not through the endpoint's cache: how long the outgoing key stays published rests on it
  const settings = await getSettings();
  const now = new Date();
  const result = await transaction(async (tx) => {
    const current = await tx.serverKey.findFirstOrThrow({ where: { status: "current" } });
    const next = await tx.serverKey.findFirstOrThrow({ where: { status: "next" } });
    const publishUntil = new Date(now.getTime() + (settings["token.lifetimeSeconds"] + settings["assertion.clockSkewSeconds"]) * 1000);
    // another rotation got here first: the rows moved under us
    const moved = await tx.serverKey.updateMany({ where: { id: current.id, status: "current" }, data: { status: "previous", slot: null, publishUntil } });
    if (moved.count !== 1) throw conflict("Another rotation is in progress; reload and try again.");
    await tx.serverKey.update({ where: { id: next.id }, data: { status: "current", slot: "current", activatedAt: now } });
    const fresh = await createKey(tx, "next", now);
    const retired = await tx.serverKey.updateMany({ where: { status: "previous", publishUntil: { lte: now } }, data: { status: "retired", retiredAt: now } });
    await appendAudit(tx, actor, {
      action: "server_key.rotate",
      target: { type: "server_key", id: next.kid },
      details: { current: next.kid, next: fresh.kid, previous: current.kid, previousPublishedUntil: publishUntil.toISOString(), retired: retired.count },
    });
    return { current: next.kid, next: fresh.kid, previous: current.kid };
  });
  forgetSigningKey();
  return result;
}
