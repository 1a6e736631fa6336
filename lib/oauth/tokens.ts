// Access tokens as JWTs per RFC 9068, signed with the server's current key; and their verification for
// introspection, against the published keys.
import crypto from "node:crypto";
import { createLocalJWKSet, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { issuer } from "../config";
import { currentSigningKey, publishedJwks } from "./server-keys";

export type IssuedToken = { accessToken: string; expiresIn: number; scope: string; jti: string };

export async function issueAccessToken(input: { clientId: string; audience: string; scope: string; lifetimeSeconds: number; now: Date }): Promise<IssuedToken> {
  const key = await currentSigningKey();
  const iat = Math.floor(input.now.getTime() / 1000);
  const jti = crypto.randomBytes(16).toString("base64url");
  const claims: JWTPayload & { client_id: string; scope?: string } = { client_id: input.clientId };
  if (input.scope) claims.scope = input.scope;
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt" })
    .setIssuer(issuer())
    .setSubject(input.clientId)
    .setAudience(input.audience)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.lifetimeSeconds)
    .sign(key.key);
  return { accessToken, expiresIn: input.lifetimeSeconds, scope: input.scope, jti };
}

/** The token's claims when it is one of ours and still valid, otherwise null. */
export async function verifyAccessToken(token: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(await publishedJwks()), { issuer: issuer(), typ: "at+jwt", algorithms: ["ES256"] });
    return payload;
  } catch {
    return null;
  }
}
