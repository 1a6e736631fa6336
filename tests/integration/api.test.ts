// The REST API, through its real route handlers, on a real database: API-token authentication, the
// error shape, role and team checks, and every response validated against the OpenAPI document.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as clientsRoute from "@/app/api/v1/clients/route";
import * as clientRoute from "@/app/api/v1/clients/[clientId]/route";
import * as disableRoute from "@/app/api/v1/clients/[clientId]/disable/route";
import * as enableRoute from "@/app/api/v1/clients/[clientId]/enable/route";
import * as secretsRoute from "@/app/api/v1/clients/[clientId]/secrets/route";
import * as rotateRoute from "@/app/api/v1/clients/[clientId]/secrets/rotate/route";
import * as revokeRoute from "@/app/api/v1/clients/[clientId]/secrets/[secretId]/revoke/route";
import * as keysRoute from "@/app/api/v1/clients/[clientId]/keys/route";
import * as retireKeyRoute from "@/app/api/v1/clients/[clientId]/keys/[kid]/retire/route";
import * as keepKeyRoute from "@/app/api/v1/clients/[clientId]/keys/[kid]/keep/route";
import * as jwksUriRoute from "@/app/api/v1/clients/[clientId]/jwks-uri/route";
import * as jwksRefreshRoute from "@/app/api/v1/clients/[clientId]/jwks-uri/refresh/route";
import * as findKeysRoute from "@/app/api/v1/keys/route";
import * as migrationRoute from "@/app/api/v1/clients/[clientId]/migration/route";
import * as dualRoute from "@/app/api/v1/clients/[clientId]/migration/dual/route";
import * as rollbackRoute from "@/app/api/v1/clients/[clientId]/migration/rollback/route";
import * as finaliseRoute from "@/app/api/v1/clients/[clientId]/migration/finalise/route";
import * as breakGlassRoute from "@/app/api/v1/clients/[clientId]/migration/break-glass/route";
import * as expiringKeysRoute from "@/app/api/v1/keys/expiring/route";
import * as auditRoute from "@/app/api/v1/audit/route";
import * as auditExportRoute from "@/app/api/v1/audit/export/route";
import * as teamsRoute from "@/app/api/v1/teams/route";
import * as usersRoute from "@/app/api/v1/users/route";
import { SYSTEM } from "@/lib/auth/actor";
import { createClient } from "@/lib/clients/commands";
import { jwkThumbprint } from "@/lib/crypto/jwk";
import { disconnect, db } from "@/lib/db";
import { matchSecret } from "@/lib/secrets/material";
import { createApiToken, revokeApiToken } from "@/lib/tokens/commands";
import { setUserDisabled } from "@/lib/users/commands";
import { auditCount, clientInput, makeCast, makeUser, resetDatabase, type Cast } from "./helpers";

import { call, type Route } from "./api-call";

let cast: Cast;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  for (const [role, actor] of Object.entries({ admin: cast.admin, operatorOwner: cast.operatorOwner, operatorOther: cast.operatorOther, auditor: cast.auditor })) {
    tokens[role] = (await createApiToken(SYSTEM, actor.id, { name: `${role} automation` })).token;
  }
});
afterAll(disconnect);

describe("API authentication", () => {
  it("refuses a request without a token with 401 and the error shape", async () => {
    const { status, body } = await call(clientsRoute.GET as Route, "GET", "/clients");
    expect(status).toBe(401);
    expect(body.error.code).toBe("unauthenticated");
  });

  it("refuses an unknown, a revoked and an expired token", async () => {
    expect((await call(clientsRoute.GET as Route, "GET", "/clients", { token: "ksa_not-a-real-token" })).status).toBe(401);
    const user = await makeUser("operator", [cast.teamA.id]);
    const revoked = await createApiToken(SYSTEM, user.id, { name: "old job" });
    await revokeApiToken(SYSTEM, revoked.id);
    expect((await call(clientsRoute.GET as Route, "GET", "/clients", { token: revoked.token })).status).toBe(401);
    const expired = await createApiToken(SYSTEM, user.id, { name: "short", expiresInDays: 1 });
    await db().apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(clientsRoute.GET as Route, "GET", "/clients", { token: expired.token })).status).toBe(401);
  });

  it("stops a disabled user's token at once", async () => {
    const user = await makeUser("operator", [cast.teamA.id]);
    const { token } = await createApiToken(SYSTEM, user.id, { name: "job" });
    expect((await call(clientsRoute.GET as Route, "GET", "/clients", { token })).status).toBe(200);
    await setUserDisabled(cast.admin, user.id, true);
    expect((await call(clientsRoute.GET as Route, "GET", "/clients", { token })).status).toBe(401);
  });

  it("stores only a keyed hash of the token and records its last use", async () => {
    const row = await db().apiToken.findFirstOrThrow({ where: { userId: cast.auditor.id } });
    expect(row.tokenHash).not.toContain(tokens.auditor);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    await call(clientsRoute.GET as Route, "GET", "/clients", { token: tokens.auditor });
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();
  });
});

