import crypto from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import type { EventPayload } from "@/lib/notify/events";
import { securityEvent, SET_TYPE, signSecurityEvent } from "@/lib/notify/webhook";

const payload: EventPayload = {
  type: "key.expiring",
  summary: "The key k1 of billing expires in 7 days.",
  subject: { type: "client", id: "c1" },
  team: { id: "t1", name: "Payments" },
  client: { id: "c1", client_id: "billing", name: "Billing", environment: "production" },
  details: { kid: "k1", threshold_days: 7 },
  link: "https://keyshift.example/clients/c1",
};

function serverKey(kid: string) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = { ...(publicKey.export({ format: "jwk" }) as JWK), kid, alg: "ES256", use: "sig" };
  return { signing: { kid, alg: "ES256", key: privateKey }, jwk };
}

const now = new Date("2026-03-01T10:00:00Z");
const event = { id: "0b7c6f0e-7a4e-4c1e-9d3a-1f2e3d4c5b6a", createdAt: new Date("2026-03-01T09:55:00Z"), payload };

describe("a webhook event (RFC 8417 SET)", () => {
  it("carries the event id as jti, the receiver as aud and the event under its type URI", () => {
    expect(securityEvent(event, "https://keyshift.example", "https://hooks.example/in", now)).toEqual({
      iss: "https://keyshift.example",
      aud: "https://hooks.example/in",
      iat: Math.floor(now.getTime() / 1000),
      jti: event.id,
      toe: Math.floor(event.createdAt.getTime() / 1000),
      events: { "urn:keyshift:event:key.expiring": payload },
    });
  });

  it("verifies with jose against the published JWKS, by kid, with typ secevent+jwt", async () => {
    const current = serverKey("current");
    const next = serverKey("next");
    const jws = await signSecurityEvent(securityEvent(event, "https://keyshift.example", "https://hooks.example/in", now), current.signing);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: "ES256", kid: "current", typ: SET_TYPE });
    const jwks = createLocalJWKSet({ keys: [next.jwk, current.jwk] });
    const { payload: claims } = await jwtVerify(jws, jwks, { issuer: "https://keyshift.example", audience: "https://hooks.example/in", typ: SET_TYPE, currentDate: now });
    expect(claims.jti).toBe(event.id);
    expect((claims.events as Record<string, EventPayload>)["urn:keyshift:event:key.expiring"].client?.client_id).toBe("billing");
  });

  it("fails verification against a key set without the signing key", async () => {
    const jws = await signSecurityEvent(securityEvent(event, "https://keyshift.example", "https://hooks.example/in", now), serverKey("current").signing);
    const other = createLocalJWKSet({ keys: [serverKey("current").jwk] });
    await expect(jwtVerify(jws, other, { currentDate: now })).rejects.toThrow(/signature verification failed/);
  });

  it("fails verification at another receiver (aud)", async () => {
    const key = serverKey("current");
    const jws = await signSecurityEvent(securityEvent(event, "https://keyshift.example", "https://hooks.example/in", now), key.signing);
    await expect(jwtVerify(jws, createLocalJWKSet({ keys: [key.jwk] }), { audience: "https://elsewhere.example/in", currentDate: now })).rejects.toThrow(/aud/);
  });
});
