// The secret age and rotation health dashboards: exact figures on a seeded registry (bucket edges,
// per-environment policy maxima, expiry windows' inclusive ends, deleted clients left out), and every
// figure's drill-down link opening a client list of exactly that many clients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listClients } from "@/lib/clients/queries";
import { ClientListQuerySchema } from "@/lib/clients/schema";
import { db, disconnect } from "@/lib/db";
import { CSV_TABLES } from "@/lib/metrics/csv-tables";
import { rotationDashboard } from "@/lib/metrics/rotation";
import { secretAgeDashboard, type Figure } from "@/lib/metrics/secret-age";
import { DAY_MS } from "@/lib/secrets/status";
import { updateSettings } from "@/lib/settings";
import { makeCast, resetDatabase, uniq, type Cast } from "./helpers";

const now = new Date("2026-06-15T12:00:00.000Z");
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const days = (n: number) => n * DAY_MS;
const HOUR = 3_600_000;
let cast: Cast;
const ids: Record<string, string> = {};

type SecretSeed = { created: number; expires?: number | null; revoked?: boolean; rotated?: boolean; lastUsed?: number | null; external?: boolean; breakGlass?: boolean };
type KeySeed = { status?: string; created?: number; expires?: number | null; notBefore?: number; retiringUntil?: number; lastUsed?: number | null; certificate?: boolean };
type ClientSeed = {
  environment: string;
  team: "A" | "B";
  method?: string;
  status?: string;
  secrets?: SecretSeed[];
  keys?: KeySeed[];
  jwks?: { goodAt: number | null; failures: number };
};

/**
 * A client written straight to the database, with its secret summary kept as refreshSecretSummary
 * keeps it (the newest unrevoked secret). Offsets are milliseconds from `now` (negative: in the past).
 */
