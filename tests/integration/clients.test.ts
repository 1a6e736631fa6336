// Client registry commands and the client list: creation, conflicts, updates, enable/disable,
// deletion, and the list's filters, sort and paging.
import { revokeSecret } from "@/lib/secrets/commands";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/lib/auth/actor";
import { createClient, deleteClient, setClientEnabled, updateClient } from "@/lib/clients/commands";
import { getClient, listClients } from "@/lib/clients/queries";
import { ClientListQuerySchema } from "@/lib/clients/schema";
import { disconnect, db } from "@/lib/db";
import { DAY_MS, isSecretValid } from "@/lib/secrets/status";
import { auditCount, clientInput, lastAudit, makeCast, makeTeam, rejection, resetDatabase, uniq, type Cast } from "./helpers";

let cast: Cast;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

describe("createClient", () => {
  it("generates a client_id when none is given and audits the creation", async () => {
    const input = clientInput(cast.teamA.id);
    const created = await createClient(cast.operatorOwner, input);
    expect(created.clientId).toMatch(/^ks_[\w-]{24}$/);
    const row = await db().client.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ clientId: created.clientId, name: input.name, status: "active", authMethod: "client_secret_basic", acceptedMethods: "client_secret_basic", grantTypes: "client_credentials", scopes: "read write" });
    expect(row.secretCreatedAt).not.toBeNull();
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "client.create", targetType: "client", targetId: created.clientId, actorId: cast.operatorOwner.id });
    expect(entry.details).toMatchObject({ generatedClientId: true, ownerTeam: cast.teamA.name, secretId: created.secret!.id });
  });

  it("rejects a duplicate client_id with a field error and creates no second row", async () => {
    const clientId = uniq("0oa");
    await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { clientId }));
    const auditBefore = await auditCount();
    const secretsBefore = await db().clientSecret.count();
    const error = await rejection(createClient(cast.admin, clientInput(cast.teamB.id, { clientId })), "conflict");
    expect(error.fields).toEqual({ clientId: "This client_id is taken" });
    expect(await db().client.count({ where: { clientId } })).toBe(1);
    expect(await db().clientSecret.count()).toBe(secretsBefore);
    expect(await auditCount()).toBe(auditBefore);
  });

  const bad: { name: string; input: Record<string, unknown>; field: string }[] = [
    { name: "a client_id with spaces", input: { clientId: "my client" }, field: "clientId" },
    { name: "an unknown environment", input: { environment: "qa" }, field: "environment" },
    { name: "a bad contact email", input: { contactEmail: "nobody" }, field: "contactEmail" },
    { name: "private_key_jwt without its public keys", input: { authMethod: "private_key_jwt" }, field: "jwks" },
  ];
  for (const { name, input, field } of bad) {
    it(`rejects ${name} and writes nothing`, async () => {
      const [clients, audit] = [await db().client.count(), await auditCount()];
      const error = await rejection(createClient(cast.admin, clientInput(cast.teamA.id, input)), "invalid");
      expect(Object.keys(error.fields ?? {})).toEqual([field]);
      expect(await db().client.count()).toBe(clients);
      expect(await auditCount()).toBe(audit);
    });
  }

  it("rejects an owner team that does not exist", async () => {
    const clients = await db().client.count();
    const error = await rejection(createClient(cast.admin, clientInput("no-such-team")), "invalid");
    expect(error.fields).toEqual({ ownerTeamId: "This team does not exist" });
    expect(await db().client.count()).toBe(clients);
  });
});

describe("updateClient", () => {
  it("records exactly the changed fields in the audit entry", async () => {
    const input = clientInput(cast.teamA.id);
    const created = await createClient(cast.operatorOwner, input);
    await updateClient(cast.operatorOwner, created.id, { ...input, name: "Payments API", scopes: "read write admin" });
    const row = await db().client.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ name: "Payments API", scopes: "read write admin", searchText: `${created.clientId} payments api`.toLowerCase() });
    const entry = await lastAudit();
    expect(entry.action).toBe("client.update");
    expect(entry.details).toEqual({ changed: { name: { from: input.name, to: "Payments API" }, scopes: { from: "read write", to: "read write admin" } } });
  });

  it("writes no audit entry when nothing changed", async () => {
    const input = clientInput(cast.teamA.id);
    const created = await createClient(cast.operatorOwner, input);
    const auditBefore = await auditCount();
    await updateClient(cast.operatorOwner, created.id, input);
    expect(await auditCount()).toBe(auditBefore);
  });

  it("does not let an operator move a client to a team they are not in", async () => {
    const input = clientInput(cast.teamA.id);
    const created = await createClient(cast.operatorOwner, input);
    const auditBefore = await auditCount();
    const error = await rejection(updateClient(cast.operatorOwner, created.id, { ...input, ownerTeamId: cast.teamB.id }), "forbidden");
    expect(error.message).toMatch(/team you belong to/);
    expect((await db().client.findUniqueOrThrow({ where: { id: created.id } })).ownerTeamId).toBe(cast.teamA.id);
    expect(await auditCount()).toBe(auditBefore);
  });

  it("lets an admin move a client to another team", async () => {
    const input = clientInput(cast.teamA.id);
    const created = await createClient(cast.operatorOwner, input);
    await updateClient(cast.admin, created.id, { ...input, ownerTeamId: cast.teamB.id });
    expect((await db().client.findUniqueOrThrow({ where: { id: created.id } })).ownerTeamId).toBe(cast.teamB.id);
    expect((await lastAudit()).details).toEqual({ changed: { ownerTeamId: { from: cast.teamA.id, to: cast.teamB.id } } });
  });
});

