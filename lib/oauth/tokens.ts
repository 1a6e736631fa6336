// Access tokens as JWTs per RFC 9068, signed with the server's current key; and their verification for
// introspection, against the published keys.
import crypto from "node:crypto";
import { createLocalJWKSet, jwtVerify, type JWTPayload } from "jose";
import { issuer } from "../config";
import { jwsCryptoParams, signaturesRunInline } from "./assertion";
import { currentSigningKey, publishedJwks } from "./server-keys";

export type IssuedToken = { accessToken: string; expiresIn: number; scope: string; jti: string };

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

// Token ids come from a pool of random bytes refilled 4 KiB at a time: a 16-byte crypto.randomBytes
// call costs several microseconds on some machines (bench:token measured 14 µs per token), the pool
// well under one. Each pooled byte is used once.
const ID_BYTES = 16;
const POOL_BYTES = ID_BYTES * 256;
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** 128 random bits, base64url: a token's jti. */
export function randomTokenId(): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = crypto.randomBytes(POOL_BYTES);
    idOffset = 0;
  }
  const id = idPool.toString("base64url", idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return id;
}

/**
 * Signs with node:crypto (on libuv's thread pool, or inline: runSignaturesInline) rather than through
 * jose: one token per request is the endpoint's hot path, and the header and claims are fixed here
 * (their verification, in tests and at introspection, uses jose).
 */
export async function issueAccessToken(input: { issuer: string; clientId: string; audience: string; scope: string; lifetimeSeconds: number; now: Date }): Promise<IssuedToken> {
  const key = await currentSigningKey();
  const iat = Math.floor(input.now.getTime() / 1000);
  const jti = randomTokenId();
  const claims: JWTPayload & { client_id: string; scope?: string } = {
    iss: input.issuer,
    sub: input.clientId,
    aud: input.audience,
    client_id: input.clientId,
    ...(input.scope ? { scope: input.scope } : {}),
    jti,
    iat,
    exp: iat + input.lifetimeSeconds,
  };
  const signingInput = `${segment({ alg: key.alg, kid: key.kid, typ: "at+jwt" })}.${segment(claims)}`;
  const { digest, options } = jwsCryptoParams(key.alg);
  const data = Buffer.from(signingInput, "ascii");
  const signature = signaturesRunInline()
    ? crypto.sign(digest, data, { key: key.key, ...options })
    : await new Promise<Buffer>((resolve, reject) => crypto.sign(digest, data, { key: key.key, ...options }, (error, sig) => (error ? reject(error) : resolve(sig))));
  return { accessToken: `${signingInput}.${signature.toString("base64url")}`, expiresIn: input.lifetimeSeconds, scope: input.scope, jti };
}

// one key set per published JWKS (itself cached for a few seconds), not one per introspection call
const keySets = new WeakMap<object, ReturnType<typeof createLocalJWKSet>>();
function localKeySet(jwks: Awaited<ReturnType<typeof publishedJwks>>): ReturnType<typeof createLocalJWKSet> {
  let set = keySets.get(jwks);
  if (!set) keySets.set(jwks, (set = createLocalJWKSet(jwks)));
  return set;
}

/** The token's claims when it is one of ours and still valid, otherwise null. */
export async function verifyAccessToken(token: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, localKeySet(await publishedJwks()), { issuer: issuer(), typ: "at+jwt", algorithms: ["ES256"] });
    return payload;
  } catch {
    return null;
  }
}
