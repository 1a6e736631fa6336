// Registering a client's public keys from a JWKS document: the minimal path the token endpoint needs
// for private_key_jwt. The keys issue extends it (PEM and certificates, jwks_uri, lifecycle screens).
// Everything in the document is checked first; nothing is saved unless every key is acceptable.
import type { JWK } from "jose";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { jwkThumbprint } from "../crypto/jwk";
import { transaction } from "../db";
import { conflict, invalid, notFound } from "../errors";
import { ASSERTION_ALGORITHMS, algorithmMismatch, MIN_RSA_BITS, rsaBits } from "../oauth/algorithms";

export const MAX_JWKS_BYTES = 64 * 1024;
const MAX_KEYS = 20;
// members that only a private or symmetric key has (RFC 7517, RFC 7518 section 6)
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const PUBLIC_MEMBERS: Record<string, string[]> = { EC: ["crv", "x", "y"], RSA: ["n", "e"], OKP: ["crv", "x"] };
const EC_CURVES = ["P-256", "P-384", "P-521"];

export type ValidatedKey = { kid: string; kidAssigned: boolean; kty: string; alg: string | null; thumbprint: string; publicJwk: JWK };

/** Checks a JWKS text; returns the keys to store or throws `invalid` naming every problem. */
export function validateJwks(text: string): ValidatedKey[] {
  if (Buffer.byteLength(text, "utf8") > MAX_JWKS_BYTES) throw invalid(`The JWKS is larger than ${MAX_JWKS_BYTES / 1024} KiB.`, { jwks: "Too large" });
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalid("The JWKS is not valid JSON.", { jwks: "Not JSON" });
  }
  const keys = (document as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw invalid('A JWKS is a JSON object with a non-empty "keys" array.', { jwks: 'No "keys" array' });
  if (keys.length > MAX_KEYS) throw invalid(`At most ${MAX_KEYS} keys per client.`, { jwks: "Too many keys" });

  // a private key is the worst mistake: say so first and loudly, and never echo the document
  const exposed = keys.filter((k) => k && typeof k === "object" && PRIVATE_MEMBERS.some((m) => m in (k as object) && m !== "k"));
  if (exposed.length) {
    throw invalid(
      "This JWKS contains a PRIVATE key. Nothing was saved or logged. Treat that private key as compromised: it has left the client. Generate a new key pair and upload only the public key.",
      { jwks: "Contains a private key" },
    );
  }

  const problems: string[] = [];
  const result: ValidatedKey[] = [];
  const kids = new Set<string>();
  keys.forEach((raw, index) => {
    const where = `key ${index + 1}`;
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return void problems.push(`${where}: not a JSON object`);
    const jwk = raw as JWK;
    if (jwk.kty === "oct" || "k" in jwk) return void problems.push(`${where}: a symmetric (shared) key cannot authenticate a client by private_key_jwt`);
    const required = PUBLIC_MEMBERS[jwk.kty ?? ""];
    if (!required) return void problems.push(`${where}: key type ${JSON.stringify(jwk.kty)} is not supported (EC, RSA or OKP)`);
    const missing = required.filter((m) => typeof (jwk as Record<string, unknown>)[m] !== "string");
    if (missing.length) return void problems.push(`${where}: a ${jwk.kty} key needs ${missing.join(", ")}`);
    if (jwk.kty === "EC" && !EC_CURVES.includes(jwk.crv!)) return void problems.push(`${where}: curve ${jwk.crv} is not allowed (P-256, P-384, P-521)`);
    if (jwk.kty === "OKP" && jwk.crv !== "Ed25519") return void problems.push(`${where}: curve ${jwk.crv} is not allowed (Ed25519 only)`);
    if (jwk.kty === "RSA" && rsaBits(jwk) < MIN_RSA_BITS) return void problems.push(`${where}: the RSA key has ${rsaBits(jwk)} bits; at least ${MIN_RSA_BITS} are required`);
    if (jwk.use !== undefined && jwk.use !== "sig") return void problems.push(`${where}: use is ${JSON.stringify(jwk.use)}; a client signing key has use "sig" or none`);
    if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes("verify"))) return void problems.push(`${where}: key_ops must include "verify"`);
    if (jwk.alg !== undefined) {
      if (!(ASSERTION_ALGORITHMS as readonly string[]).includes(jwk.alg)) return void problems.push(`${where}: alg ${jwk.alg} is not allowed (${ASSERTION_ALGORITHMS.join(", ")})`);
      const mismatch = algorithmMismatch(jwk.alg, jwk);
      if (mismatch) return void problems.push(`${where}: ${mismatch}`);
    }
    let thumbprint: string;
    try {
      thumbprint = jwkThumbprint(jwk);
    } catch (error) {
      return void problems.push(`${where}: ${(error as Error).message}`);
    }
    if (jwk.kid !== undefined && (typeof jwk.kid !== "string" || !jwk.kid || jwk.kid.length > 255)) return void problems.push(`${where}: kid must be a string of 1 to 255 characters`);
    const kid = jwk.kid ?? thumbprint;
    if (kids.has(kid)) return void problems.push(`${where}: kid ${JSON.stringify(kid)} appears twice`);
    kids.add(kid);
    const publicJwk: JWK = { kty: jwk.kty, ...Object.fromEntries(required.map((m) => [m, (jwk as Record<string, unknown>)[m]])), kid, use: "sig", ...(jwk.alg ? { alg: jwk.alg } : {}) };
    result.push({ kid, kidAssigned: jwk.kid === undefined, kty: jwk.kty!, alg: jwk.alg ?? null, thumbprint, publicJwk });
  });
  if (problems.length) throw invalid(`The JWKS cannot be registered: ${problems.join("; ")}.`, { jwks: problems[0] });
  return result;
}

