// A campaign from creation to completion in the browser, driven by real token-endpoint traffic: two
// clients with secrets are taken from the client list's filters into a migration campaign; as each
// registers a key, opens its dual window, authenticates with an assertion and is finalised, the
// campaign's stages, funnel, per-team table and progress follow; the report and its CSV hold the
// result; an auditor reads it all and changes nothing; no page has a serious accessibility violation.
import crypto from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { E2E } from "./env";
import { keepScreenshot, signIn, signOut } from "./helpers";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

async function axe(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function createSecretClient(page: Page, clientId: string, name: string): Promise<string> {
  await page.goto("/clients/new");
  await page.getByLabel("client_id").fill(clientId);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Environment").selectOption("production");
  await page.getByLabel("Owner team").selectOption({ label: "Payments" });
  await page.getByLabel("Contact email").fill("drive@e2e.test");
  await page.getByRole("button", { name: "Create client" }).click();
  return (await page.getByTestId("new-secret").textContent())!.trim();
}

async function assertionToken(request: APIRequestContext, clientId: string, kid: string, key: CryptoKey): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(E2E.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .setJti(crypto.randomUUID())
    .sign(key);
  const response = await request.post("/oauth/token", { form: { grant_type: "client_credentials", client_assertion_type: ASSERTION_TYPE, client_assertion: assertion } });
  return response.status();
}

/** Reloads until the stage table shows the expected counts (events reach the database in batches). */
async function expectStages(page: Page, expected: Record<string, number>) {
  await expect(async () => {
    await page.reload();
    for (const [stage, count] of Object.entries(expected)) {
      await expect(page.locator(`[data-testid="stage-row"][data-stage="${stage}"] [data-testid="stage-count"]`)).toHaveText(String(count), { timeout: 1000 });
    }
  }).toPass({ timeout: 15_000 });
}

test("a migration campaign runs from the list's filters to completion on real traffic", async ({ page, request }) => {
  test.setTimeout(150_000);
  await signIn(page, "operator@e2e.test");
  const clients = [
    { clientId: "drive-orders", name: "Drive orders", kid: "drive-orders-1" },
    { clientId: "drive-refunds", name: "Drive refunds", kid: "drive-refunds-1" },
  ];
  const secrets: string[] = [];
  for (const c of clients) secrets.push(await createSecretClient(page, c.clientId, c.name));

  // the cohort: the client list filtered to these two, then "Start a campaign"
  await page.goto("/clients?q=drive-");
  await expect(page.getByTestId("client-count")).toHaveText("2 clients");
  await page.getByTestId("start-campaign").click();
  await expect(page.getByTestId("cohort-filters")).toContainText('matching "drive-"');
  await expect(page.getByTestId("cohort-preview")).toContainText("2 clients would join");
  await axe(page);
  // a name is required: nothing is created without one
  await page.getByRole("button", { name: "Create campaign" }).click();
  await expect(page.getByText("Name is required")).toBeVisible();
  await page.getByLabel("Name").fill("Drive off secrets");
  await page.getByLabel("Description").fill("Orders and refunds move to private_key_jwt.");
  await page.getByRole("button", { name: "Create campaign" }).click();
  await expect(page.getByRole("heading", { name: "Drive off secrets" })).toBeVisible();
  const campaignUrl = page.url();
  await expectStages(page, { not_started: 2, keys_registered: 0, finalised: 0 });
  await expect(page.getByTestId("progress").first()).toHaveAttribute("data-done", "0");
  await expect(page.locator('[data-testid="team-row"][data-team="Payments"] [data-testid="team-done"]')).toHaveText("0 / 2");

  // a client created later with the same filters does not join: the cohort was frozen
  await createSecretClient(page, "drive-later", "Drive later");
  await page.goto(campaignUrl);
  await expect(page.getByTestId("campaign-client")).toHaveCount(2);

  // each client team registers a key, opens its dual window and authenticates with an assertion
  const keys: CryptoKey[] = [];
  for (const c of clients) {
    const pair = await generateKeyPair("ES256", { extractable: true });
    keys.push(pair.privateKey);
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: c.kid, alg: "ES256", use: "sig" }] });
    await page.goto("/clients?q=" + c.clientId);
    await page.getByRole("link", { name: c.name, exact: true }).click();
    await page.getByRole("form", { name: "Register keys" }).getByLabel("Paste a JWKS").fill(jwks);
    await page.getByRole("form", { name: "Register keys" }).getByRole("button", { name: "Register keys" }).click();
    await expect(page.getByTestId("migration")).toHaveAttribute("data-state", "keys_registered");
  }
  await page.goto(campaignUrl);
  await expectStages(page, { not_started: 0, keys_registered: 2 });

  for (const [i, c] of clients.entries()) {
    await page.goto("/clients?q=" + c.clientId);
    await page.getByRole("link", { name: c.name, exact: true }).click();
    await page.getByRole("button", { name: "Open the dual window" }).click();
    await expect(page.getByTestId("migration")).toHaveAttribute("data-state", "dual");
    expect(await assertionToken(request, c.clientId, c.kid, keys[i])).toBe(200);
    // the secret keeps working in the window
    expect((await request.post("/oauth/token", { form: { grant_type: "client_credentials" }, headers: { Authorization: basic(c.clientId, secrets[i]) } })).status()).toBe(200);
  }
  await page.goto(campaignUrl);
  await expectStages(page, { dual: 0, assertions_seen: 2, finalised: 0 });
  for (const [stage, reached] of Object.entries({ not_started: 2, keys_registered: 2, dual: 2, assertions_seen: 2, finalised: 0 })) {
    await expect(page.locator(`[data-testid="funnel-step"][data-stage="${stage}"]`)).toHaveAttribute("data-reached", String(reached));
  }
  await keepScreenshot(page, "campaign-assertions-seen");

  // finalise one: half done; its stage drill-down lists exactly that client
  const finalise = async (c: (typeof clients)[number]) => {
    await page.goto("/clients?q=" + c.clientId);
    await page.getByRole("link", { name: c.name, exact: true }).click();
    await page.getByRole("button", { name: "Finalise…" }).click();
    const confirm = page.getByRole("dialog", { name: "Confirm finalising" });
    await confirm.getByLabel("Reason (required)").fill("campaign cut-over");
    await confirm.getByRole("button", { name: "Finalise now" }).click();
    await expect(page.getByTestId("migration")).toHaveAttribute("data-state", "private_key_jwt");
  };
  await finalise(clients[0]);
  await page.goto(campaignUrl);
  await expectStages(page, { assertions_seen: 1, finalised: 1 });
  await expect(page.getByTestId("progress").first()).toHaveAttribute("data-done", "1");
  await page.locator('[data-testid="stage-row"][data-stage="finalised"] [data-testid="stage-count"]').click();
  await expect(page.getByTestId("campaign-client")).toHaveCount(1);
  await expect(page.getByTestId("campaign-client")).toHaveAttribute("data-client-id", "drive-orders");

  // the client's own page names the campaign and its stage there
  await page.getByTestId("campaign-client").getByRole("link", { name: "Drive orders" }).click();
  await expect(page.getByTestId("client-campaigns")).toContainText("Drive off secrets: Finalised");

  // the old secret of the finalised client is refused; the other one's still works until it is finalised
  expect((await request.post("/oauth/token", { form: { grant_type: "client_credentials" }, headers: { Authorization: basic(clients[0].clientId, secrets[0]) } })).status()).toBe(401);
  await finalise(clients[1]);
  await page.goto(campaignUrl);
  await expectStages(page, { assertions_seen: 0, finalised: 2 });
  await expect(page.getByTestId("campaign-state")).toHaveText("complete");
  await expect(page.locator('[data-testid="team-row"][data-team="Payments"] [data-testid="team-done"]')).toHaveText("2 / 2");
  await expect(page.getByTestId("campaign-history")).toContainText("Created by operator@e2e.test");
  await axe(page);
  await keepScreenshot(page, "campaign-complete");

  // the report a reviewer files: printable page and CSV
  await page.getByRole("link", { name: "Printable report" }).click();
  await expect(page.getByTestId("report-progress")).toHaveText("2 of 2 clients done (100%), 0 overdue");
  await expect(page.getByTestId("campaign-report")).toContainText("None: every client of the cohort is done.");
  await axe(page);
  const csv = await page.request.get(`${campaignUrl}/export`);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines).toHaveLength(3);
  for (const c of clients) expect(lines.find((l) => l.startsWith(c.clientId))).toContain(",finalised,Finalised,true,false,");

  // the campaigns list shows it complete; an auditor reads everything and is offered no change
  await page.goto("/campaigns");
  await expect(page.locator('[data-testid="campaign-row"]', { hasText: "Drive off secrets" })).toContainText("complete");
  await axe(page);
  await signOut(page);
  await signIn(page, "auditor@e2e.test");
  await page.goto(campaignUrl);
  await expect(page.getByRole("heading", { name: "Drive off secrets" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Close campaign" })).toHaveCount(0);
  await page.goto("/campaigns");
  await expect(page.getByRole("link", { name: "New campaign" })).toHaveCount(0);
  await page.goto("/campaigns/new");
  await expect(page.getByRole("heading", { name: "Your role does not allow this page" })).toBeVisible();
});