describe("clients over the API", () => {
  const clientId = "https://apps.example.com/billing";
  let secretValue = "";

  it("creates a client (URL-shaped client_id) and returns its first secret once", async () => {
    const { status, body } = await call(clientsRoute.POST as Route, "POST", "/clients", {
      token: tokens.operatorOwner,
      body: { client_id: clientId, name: "Billing", environment: "production", owner_team_id: cast.teamA.id, contact_email: "billing@example.test", auth_method: "client_secret_post", grant_types: ["client_credentials"], scopes: "invoices:read invoices:write" },
    });
    expect(status).toBe(201);
    expect(body.client).toMatchObject({ client_id: clientId, auth_method: "client_secret_post", scopes: ["invoices:read", "invoices:write"], owner_team: { id: cast.teamA.id } });
    expect(body.secret.value).toMatch(/^kss_[\w-]{43}$/);
    secretValue = body.secret.value;
    const stored = await db().clientSecret.findMany({ where: { client: { clientId } } });
    expect(matchSecret(secretValue, stored.map((s) => s.hash!))).toBe(0);
  });

  it("never returns the secret again", async () => {
    const { status, body } = await call(clientRoute.GET as Route, "GET", "/clients/{client_id}", { token: tokens.auditor, params: { clientId } });
    expect(status).toBe(200);
    expect(JSON.stringify(body)).not.toContain(secretValue);
    expect(JSON.stringify(body)).not.toMatch(/"hash"/);
    expect(body.secrets).toHaveLength(1);
  });

  it("answers field errors in snake_case with 422 and writes nothing", async () => {
    const before = await db().client.count();
    const { status, body } = await call(clientsRoute.POST as Route, "POST", "/clients", {
      token: tokens.admin,
      body: { client_id: "has space", name: "", environment: "prod", owner_team_id: cast.teamA.id, contact_email: "nope", auth_method: "client_secret_basic", grant_types: [] },
    });
    expect(status).toBe(422);
    expect(Object.keys(body.error.fields).sort()).toEqual(["client_id", "contact_email", "environment", "grant_types", "name"]);
    expect(await db().client.count()).toBe(before);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const { status, body } = await call(clientsRoute.POST as Route, "POST", "/clients", { token: tokens.admin, rawBody: "name=x" });
    expect(status).toBe(400);
    expect(body.error.code).toBe("malformed");
  });

  it("answers 409 for a taken client_id", async () => {
    const { status, body } = await call(clientsRoute.POST as Route, "POST", "/clients", {
      token: tokens.admin,
      body: { client_id: clientId, name: "Again", environment: "production", owner_team_id: cast.teamA.id, contact_email: "a@example.test", auth_method: "client_secret_basic", grant_types: ["client_credentials"] },
    });
    expect(status).toBe(409);
    expect(body.error.fields).toEqual({ client_id: "This client_id is taken" });
  });

  it("lists with the console's filters and paging, and rejects unknown parameters", async () => {
    const { body } = await call(clientsRoute.GET as Route, "GET", "/clients", { token: tokens.auditor, query: "method=client_secret_post&page_size=25" });
    expect(body).toMatchObject({ page: 1, page_size: 25, total: 1 });
    expect(body.data[0].client_id).toBe(clientId);
    const bad = await call(clientsRoute.GET as Route, "GET", "/clients", { token: tokens.auditor, query: "colour=blue&page_size=30" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual({ colour: "Unknown parameter" });
    const badValue = await call(clientsRoute.GET as Route, "GET", "/clients", { token: tokens.auditor, query: "page_size=30" });
    expect(badValue.status).toBe(422);
    expect(Object.keys(badValue.body.error.fields)).toEqual(["page_size"]);
  });

  it("patches only the given fields", async () => {
    const { status, body } = await call(clientRoute.PATCH as Route, "PATCH", "/clients/{client_id}", { token: tokens.operatorOwner, params: { clientId }, body: { name: "Billing v2" } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "Billing v2", environment: "production", scopes: ["invoices:read", "invoices:write"] });
    const fixed = await call(clientRoute.PATCH as Route, "PATCH", "/clients/{client_id}", { token: tokens.admin, params: { clientId }, body: { auth_method: "private_key_jwt" } });
    expect(fixed.status).toBe(422);
  });

  it("rotates: a new secret once, and the old one valid until previous_valid_until", async () => {
    const { status, body } = await call(rotateRoute.POST as Route, "POST", "/clients/{client_id}/secrets/rotate", { token: tokens.operatorOwner, params: { clientId } });
    expect(status).toBe(201);
    expect(body.value).not.toBe(secretValue);
    const list = await call(secretsRoute.GET as Route, "GET", "/clients/{client_id}/secrets", { token: tokens.auditor, params: { clientId } });
    expect(list.body.data.map((s: { status: string }) => s.status)).toEqual(["active", "rotating"]);
    expect(list.body.data[1].expires_at).toBe(body.previous_valid_until);
    const revoked = await call(revokeRoute.POST as Route, "POST", "/clients/{client_id}/secrets/{secret_id}/revoke", { token: tokens.operatorOwner, params: { clientId, secretId: list.body.data[1].id } });
    expect(revoked.body.status).toBe("revoked");
    const issue = await call(secretsRoute.POST as Route, "POST", "/clients/{client_id}/secrets", { token: tokens.operatorOwner, params: { clientId } });
    expect(issue.status).toBe(409);
  });

  it("enforces roles and owner teams like the console", async () => {
    const denied = [
      () => call(rotateRoute.POST as Route, "POST", "/clients/{client_id}/secrets/rotate", { token: tokens.auditor, params: { clientId } }),
      () => call(rotateRoute.POST as Route, "POST", "/clients/{client_id}/secrets/rotate", { token: tokens.operatorOther, params: { clientId } }),
      () => call(disableRoute.POST as Route, "POST", "/clients/{client_id}/disable", { token: tokens.operatorOther, params: { clientId } }),
      () => call(clientRoute.DELETE as Route, "DELETE", "/clients/{client_id}", { token: tokens.auditor, params: { clientId } }),
    ];
    const auditBefore = await db().auditEvent.count();
    for (const attempt of denied) {
      const { status, body } = await attempt();
      expect(status).toBe(403);
      expect(body.error.code).toBe("forbidden");
    }
    expect(await db().auditEvent.count()).toBe(auditBefore);
  });

  it("disables, enables and deletes; a deleted client answers 404", async () => {
    expect((await call(disableRoute.POST as Route, "POST", "/clients/{client_id}/disable", { token: tokens.operatorOwner, params: { clientId } })).body.status).toBe("disabled");
    expect((await call(enableRoute.POST as Route, "POST", "/clients/{client_id}/enable", { token: tokens.operatorOwner, params: { clientId } })).body.status).toBe("active");
    expect((await call(clientRoute.DELETE as Route, "DELETE", "/clients/{client_id}", { token: tokens.admin, params: { clientId } })).status).toBe(204);
    const gone = await call(clientRoute.GET as Route, "GET", "/clients/{client_id}", { token: tokens.admin, params: { clientId } });
    expect(gone.status).toBe(404);
  });
});

describe("client fields for the token endpoint over the API", () => {
  const clientId = "ledger-reader";

  it("creates a client with resources, introspection and audience compatibility, and returns them", async () => {
    const { status, body } = await call(clientsRoute.POST as Route, "POST", "/clients", {
      token: tokens.operatorOwner,
      body: {
        client_id: clientId,
        name: "Ledger reader",
        environment: "staging",
        owner_team_id: cast.teamA.id,
        contact_email: "ledger@example.test",
        auth_method: "client_secret_basic",
        grant_types: ["client_credentials"],
        resources: ["https://api.example.test/ledger"],
        introspection: true,
      },
    });
    expect(status).toBe(201);
    expect(body.client).toMatchObject({ resources: ["https://api.example.test/ledger"], introspection: true, audience_compat: false });
  });

  it("patches them without touching the other fields, and names a bad resource in snake_case", async () => {
    const { status, body } = await call(clientRoute.PATCH as Route, "PATCH", "/clients/{client_id}", {
      token: tokens.operatorOwner,
      params: { clientId },
      body: { audience_compat: true, resources: "https://api.example.test/ledger urn:example:audit" },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "Ledger reader", introspection: true, audience_compat: true, resources: ["https://api.example.test/ledger", "urn:example:audit"] });
    const entry = await db().auditEvent.findFirstOrThrow({ where: { action: "client.update", targetId: clientId }, orderBy: { seq: "desc" } });
    expect(Object.keys(JSON.parse(entry.details).changed).sort()).toEqual(["audienceCompat", "resources"]);

    const bad = await call(clientRoute.PATCH as Route, "PATCH", "/clients/{client_id}", { token: tokens.operatorOwner, params: { clientId }, body: { resources: ["/relative"], audience_compat: "yes" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["audience_compat", "resources"]);
    expect(bad.body.error.fields.resources).toMatch(/not a resource URI/);
  });
});

describe("keys over the API", () => {
  const clientId = "keys-over-api";
  const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  const { d: _d, ...ecPublic } = ec;
  const rsaPublic = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" });
  const storedKeys = () => db().clientKey.count({ where: { client: { clientId } } });

  beforeAll(async () => {
    await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { clientId }));
  });

  it("registers a JWKS and says which kids it assigned", async () => {
    const { status, body } = await call(keysRoute.POST as Route, "POST", "/clients/{client_id}/keys", { token: tokens.operatorOwner, params: { clientId }, body: { keys: [ecPublic, { ...rsaPublic, kid: "rsa-2026" }] } });
    expect(status).toBe(201);
    const thumbprint = jwkThumbprint(ecPublic as never);
    expect(body.kids_assigned).toEqual([thumbprint]);
    expect(body.data.map((k: { kid: string }) => k.kid).sort()).toEqual([thumbprint, "rsa-2026"].sort());
    expect(body.data.find((k: { kid: string }) => k.kid === "rsa-2026")).toMatchObject({ kty: "RSA", bits: 2048, crv: null, source: "upload", status: "active", created_by: cast.operatorOwner.email });
  });

  it("lists the keys for every role", async () => {
    const { status, body } = await call(keysRoute.GET as Route, "GET", "/clients/{client_id}/keys", { token: tokens.auditor, params: { clientId } });
    expect(status).toBe(200);
    expect(body.data).toHaveLength(2);
    expect(body.data.find((k: { kty: string }) => k.kty === "EC")).toMatchObject({ crv: "P-256", thumbprint: jwkThumbprint(ecPublic as never) });
    expect(JSON.stringify(body)).not.toMatch(/"d"/);
  });

  it("refuses an operator of another team and an auditor with 403, storing nothing", async () => {
    const other = crypto.generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" });
    const [keys, audit] = [await storedKeys(), await auditCount()];
    for (const token of [tokens.operatorOther, tokens.auditor]) {
      const { status, body } = await call(keysRoute.POST as Route, "POST", "/clients/{client_id}/keys", { token, params: { clientId }, body: { keys: [{ ...other, kid: "ed" }] } });
      expect(status).toBe(403);
      expect(body.error.code).toBe("forbidden");
    }
    expect(await storedKeys()).toBe(keys);
    expect(await auditCount()).toBe(audit);
  });

  it("refuses a private key with the compromise warning, storing nothing", async () => {
    const [keys, audit] = [await storedKeys(), await auditCount()];
    const { status, body } = await call(keysRoute.POST as Route, "POST", "/clients/{client_id}/keys", { token: tokens.operatorOwner, params: { clientId }, body: { keys: [{ ...ec, kid: "leaked" }] } });
    expect(status).toBe(422);
    expect(body.error.message).toMatch(/PRIVATE key.*compromised/);
    expect(body.error.fields).toEqual({ jwks: "Contains a private key" });
    expect(JSON.stringify(body)).not.toContain(String(ec.d));
    expect(await storedKeys()).toBe(keys);
    expect(await auditCount()).toBe(audit);
  });

  it("answers 409 for a kid already registered, 400 for a body that is not an object, 404 for an unknown client", async () => {
    const taken = await call(keysRoute.POST as Route, "POST", "/clients/{client_id}/keys", { token: tokens.admin, params: { clientId }, body: { keys: [{ ...rsaPublic, kid: "rsa-2026" }] } });
    expect(taken.status).toBe(409);
    const array = await call(keysRoute.POST as Route, "POST", "/clients/{client_id}/keys", { token: tokens.admin, params: { clientId }, body: [ecPublic] });
    expect(array.status).toBe(400);
    const unknown = await call(keysRoute.GET as Route, "GET", "/clients/{client_id}/keys", { token: tokens.admin, params: { clientId: "no-such-client" } });
    expect(unknown.status).toBe(404);
  });
});

describe("key lifecycle over the API", () => {
  const clientId = "key-lifecycle-over-api";
  const pem = fs.readFileSync(path.resolve(__dirname, "../fixtures/keys/ec.crt.pem"), "utf8");
  const ed = crypto.generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" });
  let server: http.Server;
  let uri: string;
  const savedAllow = process.env.KEYSHIFT_FETCH_ALLOW;

  beforeAll(async () => {
    await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { clientId }));
    server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/jwk-set+json" });
      res.end(JSON.stringify({ keys: [{ ...ed, kid: "from-uri" }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    process.env.KEYSHIFT_FETCH_ALLOW = "127.0.0.1";
  });
  afterAll(async () => {
    process.env.KEYSHIFT_FETCH_ALLOW = savedAllow;
    await new Promise((resolve) => server.close(resolve));
  });

  it("registers a certificate with its expiry, scheduled, rotating the current keys out", async () => {
    const first = await call(keysRoute.POST as Route, "POST", "/clients/{client_id}/keys", { token: tokens.operatorOwner, params: { clientId }, body: { jwks: { keys: [{ ...ed, kid: "ed-1" }] } } });
    expect(first.status).toBe(201);
    const notBefore = new Date(Date.now() + 86_400_000).toISOString();
    const { status, body } = await call(keysRoute.POST as Route, "POST", "/clients/{client_id}/keys", {
      token: tokens.operatorOwner,
      params: { clientId },
      body: { certificate: pem, kid: "cert-2099", not_before: notBefore, retire_current: true },
    });
    expect(status).toBe(201);
    expect(body.data[0]).toMatchObject({ kid: "cert-2099", source: "certificate", status: "scheduled", not_before: notBefore });
    expect(body.data[0].expires_at).toMatch(/^2099-/);
    expect(body.data[0].certificate.not_after).toBe(body.data[0].expires_at);
    expect(body.retiring).toEqual([{ kid: "ed-1", until: new Date(Date.parse(notBefore) + 7 * 86_400_000).toISOString() }]);
  });

  it("answers 422 naming the field for bad material or options, storing nothing", async () => {
    const before = await db().clientKey.count({ where: { client: { clientId } } });
    const cases: { body: unknown; field: string }[] = [
      { body: { pem: "hello" }, field: "pem" },
      { body: { jwks: { keys: [] }, pem: "x" }, field: "jwks" },
      { body: { certificate: pem, not_before: "tomorrow" }, field: "not_before" },
      { body: { certificate: pem, colour: "red" }, field: "colour" },
    ];
    for (const { body, field } of cases) {
      const response = await call(keysRoute.POST as Route, "POST", "/clients/{client_id}/keys", { token: tokens.admin, params: { clientId }, body });
      expect(response.status).toBe(422);
      expect(Object.keys(response.body.error.fields)).toContain(field);
    }
    expect(await db().client.count()).toBeGreaterThan(0);
    expect(await db().clientKey.count({ where: { client: { clientId } } })).toBe(before);
  });

  it("retires a key now with a reason, keeps a retiring one, and refuses an auditor", async () => {
    const keep = await call(keepKeyRoute.POST as Route, "POST", "/clients/{client_id}/keys/{kid}/keep", { token: tokens.operatorOwner, params: { clientId, kid: "ed-1" } });
    expect(keep.status).toBe(200);
    expect(keep.body).toMatchObject({ kid: "ed-1", status: "active", retiring_until: null });
    const denied = await call(retireKeyRoute.POST as Route, "POST", "/clients/{client_id}/keys/{kid}/retire", { token: tokens.auditor, params: { clientId, kid: "ed-1" }, body: { mode: "now", reason: "x" } });
    expect(denied.status).toBe(403);
    const noReason = await call(retireKeyRoute.POST as Route, "POST", "/clients/{client_id}/keys/{kid}/retire", { token: tokens.operatorOwner, params: { clientId, kid: "ed-1" }, body: { mode: "now" } });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.fields).toEqual({ reason: "A reason is required" });
    const retired = await call(retireKeyRoute.POST as Route, "POST", "/clients/{client_id}/keys/{kid}/retire", { token: tokens.operatorOwner, params: { clientId, kid: "ed-1" }, body: { mode: "now", reason: "laptop stolen" } });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ kid: "ed-1", status: "retired", retire_reason: "laptop stolen" });
    const unknown = await call(retireKeyRoute.POST as Route, "POST", "/clients/{client_id}/keys/{kid}/retire", { token: tokens.operatorOwner, params: { clientId, kid: "nope" }, body: { mode: "now", reason: "x" } });
    expect(unknown.status).toBe(404);
  });

  it("finds a key's clients by thumbprint and lists expiring keys", async () => {
    const [key] = (await call(keysRoute.GET as Route, "GET", "/clients/{client_id}/keys", { token: tokens.auditor, params: { clientId } })).body.data.filter((k: { kid: string }) => k.kid === "cert-2099");
    const found = await call(findKeysRoute.GET as Route, "GET", "/keys", { token: tokens.auditor, query: `thumbprint=${key.thumbprint}` });
    expect(found.status).toBe(200);
    expect(found.body.data).toEqual([expect.objectContaining({ client_id: clientId, kid: "cert-2099", environment: "production" })]);
    expect((await call(findKeysRoute.GET as Route, "GET", "/keys", { token: tokens.auditor, query: "thumbprint=abc" })).status).toBe(422);
    expect((await call(findKeysRoute.GET as Route, "GET", "/keys", { token: tokens.auditor })).status).toBe(400);
    const expiring = await call(expiringKeysRoute.GET as Route, "GET", "/keys/expiring", { token: tokens.auditor, query: "within_days=30" });
    expect(expiring.status).toBe(200);
    expect(expiring.body.within_days).toBe(30);
    expect((await call(expiringKeysRoute.GET as Route, "GET", "/keys/expiring", { token: tokens.auditor, query: "within_days=0" })).status).toBe(422);
  });

  it("links, reads, refreshes and unlinks a jwks_uri", async () => {
    const devClient = "jwks-uri-over-api";
    await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { clientId: devClient, environment: "development" }));
    const missing = await call(jwksUriRoute.GET as Route, "GET", "/clients/{client_id}/jwks-uri", { token: tokens.auditor, params: { clientId: devClient } });
    expect(missing.status).toBe(404);
    const linked = await call(jwksUriRoute.PUT as Route, "PUT", "/clients/{client_id}/jwks-uri", { token: tokens.operatorOwner, params: { clientId: devClient }, body: { jwks_uri: uri } });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ jwks_uri: uri, health: "healthy", consecutive_failures: 0 });
    expect(linked.body.fetches[0]).toMatchObject({ trigger: "link", outcome: "ok", added: ["from-uri"] });
    const again = await call(jwksUriRoute.PUT as Route, "PUT", "/clients/{client_id}/jwks-uri", { token: tokens.operatorOwner, params: { clientId: devClient }, body: { jwks_uri: uri } });
    expect(again.status).toBe(409);
    const refreshed = await call(jwksRefreshRoute.POST as Route, "POST", "/clients/{client_id}/jwks-uri/refresh", { token: tokens.operatorOwner, params: { clientId: devClient } });
    expect(refreshed.body).toEqual({ outcome: "ok", key_count: 1, added: [], removed: [] });
    const unlinked = await call(jwksUriRoute.DELETE as Route, "DELETE", "/clients/{client_id}/jwks-uri", { token: tokens.operatorOwner, params: { clientId: devClient } });
    expect(unlinked.status).toBe(204);
    const production = await call(jwksUriRoute.PUT as Route, "PUT", "/clients/{client_id}/jwks-uri", { token: tokens.operatorOwner, params: { clientId }, body: { jwks_uri: uri } });
    expect(production.status).toBe(422);
    expect(production.body.error.fields.jwks_uri).toBe("https required");
  });

  it("creates a private_key_jwt client with its keys and no secret", async () => {
    const { status, body } = await call(clientsRoute.POST as Route, "POST", "/clients", {
      token: tokens.operatorOwner,
      body: { name: "Born migrated", environment: "production", owner_team_id: cast.teamA.id, contact_email: "team@example.test", auth_method: "private_key_jwt", grant_types: ["client_credentials"], pem },
    });
    expect(status).toBe(201);
    expect(body.secret).toBeNull();
    expect(body.client).toMatchObject({ auth_method: "private_key_jwt", accepted_methods: ["private_key_jwt"] });
  });
});

