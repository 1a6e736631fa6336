// The traffic and migration dashboards on a real database: traffic figures read from the daily
// roll-up only (every day present, the 90- and 30-day windows' edges, deleted clients left out of the
// legacy-audience list), migration counts per team and environment equal to the client lists they link
// to, and the CSV export route's session check and formula-safe cells. The console session is faked
// at the next-auth boundary, as in import-run.test.ts; the role still comes from the database.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as exportGet } from "@/app/(console)/dashboards/export/route";
import { listClients } from "@/lib/clients/queries";
import { ClientListQuerySchema } from "@/lib/clients/schema";
import { dayTotals } from "@/lib/db/hot-path";
import { db, disconnect } from "@/lib/db";
import { CSV_TABLES } from "@/lib/metrics/csv-tables";
import { migrationDashboard, type MigrationRow } from "@/lib/metrics/migration";
import { failuresByReason, legacyAudienceClients, methodMix, trafficDashboard } from "@/lib/metrics/traffic";
import { DAY_MS } from "@/lib/secrets/status";
import { makeCast, resetDatabase, uniq, type Cast } from "./helpers";

const fake = vi.hoisted(() => ({ uid: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (fake.uid ? { uid: fake.uid } : null),
}));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => new Headers({ "x-forwarded-for": "198.51.100.7" }),
}));

const now = new Date("2026-06-15T12:00:00.000Z");
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
let cast: Cast;
const ids: Record<string, string> = {};

type Seed = { key: string; team: "A" | "B"; environment: string; migrationState: string; status?: string; dualUntil?: Date; breakGlassUntil?: Date; name?: string };
const CLIENTS: Seed[] = [
  { key: "c1", team: "A", environment: "production", migrationState: "secret_only" },
  { key: "c2", team: "A", environment: "production", migrationState: "keys_registered" },
  { key: "c3", team: "A", environment: "staging", migrationState: "dual", dualUntil: new Date(now.getTime() - DAY_MS) },
  { key: "c4", team: "A", environment: "staging", migrationState: "dual", dualUntil: new Date(now.getTime() + 5 * DAY_MS), name: "=SUM(1,2)" },
  { key: "c5", team: "B", environment: "development", migrationState: "private_key_jwt", breakGlassUntil: new Date(now.getTime() + DAY_MS) },
  { key: "c6", team: "B", environment: "production", migrationState: "private_key_jwt", status: "disabled", breakGlassUntil: new Date(now.getTime() - DAY_MS) },
  { key: "c7", team: "B", environment: "production", migrationState: "dual", status: "deleted", dualUntil: new Date(now.getTime() - DAY_MS) },
  // overdue from the very instant its window ends (dualUntil <= now), as the client list's filter
  { key: "c8", team: "A", environment: "production", migrationState: "dual", dualUntil: now },
];

