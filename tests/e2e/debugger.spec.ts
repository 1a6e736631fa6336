// The assertion debugger in the browser: an auditor pastes assertions signed with the seeded interop
// client's private key (tests/e2e/seed.ts) and reads the token endpoint's verdict with the fix.
import crypto from "node:crypto";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { importJWK, SignJWT } from "jose";
import { E2E, type InteropClients } from "./env";
import { keepScreenshot, signIn } from "./helpers";

async function signedAssertion(claims: Record<string, unknown> = {}): Promise<string> {
  const clients = JSON.parse(fs.readFileSync(E2E.interopFile, "utf8")) as InteropClients;
  const { clientId, keys } = clients.privateKeyJwt;
  const key = keys.find((k) => k.alg === "ES256")!;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: clientId, sub: clientId, aud: E2E.issuer, iat: now, exp: now + 60, jti: crypto.randomUUID(), ...claims })
    .setProtectedHeader({ alg: "ES256", kid: key.kid })
    .sign(await importJWK(key.privateJwk, "ES256"));
}

test("an auditor debugs an assertion: the token endpoint URL as aud is refused with the fix, a good one would be accepted", async ({ page }) => {
  await signIn(page, "auditor@e2e.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Debugger" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Assertion debugger");

  const form = page.getByRole("form", { name: "Debug a client assertion" });
  const outcome = page.getByTestId("debug-outcome");
  await form.getByLabel("Client assertion").fill(await signedAssertion({ aud: `${E2E.issuer}/oauth/token` }));
  await form.getByRole("button", { name: "Check assertion" }).click();
  await expect(outcome).toContainText("The token endpoint would refuse it");
  await expect(outcome).toContainText("aud_mismatch");
  await expect(outcome).toContainText(`set it to the issuer "${E2E.issuer}"`);
  const aud = page.getByTestId("verdict").filter({ hasText: "aud is the token endpoint URL" });
  await expect(aud).toHaveAttribute("data-ok", "false");
  await expect(aud).toContainText("Fail");
  await expect(page.getByTestId("decoded-claims")).toContainText(`"aud": "${E2E.issuer}/oauth/token"`);
  await expect(page.getByTestId("time-claims")).toContainText(/exp\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in \d+ s\)/);
  // posted through a server action: the assertion never appears in a URL
  expect(page.url()).toBe(`${E2E.baseURL}/debugger`);

  await form.getByLabel("Client assertion").fill(await signedAssertion());
  await form.getByLabel("Client (client_id, optional)").fill("interop-private-key-jwt");
  await form.getByRole("button", { name: "Check assertion" }).click();
  await expect(outcome).toContainText("The token endpoint would accept this assertion");
  await expect(page.getByTestId("verdict").filter({ hasText: "Fail" })).toHaveCount(0);
  await expect(page.getByTestId("verdict").filter({ hasText: "The signature verifies" })).toContainText("Pass");
  await keepScreenshot(page, "debugger");
});
