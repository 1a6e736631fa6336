// Bringing an existing inventory in through the console: dry run first, then an all-or-nothing import,
// then the registry export.
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E } from "./env";
import { keepScreenshot, openClient, signIn } from "./helpers";

const CSV = [
  "client_id,name,environment,team,contact_email,auth_method,scopes,secret_created_at,secret_expires_at",
  "0oa1legacyreports00x,Legacy Reports,production,Payments,reports@e2e.test,client_secret_basic,reports:read,2024-01-15,2027-01-15",
  '"imported-partner-sync","Partner Sync, EU",staging,Identity,partners@e2e.test,client_secret_post,,2026-10-01,',
  "bad id with spaces,Broken,production,Payments,x@e2e.test,client_secret_basic,,,",
].join("\r\n");

test("an administrator dry-runs and imports a CSV inventory, then exports the registry", async ({ page }) => {
  await signIn(page, E2E.admin.email, E2E.admin.password);
  await page.goto("/clients/import");
  await page.getByLabel("File").setInputFiles({ name: "inventory.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Dry run of inventory.csv: nothing was written.");
  await expect(page.locator('[data-testid="import-row"][data-action="create"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="import-row"][data-action="invalid"]')).toContainText("bad id with spaces");
  await expect(page.getByRole("button", { name: "Import", exact: true })).toBeDisabled();
  await keepScreenshot(page, "import-dry-run");

  // fix the file: without the broken row the import is allowed, and writes both clients
  const fixed = CSV.split("\r\n").slice(0, 3).join("\r\n");
  await page.getByLabel("File").setInputFiles({ name: "inventory.csv", mimeType: "text/csv", buffer: Buffer.from(fixed) });
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.getByTestId("import-totals")).toContainText("2 to create");
  // the import streams its progress (too brief to catch for two rows); assert where it ends
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("form-message")).toHaveText("Imported inventory.csv: 2 created, 0 updated, 0 skipped.");
  await expect(page.getByTestId("import-progress")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Import", exact: true })).toBeDisabled();

  // the imported secret is external, and its real age counts
  await openClient(page, "Legacy Reports");
  await expect(page.getByTestId("secret-row")).toContainText("external secret");
  await page.goto("/clients?age=365%2B");
  await expect(page.getByRole("link", { name: "Legacy Reports" })).toBeVisible();
  await page.goto("/audit?action=inventory.import");
  await expect(page.getByTestId("audit-table")).toContainText("inventory.import");

  await page.goto("/clients");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = fs.readFileSync(await (await download).path(), "utf8");
  expect(csv.split("\r\n")[0]).toContain("client_id,name,description,environment,team,contact_email,auth_method");
  expect(csv).toContain('"Partner Sync, EU"');
});