type Roll = { day: string; client: string; method: string; outcome?: string; reason?: string; audienceForm?: string; endpoint?: string; count: number };
const ROLLS: Roll[] = [
  // method mix: today, the 90-day window's first day (2026-03-18) and the day before it (excluded)
  { day: "2026-06-15", client: "c1", method: "client_secret_basic", count: 5 },
  { day: "2026-06-15", client: "c1", method: "client_secret_basic", endpoint: "introspect", count: 1 },
  { day: "2026-06-15", client: "c2", method: "client_secret_post", count: 2 },
  { day: "2026-06-15", client: "c3", method: "private_key_jwt", audienceForm: "issuer", count: 3 },
  { day: "2026-03-18", client: "c1", method: "client_secret_basic", count: 11 },
  { day: "2026-03-17", client: "c1", method: "client_secret_basic", count: 100 },
  // legacy audience (also successful private_key_jwt traffic): c4 9; c3 7 last 06-15; c8 7 last 06-12; c2 1 on the window's first day
  { day: "2026-06-15", client: "c3", method: "private_key_jwt", audienceForm: "token_endpoint", count: 4 },
  { day: "2026-06-10", client: "c3", method: "private_key_jwt", audienceForm: "token_endpoint", count: 3 },
  { day: "2026-06-01", client: "c4", method: "private_key_jwt", audienceForm: "token_endpoint", count: 9 },
  { day: "2026-06-12", client: "c8", method: "private_key_jwt", audienceForm: "token_endpoint", count: 7 },
  { day: "2026-05-17", client: "c2", method: "private_key_jwt", audienceForm: "token_endpoint", count: 1 },
  { day: "2026-05-16", client: "c2", method: "private_key_jwt", audienceForm: "token_endpoint", count: 40 }, // a day before the 30-day window
  { day: "2026-06-11", client: "c7", method: "private_key_jwt", audienceForm: "token_endpoint", count: 20 }, // deleted since
  // failures over the last 30 days (2026-05-17 to today)
  { day: "2026-06-14", client: "c5", method: "private_key_jwt", outcome: "failure", reason: "signature_invalid", audienceForm: "token_endpoint", count: 30 },
  { day: "2026-06-15", client: "c1", method: "client_secret_basic", outcome: "failure", reason: "secret_mismatch", count: 4 },
  { day: "2026-06-01", client: "", method: "client_secret_basic", outcome: "failure", reason: "client_unknown", count: 3 },
  { day: "2026-05-17", client: "c2", method: "client_secret_post", outcome: "failure", reason: "secret_expired", count: 2 },
  { day: "2026-05-16", client: "c2", method: "client_secret_post", outcome: "failure", reason: "secret_expired", count: 50 },
  { day: "2026-06-02", client: "", method: "", outcome: "failure", reason: "no_client_auth", count: 1 },
];

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  for (const c of CLIENTS) {
    const clientId = uniq(c.key);
    const name = c.name ?? `Client ${c.key}`;
    const row = await db().client.create({
      data: {
        clientId,
        name,
        environment: c.environment,
        ownerTeamId: c.team === "A" ? cast.teamA.id : cast.teamB.id,
        contactEmail: "owner@example.test",
        status: c.status ?? "active",
        authMethod: c.migrationState === "private_key_jwt" ? "private_key_jwt" : "client_secret_basic",
        acceptedMethods: "client_secret_basic",
        grantTypes: "client_credentials",
        searchText: `${clientId} ${name}`.toLowerCase(),
        migrationState: c.migrationState,
        dualUntil: c.dualUntil,
        breakGlassUntil: c.breakGlassUntil,
      },
    });
    ids[c.key] = row.id;
  }
  const dailyRows = ROLLS.map((r) => ({
      day: day(r.day),
      endpoint: r.endpoint ?? "token",
      clientDbId: r.client ? ids[r.client] : "",
      method: r.method,
      outcome: r.outcome ?? "success",
      reason: r.reason ?? "",
      audienceForm: r.audienceForm ?? "",
      count: r.count,
    }));
  await db().authEventDaily.createMany({ data: dailyRows });
  // the organisation-wide totals, exactly as the event writer keeps them
  await db().authEventDayTotal.createMany({ data: dayTotals(dailyRows) });
  // a raw event the roll-up does not hold: the dashboards never read raw events, so it counts nowhere
  await db().authEvent.create({ data: { at: now, endpoint: "token", clientDbId: ids.c1, clientId: "raw", method: "client_secret_basic", outcome: "success", address: "198.51.100.7" } });
});
beforeEach(() => {
  fake.uid = cast.auditor.id;
});
afterAll(disconnect);

