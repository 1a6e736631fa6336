// Inventory import and export against a real database: the plan a dry run shows, the all-or-nothing
// real run with external secrets, permissions per row, Keycloak mapping, export → re-import, the CLI.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, deleteClient } from "@/lib/clients/commands";
import { disconnect, db } from "@/lib/db";
import { readInventoryCsv } from "@/lib/inventory/csv";
import { exportClients } from "@/lib/inventory/export";
import { applyImport, planImport } from "@/lib/inventory/import";
import { readKeycloakExport } from "@/lib/inventory/keycloak";
import { overview } from "@/lib/metrics/overview";
import { DAY_MS } from "@/lib/secrets/status";
import { auditCount, clientInput, lastAudit, makeCast, rejection, resetDatabase, uniq, type Cast } from "./helpers";

const root = path.resolve(__dirname, "../..");
const HEADER = "client_id,name,environment,team,contact_email,auth_method,grant_types,scopes,secret_created_at,secret_expires_at";
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
const csv = (...lines: string[]) => [HEADER, ...lines].join("\r\n") + "\r\n";
const source = { format: "csv" as const, file: "inventory.csv" };

async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}

let cast: Cast;
beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

describe("inventory import", () => {
  it("a dry run lists create, update, skip and invalid with reasons, and writes nothing", async () => {
    const existing = await createClient(cast.admin, clientInput(cast.teamA.id, { clientId: uniq("existing"), name: "Old name" }));
    const gone = await createClient(cast.admin, clientInput(cast.teamA.id, { clientId: uniq("gone") }));
    await deleteClient(cast.admin, gone.id, gone.clientId);
    const [clients, audits] = [await db().client.count(), await auditCount()];
    const newId = uniq("new");
    const rows = readInventoryCsv(
      csv(
        `${newId},New service,production,${cast.teamA.name},a@example.test,client_secret_post,,,2024-01-15,`,
        `${existing.clientId},New name,production,${cast.teamA.name},owner@example.test,client_secret_basic,client_credentials,read write,,`,
        `${gone.clientId},Back again,production,${cast.teamA.name},a@example.test,client_secret_basic,,,,`,
        `${uniq("jwt")},Keyed,production,${cast.teamA.name},a@example.test,private_key_jwt,,,,`,
        `${uniq("bad")},Bad,prod,Nowhere,not-an-email,client_secret_basic,,,2024-02-30,`,
        `${newId},Twice,production,${cast.teamA.name},a@example.test,client_secret_basic,,,,`,
      ),
    );
    const plan = await planImport(cast.admin, rows);
    expect(plan.entries.map((e) => [e.ref, e.action, e.reasons])).toEqual([
      ["line 2", "create", []],
      ["line 3", "update", []],
      ["line 4", "skip", ["client_id belonged to a deleted client"]],
      ["line 5", "skip", ["key management not available yet"]],
      [
        "line 6",
        "invalid",
        [
          'team "Nowhere" does not exist',
          "environment: Choose production, staging or development",
          "contact_email: Enter a valid contact email address",
          'secret_created_at: "2024-02-30" is not an ISO 8601 date (e.g. 2024-03-01 or 2024-03-01T09:30:00Z)',
        ],
      ],
      ["line 7", "invalid", ["client_id already appears on line 2"]],
    ]);
    expect(plan.entries[1].changed).toEqual({ name: { from: "Old name", to: "New name" } });
    expect(plan.totals).toEqual({ rows: 6, create: 1, update: 1, skip: 2, invalid: 2 });
    expect(await db().client.count()).toBe(clients);
    expect(await auditCount()).toBe(audits);
  });

  it("a real run creates clients whose secret is external and counts in the right age bucket", async () => {
    const before = await overview(cast.admin);
    const bucket = (o: typeof before, id: string) => o.secretAges.find((b) => b.bucket === id)!.count;
    const [oldId, freshId] = [uniq("old"), uniq("fresh")];
    const rows = readInventoryCsv(
      csv(
        `${oldId},Old secret,staging,${cast.teamA.name},A@Example.test,client_secret_basic,client_credentials,orders:read,${daysAgo(100)},`,
        `${freshId},Fresh secret,development,${cast.teamB.name},b@example.test,client_secret_post,,,,${daysAgo(-30)}`,
      ),
    );
    const progress: number[] = [];
    const result = await applyImport(cast.admin, rows, { source, onProgress: (done) => progress.push(done) });
    expect(result.totals).toEqual({ rows: 2, create: 2, update: 0, skip: 0, invalid: 0 });
    expect(progress).toEqual([1, 2]);

    const old = await db().client.findUniqueOrThrow({ where: { clientId: oldId }, include: { secrets: true } });
    expect(old).toMatchObject({ authMethod: "client_secret_basic", acceptedMethods: "client_secret_basic", contactEmail: "a@example.test", scopes: "orders:read", searchText: `${oldId} old secret` });
    expect(old.secrets).toHaveLength(1);
    expect(old.secrets[0]).toMatchObject({ external: true, hash: null, hint: "external", createdById: null, expiresAt: null, createdAt: new Date(daysAgo(100)) });
    expect(old.secretCreatedAt).toEqual(new Date(daysAgo(100)));
    const fresh = await db().client.findUniqueOrThrow({ where: { clientId: freshId } });
    expect(fresh.grantTypes).toBe("client_credentials");
    expect(fresh.secretExpiresAt).toEqual(new Date(daysAgo(-30)));

    const after = await overview(cast.admin);
    expect(bucket(after, "91-180")).toBe(bucket(before, "91-180") + 1);
    expect(bucket(after, "0-30")).toBe(bucket(before, "0-30") + 1);

    const summary = await lastAudit();
    expect(summary).toMatchObject({ action: "inventory.import", targetType: "inventory", targetId: "inventory.csv" });
    expect(summary.details).toMatchObject({ format: "csv", file: "inventory.csv", rows: 2, created: 2, updated: 0, skipped: 0 });
    const created = await db().auditEvent.findFirstOrThrow({ where: { action: "client.import_create", targetId: oldId } });
    expect(JSON.parse(created.details)).toMatchObject({ source: "csv", file: "inventory.csv", row: "line 2", ownerTeam: cast.teamA.name, externalSecret: { expiresAt: null } });
  });

  it("writes nothing when a row fails part-way through the real run", async () => {
    const [clients, secrets, audits] = [await db().client.count(), await db().clientSecret.count(), await auditCount()];
    const rows = readInventoryCsv(
      csv(`${uniq("one")},One,production,${cast.teamA.name},a@example.test,client_secret_basic,,,,`, `${uniq("two")},Two,production,${cast.teamA.name},a@example.test,client_secret_basic,,,,`),
    );
    const failing = applyImport(cast.admin, rows, {
      source,
      onProgress: (done) => {
        if (done === 2) throw new Error("disk full");
      },
    });
    await expect(failing).rejects.toThrow("disk full");
    expect([await db().client.count(), await db().clientSecret.count(), await auditCount()]).toEqual([clients, secrets, audits]);
  });

  it("refuses a real run with an invalid row, writing nothing", async () => {
    const [clients, audits] = [await db().client.count(), await auditCount()];
    const rows = readInventoryCsv(csv(`${uniq("ok")},Fine,production,${cast.teamA.name},a@example.test,client_secret_basic,,,,`, `${uniq("x")},Bad,production,Nowhere,a@example.test,client_secret_basic,,,,`));
    const error = await rejection(applyImport(cast.admin, rows, { source }), "invalid");
    expect(error.message).toContain("1 of 2 rows cannot be imported, so nothing was imported");
    expect(error.message).toContain('line 3');
    expect([await db().client.count(), await auditCount()]).toEqual([clients, audits]);
  });

  it("an operator cannot import into another team: the row is refused with the reason", async () => {
    const mine = uniq("mine");
    const theirs = uniq("theirs");
    const rows = readInventoryCsv(
      csv(`${mine},Mine,production,${cast.teamA.name},a@example.test,client_secret_basic,,,,`, `${theirs},Theirs,production,${cast.teamB.name},a@example.test,client_secret_basic,,,,`),
    );
    const plan = await planImport(cast.operatorOwner, rows);
    expect(plan.entries.map((e) => [e.action, e.reasons])).toEqual([
      ["create", []],
      ["invalid", ["You can only create clients for a team you belong to."]],
    ]);
    await rejection(applyImport(cast.operatorOwner, rows, { source }), "invalid");
    expect(await db().client.count({ where: { clientId: { in: [mine, theirs] } } })).toBe(0);

    const auditorPlan = await planImport(cast.auditor, rows);
    expect(auditorPlan.entries.map((e) => e.reasons)).toEqual([["Auditors have read-only access."], ["Auditors have read-only access."]]);
  });

  it("maps a Keycloak export: client-secret imported, client-jwt, public and built-in clients skipped", async () => {
    const created = Math.floor((Date.now() - 200 * DAY_MS) / 1000);
    const secretId = uniq("kc-secret");
    const realm = JSON.stringify({
      clients: [
        { clientId: secretId, publicClient: false, clientAuthenticatorType: "client-secret", serviceAccountsEnabled: true, attributes: { "client.secret.creation.time": String(created) } },
        { clientId: "kc-jwt", publicClient: false, clientAuthenticatorType: "client-jwt", attributes: { "use.jwks.url": "true", "jwks.url": "https://kc.example.test/jwks", "token.endpoint.auth.signing.alg": "RS256" } },
        { clientId: "kc-spa", publicClient: true },
        { clientId: "security-admin-console", publicClient: true },
      ],
    });
    const rows = readKeycloakExport(realm, { environment: "production", team: cast.teamB.name, contactEmail: "iam@example.test" });
    const plan = await planImport(cast.admin, rows);
    expect(plan.entries.map((e) => [e.clientId, e.action, e.reasons])).toEqual([
      [secretId, "create", []],
      ["kc-jwt", "skip", ["private_key_jwt (client-jwt): key management not available yet; it will need jwks.url https://kc.example.test/jwks, signing alg RS256"]],
      ["kc-spa", "skip", ["public client: it has no credentials to migrate"]],
      ["security-admin-console", "skip", ["built-in"]],
    ]);
    const result = await applyImport(cast.admin, rows, { source: { format: "keycloak", file: "realm.json" } });
    expect(result.totals).toMatchObject({ create: 1, skip: 3 });
    const client = await db().client.findUniqueOrThrow({ where: { clientId: secretId }, include: { secrets: true } });
    expect(client).toMatchObject({ name: secretId, ownerTeamId: cast.teamB.id, environment: "production", authMethod: "client_secret_basic" });
    expect(client.secrets[0]).toMatchObject({ external: true, createdAt: new Date(created * 1000) });
    expect(await db().client.count({ where: { clientId: { in: ["kc-jwt", "kc-spa", "security-admin-console"] } } })).toBe(0);
  });

  it("updates an existing client's fields but never its method, and audits the change", async () => {
    const client = await createClient(cast.admin, clientInput(cast.teamA.id, { clientId: uniq("upd"), scopes: ["read"] }));
    const rows = readInventoryCsv(csv(`${client.clientId},Renamed,staging,${cast.teamB.name},new@example.test,client_secret_post,,,,`));
    const result = await applyImport(cast.admin, rows, { source });
    expect(result.entries[0]).toMatchObject({ action: "update", notes: ["auth_method stays client_secret_basic (it changes only through a migration)"] });
    const row = await db().client.findUniqueOrThrow({ where: { id: client.id } });
    // empty grant_types and scopes cells keep the current values
    expect(row).toMatchObject({ name: "Renamed", environment: "staging", ownerTeamId: cast.teamB.id, contactEmail: "new@example.test", authMethod: "client_secret_basic", scopes: "read", searchText: `${client.clientId} renamed` });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "client.import_update", targetId: client.clientId } });
    expect(JSON.parse(audit.details).changed).toMatchObject({ name: { to: "Renamed" }, ownerTeamId: { from: cast.teamA.name, to: cast.teamB.name } });
  });
});