describe("migration over the API", () => {
  const clientId = "migration-over-api";
  const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });

  beforeAll(async () => {
    await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { clientId }));
  });

  it("walks a client from its secret to private_key_jwt, with the same refusals as the console", async () => {
    const start = await call(migrationRoute.GET as Route, "GET", "/clients/{client_id}/migration", { token: tokens.auditor, params: { clientId } });
    expect(start.body).toMatchObject({ state: "secret_only", readiness: { usable_keys: 0, ready_to_finalise: false } });
    const early = await call(dualRoute.POST as Route, "POST", "/clients/{client_id}/migration/dual", { token: tokens.operatorOwner, params: { clientId } });
    expect(early.status).toBe(409);

    await call(keysRoute.POST as Route, "POST", "/clients/{client_id}/keys", { token: tokens.operatorOwner, params: { clientId }, body: { jwks: { keys: [{ ...ec, kid: "m1" }] } } });
    const denied = await call(dualRoute.POST as Route, "POST", "/clients/{client_id}/migration/dual", { token: tokens.operatorOther, params: { clientId } });
    expect(denied.status).toBe(403);
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const dual = await call(dualRoute.POST as Route, "POST", "/clients/{client_id}/migration/dual", { token: tokens.operatorOwner, params: { clientId }, body: { until } });
    expect(dual.status).toBe(200);
    expect(dual.body).toMatchObject({ state: "dual", from_method: "client_secret_basic", dual_until: until, overdue: false, readiness: { usable_keys: 1 } });
    const moved = await call(dualRoute.POST as Route, "POST", "/clients/{client_id}/migration/dual", { token: tokens.operatorOwner, params: { clientId }, body: { until: new Date(Date.now() + 20 * 86_400_000).toISOString() } });
    expect(moved.status).toBe(200);

    const notReady = await call(finaliseRoute.POST as Route, "POST", "/clients/{client_id}/migration/finalise", { token: tokens.operatorOwner, params: { clientId } });
    expect(notReady.status).toBe(422);
    expect(notReady.body.error.fields).toEqual({ reason: "A reason is required" });
    const rolled = await call(rollbackRoute.POST as Route, "POST", "/clients/{client_id}/migration/rollback", { token: tokens.operatorOwner, params: { clientId }, body: { reason: "library upgrade first" } });
    expect(rolled.body).toMatchObject({ state: "keys_registered", dual_until: null });
    await call(dualRoute.POST as Route, "POST", "/clients/{client_id}/migration/dual", { token: tokens.operatorOwner, params: { clientId } });
    const done = await call(finaliseRoute.POST as Route, "POST", "/clients/{client_id}/migration/finalise", { token: tokens.operatorOwner, params: { clientId }, body: { reason: "cut-over agreed with the team" } });
    expect(done.status).toBe(200);
    expect(done.body.state).toBe("private_key_jwt");

    const operatorGlass = await call(breakGlassRoute.POST as Route, "POST", "/clients/{client_id}/migration/break-glass", { token: tokens.operatorOwner, params: { clientId }, body: { reason: "lost" } });
    expect(operatorGlass.status).toBe(403);
    const glass = await call(breakGlassRoute.POST as Route, "POST", "/clients/{client_id}/migration/break-glass", { token: tokens.admin, params: { clientId }, body: { reason: "key lost with the host" } });
    expect(glass.status).toBe(201);
    expect(glass.body.value).toMatch(/^kss_/);
    const after = await call(migrationRoute.GET as Route, "GET", "/clients/{client_id}/migration", { token: tokens.auditor, params: { clientId } });
    expect(after.body.break_glass_until).toBe(glass.body.expires_at);
    expect(JSON.stringify(after.body)).not.toContain(glass.body.value);
    const unknown = await call(finaliseRoute.POST as Route, "POST", "/clients/{client_id}/migration/finalise", { token: tokens.admin, params: { clientId }, body: { force: true } });
    expect(unknown.status).toBe(422);
  });
});