describe("traffic dashboard", () => {
  it("lists all 90 UTC days up to today, zeros included, with successes per method", async () => {
    const days = await methodMix(cast.auditor, now);
    expect(days).toHaveLength(90);
    expect(days[0].day).toBe("2026-03-18");
    expect(days.at(-1)!.day).toBe("2026-06-15");
    const byDay = Object.fromEntries(days.map(({ day: d, ...counts }) => [d, counts]));
    expect(byDay["2026-06-15"]).toEqual({ client_secret_basic: 6, client_secret_post: 2, private_key_jwt: 7 });
    expect(byDay["2026-03-18"]).toEqual({ client_secret_basic: 11, client_secret_post: 0, private_key_jwt: 0 });
    expect(byDay["2026-06-14"]).toEqual({ client_secret_basic: 0, client_secret_post: 0, private_key_jwt: 0 }); // failures only
    expect(byDay["2026-05-16"]).toEqual({ client_secret_basic: 0, client_secret_post: 0, private_key_jwt: 40 });
    // the day's traffic counts every authentication, including one by a client deleted since
    expect(byDay["2026-06-11"].private_key_jwt).toBe(20);
    const total = days.reduce((sum, d) => sum + d.client_secret_basic + d.client_secret_post + d.private_key_jwt, 0);
    expect(total).toBe(6 + 2 + 3 + 11 + 4 + 3 + 9 + 7 + 1 + 40 + 20); // not the day before the window, not the raw event
  });

  it("moves the window with the clock: the first day drops out the next day", async () => {
    const days = await methodMix(cast.auditor, new Date("2026-06-16T00:00:00.000Z"));
    expect(days[0]).toEqual({ day: "2026-03-19", client_secret_basic: 0, client_secret_post: 0, private_key_jwt: 0 });
    expect(days.at(-1)!.day).toBe("2026-06-16");
  });

  it("counts failures by reason over the last 30 days, most first, in plain words", async () => {
    const failures = await failuresByReason(cast.auditor, now);
    expect(failures.map((f) => [f.reason, f.count])).toEqual([
      ["signature_invalid", 30],
      ["secret_mismatch", 4],
      ["client_unknown", 3],
      ["secret_expired", 2], // the 50 a day before the window are left out
      ["no_client_auth", 1],
    ]);
    expect(failures[1].description).toBe("The secret matches none of the client's secrets.");
  });

  it("lists clients sending the legacy audience, most first, ties by latest day, deleted clients left out", async () => {
    const { rows, truncated } = await legacyAudienceClients(cast.auditor, now);
    expect(truncated).toBe(false);
    expect(rows.map((r) => [r.id, r.count, r.lastSeen.toISOString().slice(0, 10)])).toEqual([
      [ids.c4, 9, "2026-06-01"],
      [ids.c3, 7, "2026-06-15"],
      [ids.c8, 7, "2026-06-12"],
      [ids.c2, 1, "2026-05-17"],
    ]);
    expect(rows[1]).toMatchObject({ name: "Client c3", environment: "staging", team: { id: cast.teamA.id, name: cast.teamA.name } });
  });

  it("says when the legacy-audience list is cut at its limit", async () => {
    const { rows, truncated } = await legacyAudienceClients(cast.auditor, now, 2);
    expect(rows.map((r) => r.id)).toEqual([ids.c4, ids.c3]);
    expect(truncated).toBe(true);
  });

  it("shows nothing but zeros on a database without traffic in the window", async () => {
    const result = await trafficDashboard(cast.auditor, new Date("2027-06-15T12:00:00.000Z"));
    expect(result.methods.every((d) => d.client_secret_basic + d.client_secret_post + d.private_key_jwt === 0)).toBe(true);
    expect(result.failures).toEqual([]);
    expect(result.legacyAudience.rows).toEqual([]);
  });
});

describe("migration dashboard", () => {
  const counts = (row: MigrationRow) => ({ ...Object.fromEntries(Object.entries(row.cells).map(([k, f]) => [k, f.count])), total: row.total.count });

  it("counts listed clients per state, overdue and live break-glass secrets, leaving deleted clients out", async () => {
    const result = await migrationDashboard(cast.auditor, now);
    expect(counts(result.states)).toEqual({ secret_only: 1, keys_registered: 1, dual: 3, private_key_jwt: 2, overdue: 2, total: 7 });
    expect(result.breakGlass.count).toBe(1);
    expect(result.breakGlass.rows.map((r) => r.id)).toEqual([ids.c5]);
  });

  it("counts per owner team and per environment", async () => {
    const result = await migrationDashboard(cast.auditor, now);
    expect(Object.fromEntries(result.perTeam.map((r) => [r.key, counts(r)]))).toEqual({
      [cast.teamA.id]: { secret_only: 1, keys_registered: 1, dual: 3, private_key_jwt: 0, overdue: 2, total: 5 },
      [cast.teamB.id]: { secret_only: 0, keys_registered: 0, dual: 0, private_key_jwt: 2, overdue: 0, total: 2 },
    });
    expect(Object.fromEntries(result.perEnvironment.map((r) => [r.key, counts(r)]))).toEqual({
      production: { secret_only: 1, keys_registered: 1, dual: 1, private_key_jwt: 1, overdue: 1, total: 4 },
      staging: { secret_only: 0, keys_registered: 0, dual: 2, private_key_jwt: 0, overdue: 1, total: 2 },
      development: { secret_only: 0, keys_registered: 0, dual: 0, private_key_jwt: 1, overdue: 0, total: 1 },
    });
  });

  it("links every figure to a client list of exactly that many clients", async () => {
    const result = await migrationDashboard(cast.auditor, now);
    for (const row of [result.states, ...result.perTeam, ...result.perEnvironment]) {
      for (const figure of [row.total, ...Object.values(row.cells)]) {
        const params = Object.fromEntries(new URL(figure.href, "http://x").searchParams);
        const list = await listClients(cast.auditor, ClientListQuerySchema.parse(params), now);
        expect(list.total, figure.href).toBe(figure.count);
      }
    }
    expect(result.perTeam.find((r) => r.key === cast.teamA.id)!.cells.overdue.href).toBe(`/clients?migration=overdue&team=${cast.teamA.id}`);
    expect(result.perEnvironment.find((r) => r.key === "staging")!.cells.dual.href).toBe("/clients?migration=dual&environment=staging");
  });
});

