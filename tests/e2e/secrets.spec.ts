// The administrator's main path: sign in, register a client, copy its secret, rotate, revoke, and
// find every step in the audit trail.
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E } from "./env";
import { keepScreenshot, signIn } from "./helpers";

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E.admin.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("login-error")).toHaveText("The email or password is not correct.");
  await expect(page).toHaveURL(/\/login/);
});

test("unauthenticated visitors are sent to sign in", async ({ page }) => {
  await page.goto("/clients");
  await expect(page).toHaveURL(/\/login/);
  await keepScreenshot(page, "login");
});

test("create a client, copy its secret once, rotate, revoke, and audit it all", async ({ page }) => {
  await signIn(page, E2E.admin.email, E2E.admin.password);
  await keepScreenshot(page, "overview-empty");

  // bad input: specific field errors, nothing created
  await page.goto("/clients/new");
  await page.getByLabel("client_id").fill("has spaces in it");
  await page.getByLabel("Contact email").fill("not-an-email");
  await page.getByRole("button", { name: "Create client" }).click();
  await expect(page.getByText("client_id may contain printable ASCII characters only, without spaces")).toBeVisible();
  await expect(page.getByText("Name is required")).toBeVisible();
  await expect(page.getByText("Enter a valid contact email address")).toBeVisible();
  await page.goto("/clients?q=has%20spaces");
  await expect(page.getByTestId("client-count")).toHaveText("0 clients");

  // create
  await page.goto("/clients/new");
  await page.getByLabel("client_id").fill("billing-api");
  await page.getByLabel("Name").fill("Billing API");
  await page.getByLabel("Environment").selectOption("production");
  await page.getByLabel("Owner team").selectOption({ label: "Payments" });
  await page.getByLabel("Contact email").fill("billing@e2e.test");
  await page.getByLabel("Scopes").fill("invoices:read invoices:write");
  await page.getByRole("button", { name: "Create client" }).click();
  const secret = page.getByTestId("new-secret");
  await expect(secret).toHaveText(/^kss_[A-Za-z0-9_-]{43}$/);
  const first = (await secret.textContent())!.trim();
  await page.getByRole("button", { name: "Copy" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
  await keepScreenshot(page, "client-created-secret-once");

  // the secret is never shown again: not on the client page, not after a reload
  await page.getByRole("link", { name: "Go to the client →" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Billing API");
  await expect(page.getByTestId("secret-row")).toHaveCount(1);
  expect(await page.content()).not.toContain(first);
  await expect(page.getByTestId("secret-row").first()).toContainText(first.slice(0, 8));

  // rotate: a new secret, the old one keeps working through the overlap
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByRole("dialog", { name: "Confirm rotation" })).toContainText("7 days");
  await page.getByRole("button", { name: "Rotate now" }).click();
  await expect(secret).toHaveText(/^kss_/);
  const second = (await secret.textContent())!.trim();
  expect(second).not.toBe(first);
  await expect(page.locator('[data-testid="secret-row"][data-status="active"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="secret-row"][data-status="rotating"]')).toHaveCount(1);
  await keepScreenshot(page, "client-detail-rotated");
  await page.reload();
  expect(await page.content()).not.toContain(second);

  // revoke the old one: the confirmation shows its last use
  await page.getByRole("button", { name: `Revoke secret ${first.slice(0, 8)}` }).click();
  await expect(page.getByTestId("revoke-last-used")).toHaveText("never used");
  await page.getByRole("button", { name: "Revoke secret", exact: true }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Secret revoked.");
  await expect(page.locator('[data-testid="secret-row"][data-status="revoked"]')).toHaveCount(1);

  // the audit trail has every step, and the chain verifies
  await page.goto("/audit?target=billing-api");
  const table = page.getByTestId("audit-table");
  for (const action of ["client.create", "secret.rotate", "secret.revoke"]) await expect(table).toContainText(action);
  await expect(page.getByTestId("chain-status")).toContainText("Chain verified");
  expect(await page.content()).not.toContain(first);
  await keepScreenshot(page, "audit");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = fs.readFileSync(await (await download).path(), "utf8");
  expect(csv.split("\r\n")[0]).toContain("seq,at,actor_type,actor,action");
  expect(csv).toContain("secret.rotate");
  expect(csv).not.toContain(first);

  await page.goto("/");
  await expect(page.getByTestId("age-buckets")).toContainText("0–30 days: ");
  await keepScreenshot(page, "overview");
  await page.goto("/clients");
  await keepScreenshot(page, "clients");
});
