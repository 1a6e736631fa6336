// A webhook delivery is a Security Event Token (RFC 8417) pushed over HTTP (RFC 8935): a compact JWS
// signed with the authorization server's current signing key, so a receiver verifies it against the
// published JWKS (/.well-known/jwks.json) and needs no shared secret. jti is the event id: the same on
// every retry and for every receiver, so receivers de-duplicate on it. aud is the receiver's own URL,
// so an event captured at one receiver cannot be replayed to another.
import type { KeyObject } from "node:crypto";
import { SignJWT } from "jose";
import { postGuarded, GuardedFetchError, type FetchFailure } from "../net/guarded-fetch";
import { eventUri, type EventPayload } from "./events";
import { isLoopbackHost } from "./schema";

/** RFC 8935 2: the media type of a SET pushed over HTTP. */
export const SET_CONTENT_TYPE = "application/secevent+jwt";
/** RFC 8417 2.3: the explicit type of a SET. */
export const SET_TYPE = "secevent+jwt";

export type SecurityEventClaims = {
  iss: string;
  aud: string;
  iat: number;
  jti: string;
  /** RFC 8417 2.2: time of the event (when Keyshift found it) */
  toe: number;
  events: Record<string, EventPayload>;
};

export function securityEvent(event: { id: string; createdAt: Date; payload: EventPayload }, issuer: string, audience: string, now: Date): SecurityEventClaims {
  return {
    iss: issuer,
    aud: audience,
    iat: Math.floor(now.getTime() / 1000),
    jti: event.id,
    toe: Math.floor(event.createdAt.getTime() / 1000),
    events: { [eventUri(event.payload.type)]: event.payload },
  };
}

export function signSecurityEvent(claims: SecurityEventClaims, key: { kid: string; alg: string; key: KeyObject }): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: SET_TYPE }).sign(key.key);
}

export type SendOutcome = { ok: true; status: number } | { ok: false; status: number | null; code: FetchFailure; message: string; permanent: boolean };

// Refusals that another attempt cannot change: the target itself is not allowed.
const PERMANENT: ReadonlySet<FetchFailure> = new Set(["invalid_url", "scheme_not_allowed", "address_refused"]);

/** POSTs a signed event; the outcome, never an exception, for anything the network or receiver did. */
export async function postSecurityEvent(target: string, jws: string): Promise<SendOutcome> {
  let allowHttp = false;
  try {
    allowHttp = isLoopbackHost(new URL(target).hostname);
  } catch {
    // postGuarded reports the invalid URL
  }
  try {
    const result = await postGuarded(target, jws, { allowHttp, contentType: SET_CONTENT_TYPE, userAgent: "Keyshift-Notifications" });
    return { ok: true, status: result.status };
  } catch (error) {
    if (!(error instanceof GuardedFetchError)) throw error;
    return { ok: false, status: error.status ?? null, code: error.code, message: error.message, permanent: PERMANENT.has(error.code) };
  }
}