describe("inventory export", () => {
  it("exports CSV that imports again with no changes", async () => {
    const text = await collect(exportClients(cast.auditor, "csv"));
    const listed = await db().client.count({ where: { status: { in: ["active", "disabled"] } } });
    expect(text.split("\r\n")[0]).toBe(`${HEADER.replace("environment,team", "description,environment,team")},status,secret_status,last_auth_at,created_at`);
    const rows = readInventoryCsv(text);
    expect(rows).toHaveLength(listed);
    const plan = await planImport(cast.admin, rows);
    expect(plan.totals).toEqual({ rows: listed, create: 0, update: 0, skip: listed, invalid: 0 });
    expect(new Set(plan.entries.flatMap((e) => e.reasons))).toEqual(new Set(["no changes"]));
    expect(plan.entries.flatMap((e) => e.notes)).toEqual([]);
  });

  it("exports JSON objects with snake_case keys and no deleted clients", async () => {
    const records = JSON.parse(await collect(exportClients(cast.auditor, "json"))) as Record<string, unknown>[];
    const deleted = await db().client.findFirstOrThrow({ where: { status: "deleted" } });
    expect(records.some((r) => r.client_id === deleted.clientId)).toBe(false);
    const one = await db().client.findFirstOrThrow({ where: { status: "active" }, include: { ownerTeam: true } });
    expect(records.find((r) => r.client_id === one.clientId)).toMatchObject({ name: one.name, team: one.ownerTeam.name, auth_method: one.authMethod, status: "active", secret_status: "valid" });
  });
});

