// The traffic and migration dashboards in the browser: real token requests (secrets, a wrong secret,
// an assertion with the legacy audience) show up in the figures, every figure equals what the e2e
// database holds, a migration figure opens a client list of the same length, and neither page has a
// serious or critical accessibility violation (axe).
import crypto from "node:crypto";
import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { importJWK, SignJWT, type JWK } from "jose";
import { E2E, type InteropClients } from "./env";
import { keepScreenshot, openClient, signIn } from "./helpers";

const DAY_MS = 86_400_000;
const METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"] as const;
const STATES = ["secret_only", "keys_registered", "dual", "private_key_jwt"] as const;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
const num = (n: number) => n.toLocaleString("en");

/** Reads the e2e database the server writes (read-only): the expected figures come from its rows. */
function readDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(E2E.serverEnv.DATABASE_URL.replace(/^file:/, ""), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

type DailyRow = { day: string | number; clientDbId: string; method: string; outcome: string; reason: string; audienceForm: string; count: number };
const utcDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const dayOf = (value: string | number) => utcDay(new Date(value).getTime());

/** The traffic figures as the dashboard should show them, computed from every roll-up row. */
function expectedTraffic() {
  const rows = readDb((db) => db.prepare(`SELECT "day", "clientDbId", "method", "outcome", "reason", "audienceForm", "count" FROM "AuthEventDaily"`).all() as DailyRow[]);
  const deleted = new Set(readDb((db) => (db.prepare(`SELECT "id" FROM "Client" WHERE "status" = 'deleted'`).all() as { id: string }[]).map((r) => r.id)));
  const today = utcDay(Date.now());
  const since30 = today - 29 * DAY_MS;
  const todayMix = Object.fromEntries(METHODS.map((m) => [m, 0])) as Record<(typeof METHODS)[number], number>;
  const failures = new Map<string, number>();
  const legacy = new Map<string, number>();
  for (const r of rows) {
    const day = dayOf(r.day);
    if (r.outcome === "success" && day === today && (METHODS as readonly string[]).includes(r.method)) todayMix[r.method as (typeof METHODS)[number]] += r.count;
    if (day < since30 || day > today) continue;
    if (r.outcome === "failure") failures.set(r.reason, (failures.get(r.reason) ?? 0) + r.count);
    if (r.outcome === "success" && r.audienceForm === "token_endpoint" && r.clientDbId && !deleted.has(r.clientDbId)) legacy.set(r.clientDbId, (legacy.get(r.clientDbId) ?? 0) + r.count);
  }
  const total = rows.filter((r) => dayOf(r.day) === today).reduce((sum, r) => sum + r.count, 0);
  return { today: new Date(today).toISOString().slice(0, 10), todayMix, failures, legacy, total };
}

async function legacyAssertion(clients: InteropClients): Promise<string> {
  const key = clients.privateKeyJwt.keys.find((k) => k.alg === "ES256")!;
  const now = Math.floor(Date.now() / 1000);
  const { clientId } = clients.privateKeyJwt;
  // the token endpoint URL as audience: accepted only under the client's audience compatibility mode
  return new SignJWT({ iss: clientId, sub: clientId, aud: `${E2E.issuer}/oauth/token`, iat: now, exp: now + 60, jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: "ES256", kid: key.kid })
    .sign(await importJWK(key.privateJwk as JWK, "ES256"));
}

async function setAudienceCompat(page: Page, on: boolean): Promise<void> {
  await openClient(page, "Interop private_key_jwt");
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await page.getByLabel("Audience compatibility").setChecked(on);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`)).toEqual([]);
}

test("the traffic dashboard shows today's authentications, failures and legacy-audience senders exactly", async ({ page, request }) => {
  const clients = JSON.parse(fs.readFileSync(E2E.interopFile, "utf8")) as InteropClients;
  await signIn(page, E2E.admin.email, E2E.admin.password);
  await setAudienceCompat(page, true);
  const before = expectedTraffic();

  const grant = { grant_type: "client_credentials" };
  for (let i = 0; i < 2; i++) expect((await request.post("/oauth/token", { form: grant, headers: { Authorization: basic(clients.secretBasic.clientId, clients.secretBasic.secret) } })).status()).toBe(200);
  expect((await request.post("/oauth/token", { form: { ...grant, client_id: clients.secretPost.clientId, client_secret: clients.secretPost.secret } })).status()).toBe(200);
  expect((await request.post("/oauth/token", { form: grant, headers: { Authorization: basic(clients.secretBasic.clientId, "kss_not-the-secret") } })).status()).toBe(401);
  const legacy = await request.post("/oauth/token", {
    form: { ...grant, client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: await legacyAssertion(clients) },
  });
  expect(legacy.status()).toBe(200);

  // events are written in batches: wait until the roll-up holds all five
  await expect.poll(() => expectedTraffic().total, { timeout: 10_000 }).toBe(before.total + 5);
  const after = expectedTraffic();
  expect(after.todayMix).toEqual({
    client_secret_basic: before.todayMix.client_secret_basic + 2,
    client_secret_post: before.todayMix.client_secret_post + 1,
    private_key_jwt: before.todayMix.private_key_jwt + 1,
  });

  await page.goto("/dashboards/traffic");
  await expect(page.getByRole("heading", { level: 1, name: "Traffic" })).toBeVisible();
  await expect(page.getByTestId("method-day")).toHaveCount(90);
  const todayRow = page.locator(`[data-testid="method-day"][data-day="${after.today}"]`);
  for (const m of METHODS) await expect(todayRow.locator(`td[data-method="${m}"]`)).toHaveText(num(after.todayMix[m]));

  await expect(page.getByTestId("failure-row")).toHaveCount(after.failures.size);
  expect(after.failures.get("secret_mismatch")).toBe((before.failures.get("secret_mismatch") ?? 0) + 1);
  for (const [reason, count] of after.failures) {
    await expect(page.locator(`[data-testid="failure-row"][data-reason="${reason}"] [data-testid="failure-count"]`)).toHaveText(num(count));
  }
  await expect(page.locator('[data-testid="failure-row"][data-reason="secret_mismatch"]')).toContainText("The secret matches none of the client's secrets.");

  await expect(page.getByTestId("legacy-audience-row")).toHaveCount(after.legacy.size);
  const legacyRow = page.locator(`[data-testid="legacy-audience-row"][data-client-id="${clients.privateKeyJwt.clientId}"]`);
  const jwtDbId = readDb((db) => (db.prepare(`SELECT "id" FROM "Client" WHERE "clientId" = ?`).get(clients.privateKeyJwt.clientId) as { id: string }).id);
  await expect(legacyRow.getByTestId("legacy-audience-count")).toHaveText(num(after.legacy.get(jwtDbId)!));
  await expect(legacyRow.getByRole("link", { name: "Interop private_key_jwt" })).toHaveAttribute("href", `/clients/${jwtDbId}`);

  // the table exports as CSV through the session
  const csv = await page.request.get("/dashboards/export?table=traffic-legacy-audience");
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(`${clients.privateKeyJwt.clientId},Interop private_key_jwt,staging,`);
  await keepScreenshot(page, "dashboard-traffic");
  await setAudienceCompat(page, false);
});

type ClientRow = { ownerTeamId: string; environment: string; migrationState: string; dualUntil: string | number | null };

test("the migration dashboard counts listed clients per state, team and environment, and each figure opens that list", async ({ page }) => {
  const now = Date.now();
  const rows = readDb((db) => db.prepare(`SELECT "ownerTeamId", "environment", "migrationState", "dualUntil" FROM "Client" WHERE "status" IN ('active', 'disabled')`).all() as ClientRow[]);
  const teams = readDb((db) => db.prepare(`SELECT "id", "name" FROM "Team"`).all() as { id: string; name: string }[]);
  const overdue = (r: ClientRow) => r.migrationState === "dual" && r.dualUntil !== null && new Date(r.dualUntil).getTime() <= now;
  const figures = (subset: ClientRow[]): Record<(typeof STATES)[number] | "overdue" | "total", number> => ({
    ...(Object.fromEntries(STATES.map((s) => [s, subset.filter((r) => r.migrationState === s).length])) as Record<(typeof STATES)[number], number>),
    overdue: subset.filter(overdue).length,
    total: subset.length,
  });

  await signIn(page, "auditor@e2e.test", E2E.password);
  await page.goto("/dashboards/migration");
  await expect(page.getByRole("heading", { level: 1, name: "Migration" })).toBeVisible();
  const all = figures(rows);
  for (const column of [...STATES, "overdue"] as const) {
    await expect(page.getByTestId(`state-figure-${column}`).getByTestId("figure-value")).toHaveText(num(all[column]));
  }
  const teamRows = page.getByTestId("migration-teams-table").getByTestId("migration-row");
  const owning = teams.filter((t) => rows.some((r) => r.ownerTeamId === t.id));
  await expect(teamRows).toHaveCount(owning.length);
  for (const team of owning) {
    const expected = figures(rows.filter((r) => r.ownerTeamId === team.id));
    const row = page.getByTestId("migration-teams-table").locator(`[data-testid="migration-row"][data-key="${team.id}"]`);
    await expect(row.getByRole("rowheader")).toHaveText(team.name);
    for (const [column, count] of Object.entries(expected)) await expect(row.locator(`[data-testid="migration-figure"][data-column="${column}"]`)).toHaveText(num(count));
  }
  for (const environment of ["production", "staging", "development"]) {
    const expected = figures(rows.filter((r) => r.environment === environment));
    const row = page.getByTestId("migration-environments-table").locator(`[data-testid="migration-row"][data-key="${environment}"]`);
    for (const [column, count] of Object.entries(expected)) await expect(row.locator(`[data-testid="migration-figure"][data-column="${column}"]`)).toHaveText(num(count));
  }
  await keepScreenshot(page, "dashboard-migration");

  // a figure opens the client list filtered to the same clients: Identity's secret-only clients
  const identity = teams.find((t) => t.name === "Identity")!;
  const identitySecretOnly = rows.filter((r) => r.ownerTeamId === identity.id && r.migrationState === "secret_only").length;
  expect(identitySecretOnly).toBeGreaterThan(0);
  const figure = page.getByTestId("migration-teams-table").locator(`[data-testid="migration-row"][data-key="${identity.id}"] [data-testid="migration-figure"][data-column="secret_only"]`);
  await expect(figure).toHaveAttribute("href", `/clients?migration=secret_only&team=${identity.id}`);
  await figure.click();
  await expect(page).toHaveURL(new RegExp(`/clients\\?migration=secret_only&team=${identity.id}$`));
  await expect(page.getByTestId("client-count")).toHaveText(`${num(identitySecretOnly)} client${identitySecretOnly === 1 ? "" : "s"}`);
});

test("the dashboards have no serious or critical accessibility violations", async ({ page }) => {
  await signIn(page, E2E.admin.email, E2E.admin.password);
  await page.goto("/dashboards");
  await page.getByRole("link", { name: /^Traffic/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Traffic" })).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.goto("/dashboards");
  await page.getByRole("link", { name: /^Migration/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Migration" })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test("the CSV export refuses a visitor without a session", async ({ request }) => {
  const response = await request.get("/dashboards/export?table=migration-teams", { maxRedirects: 0 });
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe("unauthenticated");
});