describe("API and console write the same audit trail", () => {
  it("records a rotation by API token exactly like one from the console, naming the token", async () => {
    const viaConsole = await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { clientId: "console-made" }));
    const viaApi = await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { clientId: "api-made" }));
    const { rotateSecret } = await import("@/lib/secrets/commands");
    // the console's server action calls rotateSecret with the session's actor
    await rotateSecret(cast.operatorOwner, viaConsole.id);
    await call(rotateRoute.POST as Route, "POST", "/clients/{client_id}/secrets/rotate", { token: tokens.operatorOwner, params: { clientId: "api-made" } });
    const entries = await db().auditEvent.findMany({ where: { action: "secret.rotate", targetId: { in: ["console-made", "api-made"] } }, orderBy: { seq: "asc" } });
    expect(entries).toHaveLength(2);
    const [fromConsole, fromApi] = entries.map((e) => ({ ...e, details: JSON.parse(e.details) as Record<string, unknown> }));
    expect(fromApi.actorEmail).toBe(fromConsole.actorEmail);
    expect(fromApi.actorType).toBe("user");
    expect(Object.keys(fromApi.details).filter((k) => k !== "via" && k !== "apiTokenId").sort()).toEqual(Object.keys(fromConsole.details).sort());
    expect(fromApi.details.via).toBe("api_token:operatorOwner automation");
    expect(fromConsole.details.via).toBeUndefined();
    expect(viaApi.clientId).toBe("api-made");
  });
});