describe("dashboard CSV export", () => {
  // the route reads at the clock: stop it at the seeded "now" (only Date; timers keep running)
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(now);
  });
  afterEach(() => vi.useRealTimers());
  const exportRequest = (table: string) => new Request(`http://keyshift.test/dashboards/export?table=${encodeURIComponent(table)}`);

  it("answers 401 without a session and reads nothing", async () => {
    fake.uid = null;
    const response = await exportGet(exportRequest("migration-teams"));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("unauthenticated");
  });

  it("answers 401 for a disabled user's session: the role is read from the database", async () => {
    await db().user.update({ where: { id: cast.operatorOther.id }, data: { disabledAt: new Date() } });
    fake.uid = cast.operatorOther.id;
    expect((await exportGet(exportRequest("traffic-failures"))).status).toBe(401);
  });

  it.each([{ name: "an unknown table", table: "traffic-nothing" }, { name: "an inherited property", table: "constructor" }])("answers 404 for $name", async ({ table }) => {
    const response = await exportGet(exportRequest(table));
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("not_found");
  });

  it("exports every registered table as a CSV download to an auditor", async () => {
    for (const table of Object.keys(CSV_TABLES)) {
      const response = await exportGet(exportRequest(table));
      expect(response.status, table).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="keyshift-${table}-\\d{14}\\.csv"$`));
    }
  });

  it("writes the per-environment table with one figure per state, as the dashboard counts them", async () => {
    const text = await (await exportGet(exportRequest("migration-environments"))).text();
    expect(text).toBe(
      ["environment,secret_only,keys_registered,dual,private_key_jwt,overdue,total", "production,1,1,1,1,1,4", "staging,0,0,2,0,1,2", "development,0,0,0,1,0,1", ""].join("\r\n"),
    );
  });

  it("writes the failures table with the reasons' plain words", async () => {
    const lines = (await (await exportGet(exportRequest("traffic-failures"))).text()).split("\r\n");
    expect(lines[0]).toBe("reason,description,count");
    expect(lines[1]).toBe("signature_invalid,The assertion's signature does not verify with the client's key.,30");
    expect(lines).toHaveLength(7); // header, five reasons, the final line break
  });

  it("neutralises a client name that a spreadsheet would run as a formula", async () => {
    const table = await CSV_TABLES["traffic-legacy-audience"].build(cast.auditor, now);
    expect(table.rows[0]).toEqual([expect.stringMatching(/^c4-/), "=SUM(1,2)", "staging", cast.teamA.name, 9, "2026-06-01"]);
    // the cell carries a leading quote (the audit export's csvLine) and is quoted for its comma
    const lines = (await (await exportGet(exportRequest("traffic-legacy-audience"))).text()).split("\r\n");
    expect(lines[0]).toBe("client_id,name,environment,team,count,last_seen_day");
    expect(lines[1]).toMatch(new RegExp(`^c4-[0-9a-f]+,"'=SUM\\(1,2\\)",staging,${cast.teamA.name},9,2026-06-01$`));
  });
});