async function seedClient(name: string, seed: ClientSeed): Promise<void> {
  const clientId = uniq(name.toLowerCase());
  const method = seed.method ?? "client_secret_basic";
  const secrets = (seed.secrets ?? []).map((s) => ({
    hint: uniq("h").slice(2, 8),
    createdAt: at(s.created),
    expiresAt: s.expires === null ? null : at(s.expires ?? days(400)),
    revokedAt: s.revoked ? at(-HOUR) : null,
    rotatedAt: s.rotated ? at(-days(1)) : null,
    lastUsedAt: s.lastUsed == null ? null : at(s.lastUsed),
    external: !!s.external,
    breakGlass: !!s.breakGlass,
  }));
  const current = secrets.filter((s) => !s.revokedAt).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  const client = await db().client.create({
    data: {
      clientId,
      name,
      searchText: `${clientId} ${name}`.toLowerCase(),
      environment: seed.environment,
      ownerTeamId: seed.team === "A" ? cast.teamA.id : cast.teamB.id,
      contactEmail: "owner@example.test",
      status: seed.status ?? "active",
      authMethod: method,
      acceptedMethods: method,
      grantTypes: "client_credentials",
      secretCreatedAt: current?.createdAt ?? null,
      secretExpiresAt: current?.expiresAt ?? null,
      ...(seed.jwks ? { keySource: "jwks_uri", jwksUri: `https://${clientId}.example.test/jwks`, jwksGoodAt: seed.jwks.goodAt === null ? null : at(seed.jwks.goodAt), jwksFailures: seed.jwks.failures } : {}),
      secrets: { create: secrets },
      keys: {
        create: (seed.keys ?? []).map((k, i) => ({
          kid: `k${i}`,
          kty: "EC",
          alg: "ES256",
          thumbprint: uniq("tp"),
          publicJwk: "{}",
          source: k.certificate ? "certificate" : "upload",
          status: k.status ?? "active",
          createdAt: at(k.created ?? -days(10)),
          expiresAt: k.expires == null ? null : at(k.expires),
          notBefore: k.notBefore === undefined ? null : at(k.notBefore),
          retiringUntil: k.retiringUntil === undefined ? null : at(k.retiringUntil),
          lastUsedAt: k.lastUsed == null ? null : at(k.lastUsed),
          certificate: k.certificate ? JSON.stringify({ subject: "CN=test" }) : null,
        })),
      },
    },
  });
  ids[name] = client.id;
}

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  await updateSettings(cast.admin, {
    "policy.maxSecretAgeDays.staging": "90",
    "policy.requiredMethod.development": "private_key_jwt",
    "policy.requiredMethodFrom.development": "2026-01-01",
    "policy.requiredMethod.staging": "private_key_jwt",
    "policy.requiredMethodFrom.staging": "2026-12-01", // not yet
  });
  const prod = { environment: "production" } as const;
  await seedClient("P1", { ...prod, team: "A", secrets: [{ created: 0 }, { created: -days(1000), revoked: true, external: true }] });
  await seedClient("P2", { ...prod, team: "A", secrets: [{ created: -days(30) }] });
  await seedClient("P3", { ...prod, team: "A", secrets: [{ created: -days(250), rotated: true, expires: days(6) }, { created: -days(31) }] });
  await seedClient("P4", { ...prod, team: "B", method: "client_secret_post", secrets: [{ created: -days(366) }] });
  await seedClient("P5", { ...prod, team: "A", secrets: [{ created: -days(365), lastUsed: -days(10) }] });
  await seedClient("P6", {
    ...prod,
    team: "A",
    method: "private_key_jwt",
    secrets: [{ created: -days(1), expires: days(2), breakGlass: true }],
    keys: [
      { expires: days(30) },
      { created: -days(100) }, // unused, never used
      { created: -days(100), lastUsed: -days(91) }, // unused
      { created: -days(100), lastUsed: -days(89) },
      { status: "retiring", retiringUntil: days(3), lastUsed: -days(8) },
      { status: "retiring", retiringUntil: -HOUR, lastUsed: -days(1) }, // its window has ended
    ],
  });
  await seedClient("P7", { ...prod, team: "B", method: "private_key_jwt", secrets: [{ created: -days(10), expires: -days(1), breakGlass: true }, { created: -days(5), expires: days(1), breakGlass: true, revoked: true }] });
  await seedClient("S1", { environment: "staging", team: "B", secrets: [{ created: -days(91), lastUsed: -days(100) }] });
  await seedClient("S2", { environment: "staging", team: "A", secrets: [{ created: -days(90) }] });
  await seedClient("D1", { environment: "development", team: "A", secrets: [{ created: -days(500), external: true }] });
  await seedClient("D2", {
    environment: "development",
    team: "B",
    method: "private_key_jwt",
    keys: [
      { expires: days(7), certificate: true, lastUsed: -days(1) },
      { status: "retired", expires: days(3) },
      { created: -days(90) }, // exactly 90 days old: not yet unused
      { status: "scheduled", notBefore: days(1), created: -days(200) },
      { status: "scheduled", notBefore: -days(100), created: -days(120) }, // active since its date, unused
      { status: "retiring", retiringUntil: days(3), lastUsed: -days(7), created: -days(100) }, // in use
      { created: -days(200), expires: 0 }, // expired now
    ],
  });
  await seedClient("DIS", { ...prod, team: "B", status: "disabled", secrets: [{ created: -days(200), expires: days(7), lastUsed: -days(1) }] });
  await seedClient("E1", { ...prod, team: "A", secrets: [{ created: -days(10), expires: days(30) }] });
  await seedClient("E2", { ...prod, team: "A", secrets: [{ created: -days(9), expires: days(30) + 1000 }] });
  await seedClient("E3", { ...prod, team: "A", secrets: [{ created: -days(10), expires: 0 }] });
  await seedClient("X1", {
    ...prod,
    team: "A",
    status: "deleted",
    // deleting a client revokes its secrets (lib/clients/commands.ts deleteClient; clients.test.ts holds it)
    secrets: [{ created: -days(400), external: true, revoked: true }, { created: -days(1), expires: days(1), breakGlass: true, revoked: true }],
    keys: [{ expires: days(5), created: -days(200) }, { status: "retiring", retiringUntil: days(3), lastUsed: -days(1) }],
    jwks: { goodAt: null, failures: 4 },
  });
  const pkjwt = { ...prod, team: "A", method: "private_key_jwt" } as const;
  await seedClient("J1", { ...pkjwt, jwks: { goodAt: -HOUR, failures: 0 } });
  await seedClient("J2", { ...pkjwt, jwks: { goodAt: -2 * HOUR, failures: 2 } });
  await seedClient("J3", { ...pkjwt, jwks: { goodAt: -25 * HOUR, failures: 3 } });
  await seedClient("J4", { ...pkjwt, jwks: { goodAt: null, failures: 1 } });
});
afterAll(disconnect);

