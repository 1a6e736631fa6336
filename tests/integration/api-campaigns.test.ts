// Campaigns over the REST API, through the real route handlers, every response checked against the
// OpenAPI document: creation from list filters (strictly read), the campaign with its stages, the
// clients page, cohort changes, closing, the CSV report, and who may do what.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as campaignsRoute from "@/app/api/v1/campaigns/route";
import * as campaignRoute from "@/app/api/v1/campaigns/[campaignId]/route";
import * as closeRoute from "@/app/api/v1/campaigns/[campaignId]/close/route";
import * as clientsRoute from "@/app/api/v1/campaigns/[campaignId]/clients/route";
import * as removeRoute from "@/app/api/v1/campaigns/[campaignId]/clients/[clientId]/route";
import * as reportRoute from "@/app/api/v1/campaigns/[campaignId]/report/route";
import { SYSTEM } from "@/lib/auth/actor";
import { db, disconnect } from "@/lib/db";
import { addKeys } from "@/lib/keys/lifecycle";
import { createApiToken } from "@/lib/tokens/commands";
import { call, type Route } from "./api-call";
import { auditCount, makeCast, resetDatabase, type Cast } from "./helpers";
import { makeKey, secretClient } from "./oauth-fixtures";

let cast: Cast;
const tokens: Record<string, string> = {};
const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
let prod: Awaited<ReturnType<typeof secretClient>>[] = [];
let staging: Awaited<ReturnType<typeof secretClient>>;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  for (const [role, actor] of Object.entries({ admin: cast.admin, operatorOwner: cast.operatorOwner, operatorOther: cast.operatorOther, auditor: cast.auditor })) {
    tokens[role] = (await createApiToken(SYSTEM, actor.id, { name: `${role} automation` })).token;
  }
  prod = [await secretClient(cast.admin, cast.teamA.id), await secretClient(cast.admin, cast.teamA.id), await secretClient(cast.admin, cast.teamB.id)];
  staging = await secretClient(cast.admin, cast.teamA.id, { environment: "staging" });
});
afterAll(disconnect);

const R = <T>(route: T) => route as unknown as Route;

