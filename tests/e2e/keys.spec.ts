// Public keys for private_key_jwt, as an operator registers them: a pasted JWKS, a pasted certificate
// and a jwks_uri (served here on loopback, which playwright.config.ts lets the server fetch), then
// retirement after a compromise and the keys page that finds every client using a key.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./env";
import { keepScreenshot, signIn } from "./helpers";

const CERTIFICATE = fs.readFileSync(path.resolve(__dirname, "..", "fixtures", "keys", "ec.crt.pem"), "utf8");

async function createClient(page: Page, clientId: string, environment: "production" | "development"): Promise<void> {
  await page.goto("/clients/new");
  await page.getByLabel("client_id").fill(clientId);
  await page.getByLabel("Name", { exact: true }).fill(clientId);
  await page.getByLabel("Environment").selectOption(environment);
  await page.getByLabel("Owner team").selectOption({ label: "Payments" });
  await page.getByLabel("Contact email").fill("keys@e2e.test");
  await page.getByRole("button", { name: "Create client" }).click();
  await expect(page.getByTestId("new-secret")).toBeVisible();
  await page.getByRole("link", { name: "Go to the client →" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(clientId);
}

const publicJwk = (kid: string) => ({ ...crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }), kid });

test("an operator registers a pasted JWKS and a certificate, refuses a pasted private key, retires a compromised key and finds a key by thumbprint", async ({ page }) => {
  await signIn(page, "operator@e2e.test");
  await createClient(page, "keys-e2e-inline", "production");
  const keys = page.locator("#keys");
  const register = keys.getByRole("form", { name: "Register keys" });
  const rows = keys.getByTestId("key-row");

  // a private key is refused as compromised, and nothing is added
  const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  await register.getByLabel("Paste a JWKS").fill(JSON.stringify({ keys: [privateKey.export({ format: "jwk" })] }));
  await register.getByRole("button", { name: "Register keys" }).click();
  await expect(register.getByRole("alert")).toContainText(/PRIVATE key.*compromised/);
  await expect(rows).toHaveCount(0);

  // (a) a JWKS
  await register.getByLabel("Paste a JWKS").fill(JSON.stringify({ keys: [publicJwk("e2e-jwks-1")] }));
  await register.getByRole("button", { name: "Register keys" }).click();
  await expect(register.getByRole("status")).toHaveText("Registered key e2e-jwks-1.");
  const pasted = keys.locator('[data-testid="key-row"][data-kid="e2e-jwks-1"]');
  await expect(pasted).toHaveAttribute("data-status", "active");
  await expect(pasted).toContainText("EC P-256");
  await expect(register.getByLabel("Paste a JWKS")).toHaveValue("");

  // (b) a PEM private key is refused the same way; a certificate is registered with its expiry
  await keys.getByRole("button", { name: "PEM key or certificate" }).click();
  await expect(keys.getByRole("button", { name: "PEM key or certificate" })).toHaveAttribute("aria-pressed", "true");
  await register.getByLabel("PEM public key or certificate").fill(privateKey.export({ format: "pem", type: "pkcs8" }).toString());
  await register.getByRole("button", { name: "Register keys" }).click();
  await expect(register.getByRole("alert")).toContainText(/PRIVATE key.*compromised/);
  await expect(rows).toHaveCount(1);

  await register.getByLabel("PEM public key or certificate").fill(CERTIFICATE);
  await register.getByLabel("kid (optional)").fill("e2e-cert-1");
  await register.getByRole("button", { name: "Register keys" }).click();
  await expect(register.getByRole("status")).toHaveText("Registered key e2e-cert-1.");
  const certificate = keys.locator('[data-testid="key-row"][data-kid="e2e-cert-1"]');
  await expect(certificate.getByTestId("key-expiry")).toContainText("2099-12-31");
  await expect(certificate.getByTestId("key-expiry")).toContainText("CN=ec.client.example");
  await expect(certificate).toContainText("certificate");
  await keepScreenshot(page, "client-keys-registered");

  // retire the pasted key now, as compromised: its last use comes first, a reason is required
  await keys.getByRole("button", { name: "Retire key e2e-jwks-1…" }).click();
  const dialog = keys.getByRole("dialog", { name: "Retire key e2e-jwks-1" });
  await expect(dialog.getByTestId("retire-last-used")).toHaveText("Never used.");
  await dialog.getByLabel("Retire now (compromise)").check();
  await dialog.getByRole("button", { name: "Retire now" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Say why the key is retired now");
  await dialog.getByLabel("Reason").fill("private key committed to a public repository");
  await dialog.getByRole("button", { name: "Retire now" }).click();
  await expect(keys.getByRole("status").first()).toHaveText("Key retired: it no longer authenticates the client.");
  await expect(pasted).toHaveAttribute("data-status", "retired");
  await expect(pasted.getByTestId("retire-reason")).toHaveText("Reason: private key committed to a public repository");
  await expect(keys.getByRole("button", { name: "Retire key e2e-jwks-1…" })).toHaveCount(0);

  // the keys page finds the client by the certificate key's thumbprint; a malformed one is explained
  const thumbprint = (await certificate.getByTestId("key-thumbprint").getAttribute("data-thumbprint"))!;
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Keys", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keys");
  const search = page.getByRole("search", { name: "Find a key by thumbprint" });
  await search.getByLabel("RFC 7638 thumbprint").fill("not-a-thumbprint");
  await search.getByRole("button", { name: "Find" }).click();
  await expect(page.getByTestId("thumbprint-result").getByRole("alert")).toContainText("A thumbprint is the 43-character base64url RFC 7638 SHA-256 thumbprint");
  await search.getByLabel("RFC 7638 thumbprint").fill(thumbprint);
  await search.getByRole("button", { name: "Find" }).click();
  await expect(page).toHaveURL(new RegExp(`thumbprint=${thumbprint}`));
  const match = page.locator('[data-testid="thumbprint-match"][data-client="keys-e2e-inline"]');
  await expect(match).toContainText("e2e-cert-1");
  await expect(match).toHaveAttribute("data-status", "active");
  await keepScreenshot(page, "keys-page-thumbprint");
  await match.getByRole("link", { name: "keys-e2e-inline" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("keys-e2e-inline");
});

test("an operator links a development client to a jwks_uri, sees its fetches and health, and unlinks it", async ({ page }) => {
  let document: object | null = { keys: [publicJwk("e2e-uri-1")] };
  const server = http.createServer((_request, response) => {
    if (!document) {
      response.writeHead(503, { "content-type": "text/plain" }).end("down for maintenance");
      return;
    }
    response.writeHead(200, { "content-type": "application/jwk-set+json", "cache-control": "max-age=300" }).end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  try {
    await signIn(page, "operator@e2e.test");
    await createClient(page, "keys-e2e-uri", "development");
    const keys = page.locator("#keys");

    // (c) a jwks_uri: Keyshift fetches it at once and keeps a copy of its signing keys
    await keys.getByRole("button", { name: "jwks_uri", exact: true }).click();
    const link = keys.getByRole("form", { name: "Link a jwks_uri" });
    await link.getByLabel("jwks_uri", { exact: true }).fill(uri);
    await link.getByRole("button", { name: "Link jwks_uri" }).click();
    await expect(keys.getByRole("status").first()).toHaveText("Linked: 1 signing key found.");
    const panel = keys.getByTestId("jwks-uri-panel");
    await expect(panel.getByTestId("jwks-uri")).toHaveText(uri);
    await expect(panel.getByTestId("jwks-health")).toHaveAttribute("data-health", "healthy");
    await expect(keys.locator('[data-testid="key-row"][data-kid="e2e-uri-1"]')).toContainText("jwks_uri");
    await expect(panel.locator('[data-testid="jwks-fetch-row"][data-outcome="ok"]')).toHaveCount(1);
    // a jwks_uri client cannot also have keys pasted
    await expect(keys.getByRole("form", { name: "Register keys" })).toHaveCount(0);
    await expect(keys.getByRole("button", { name: "PEM key or certificate" })).toHaveCount(0);

    // the uri fails: the refresh says why, the client is degraded and listed on the keys page
    document = null;
    await panel.getByRole("button", { name: "Refresh now" }).click();
    await expect(keys.getByRole("alert").first()).toContainText("The fetch failed");
    await expect(panel.getByTestId("jwks-health")).toHaveAttribute("data-health", "degraded");
    await expect(panel.getByTestId("jwks-failures")).toHaveText("1");
    await expect(panel.locator('[data-testid="jwks-fetch-row"][data-outcome="error"]')).toContainText("503");
    await keepScreenshot(page, "client-jwks-uri");

    await page.goto("/keys");
    const unhealthy = page.locator('[data-testid="unhealthy-jwks-uri"][data-client="keys-e2e-uri"]');
    await expect(unhealthy.getByTestId("jwks-health")).toHaveAttribute("data-health", "degraded");
    await expect(unhealthy).toContainText(uri);
    await keepScreenshot(page, "keys-page");
    await unhealthy.getByRole("link", { name: "keys-e2e-uri" }).click();

    // unlinking asks first, then retires the uri's keys at once
    await keys.getByRole("button", { name: "Unlink", exact: true }).click();
    const confirm = keys.getByRole("dialog", { name: "Confirm unlinking" });
    await expect(confirm).toContainText("retired at once");
    await confirm.getByRole("button", { name: "Unlink and retire its keys" }).click();
    await expect(keys.getByRole("status").first()).toHaveText("jwks_uri unlinked; its keys are retired.");
    await expect(keys.locator('[data-testid="key-row"][data-kid="e2e-uri-1"]')).toHaveAttribute("data-status", "retired");
    await expect(keys.getByRole("form", { name: "Register keys" })).toBeVisible();
  } finally {
    server.close();
  }
});