describe("resources, introspection and audience compatibility", () => {
  const ledger = "https://api.example.test/ledger";
  const payments = "urn:example:payments";

  it("stores resources entered one per line space-separated, with both flags, and audits them at creation", async () => {
    const created = await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { resources: `${ledger}\n\n${payments}\n`, introspection: "on", audienceCompat: "on" }));
    const row = await db().client.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ resources: `${ledger} ${payments}`, introspection: true, audienceCompat: true });
    expect((await lastAudit()).details).toMatchObject({ resources: [ledger, payments], introspection: true, audienceCompat: true });
    const detail = await getClient(cast.auditor, created.id);
    expect(detail).toMatchObject({ resources: `${ledger} ${payments}`, introspection: true, audienceCompat: true });
  });

  it("records each changed field from what to what", async () => {
    const input = clientInput(cast.teamA.id, { resources: [ledger] });
    const created = await createClient(cast.operatorOwner, input);
    await updateClient(cast.operatorOwner, created.id, { ...input, resources: `${ledger}\n${payments}`, introspection: "on", audienceCompat: "on" });
    expect((await lastAudit()).details).toEqual({
      changed: {
        resources: { from: ledger, to: `${ledger} ${payments}` },
        introspection: { from: false, to: true },
        audienceCompat: { from: false, to: true },
      },
    });
    // a form with the boxes unticked sends neither: both go back off
    await updateClient(cast.operatorOwner, created.id, { ...input, resources: `${ledger}\n${payments}` });
    expect((await lastAudit()).details).toEqual({ changed: { introspection: { from: true, to: false }, audienceCompat: { from: true, to: false } } });
    expect(await db().client.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ introspection: false, audienceCompat: false });
  });

  const bad: { name: string; resources: unknown; message: RegExp }[] = [
    { name: "a relative path", resources: "/ledger", message: /"\/ledger" is not a resource URI: enter absolute URIs without a fragment/ },
    { name: "a URI with a fragment", resources: `${ledger}#section`, message: /without a fragment/ },
    { name: "the same URI twice", resources: `${ledger}\n${ledger}`, message: /listed twice/ },
  ];
  for (const { name, resources, message } of bad) {
    it(`refuses ${name} as a resource with a field message and changes nothing`, async () => {
      const input = clientInput(cast.teamA.id);
      const created = await createClient(cast.operatorOwner, input);
      const [before, audit] = [await db().client.findUniqueOrThrow({ where: { id: created.id } }), await auditCount()];
      const error = await rejection(updateClient(cast.operatorOwner, created.id, { ...input, resources }), "invalid");
      expect(Object.keys(error.fields ?? {})).toEqual(["resources"]);
      expect(error.fields!.resources).toMatch(message);
      expect(await db().client.findUniqueOrThrow({ where: { id: created.id } })).toEqual(before);
      expect(await auditCount()).toBe(audit);
    });
  }

  it("does not let an operator of another team turn on audience compatibility", async () => {
    const input = clientInput(cast.teamA.id);
    const created = await createClient(cast.operatorOwner, input);
    const audit = await auditCount();
    await rejection(updateClient(cast.operatorOther, created.id, { ...input, audienceCompat: true }), "forbidden");
    expect((await db().client.findUniqueOrThrow({ where: { id: created.id } })).audienceCompat).toBe(false);
    expect(await auditCount()).toBe(audit);
  });
});

