// Notifications in the browser: an operator routes their team's events to a webhook (a local receiver)
// and sends a test event, which arrives as a security event token the receiver verifies against the
// console's published JWKS; the delivery log shows it; an invalid target is refused with a message; an
// administrator changes when to notify; an auditor reads routes (webhook URLs cut to their origin) and
// changes nothing; the page has no serious accessibility violation.
import http from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { E2E } from "./env";
import { keepScreenshot, signIn, signOut } from "./helpers";

async function axe(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("a team's webhook receives a signed test event, and the delivery log shows it", async ({ page }) => {
  test.setTimeout(90_000);
  const received: { contentType: string; body: string }[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ contentType: request.headers["content-type"] ?? "", body });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keyshift-events`;
  try {
    await signIn(page, "operator@e2e.test");
    await page.goto("/notifications");
    const add = page.getByRole("form", { name: "Add a notification route" });
    await add.getByLabel("For").selectOption({ label: "Payments" });
    await add.getByLabel("Name").fill("Payments on-call");
    // a target outside the rules is refused with the reason, nothing is added
    await add.getByLabel("Webhook URL").fill("http://hooks.example.com/keyshift");
    await add.getByRole("button", { name: "Add route" }).click();
    await expect(add.getByText("https required (plain http only to localhost)")).toBeVisible();
    await add.getByLabel("Webhook URL").fill(hook);
    await add.getByRole("button", { name: "Add route" }).click();
    const row = page.getByTestId("route-row").filter({ hasText: "Payments on-call" });
    await expect(row).toContainText(hook);
    await axe(page);

    await row.getByRole("button", { name: "Send a test notification to Payments on-call" }).click();
    await expect(row.getByTestId("form-message")).toContainText("Test notification delivered (202)");
    expect(received).toHaveLength(1);
    expect(received[0].contentType).toBe("application/secevent+jwt");
    // the receiver needs no shared secret: the console's published keys verify the event
    const jwks = createRemoteJWKSet(new URL(`${E2E.baseURL}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(received[0].body, jwks, { issuer: E2E.issuer, audience: hook, typ: "secevent+jwt" });
    expect(protectedHeader.alg).toBe("ES256");
    expect(typeof payload.jti).toBe("string");
    expect(Object.keys(payload.events as object)).toHaveLength(1);

    await page.reload();
    const delivery = page.getByTestId("delivery-row").filter({ hasText: String(payload.jti) });
    await expect(delivery).toContainText("delivered");
    await expect(delivery).toContainText("HTTP 202");
    await keepScreenshot(page, "notifications-delivered");
    await signOut(page);

    // an administrator changes when to notify; a bad list is refused
    await signIn(page, E2E.admin.email, E2E.admin.password);
    await page.goto("/notifications");
    const secretDays = page.getByLabel("Notify before a secret expires (days)");
    await secretDays.fill("30, seven");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByTestId("form-message").last()).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Notify before a secret expires (days)")).toHaveValue("30, 7, 1");
    await page.getByLabel("Notify before a secret expires (days)").fill("14, 3");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByTestId("form-message").last()).toContainText(/saved/i);
    await page.reload();
    await expect(page.getByLabel("Notify before a secret expires (days)")).toHaveValue("14, 3");
    await signOut(page);

    // an auditor reads the routes, without the full webhook URL, and is offered no change
    await signIn(page, "auditor@e2e.test");
    await page.goto("/notifications");
    const auditorRow = page.getByTestId("route-row").filter({ hasText: "Payments on-call" });
    await expect(auditorRow).toContainText(new URL(hook).origin);
    await expect(auditorRow).not.toContainText("/keyshift-events");
    await expect(page.getByRole("form", { name: "Add a notification route" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Send a test notification/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
    await axe(page);
  } finally {
    server.close();
  }
});