/** Adds the document's keys to the client's registered keys (source "upload"), all or none, audited. */
export async function registerJwks(actor: Actor, clientDbId: string, text: string): Promise<ValidatedKey[]> {
  return transaction(async (tx) => {
    const client = await tx.client.findUnique({ where: { id: clientDbId }, select: { id: true, clientId: true, name: true, ownerTeamId: true, status: true, keySource: true } });
    if (!client || client.status === "deleted") throw notFound("The client");
    // who is asking comes first: someone who may not change the client learns nothing about the document
    assertCan(actor, "key.manage", { teamId: client.ownerTeamId });
    const keys = validateJwks(text);
    if (client.keySource === "jwks_uri") throw conflict("This client's keys come from its jwks_uri; a client has registered keys or a jwks_uri, never both.");
    const existing = await tx.clientKey.findMany({ where: { clientId: client.id, kid: { in: keys.map((k) => k.kid) } }, select: { kid: true } });
    if (existing.length) throw conflict(`The client already has a key with kid ${existing.map((k) => JSON.stringify(k.kid)).join(", ")}; kids must stay unique.`, { jwks: "Duplicate kid" });
    for (const key of keys) {
      await tx.clientKey.create({
        data: {
          clientId: client.id,
          kid: key.kid,
          kty: key.kty,
          alg: key.alg,
          thumbprint: key.thumbprint,
          publicJwk: JSON.stringify(key.publicJwk),
          source: "upload",
          status: "active",
          createdById: actor.type === "user" ? actor.id : null,
        },
      });
    }
    await tx.client.update({ where: { id: client.id }, data: { keySource: "inline" } });
    await appendAudit(tx, actor, {
      action: "client_key.add",
      target: { type: "client", id: client.clientId, name: client.name },
      details: { keys: keys.map((k) => ({ kid: k.kid, kty: k.kty, alg: k.alg, thumbprint: k.thumbprint, kidAssigned: k.kidAssigned })) },
    });
    return keys;
  });
}
