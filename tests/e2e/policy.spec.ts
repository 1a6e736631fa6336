// The organisation policy page: an administrator previews whom a change affects before saving it, saves
// a required method for an environment, and the console then refuses a new secret client there.
import { expect, test } from "@playwright/test";
import { E2E } from "./env";
import { keepScreenshot, signIn } from "./helpers";

test("an administrator previews and saves a policy; a new secret client is then refused where keys are required", async ({ page }) => {
  await signIn(page, E2E.admin.email, E2E.admin.password);
  await page.getByRole("link", { name: "Policy" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Organisation policy");
  const policy = page.getByRole("form", { name: "Organisation policy" });

  // preview: nothing is saved, the effect is stated
  await policy.getByLabel("Required method, production").selectOption("private_key_jwt");
  await policy.getByRole("button", { name: "Preview the effect" }).click();
  const effects = page.getByTestId("policy-effects");
  await expect(effects).toContainText(/production clients? still on a secret would breach at once/);
  await expect(effects).toContainText("If you save these values");
  await keepScreenshot(page, "policy-preview");
  await page.reload();
  await expect(policy.getByLabel("Required method, production")).toHaveValue("any");

  // save a requirement for development, from yesterday
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await policy.getByLabel("Required method, development").selectOption("private_key_jwt");
  await policy.getByLabel("Effective date, development").fill(yesterday);
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Policy saved.");

  try {
    await page.goto("/clients/new");
    await page.getByLabel("Name").fill("Sandbox tool");
    await page.getByLabel("Environment").selectOption("development");
    await page.getByLabel("Owner team").selectOption({ label: "Payments" });
    await page.getByLabel("Contact email").fill("sandbox@e2e.test");
    await page.getByRole("button", { name: "Create client" }).click();
    await expect(page.getByText("private_key_jwt is required in this environment")).toBeVisible();

    await page.goto("/audit?action=settings.update");
    await expect(page.getByTestId("audit-table")).toContainText("policy.requiredMethod.development");
  } finally {
    // the rest of the browser suite creates development clients with secrets
    await page.goto("/policy");
    await policy.getByLabel("Required method, development").selectOption("any");
    await policy.getByLabel("Effective date, development").fill("");
    await policy.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByTestId("form-message")).toHaveText("Policy saved.");
  }
});