describe("users, teams and the audit trail over the API", () => {
  it("lists users for every role, without password material", async () => {
    const { status, body } = await call(usersRoute.GET as Route, "GET", "/users", { token: tokens.auditor });
    expect(status).toBe(200);
    expect(body.data.map((u: { email: string }) => u.email)).toContain(cast.admin.email);
    expect(JSON.stringify(body)).not.toMatch(/password|hash/i);
  });

  it("lists teams with members and client counts", async () => {
    const { body } = await call(teamsRoute.GET as Route, "GET", "/teams", { token: tokens.operatorOther });
    const teamA = body.data.find((t: { id: string }) => t.id === cast.teamA.id);
    expect(teamA.members).toContain(cast.operatorOwner.email);
    expect(teamA.clients).toBeGreaterThan(0);
  });

  it("reads the audit trail with filters, newest first", async () => {
    const { status, body } = await call(auditRoute.GET as Route, "GET", "/audit", { token: tokens.auditor, query: "action=secret.rotate&target=api-made" });
    expect(status).toBe(200);
    expect(body.total).toBe(1);
    expect(body.data[0]).toMatchObject({ action: "secret.rotate", target_id: "api-made", actor: cast.operatorOwner.email, actor_type: "user" });
    expect(body.data[0].details.via).toBe("api_token:operatorOwner automation");
  });

  it("rejects unknown audit parameters and unreadable dates", async () => {
    const { status, body } = await call(auditRoute.GET as Route, "GET", "/audit", { token: tokens.auditor, query: "from=yesterday&who=me" });
    expect(status).toBe(422);
    expect(body.error.fields).toEqual({ from: "Use an ISO 8601 date or date-time", who: "Unknown parameter" });
  });

  it("exports the filtered trail as CSV with the chain hashes", async () => {
    const { status, body } = await call(auditExportRoute.GET as Route, "GET", "/audit/export", { token: tokens.auditor, query: "action=client.create" });
    expect(status).toBe(200);
    const lines = (body as string).trim().split("\r\n");
    expect(lines[0]).toBe("seq,at,actor_type,actor,action,target_type,target_id,target_name,details,address,prev_hash,hash");
    expect(lines.slice(1).every((l) => l.includes(",client.create,"))).toBe(true);
    expect(lines.length).toBeGreaterThan(2);
  });
});
