// Single sign-on against a real OpenID provider (tests/e2e/oidc-idp.ts, panva's oidc-provider): the
// console authenticates to it with private_key_jwt, matches people by verified email, and refuses or
// creates unknown people as the setting says.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E } from "./env";
import { keepScreenshot, signIn, signOut } from "./helpers";

/** A fresh browser, so the provider has no session yet: through its sign-in and consent pages. */
async function signInWithIdp(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext();
  // the provider's development pages import a web font; this machine has no internet
  await context.route(/fonts\.googleapis\.com/, (route) => route.abort());
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByRole("button", { name: `Sign in with ${E2E.idp.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E.idp.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  return page;
}

type TokenRequest = { status: number; clientAuthMethod: string | null; assertionHeader: { alg?: string; kid?: string } | null; assertionClaims: Record<string, unknown> | null };

test("a known user signs in through the identity provider; the console authenticated to it with private_key_jwt", async ({ browser, request }) => {
  const page = await signInWithIdp(browser, "operator@e2e.test");
  await expect(page).toHaveURL(`${E2E.baseURL}/`);
  await expect(page.getByTestId("current-user")).toContainText("operator@e2e.test");

  // what the console sent to the provider's token endpoint
  const requests = (await (await request.get(`${E2E.idp.issuer}/test/token-requests`)).json()) as TokenRequest[];
  const last = requests.at(-1)!;
  expect(last.status).toBe(200);
  expect(last.clientAuthMethod).toBe("private_key_jwt");
  expect(last.assertionHeader?.alg).toBe("ES256");
  // the audience is the provider's issuer identifier as a single string (RFC 7523bis), not an array
  expect(last.assertionClaims?.aud).toBe(E2E.idp.issuer);
  expect(last.assertionClaims?.iss).toBe(E2E.idp.clientId);
  expect(last.assertionClaims?.sub).toBe(E2E.idp.clientId);
  const claims = last.assertionClaims as { iat: number; exp: number; jti: string };
  expect(claims.exp - claims.iat).toBeLessThanOrEqual(300);
  expect(claims.jti).toBeTruthy();
  // a session from single sign-on ends like any other
  await signOut(page);
  await page.context().close();
});

test("an unknown person is refused, or becomes an auditor when the setting says so; an unverified email never matches", async ({ browser, page }) => {
  const refused = await signInWithIdp(browser, "newcomer@e2e.test");
  await expect(refused).toHaveURL(/\/login\?error=sso_unknown_user/);
  await expect(refused.getByTestId("login-error")).toHaveText("You have no Keyshift account. Ask a Keyshift administrator to create one for your email address.");
  await keepScreenshot(refused, "login-sso-refused");
  await refused.context().close();

  // an unverified address is refused even when an account with that email exists
  const unverified = await signInWithIdp(browser, "unverified@e2e.test");
  await expect(unverified.getByTestId("login-error")).toContainText("has not verified your email address");
  await unverified.context().close();

  await signIn(page, E2E.admin.email, E2E.admin.password);
  await page.goto("/settings");
  await page.getByLabel("First single sign-on of an unknown user").selectOption("auditor");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();

  const created = await signInWithIdp(browser, "newcomer@e2e.test");
  await expect(created.getByTestId("current-user")).toContainText("newcomer@e2e.test");
  await expect(created.getByTestId("current-user")).toContainText("(read-only)");
  expect((await created.goto("/clients/new"))?.status()).toBe(403);
  await created.context().close();

  // the administrator sees who signed in how, and that the account was created by single sign-on
  await page.goto("/audit?actor=newcomer%40e2e.test");
  await expect(page.getByRole("row").filter({ hasText: "auth.sign_in" }).first()).toBeVisible();
  await page.goto("/users");
  const account = page.getByRole("row").filter({ hasText: "newcomer@e2e.test" });
  await expect(account).toContainText("Auditor");
  await expect(account).toContainText("active · single sign-on");
  await page.goto("/settings");
  await page.getByLabel("First single sign-on of an unknown user").selectOption("refuse");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
});
