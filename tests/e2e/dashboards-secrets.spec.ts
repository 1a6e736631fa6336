// The secret age and rotation health dashboards in the browser: every figure equals what the e2e
// database holds (computed here from its rows, independently of lib/metrics), a bucket opens a client
// list of the same length, a table exports as CSV, and neither page has a serious or critical
// accessibility violation (axe).
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { E2E } from "./env";
import { keepScreenshot, signIn } from "./helpers";

const DAY_MS = 86_400_000;
const ENVIRONMENTS = ["production", "staging", "development"] as const;
const BUCKETS = [
  { id: "0-30", min: 0, max: 30 },
  { id: "31-90", min: 31, max: 90 },
  { id: "91-180", min: 91, max: 180 },
  { id: "181-365", min: 181, max: 365 },
  { id: "365+", min: 366, max: null },
] as const;
const num = (n: number) => n.toLocaleString("en");
const time = (value: string | number | null) => (value === null ? null : new Date(value).getTime());

type Client = { id: string; environment: string; authMethod: string; status: string; secretCreatedAt: number | null; secretExpiresAt: number | null; keySource: string; jwksGoodAt: number | null; jwksFailures: number };
type Secret = { clientId: string; createdAt: number; expiresAt: number | null; revokedAt: number | null; lastUsedAt: number | null; external: boolean; breakGlass: boolean };
type Key = { clientId: string; status: string; createdAt: number; notBefore: number | null; expiresAt: number | null; retiringUntil: number | null; lastUsedAt: number | null; certificate: boolean };