describe("setClientEnabled", () => {
  it("disables and re-enables a client, auditing both", async () => {
    const created = await createClient(cast.operatorOwner, clientInput(cast.teamA.id));
    await setClientEnabled(cast.operatorOwner, created.id, false);
    expect(await db().client.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "disabled", disabledAt: expect.any(Date) });
    expect((await lastAudit()).action).toBe("client.disable");
    await setClientEnabled(cast.operatorOwner, created.id, true);
    expect(await db().client.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "active", disabledAt: null });
    expect((await lastAudit()).action).toBe("client.enable");
  });

  it("refuses to disable a disabled client", async () => {
    const created = await createClient(cast.operatorOwner, clientInput(cast.teamA.id));
    await setClientEnabled(cast.operatorOwner, created.id, false);
    const auditBefore = await auditCount();
    const error = await rejection(setClientEnabled(cast.operatorOwner, created.id, false), "invalid");
    expect(error.message).toBe("The client is already disabled.");
    expect(await auditCount()).toBe(auditBefore);
  });
});

describe("deleteClient", () => {
  it("requires the client_id typed exactly and changes nothing otherwise", async () => {
    const created = await createClient(cast.operatorOwner, clientInput(cast.teamA.id));
    const auditBefore = await auditCount();
    for (const confirmation of ["", "yes", created.clientId.toUpperCase(), created.clientId.slice(1)]) {
      const error = await rejection(deleteClient(cast.operatorOwner, created.id, confirmation), "invalid");
      expect(error.fields).toEqual({ confirmation: `Type ${created.clientId} to confirm` });
    }
    expect((await db().client.findUniqueOrThrow({ where: { id: created.id } })).status).toBe("active");
    expect(await auditCount()).toBe(auditBefore);
  });

  it("revokes every secret, keeps the audit trail and never frees the client_id", async () => {
    const clientId = uniq("keycloak-client");
    const created = await createClient(cast.operatorOwner, clientInput(cast.teamA.id, { clientId }));
    await deleteClient(cast.operatorOwner, created.id, ` ${clientId} `);

    const row = await db().client.findUniqueOrThrow({ where: { id: created.id }, include: { secrets: true } });
    expect(row).toMatchObject({ status: "deleted", acceptedMethods: "", secretCreatedAt: null });
    expect(row.secrets.every((s) => s.revokedAt && !isSecretValid(s))).toBe(true);
    const trail = await db().auditEvent.findMany({ where: { targetId: clientId }, orderBy: { seq: "asc" } });
    expect(trail.map((e) => e.action)).toEqual(["client.create", "client.delete"]);
    expect(JSON.parse(trail[1].details)).toEqual({ secretsRevoked: 1 });

    await rejection(getClient(cast.admin, created.id), "not_found");
    const list = await listClients(cast.admin, ClientListQuerySchema.parse({ q: clientId }));
    expect(list.total).toBe(0);
    const error = await rejection(createClient(cast.operatorOwner, clientInput(cast.teamA.id, { clientId })), "conflict");
    expect(error.message).toMatch(/never reused/);
  });
});

