// The REST API end to end: a token made in the console, real HTTP requests to the production server,
// and the changes visible in the console's audit trail.
import { expect, test } from "@playwright/test";
import { keepScreenshot, openClient, signIn } from "./helpers";

test("the OpenAPI document is served without a token", async ({ request }) => {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const doc = await response.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toContain("/clients/{client_id}/secrets/rotate");
});

test("an operator's API token manages its team's clients over HTTP, audited as the operator", async ({ page, request }) => {
  await signIn(page, "operator@e2e.test");
  await page.getByTestId("current-user").click();
  await page.getByLabel("Token name").fill("e2e pipeline");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-api-token").textContent())!.trim();
  expect(token).toMatch(/^ksa_[\w-]{43}$/);
  await keepScreenshot(page, "account-api-tokens");
  const auth = { Authorization: `Bearer ${token}` };

  expect((await request.get("/api/v1/clients")).status()).toBe(401);
  const teams = await (await request.get("/api/v1/clients?q=payments-ledger", { headers: auth })).json();
  const paymentsTeam = teams.data[0].owner_team.id as string;

  // a URL-shaped client_id travels URL-encoded in the path
  const clientId = "https://apps.example.com/e2e-api";
  const created = await request.post("/api/v1/clients", {
    headers: auth,
    data: { client_id: clientId, name: "API-made client", environment: "staging", owner_team_id: paymentsTeam, contact_email: "api@e2e.test", auth_method: "client_secret_basic", grant_types: ["client_credentials"] },
  });
  expect(created.status()).toBe(201);
  const secret = (await created.json()).secret as { id: string; value: string };
  expect(secret.value).toMatch(/^kss_/);
  const path = `/api/v1/clients/${encodeURIComponent(clientId)}`;
  const fetched = await request.get(path, { headers: auth });
  expect(fetched.status()).toBe(200);
  expect((await fetched.json()).client_id).toBe(clientId);
  expect((await request.post(`${path}/secrets/rotate`, { headers: auth })).status()).toBe(201);

  // the first secret still works through the rotation's overlap; revoked over the API, the app's token
  // endpoint (answered ahead of Next.js's router, with its own 5-second client cache) refuses it at once
  const basicAuth = { Authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret.value)}`).toString("base64")}` };
  const grant = { grant_type: "client_credentials" };
  expect((await request.post("/oauth/token", { form: grant, headers: basicAuth })).status()).toBe(200);
  expect((await request.post(`${path}/secrets/${secret.id}/revoke`, { headers: auth })).status()).toBe(200);
  const refused = await request.post("/oauth/token", { form: grant, headers: basicAuth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error).toBe("invalid_client");

  // another team's client is out of reach
  const other = await request.post(`/api/v1/clients/identity-sync/secrets/rotate`, { headers: auth });
  expect(other.status()).toBe(403);
  expect((await other.json()).error.code).toBe("forbidden");

  await openClient(page, "API-made client");
  const audit = page.getByTestId("audit-table");
  await expect(audit).toContainText("secret.rotate");
  await expect(audit).toContainText("via: api_token:e2e pipeline");
  await expect(audit).toContainText("operator@e2e.test");
});