describe("campaigns over the API", () => {
  let id = "";

  it("creates a campaign from the list's filters and answers it with its stages", async () => {
    const { status, body } = await call(R(campaignsRoute.POST), "POST", "/campaigns", {
      token: tokens.operatorOwner,
      body: { name: "Production off secrets", kind: "migration", deadline, filters: { environment: "production", on_secret: "1" } },
    });
    expect(status).toBe(201);
    id = body.id;
    expect(body).toMatchObject({
      name: "Production off secrets",
      kind: "migration",
      status: "active",
      owner: { email: cast.operatorOwner.email },
      cohort_filters: { environment: "production", on_secret: "1" },
      progress: { total: 3, done: 0, overdue: 0, stages: { not_started: 3, finalised: 0 } },
      complete: false,
    });
    expect(body.funnel[0]).toEqual({ stage: "not_started", reached: 3 });
    expect(body.per_team.map((t: { team: { name: string }; total: number }) => [t.team.name, t.total]).sort()).toEqual([[cast.teamA.name, 2], [cast.teamB.name, 1]].sort());
    expect(body.burn_down).toHaveLength(1);
    expect(body.burn_down[0]).toMatchObject({ remaining: 3, live: true });
  });

  it("reads filters as strictly as GET /clients, and refuses bad fields with the error shape", async () => {
    const before = await auditCount();
    const unknownFilter = await call(R(campaignsRoute.POST), "POST", "/campaigns", { token: tokens.admin, body: { name: "x", kind: "migration", deadline, filters: { colour: "blue" } } });
    expect(unknownFilter.status).toBe(422);
    expect(unknownFilter.body.error.fields).toEqual({ "filters.colour": "Unknown filter" });
    const badValue = await call(R(campaignsRoute.POST), "POST", "/campaigns", { token: tokens.admin, body: { name: "x", kind: "migration", deadline, filters: { environment: "prod" } } });
    expect(badValue.status).toBe(422);
    expect(badValue.body.error.fields).toEqual({ environment: 'Invalid value "prod"' });
    const unknownField = await call(R(campaignsRoute.POST), "POST", "/campaigns", { token: tokens.admin, body: { name: "x", kind: "migration", deadline, cohort: [] } });
    expect(unknownField.status).toBe(422);
    expect(unknownField.body.error.fields).toEqual({ cohort: "Unknown field" });
    const rotationWithoutAge = await call(R(campaignsRoute.POST), "POST", "/campaigns", { token: tokens.admin, body: { name: "x", kind: "rotation", deadline } });
    expect(rotationWithoutAge.status).toBe(422);
    expect(Object.keys(rotationWithoutAge.body.error.fields)).toEqual(["rotate_older_than_days"]);
    const taken = await call(R(campaignsRoute.POST), "POST", "/campaigns", { token: tokens.admin, body: { name: "Production off secrets", kind: "migration", deadline } });
    expect(taken.status).toBe(409);
    const auditor = await call(R(campaignsRoute.POST), "POST", "/campaigns", { token: tokens.auditor, body: { name: "x", kind: "migration", deadline } });
    expect(auditor.status).toBe(403);
    const notJson = await call(R(campaignsRoute.POST), "POST", "/campaigns", { token: tokens.admin, rawBody: "name=x" });
    expect(notJson.status).toBe(400);
    expect(await auditCount()).toBe(before);
    expect(await db().campaign.count()).toBe(1);
  });

  it("lists campaigns and pages a campaign's clients by stage", async () => {
    const list = await call(R(campaignsRoute.GET), "GET", "/campaigns", { token: tokens.auditor });
    expect(list.body.data.map((c: { id: string; progress: unknown }) => [c.id, c.progress])).toEqual([[id, { total: 3, done: 0, overdue: 0 }]]);
    expect((await call(R(campaignsRoute.GET), "GET", "/campaigns", { token: tokens.auditor, query: "status=archived" })).status).toBe(422);

    const key = await makeKey("ES256", "k1");
    await addKeys(cast.admin, prod[0].id, { kind: "jwks", text: JSON.stringify({ keys: [key.publicJwk] }) });
    const registered = await call(R(clientsRoute.GET), "GET", "/campaigns/{campaign_id}/clients", { token: tokens.auditor, params: { campaignId: id }, query: "stage=keys_registered" });
    expect(registered.body).toMatchObject({ total: 1, page: 1, page_size: 50 });
    expect(registered.body.data[0]).toMatchObject({ client_id: prod[0].clientId, stage: "keys_registered", overdue: false, migration_state: "keys_registered" });
    const teamB = await call(R(clientsRoute.GET), "GET", "/campaigns/{campaign_id}/clients", { token: tokens.auditor, params: { campaignId: id }, query: `team=${cast.teamB.id}&page_size=25` });
    expect(teamB.body.data.map((c: { client_id: string }) => c.client_id)).toEqual([prod[2].clientId]);
    const badStage = await call(R(clientsRoute.GET), "GET", "/campaigns/{campaign_id}/clients", { token: tokens.auditor, params: { campaignId: id }, query: "stage=rotated" });
    expect(badStage.status).toBe(422);
    expect(badStage.body.error.message).toBe('"rotated" is not a stage of a migration campaign.');
    const unknown = await call(R(campaignRoute.GET), "GET", "/campaigns/{campaign_id}", { token: tokens.auditor, params: { campaignId: "nope" } });
    expect(unknown.status).toBe(404);
  });

  it("adds and removes clients, changes the campaign, and only its owner, creator or an admin may", async () => {
    const other = await call(R(clientsRoute.POST), "POST", "/campaigns/{campaign_id}/clients", { token: tokens.operatorOther, params: { campaignId: id }, body: { client_ids: [staging.clientId] } });
    expect(other.status).toBe(403);
    const unknown = await call(R(clientsRoute.POST), "POST", "/campaigns/{campaign_id}/clients", { token: tokens.operatorOwner, params: { campaignId: id }, body: { client_ids: [staging.clientId, "ghost"] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.fields).toEqual({ client_ids: "Unknown: ghost" });
    const added = await call(R(clientsRoute.POST), "POST", "/campaigns/{campaign_id}/clients", { token: tokens.operatorOwner, params: { campaignId: id }, body: { client_ids: [staging.clientId, prod[1].clientId] } });
    expect(added.body).toEqual({ added: [staging.clientId], already: [prod[1].clientId] });

    const removed = await call(R(removeRoute.DELETE), "DELETE", "/campaigns/{campaign_id}/clients/{client_id}", { token: tokens.admin, params: { campaignId: id, clientId: prod[2].clientId }, body: { reason: "moved to the Q4 campaign" } });
    expect(removed.status).toBe(204);
    const again = await call(R(removeRoute.DELETE), "DELETE", "/campaigns/{campaign_id}/clients/{client_id}", { token: tokens.admin, params: { campaignId: id, clientId: prod[2].clientId } });
    expect(again.status).toBe(404);

    const patched = await call(R(campaignRoute.PATCH), "PATCH", "/campaigns/{campaign_id}", { token: tokens.operatorOwner, params: { campaignId: id }, body: { description: "Every production client" } });
    expect(patched.body).toMatchObject({ description: "Every production client", progress: { total: 3 } });
    const pastDeadline = await call(R(campaignRoute.PATCH), "PATCH", "/campaigns/{campaign_id}", { token: tokens.operatorOwner, params: { campaignId: id }, body: { deadline: "2020-01-01" } });
    expect(pastDeadline.status).toBe(422);
    expect(pastDeadline.body.error.fields).toEqual({ deadline: "The deadline must be in the future" });
  });

  it("exports the report as CSV and closes the campaign", async () => {
    const report = await call(R(reportRoute.GET), "GET", "/campaigns/{campaign_id}/report", { token: tokens.auditor, params: { campaignId: id } });
    expect(report.status).toBe(200);
    const lines = (report.body as string).trim().split("\r\n");
    expect(lines[0]).toMatch(/^client_id,name,environment,owner_team,contact_email,status,stage,/);
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith(prod[0].clientId))).toContain(",keys_registered,Keys registered,false,false,");

    expect((await call(R(closeRoute.POST), "POST", "/campaigns/{campaign_id}/close", { token: tokens.auditor, params: { campaignId: id } })).status).toBe(403);
    const closed = await call(R(closeRoute.POST), "POST", "/campaigns/{campaign_id}/close", { token: tokens.operatorOwner, params: { campaignId: id }, body: { reason: "handed over" } });
    expect(closed.body).toMatchObject({ status: "closed" });
    expect(closed.body.closed_at).not.toBeNull();
    const after = await call(R(campaignRoute.PATCH), "PATCH", "/campaigns/{campaign_id}", { token: tokens.admin, params: { campaignId: id }, body: { name: "Again" } });
    expect(after.status).toBe(409);
  });
});