describe("listClients", () => {
  const now = new Date("2026-06-15T12:00:00.000Z");
  let team: { id: string; name: string };
  const ids: Record<string, string> = {};

  /** Creates a client in the list team and backdates its secret to `ageDays` old, expiring in `expiresInDays`. */
  async function seed(key: string, name: string, overrides: Record<string, unknown>, ageDays: number, expiresInDays: number) {
    const created = await createClient(SYSTEM, clientInput(team.id, { name, clientId: `${key}-${team.name}`, ...overrides }));
    const createdAt = new Date(now.getTime() - ageDays * DAY_MS - 60_000);
    const expiresAt = new Date(now.getTime() + expiresInDays * DAY_MS);
    await db().clientSecret.update({ where: { id: created.secret!.id }, data: { createdAt, expiresAt } });
    await db().client.update({ where: { id: created.id }, data: { secretCreatedAt: createdAt, secretExpiresAt: expiresAt } });
    ids[key] = created.id;
  }

  const list = (query: Record<string, unknown>) => listClients(cast.auditor, ClientListQuerySchema.parse({ team: team.id, ...query }), now);
  const keysOf = (rows: { id: string }[]) => rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.id)).sort();

  beforeAll(async () => {
    team = await makeTeam(uniq("list-team"));
    await seed("alpha", "Alpha Billing", { environment: "production", authMethod: "client_secret_basic" }, 5, 85);
    await seed("bravo", "Bravo Reports", { environment: "staging", authMethod: "client_secret_post" }, 45, 10);
    await seed("charlie", "Charlie BILLING", { environment: "development" }, 100, 200);
    await seed("delta", "Delta Search", { environment: "production" }, 200, 3);
    await seed("echo", "Echo Legacy", { environment: "production" }, 400, 100);
    await setClientEnabled(SYSTEM, ids.delta, false);
  });

  const filters: { name: string; query: Record<string, unknown>; expected: string[] }[] = [
    { name: "everything in the team", query: {}, expected: ["alpha", "bravo", "charlie", "delta", "echo"] },
    { name: "environment", query: { environment: "production" }, expected: ["alpha", "delta", "echo"] },
    { name: "method", query: { method: "client_secret_post" }, expected: ["bravo"] },
    { name: "status disabled", query: { status: "disabled" }, expected: ["delta"] },
    { name: "status active", query: { status: "active" }, expected: ["alpha", "bravo", "charlie", "echo"] },
    { name: "age 0-30", query: { age: "0-30" }, expected: ["alpha"] },
    { name: "age 31-90", query: { age: "31-90" }, expected: ["bravo"] },
    { name: "age 91-180", query: { age: "91-180" }, expected: ["charlie"] },
    { name: "age 181-365", query: { age: "181-365" }, expected: ["delta"] },
    { name: "age 365+", query: { age: "365+" }, expected: ["echo"] },
    { name: "expiring within 14 days", query: { expiring: 14 }, expected: ["bravo", "delta"] },
    { name: "expiring within 5 days", query: { expiring: 5 }, expected: ["delta"] },
    { name: "search, case-insensitive, in the name", query: { q: "billing" }, expected: ["alpha", "charlie"] },
    { name: "search in the client_id", query: { q: "ECHO-" }, expected: ["echo"] },
    { name: "several filters together", query: { environment: "production", age: "365+", status: "active" }, expected: ["echo"] },
    { name: "a search that matches nothing", query: { q: "zulu" }, expected: [] },
  ];
  for (const { name, query, expected } of filters) {
    it(`filters by ${name}`, async () => {
      const result = await list(query);
      expect(keysOf(result.rows)).toEqual(expected);
      expect(result.total).toBe(expected.length);
    });
  }

  it("filters by owner team", async () => {
    const other = await list({ team: cast.teamB.id });
    expect(other.rows.every((r) => r.ownerTeam.id === cast.teamB.id)).toBe(true);
    expect(keysOf((await list({})).rows)).toHaveLength(5);
  });

  it("no longer counts a revoked secret in its age bucket", async () => {
    const secret = await db().clientSecret.findFirstOrThrow({ where: { clientId: ids.echo } });
    await revokeSecret(SYSTEM, ids.echo, secret.id);
    try {
      expect(keysOf((await list({ age: "365+" })).rows)).toEqual([]);
    } finally {
      await db().clientSecret.update({ where: { id: secret.id }, data: { revokedAt: null, revokedById: null } });
      await db().client.update({ where: { id: ids.echo }, data: { secretCreatedAt: secret.createdAt, secretExpiresAt: secret.expiresAt } });
    }
  });

  it("sorts by name either way", async () => {
    expect((await list({ sort: "name" })).rows.map((r) => r.name)).toEqual(["Alpha Billing", "Bravo Reports", "Charlie BILLING", "Delta Search", "Echo Legacy"]);
    expect((await list({ sort: "name", dir: "desc" })).rows.map((r) => r.name)[0]).toBe("Echo Legacy");
  });

  it("sorts by secret age, oldest first", async () => {
    expect((await list({ sort: "secretCreatedAt" })).rows.map((r) => r.name)).toEqual(["Echo Legacy", "Delta Search", "Charlie BILLING", "Bravo Reports", "Alpha Billing"]);
  });

  it("pages through a large team without repeating or skipping a client", async () => {
    const big = await makeTeam(uniq("big-team"));
    const names = Array.from({ length: 27 }, (_, i) => `Service ${String(i).padStart(2, "0")}`);
    // two clients share a name, so only the tie-breaker keeps the order total
    for (const name of [...names, "Service 05"]) await createClient(SYSTEM, clientInput(big.id, { name }));
    const page = (n: number) => listClients(cast.auditor, ClientListQuerySchema.parse({ team: big.id, page: n, pageSize: 25 }), now);
    const [first, second, third] = [await page(1), await page(2), await page(3)];
    expect(first).toMatchObject({ total: 28, pages: 2, page: 1, pageSize: 25 });
    expect(first.rows).toHaveLength(25);
    expect(second.rows).toHaveLength(3);
    expect(third.rows).toHaveLength(0);
    const all = [...first.rows, ...second.rows];
    expect(new Set(all.map((r) => r.id)).size).toBe(28);
    expect(all.map((r) => r.name)).toEqual([...names, "Service 05"].sort());
  });
});