const names = (rows: { client: { id: string } }[] | { id: string }[]) =>
  rows.map((r) => Object.keys(ids).find((n) => ids[n] === ("client" in r ? r.client.id : r.id)));

/** The client list at `href`, parsed as the page parses its query string. */
async function listAt(href: string) {
  const query = Object.fromEntries(new URL(href, "http://localhost").searchParams);
  return listClients(cast.auditor, ClientListQuerySchema.parse(query), now);
}

async function expectDrillDown(figure: Figure) {
  expect((await listAt(figure.href)).total, figure.href).toBe(figure.count);
}

describe("secret age dashboard", () => {
  it("counts current valid secrets per environment into age buckets, with each environment's maximum", async () => {
    const { histogram } = await secretAgeDashboard(cast.auditor, now);
    const byEnv = Object.fromEntries(histogram.map((h) => [h.environment, { max: h.maxAgeDays, counts: h.buckets.map((b) => b.count) }]));
    expect(byEnv).toEqual({
      // 0–30 holds ages 0 and 30 (P1, P2, P6, E1, E2), 31 starts the next bucket, 365 is the last day of 181–365
      production: { max: 365, counts: [5, 1, 0, 2, 1] },
      staging: { max: 90, counts: [0, 1, 1, 0, 0] },
      development: { max: null, counts: [0, 0, 0, 0, 1] },
    });
    for (const h of histogram) for (const b of h.buckets) await expectDrillDown(b);
  });

  it("lists the oldest valid secrets of listed clients, rotating ones included", async () => {
    const { oldest } = await secretAgeDashboard(cast.auditor, now);
    expect(names(oldest.rows)).toEqual(["D1", "P4", "P5", "P3", "DIS", "S1", "S2", "P3", "P2", "E1", "E2", "P6", "P1"]);
    expect(oldest.rows[3].rotatedAt).not.toBeNull();
  });

  it("counts breaches per team and environment: too old against each maximum, on a secret after the required date", async () => {
    const { breaches } = await secretAgeDashboard(cast.auditor, now);
    const cells = breaches.rows.map((r) => ({ team: r.team.id, env: r.environment, tooOld: r.tooOld?.count ?? null, afterRequired: r.afterRequired?.count ?? null }));
    expect(cells).toEqual(
      expect.arrayContaining([
        { team: cast.teamB.id, env: "production", tooOld: 1, afterRequired: null },
        { team: cast.teamB.id, env: "staging", tooOld: 1, afterRequired: null },
        { team: cast.teamA.id, env: "development", tooOld: null, afterRequired: 1 },
      ]),
    );
    expect(cells).toHaveLength(3);
    const prodB = breaches.rows.find((r) => r.team.id === cast.teamB.id && r.environment === "production")!;
    expect(prodB.tooOld!.href).toBe(`/clients?environment=production&team=${cast.teamB.id}&olderThan=365&onSecret=1`);
    expect(breaches.rows.find((r) => r.environment === "development")!.afterRequired!.href).toBe(`/clients?environment=development&team=${cast.teamA.id}&onSecret=1`);
    expect(breaches.totals.map((t) => [t.environment, t.tooOld?.count ?? null, t.afterRequired?.count ?? null])).toEqual([
      ["production", 1, null],
      ["staging", 1, null],
      ["development", null, 1],
    ]);
    for (const figure of [...breaches.rows.flatMap((r) => [r.tooOld, r.afterRequired]), ...breaches.totals.flatMap((t) => [t.tooOld, t.afterRequired])]) {
      if (figure) await expectDrillDown(figure);
    }
  });

  it("counts valid secrets unused for 90 days and imported external secrets, leaving deleted clients out", async () => {
    const { unused, external } = await secretAgeDashboard(cast.auditor, now);
    expect({ secrets: unused.secrets, clients: unused.clients.count }).toEqual({ secrets: 4, clients: 4 });
    expect(names(unused.rows)).toEqual(["D1", "P4", "P3", "S1"]);
    expect(unused.clients.href).toBe("/clients?unused=90");
    expect({ secrets: external.secrets, clients: external.clients.count }).toEqual({ secrets: 1, clients: 1 });
    expect(names(external.rows)).toEqual(["D1"]);
    await expectDrillDown(unused.clients);
    await expectDrillDown(external.clients);
  });
});

