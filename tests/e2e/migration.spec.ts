// A whole migration in the browser, with real traffic: a client with a secret gets a key made by the
// client kit, opens its dual window, the kit obtains a token with an assertion, the readiness evidence
// shows it, the client is finalised, its old secret is refused at the token endpoint, and the audit
// trail has every step.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E } from "./env";
import { keepScreenshot, signIn } from "./helpers";

const root = path.resolve(__dirname, "..", "..");
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

/** The client kit, as a client team runs it. */
function kit(args: string[]): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "scripts", "kit.ts"), ...args], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { status: 0, stdout, stderr: "" };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

test("a client moves from its secret to private_key_jwt without an outage, and the old secret is refused", async ({ page, request }) => {
  test.setTimeout(120_000);
  const clientId = "ledger-migrating";
  const form = { grant_type: "client_credentials" };
  await signIn(page, "operator@e2e.test");

  // a client with a secret, as most start
  await page.goto("/clients/new");
  await page.getByLabel("client_id").fill(clientId);
  await page.getByLabel("Name").fill("Ledger (migrating)");
  await page.getByLabel("Environment").selectOption("production");
  await page.getByLabel("Owner team").selectOption({ label: "Payments" });
  await page.getByLabel("Contact email").fill("ledger@e2e.test");
  await page.getByRole("button", { name: "Create client" }).click();
  const secret = (await page.getByTestId("new-secret").textContent())!.trim();
  await page.getByRole("link", { name: "Go to the client →" }).click();
  const migration = page.getByTestId("migration");
  await expect(migration).toHaveAttribute("data-state", "secret_only");
  expect((await request.post("/oauth/token", { form, headers: { Authorization: basic(clientId, secret) } })).status()).toBe(200);

  // the client team makes its key pair with the kit and hands over the public JWKS
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyshift-kit-"));
  const keygen = kit(["keygen", "--alg", "ES256", "--kid", "ledger-2026", "--out", dir]);
  expect(keygen.status, keygen.stderr).toBe(0);
  const publicJwks = fs.readFileSync(path.join(dir, "ledger-2026.public.jwks.json"), "utf8");
  const keyFile = path.join(dir, "ledger-2026.private.jwk.json");
  await page.getByRole("form", { name: "Register keys" }).getByLabel("Paste a JWKS").fill(publicJwks);
  await page.getByRole("form", { name: "Register keys" }).getByRole("button", { name: "Register keys" }).click();
  await expect(page.locator('[data-testid="key-row"][data-kid="ledger-2026"]')).toBeVisible();
  await expect(migration).toHaveAttribute("data-state", "keys_registered");
  // the client team's copy-ready code names this client, its key and the issuer
  const snippet = page.getByTestId("snippet");
  for (const text of [`"${clientId}"`, `kid: "ledger-2026"`, `"${E2E.issuer}"`, "setAudience(issuer)"]) await expect(snippet).toContainText(text);
  await page.getByTestId("client-snippets").getByRole("button", { name: "Node.js (openid-client)" }).click();
  await expect(snippet).toContainText(`client.PrivateKeyJwt({ key, kid: "ledger-2026" })`);
  // registering changed nothing for live traffic: an assertion is not accepted yet
  expect(kit(["token", "--issuer", E2E.issuer, "--client-id", clientId, "--key", keyFile]).status).toBe(3);

  // the dual window: both credentials work
  await page.getByRole("button", { name: "Open the dual window" }).click();
  await expect(migration).toHaveAttribute("data-state", "dual");
  await expect(migration).toContainText("Both client_secret_basic and private_key_jwt are accepted");
  const token = kit(["token", "--issuer", E2E.issuer, "--client-id", clientId, "--key", keyFile]);
  expect(token.status, token.stderr + token.stdout).toBe(0);
  expect((await request.post("/oauth/token", { form, headers: { Authorization: basic(clientId, secret) } })).status()).toBe(200);

  // the evidence comes from that traffic (events are written in batches: reload until it shows)
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("first-assertion")).not.toHaveText("none yet", { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await expect(migration).toContainText("Not ready to finalise yet");
  await keepScreenshot(page, "migration-dual-window");

  // finalising before the quiet period needs a reason; the confirmation says what live traffic will see
  await page.getByRole("button", { name: "Finalise…" }).click();
  const confirm = page.getByRole("dialog", { name: "Confirm finalising" });
  await expect(confirm).toContainText("any caller still presenting the secret fails at once");
  await confirm.getByRole("button", { name: "Finalise now" }).click();
  await expect(confirm.getByText("A reason is required")).toBeVisible();
  await expect(migration).toHaveAttribute("data-state", "dual");
  await confirm.getByLabel("Reason (required)").fill("cut-over agreed with the ledger team");
  await confirm.getByRole("button", { name: "Finalise now" }).click();
  await expect(migration).toHaveAttribute("data-state", "private_key_jwt");
  await expect(page.locator('[data-testid="secret-row"][data-status="revoked"]')).toHaveCount(1);
  await keepScreenshot(page, "migration-finalised");

  // the old secret is refused; the key keeps working
  const refused = await request.post("/oauth/token", { form, headers: { Authorization: basic(clientId, secret) } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error).toBe("invalid_client");
  expect(kit(["token", "--issuer", E2E.issuer, "--client-id", clientId, "--key", keyFile]).status).toBe(0);

  // every step is in the audit trail
  await page.goto(`/audit?target=${clientId}`);
  const table = page.getByTestId("audit-table");
  for (const action of ["client.create", "client_key.add", "migration.dual_open", "migration.finalise"]) await expect(table).toContainText(action);
  fs.rmSync(dir, { recursive: true, force: true });
});