/** The e2e database's rows (read-only), with dates as milliseconds; deleted clients left out. */
function snapshot() {
  const db = new Database(E2E.serverEnv.DATABASE_URL.replace(/^file:/, ""), { readonly: true, fileMustExist: true });
  try {
    const rows = <T>(sql: string) => db.prepare(sql).all() as Record<string, unknown>[] as T[];
    const clients = rows<Record<string, string | number | null>>(`SELECT * FROM "Client" WHERE "status" IN ('active', 'disabled')`).map(
      (c): Client => ({ ...(c as unknown as Client), secretCreatedAt: time(c.secretCreatedAt), secretExpiresAt: time(c.secretExpiresAt), jwksGoodAt: time(c.jwksGoodAt), jwksFailures: Number(c.jwksFailures) }),
    );
    const listed = new Set(clients.map((c) => c.id));
    const secrets = rows<Record<string, string | number | null>>(`SELECT * FROM "ClientSecret"`)
      .filter((s) => listed.has(String(s.clientId)))
      .map((s): Secret => ({ clientId: String(s.clientId), createdAt: time(s.createdAt)!, expiresAt: time(s.expiresAt), revokedAt: time(s.revokedAt), lastUsedAt: time(s.lastUsedAt), external: !!s.external, breakGlass: !!s.breakGlass }));
    const keys = rows<Record<string, string | number | null>>(`SELECT * FROM "ClientKey"`)
      .filter((k) => listed.has(String(k.clientId)))
      .map((k): Key => ({ clientId: String(k.clientId), status: String(k.status), createdAt: time(k.createdAt)!, notBefore: time(k.notBefore), expiresAt: time(k.expiresAt), retiringUntil: time(k.retiringUntil), lastUsedAt: time(k.lastUsedAt), certificate: k.certificate !== null }));
    const settings = new Map(rows<{ key: string; value: string }>(`SELECT "key", "value" FROM "Setting"`).map((s) => [s.key, JSON.parse(s.value) as unknown]));
    return { clients, secrets, keys, settings };
  } finally {
    db.close();
  }
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`)).toEqual([]);
}

test("the secret age dashboard shows the database's figures, and a bucket opens a client list of that length", async ({ page }) => {
  await signIn(page, "auditor@e2e.test");
  const { clients, secrets, settings } = snapshot();
  const now = Date.now();
  const maxAge = (env: string) => Number(settings.get(`policy.maxSecretAgeDays.${env}`) ?? (env === "development" ? 0 : 365));
  const required = (env: string) => {
    const from = settings.get(`policy.requiredMethodFrom.${env}`);
    return settings.get(`policy.requiredMethod.${env}`) === "private_key_jwt" && (!from || new Date(`${String(from)}T00:00:00Z`).getTime() <= now);
  };
  const onSecret = (c: Client) => c.authMethod !== "private_key_jwt";
  const validCurrent = (c: Client) => c.secretCreatedAt !== null && (c.secretExpiresAt === null || c.secretExpiresAt > now);
  const valid = (s: Secret) => s.revokedAt === null && (s.expiresAt === null || s.expiresAt > now);
  const since = now - 90 * DAY_MS;
  const clientsWith = (test: (s: Secret) => boolean) => new Set(secrets.filter((s) => valid(s) && test(s)).map((s) => s.clientId)).size;

  await page.goto("/dashboards/secrets");
  await expect(page.getByRole("heading", { level: 1, name: "Secret age" })).toBeVisible();
  for (const env of ENVIRONMENTS) {
    const row = page.getByTestId(`secret-age-${env}`);
    for (const b of BUCKETS) {
      const expected = clients.filter((c) => {
        if (c.environment !== env || !validCurrent(c)) return false;
        const age = now - c.secretCreatedAt!;
        return age >= b.min * DAY_MS && (b.max === null || age < (b.max + 1) * DAY_MS);
      }).length;
      await expect(row.locator(`a[href*="age=${encodeURIComponent(b.id)}"]`)).toHaveAttribute("data-count", String(expected));
    }
    const tooOld = maxAge(env) > 0 ? num(clients.filter((c) => c.environment === env && onSecret(c) && validCurrent(c) && c.secretCreatedAt! < now - maxAge(env) * DAY_MS).length) : "—";
    await expect(page.getByTestId(`breach-total-${env}`).locator("td").nth(1)).toHaveText(tooOld);
    const afterRequired = required(env) ? num(clients.filter((c) => c.environment === env && onSecret(c)).length) : "—";
    await expect(page.getByTestId(`breach-total-${env}`).locator("td").nth(2)).toHaveText(afterRequired);
  }
  await expect(page.getByTestId("figure-unused").getByTestId("figure-value")).toHaveText(num(clientsWith((s) => s.createdAt < since && (s.lastUsedAt === null || s.lastUsedAt < since))));
  await expect(page.getByTestId("figure-external").getByTestId("figure-value")).toHaveText(num(clientsWith((s) => s.external)));
  await expect(page.getByTestId("oldest-secrets-table").locator("tbody tr")).toHaveCount(Math.min(20, secrets.filter(valid).length));
  await expectNoSeriousViolations(page);
  await keepScreenshot(page, "dashboard-secret-age");

  // the production 0–30 days bucket opens the client list filtered to exactly those clients
  const bucket = page.getByTestId("secret-age-production").locator('a[href*="age=0-30"]');
  const count = await bucket.getAttribute("data-count");
  await bucket.click();
  await expect(page).toHaveURL(/\/clients\?environment=production&age=0-30/);
  await expect(page.getByTestId("client-count")).toHaveText(`${count} client${count === "1" ? "" : "s"}`);
});

test("the rotation health dashboard shows the database's figures and exports its tables", async ({ page }) => {
  await signIn(page, "auditor@e2e.test");
  const { clients, secrets, keys, settings } = snapshot();
  const now = Date.now();
  const within = (at: number | null, days: number) => at !== null && at > now && at <= now + days * DAY_MS;
  const distinct = (rows: { clientId: string }[]) => new Set(rows.map((r) => r.clientId)).size;

  await page.goto("/dashboards/rotation");
  await expect(page.getByRole("heading", { level: 1, name: "Rotation health" })).toBeVisible();
  for (const days of [7, 30]) {
    const expiringKeys = keys.filter((k) => k.status !== "retired" && within(k.expiresAt, days));
    const cells = page.getByTestId(`expiry-window-${days}`).locator("td");
    await expect(cells.nth(0)).toHaveText(num(clients.filter((c) => within(c.secretExpiresAt, days)).length));
    await expect(cells.nth(1)).toHaveText(num(expiringKeys.length));
    await expect(cells.nth(2)).toHaveText(num(expiringKeys.filter((k) => k.certificate).length));
    await expect(cells.nth(3)).toHaveText(num(distinct(expiringKeys)));
  }
  const since = now - 90 * DAY_MS;
  const activeNow = (k: Key) => ["active", "scheduled"].includes(k.status) && (k.notBefore === null || k.notBefore <= now) && (k.expiresAt === null || k.expiresAt > now);
  const unusedKeys = keys.filter((k) => activeNow(k) && k.createdAt < since && (k.lastUsedAt === null || k.lastUsedAt < since));
  await expect(page.getByTestId("figure-unused-keys").getByTestId("figure-value")).toHaveText(num(unusedKeys.length));
  const retiringInUse = keys.filter((k) => k.status === "retiring" && k.retiringUntil !== null && k.retiringUntil > now && k.lastUsedAt !== null && k.lastUsedAt >= now - 7 * DAY_MS);
  await expect(page.getByTestId("figure-retiring-in-use").getByTestId("figure-value")).toHaveText(num(retiringInUse.length));
  const staleMs = Number(settings.get("jwks.maxStalenessHours") ?? 24) * 3_600_000;
  const health = (c: Client) => (c.jwksGoodAt === null ? "failing" : c.jwksFailures === 0 ? "healthy" : now - c.jwksGoodAt > staleMs ? "failing" : "degraded");
  for (const h of ["healthy", "degraded", "failing"]) {
    await expect(page.getByTestId(`jwks-${h}`)).toHaveText(num(clients.filter((c) => c.keySource === "jwks_uri" && health(c) === h).length));
  }
  const alive = secrets.filter((s) => s.breakGlass && s.revokedAt === null && s.expiresAt !== null && s.expiresAt > now);
  await expect(page.getByTestId("figure-break-glass").getByTestId("figure-value")).toHaveText(num(alive.length));
  await expectNoSeriousViolations(page);
  await keepScreenshot(page, "dashboard-rotation");

  const csv = await page.request.get("/dashboards/export?table=expiring-keys");
  expect(csv.status()).toBe(200);
  expect((await csv.text()).split("\r\n")[0]).toBe("client_id,name,environment,kid,alg,status,certificate,created_at,expires_at,retiring_until,last_used_at");
});