describe("rotation health dashboard", () => {
  it("counts clients whose current secret expires within 7 and 30 days, the window's end included", async () => {
    const { secrets } = await rotationDashboard(cast.auditor, now);
    expect(secrets.windows.map((w) => [w.days, w.clients.count])).toEqual([
      [7, 2],
      [30, 3],
    ]);
    expect(names(secrets.rows)).toEqual(["P6", "DIS", "E1"]);
    for (const w of secrets.windows) await expectDrillDown(w.clients);
  });

  it("counts keys and certificates expiring within 7 and 30 days, retired keys and deleted clients left out", async () => {
    const { keys } = await rotationDashboard(cast.auditor, now);
    expect(keys.windows.map((w) => ({ days: w.days, keys: w.keys, certificates: w.certificates, clients: w.clients.count }))).toEqual([
      { days: 7, keys: 1, certificates: 1, clients: 1 },
      { days: 30, keys: 2, certificates: 1, clients: 2 },
    ]);
    expect(names(keys.rows)).toEqual(["D2", "P6"]);
    expect(keys.rows[0].isCertificate).toBe(true);
    for (const w of keys.windows) await expectDrillDown(w.clients);
  });

  it("counts active keys unused for 90 days and retiring keys used in the last 7 days", async () => {
    const { unused, retiring } = await rotationDashboard(cast.auditor, now);
    expect({ keys: unused.keys, clients: unused.clients }).toEqual({ keys: 3, clients: 2 });
    expect(names(unused.rows).sort()).toEqual(["D2", "P6", "P6"]);
    expect({ keys: retiring.keys, clients: retiring.clients }).toEqual({ keys: 1, clients: 1 });
    expect(names(retiring.rows)).toEqual(["D2"]);
  });

  it("counts jwks_uri health as jwksHealth judges it and lists the unhealthy ones", async () => {
    const { jwks } = await rotationDashboard(cast.auditor, now);
    expect({ healthy: jwks.healthy, degraded: jwks.degraded, failing: jwks.failing }).toEqual({ healthy: 1, degraded: 1, failing: 2 });
    expect(names(jwks.rows).sort()).toEqual(["J2", "J3", "J4"]);
  });

  it("lists break-glass secrets alive, not expired or revoked ones", async () => {
    const { breakGlass } = await rotationDashboard(cast.auditor, now);
    expect(breakGlass.count).toBe(1);
    expect(names(breakGlass.rows)).toEqual(["P6"]);
    expect(breakGlass.rows[0].expiresAt).toEqual(at(days(2)));
  });
});

describe("CSV exports", () => {
  const TABLES = ["secret-age-histogram", "oldest-secrets", "breaches", "unused-secrets", "external-secrets", "expiring-secrets", "expiring-keys", "unused-keys", "retiring-keys-in-use", "jwks-uri-health", "break-glass"];

  it("exports every table of both dashboards with the rows the page shows", async () => {
    const built = Object.fromEntries(await Promise.all(TABLES.map(async (name) => [name, await CSV_TABLES[name].build(cast.auditor, now)] as const)));
    for (const name of TABLES) for (const row of built[name].rows) expect(row, name).toHaveLength(built[name].columns.length);
    expect(built["secret-age-histogram"].rows).toEqual([
      ["production", 365, 5, 1, 0, 2, 1, 9],
      ["staging", 90, 0, 1, 1, 0, 0, 2],
      ["development", null, 0, 0, 0, 0, 1, 1],
    ]);
    expect(built["oldest-secrets"].rows).toHaveLength(13);
    expect(built["unused-secrets"].rows).toHaveLength(4);
    expect(built["expiring-secrets"].rows.map((r) => r[1])).toEqual(["P6", "DIS", "E1"]);
    expect(built["expiring-keys"].rows.map((r) => [r[1], r[6]])).toEqual([
      ["D2", true],
      ["P6", false],
    ]);
    expect(built["unused-keys"].rows).toHaveLength(3);
    expect(built["retiring-keys-in-use"].rows).toHaveLength(1);
    expect(built["jwks-uri-health"].rows).toHaveLength(3);
    expect(built["break-glass"].rows.map((r) => r[1])).toEqual(["P6"]);
  });
});