describe("inventory CLI", () => {
  const cli = (args: string[]) => {
    const result = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/cli.ts", ...args], { cwd: root, env: process.env, encoding: "utf8", timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it("import --dry-run prints the plan and totals, writes nothing, exit 0", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyshift-inventory-"));
    const file = path.join(dir, "clients.csv");
    const id = uniq("cli");
    fs.writeFileSync(file, csv(`${id},From CLI,production,${cast.teamA.name},a@example.test,client_secret_basic,,,,`, `x2,Bad,production,Nowhere,a@example.test,client_secret_basic,,,,`));
    const audits = await auditCount();
    try {
      const run = cli(["import", "--file", file, "--dry-run"]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.split("\n")).toEqual([
        `create  line 2       ${id}`,
        `invalid line 3       x2: team "Nowhere" does not exist`,
        "2 rows: 1 to create, 0 to update, 0 skipped, 1 invalid",
        "",
      ]);
      expect(run.stderr).toContain("dry run: nothing was written");
      expect(await db().client.count({ where: { clientId: id } })).toBe(0);
      expect(await auditCount()).toBe(audits);

      const real = cli(["import", "--file", file]);
      expect(real.status).toBe(4);
      expect(real.stderr).toContain("1 invalid row(s): nothing was imported");
      expect(await db().client.count({ where: { clientId: id } })).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("export --format json prints the registry to standard output", async () => {
    const run = cli(["export", "--format", "json"]);
    expect(run.status, run.stderr).toBe(0);
    const records = JSON.parse(run.stdout) as { client_id: string }[];
    expect(records.map((r) => r.client_id)).toEqual(
      (await db().client.findMany({ where: { status: { in: ["active", "disabled"] } }, orderBy: { clientId: "asc" }, select: { clientId: true } })).map((c) => c.clientId),
    );
  });
});
