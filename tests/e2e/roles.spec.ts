// What each role can and cannot do in the console. The server enforces every denial (the domain
// matrix in tests/integration proves it per command); here a person sees the same rules.
import { expect, test } from "@playwright/test";
import { E2E } from "./env";
import { keepScreenshot, openClient, signIn, signOut } from "./helpers";

test("an auditor can read everything but cannot rotate or change anything", async ({ page }) => {
  await signIn(page, "auditor@e2e.test");
  await expect(page.getByTestId("current-user")).toContainText("(read-only)");
  await openClient(page, "Payments ledger");
  await expect(page.getByTestId("read-only-note")).toHaveText("Auditors have read-only access.");
  await expect(page.getByRole("button", { name: "Rotate secret" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
  const clientUrl = page.url();

  for (const path of ["/clients/new", `${new URL(clientUrl).pathname}/edit`]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Your role does not allow this page" })).toBeVisible();
  }
  expect((await page.goto("/clients/no-such-client"))?.status()).toBe(404);
  await page.goto("/audit");
  await expect(page.getByTestId("chain-status")).toContainText("Chain verified");
  await signOut(page);
});

test("an operator manages its own team's client but cannot touch another team's", async ({ page }) => {
  await signIn(page, "operator@e2e.test");
  await openClient(page, "Identity sync");
  await expect(page.getByTestId("read-only-note")).toContainText("Owned by Identity");
  await expect(page.getByRole("button", { name: "Rotate secret" })).toHaveCount(0);
  const response = await page.goto(`${new URL(page.url()).pathname}/edit`);
  expect(response?.status()).toBe(403);

  await openClient(page, "Payments ledger");
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("button", { name: "Rotate now" }).click();
  await expect(page.getByTestId("new-secret")).toHaveText(/^kss_/);

  // the new-client form offers only the operator's own teams
  await page.goto("/clients/new");
  await expect(page.getByLabel("Owner team").locator("option")).toHaveText(["Choose…", "Payments"]);
  // settings are readable, not editable
  expect((await page.goto("/settings"))?.status()).toBe(200);
  await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  await signOut(page);
});

test("an administrator creates a user who sets a password through the one-time link", async ({ page, browser }) => {
  await signIn(page, E2E.admin.email, E2E.admin.password);
  await page.goto("/users");
  await page.getByLabel("Email").fill("new.operator@e2e.test");
  await page.getByLabel("Name").fill("New Operator");
  await page.getByLabel("Role").selectOption("operator");
  await page.getByLabel("Payments").check();
  await page.getByRole("button", { name: "Create user" }).click();
  const link = (await page.getByTestId("password-link").textContent())!.trim();
  expect(link).toMatch(/\/set-password\/[\w-]{43}$/);
  await keepScreenshot(page, "users");

  const visitor = await browser.newPage();
  await visitor.goto(link);
  await visitor.getByLabel("New password").fill("short");
  await visitor.getByLabel("Repeat it").fill("short");
  await visitor.getByRole("button", { name: "Set password" }).click();
  await expect(visitor.getByText("Use at least 12 characters")).toBeVisible();
  await visitor.getByLabel("New password").fill("a long enough passphrase");
  await visitor.getByLabel("Repeat it").fill("a long enough passphrase");
  await visitor.getByRole("button", { name: "Set password" }).click();
  await expect(visitor.getByTestId("form-message")).toContainText("Password set for new.operator@e2e.test");
  // the link works once
  await visitor.goto(link);
  await expect(visitor.getByRole("main").getByRole("alert")).toContainText("invalid, used or expired");
  await signIn(visitor, "new.operator@e2e.test", "a long enough passphrase");
  await expect(visitor.getByTestId("current-user")).toContainText("Operator");

  // disabling takes effect at once, even for a session already signed in: the user is read from the
  // database on every request
  await page.goto("/users");
  await page.getByRole("link", { name: "new.operator@e2e.test" }).click();
  await page.getByRole("button", { name: "Disable user" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("User disabled.");
  await visitor.goto("/clients");
  await expect(visitor).toHaveURL(/\/login/);
  await visitor.close();
});
