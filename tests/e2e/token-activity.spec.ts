// What the console shows of the token endpoint: a client's real authentication attempts with the
// reason the 401 hid, keys registered by pasting a JWKS, and the server's signing key rotation.
import crypto from "node:crypto";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E, type InteropClients } from "./env";
import { keepScreenshot, openClient, signIn } from "./helpers";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

test("a client's page shows its token requests, and why a refused one was refused", async ({ page, request }) => {
  const clients = JSON.parse(fs.readFileSync(E2E.interopFile, "utf8")) as InteropClients;
  const { clientId, secret } = clients.secretBasic;
  const form = { grant_type: "client_credentials" };
  const refused = await request.post("/oauth/token", { form, headers: { Authorization: basic(clientId, "kss_not-the-secret") } });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ error: "invalid_client", error_description: "Client authentication failed." });
  expect((await request.post("/oauth/token", { form, headers: { Authorization: basic(clientId, secret) } })).status()).toBe(200);

  await signIn(page, E2E.admin.email, E2E.admin.password);
  await openClient(page, "Interop secret basic");
  const mismatch = page.locator('[data-testid="auth-attempt-row"][data-reason="secret_mismatch"]').first();
  // events are written in batches: the page may need a moment (and a reload) to show the latest
  await expect(async () => {
    await page.reload();
    await expect(mismatch).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await expect(mismatch).toContainText("The secret matches none of the client's secrets.");
  await expect(page.locator('[data-testid="auth-attempt-row"][data-outcome="success"]').first()).toBeVisible();
  await expect(page.locator('[data-testid="method-count-row"][data-method="client_secret_basic"] [data-testid="method-failures"]')).not.toHaveText("0");
  await keepScreenshot(page, "client-auth-activity");
});

test("an administrator registers a client's public key by pasting a JWKS; a private key is refused as compromised", async ({ page }) => {
  await signIn(page, E2E.admin.email, E2E.admin.password);
  await openClient(page, "Payments ledger");
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const panel = page.getByRole("form", { name: "Register keys" });

  await panel.getByLabel("Paste a JWKS").fill(JSON.stringify({ keys: [privateKey.export({ format: "jwk" })] }));
  await panel.getByRole("button", { name: "Register keys" }).click();
  await expect(panel.getByText(/PRIVATE key.*compromised/).first()).toBeVisible();
  await expect(page.getByTestId("key-row")).toHaveCount(0);

  await panel.getByLabel("Paste a JWKS").fill(JSON.stringify({ keys: [publicKey.export({ format: "jwk" })] }));
  await panel.getByRole("button", { name: "Register keys" }).click();
  await expect(page.getByTestId("key-row")).toHaveCount(1);
  await expect(page.getByTestId("kid-assigned-note")).toBeVisible();
  await expect(page.getByTestId("key-row").first()).toContainText("EC P-256");
  await keepScreenshot(page, "client-keys");
});

test("an administrator rotates the server's signing keys; the JWKS keeps the previous key published", async ({ page, request }) => {
  const before = (await (await request.get("/.well-known/jwks.json")).json()) as { keys: { kid: string }[] };
  expect(before.keys).toHaveLength(2); // current and next

  await signIn(page, E2E.admin.email, E2E.admin.password);
  await page.goto("/settings");
  const current = await page.locator('[data-testid="server-key-row"][data-status="current"]').getAttribute("data-kid");
  const next = await page.locator('[data-testid="server-key-row"][data-status="next"]').getAttribute("data-kid");
  await page.getByRole("button", { name: "Rotate signing keys" }).click();
  await page.getByRole("button", { name: "Rotate now" }).click();
  await expect(page.getByText(`Signing keys rotated: ${next} now signs new tokens.`)).toBeVisible();
  await expect(page.locator('[data-testid="server-key-row"][data-status="previous"]')).toHaveAttribute("data-kid", current!);
  await keepScreenshot(page, "settings-signing-keys");

  // the JWKS is cached for a few seconds per instance: wait for the new next key to appear
  await expect(async () => {
    const after = (await (await request.get("/.well-known/jwks.json")).json()) as { keys: { kid: string }[] };
    expect(after.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([current, next]));
    expect(after.keys).toHaveLength(3);
  }).toPass({ timeout: 10_000 });
});
