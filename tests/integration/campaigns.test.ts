// Campaigns against a real database: a cohort frozen from the client list's filters, stages derived
// from stored state and real token-endpoint traffic, funnel, per-team counts, overdue clients, the
// burn-down snapshots, cohort changes, closing, permissions and validation.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addCampaignClients, closeCampaign, createCampaign, previewCohort, removeCampaignClient, snapshotActiveCampaigns, updateCampaign } from "@/lib/campaigns/commands";
import { campaignClients, campaignHistory, campaignReportRows, campaignSummary, clientCampaigns, listCampaigns } from "@/lib/campaigns/queries";
import { deleteClient } from "@/lib/clients/commands";
import { issuer } from "@/lib/config";
import { db, disconnect } from "@/lib/db";
import { addKeys } from "@/lib/keys/lifecycle";
import { finaliseMigration, openDualWindow } from "@/lib/migration/steps";
import { forgetCachedClients } from "@/lib/oauth/client-auth";
import { forgetEndpointPolicy } from "@/lib/oauth/policy";
import { rotateSecret } from "@/lib/secrets/commands";
import { auditCount, lastAudit, makeCast, makeUser, rejection, resetDatabase, uniq, type Cast } from "./helpers";
import { assertion, basic, form, jwtParams, makeKey, secretClient, tokenRequest, type TestKey } from "./oauth-fixtures";

const DAY = 86_400_000;
const inDays = (days: number, from = new Date()) => new Date(from.getTime() + days * DAY);
const ymd = (d: Date) => d.toISOString().slice(0, 10);

let cast: Cast;
beforeAll(async () => {
  await resetDatabase();
  forgetEndpointPolicy();
});
beforeEach(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

type Client = Awaited<ReturnType<typeof secretClient>>;

const secretIn = (teamId: string, overrides: Record<string, unknown> = {}) => secretClient(cast.admin, teamId, overrides);

/** Makes a client's current secret look `days` old (its row and the client's summary column). */
async function ageSecret(client: Client, days: number) {
  const createdAt = inDays(-days);
  await db().clientSecret.update({ where: { id: client.secretId }, data: { createdAt } });
  await db().client.update({ where: { id: client.id }, data: { secretCreatedAt: createdAt } });
}

async function register(client: Client, key: TestKey) {
  await addKeys(cast.admin, client.id, { kind: "jwks", text: JSON.stringify({ keys: [key.publicJwk] }) });
}

async function tokenByKey(client: Client, key: TestKey) {
  forgetCachedClients();
  return (await tokenRequest(form(jwtParams(await assertion(client.clientId, issuer(), key))))).status;
}

const migrationInput = (overrides: Record<string, unknown> = {}) => ({ name: uniq("Q3 production migration"), kind: "migration", deadline: ymd(inDays(30)), ...overrides });

describe("creating a campaign", () => {
  it("freezes the cohort the list's filters show, leaving out clients already on private_key_jwt", async () => {
    const [a, b] = [await secretIn(cast.teamA.id), await secretIn(cast.teamB.id)];
    await secretIn(cast.teamA.id, { environment: "staging" });
    const migrated = await secretIn(cast.teamA.id);
    await db().client.update({ where: { id: migrated.id }, data: { migrationState: "private_key_jwt", authMethod: "private_key_jwt", acceptedMethods: "private_key_jwt" } });

    expect(await previewCohort(cast.operatorOwner, "migration", { environment: "production" })).toEqual({ matching: 3, cohort: 2, leftOut: 1, tooLarge: false });
    const before = await auditCount();
    const { campaign, counts, leftOut } = await createCampaign(cast.operatorOwner, migrationInput({ description: "All production clients" }), { environment: "production", sort: "name", page: "3" });
    expect(leftOut).toBe(1);
    expect(counts).toMatchObject({ total: 2, done: 0, overdue: 0, stages: { not_started: 2, keys_registered: 0, dual: 0, assertions_seen: 0, finalised: 0, deleted: 0 } });
    expect(campaign.ownerId).toBe(cast.operatorOwner.id);
    expect(JSON.parse(campaign.cohortQuery)).toEqual({ environment: "production" });
    const members = await db().campaignClient.findMany({ where: { campaignId: campaign.id }, select: { clientId: true } });
    expect(members.map((m) => m.clientId).sort()).toEqual([a.id, b.id].sort());

    expect(await auditCount()).toBe(before + 1);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "campaign.create", targetType: "campaign", targetId: campaign.id, actorEmail: cast.operatorOwner.email });
    expect(audit.details).toMatchObject({ kind: "migration", cohort: 2, leftOut: 1, filters: { environment: "production" }, owner: cast.operatorOwner.email });

    // frozen: a client created later that matches the filters is not in the campaign
    await secretIn(cast.teamA.id);
    expect((await campaignSummary(cast.auditor, campaign.id)).counts.total).toBe(2);
    // the first burn-down point is recorded with the campaign
    expect(await db().campaignSnapshot.findMany({ where: { campaignId: campaign.id }, select: { total: true, done: true } })).toEqual([{ total: 2, done: 0 }]);
  });

  it("takes for a rotation only clients whose valid current secret is older than its age", async () => {
    const old = await secretIn(cast.teamA.id);
    await ageSecret(old, 200);
    const young = await secretIn(cast.teamA.id);
    await ageSecret(young, 20);
    const { campaign, counts } = await createCampaign(cast.admin, { name: uniq("Rotate"), kind: "rotation", rotateOlderThanDays: "90", deadline: ymd(inDays(14)) }, {});
    expect(campaign.rotateOlderThanDays).toBe(90);
    expect(counts).toMatchObject({ total: 1, done: 0, stages: { pending: 1, rotated: 0, deleted: 0 } });
    const page = await campaignClients(cast.auditor, campaign.id);
    expect(page.rows.map((r) => r.clientId)).toEqual([old.clientId]);
  });

  it("refuses bad input with a message per field and changes nothing", async () => {
    await secretIn(cast.teamA.id);
    const before = await auditCount();
    const past = await rejection(createCampaign(cast.admin, migrationInput({ deadline: ymd(inDays(-1)) }), {}), "invalid");
    expect(past.fields).toEqual({ deadline: "The deadline must be in the future" });
    const far = await rejection(createCampaign(cast.admin, migrationInput({ deadline: ymd(inDays(800)) }), {}), "invalid");
    expect(far.fields?.deadline).toMatch(/at most 730 days/);
    const noAge = await rejection(createCampaign(cast.admin, migrationInput({ kind: "rotation" }), {}), "invalid");
    expect(noAge.fields?.rotateOlderThanDays).toMatch(/age, in days/);
    const noName = await rejection(createCampaign(cast.admin, migrationInput({ name: "  " }), {}), "invalid");
    expect(noName.fields?.name).toBe("Name is required");
    const badKind = await rejection(createCampaign(cast.admin, migrationInput({ kind: "cleanup" }), {}), "invalid");
    expect(badKind.fields?.kind).toMatch(/Choose a migration/);
    const empty = await rejection(createCampaign(cast.admin, migrationInput(), { environment: "development" }), "invalid");
    expect(empty.message).toBe("No client matches these filters: the cohort would be empty.");
    const auditorOwner = await rejection(createCampaign(cast.admin, migrationInput({ ownerId: cast.auditor.id }), {}), "invalid");
    expect(auditorOwner.fields?.ownerId).toMatch(/administrator or an operator/);
    const { campaign } = await createCampaign(cast.admin, migrationInput({ name: "Taken" }), {});
    const taken = await rejection(createCampaign(cast.admin, migrationInput({ name: "Taken" }), {}), "conflict");
    expect(taken.fields).toEqual({ name: "Choose another name" });
    expect(await db().campaign.count()).toBe(1);
    expect(await db().campaignClient.count({ where: { campaignId: { not: campaign.id } } })).toBe(0);
    expect(await auditCount()).toBe(before + 1);
  });

  it("names why a migration cohort is empty when every match is migrated already", async () => {
    const migrated = await secretIn(cast.teamA.id);
    await db().client.update({ where: { id: migrated.id }, data: { migrationState: "private_key_jwt" } });
    const error = await rejection(createCampaign(cast.admin, migrationInput(), {}), "invalid");
    expect(error.message).toBe("The 1 matching client uses private_key_jwt already: nothing to migrate.");
  });

  it("lets administrators and operators create campaigns, not auditors", async () => {
    await secretIn(cast.teamA.id);
    await rejection(createCampaign(cast.auditor, migrationInput(), {}), "forbidden");
    await createCampaign(cast.operatorOther, migrationInput(), {});
    expect(await db().campaign.count()).toBe(1);
  });
});

describe("stages from state and real traffic", () => {
  it("follows each client from not started to finalised, with the funnel and per-team counts", async () => {
    const key = await makeKey("ES256", "k1");
    const [a1, a2, a3, b1, b2] = [await secretIn(cast.teamA.id), await secretIn(cast.teamA.id), await secretIn(cast.teamA.id), await secretIn(cast.teamB.id), await secretIn(cast.teamB.id)];
    const { campaign } = await createCampaign(cast.admin, migrationInput(), {});
    // a1: all the way to finalised; a2: dual with a successful assertion; a3: dual without one;
    // b1: keys registered; b2: deleted
    for (const c of [a1, a2, a3, b1]) await register(c, key);
    for (const c of [a1, a2, a3]) await openDualWindow(cast.admin, c.id);
    expect(await tokenByKey(a1, key)).toBe(200);
    expect(await tokenByKey(a2, key)).toBe(200);
    // the secret still works in the dual window and does not advance the stage
    forgetCachedClients();
    expect((await tokenRequest(form({ grant_type: "client_credentials" }), { authorization: basic(a3.clientId, a3.secret) })).status).toBe(200);
    await finaliseMigration(cast.admin, a1.id, { reason: "campaign test: the secret is not in use" });
    await deleteClient(cast.admin, b2.id, b2.clientId);

    const summary = await campaignSummary(cast.auditor, campaign.id);
    expect(summary.counts).toMatchObject({ total: 5, done: 2, overdue: 0, stages: { not_started: 0, keys_registered: 1, dual: 1, assertions_seen: 1, finalised: 1, deleted: 1 } });
    expect(summary.funnel).toEqual([
      { stage: "not_started", reached: 4 },
      { stage: "keys_registered", reached: 4 },
      { stage: "dual", reached: 3 },
      { stage: "assertions_seen", reached: 2 },
      { stage: "finalised", reached: 1 },
    ]);
    const teams = Object.fromEntries(summary.perTeam.map((t) => [t.teamName, { total: t.total, done: t.done, stages: t.stages }]));
    expect(teams[cast.teamA.name]).toMatchObject({ total: 3, done: 1, stages: { finalised: 1, assertions_seen: 1, dual: 1 } });
    expect(teams[cast.teamB.name]).toMatchObject({ total: 2, done: 1, stages: { keys_registered: 1, deleted: 1 } });
    expect(summary.complete).toBe(false);

    // the drill-downs list exactly the clients each figure counts
    const stageOf = async (stage: string) => (await campaignClients(cast.auditor, campaign.id, { stage })).rows.map((r) => r.clientId);
    expect(await stageOf("finalised")).toEqual([a1.clientId]);
    expect(await stageOf("assertions_seen")).toEqual([a2.clientId]);
    expect(await stageOf("dual")).toEqual([a3.clientId]);
    expect(await stageOf("keys_registered")).toEqual([b1.clientId]);
    expect(await stageOf("deleted")).toEqual([b2.clientId]);
    const teamB = await campaignClients(cast.auditor, campaign.id, { team: cast.teamB.id });
    expect(teamB.total).toBe(2);
    expect(teamB.rows.map((r) => r.stage).sort()).toEqual(["deleted", "keys_registered"]);

    // each client's page names its campaigns with its stage there
    expect(await clientCampaigns(cast.auditor, a2.id)).toMatchObject([{ id: campaign.id, name: campaign.name, stage: "assertions_seen", overdue: false }]);
    expect(await clientCampaigns(cast.auditor, b2.id)).toMatchObject([{ id: campaign.id, stage: "deleted" }]);

    // the report holds every client with its stage
    const report = await campaignReportRows(cast.auditor, campaign.id);
    expect(Object.fromEntries(report.rows.map((r) => [r.clientId, r.stage]))).toEqual({
      [a1.clientId]: "finalised",
      [a2.clientId]: "assertions_seen",
      [a3.clientId]: "dual",
      [b1.clientId]: "keys_registered",
      [b2.clientId]: "deleted",
    });
  });

  it("counts a rotation done when a new secret is issued, and complete when every client is", async () => {
    const [a, b] = [await secretIn(cast.teamA.id), await secretIn(cast.teamB.id)];
    await ageSecret(a, 400);
    await ageSecret(b, 400);
    const { campaign } = await createCampaign(cast.admin, { name: uniq("Rotate"), kind: "rotation", rotateOlderThanDays: 365, deadline: ymd(inDays(7)) }, {});
    await rotateSecret(cast.admin, a.id);
    let summary = await campaignSummary(cast.auditor, campaign.id);
    expect(summary.counts).toMatchObject({ total: 2, done: 1, stages: { pending: 1, rotated: 1 } });
    await rotateSecret(cast.admin, b.id);
    summary = await campaignSummary(cast.auditor, campaign.id);
    expect(summary.counts).toMatchObject({ total: 2, done: 2, stages: { pending: 0, rotated: 2 } });
    expect(summary.complete).toBe(true);
  });
});

describe("overdue clients", () => {
  it("flags clients not done after the deadline, and a client whose own dual window ended before it", async () => {
    const key = await makeKey("ES256", "k1");
    const [late, waiting, done] = [await secretIn(cast.teamA.id), await secretIn(cast.teamA.id), await secretIn(cast.teamA.id)];
    const { campaign } = await createCampaign(cast.admin, migrationInput({ deadline: ymd(inDays(20)) }), {});
    for (const c of [late, done]) await register(c, key);
    for (const c of [late, done]) await openDualWindow(cast.admin, c.id, { until: inDays(2) });
    await finaliseMigration(cast.admin, done.id, { reason: "test" });

    expect((await campaignSummary(cast.auditor, campaign.id)).counts.overdue).toBe(0);
    // three days on, late's dual window has ended: overdue before the campaign's deadline
    const soon = inDays(3);
    const summary = await campaignSummary(cast.auditor, campaign.id, soon);
    expect(summary.counts.overdue).toBe(1);
    expect((await campaignClients(cast.auditor, campaign.id, { overdue: true }, soon)).rows.map((r) => r.clientId)).toEqual([late.clientId]);
    // past the deadline every client not done is overdue
    const after = inDays(25);
    const later = await campaignSummary(cast.auditor, campaign.id, after);
    expect(later.counts.overdue).toBe(2);
    expect(later.late).toBe(true);
    expect((await campaignClients(cast.auditor, campaign.id, { overdue: true }, after)).rows.map((r) => r.clientId).sort()).toEqual([late.clientId, waiting.clientId].sort());
  });
});

describe("changing the cohort and the campaign", () => {
  it("adds clients by client_id, refuses unknown ones without adding any, and removes with a reason", async () => {
    const [a, b, c] = [await secretIn(cast.teamA.id), await secretIn(cast.teamA.id), await secretIn(cast.teamB.id)];
    const { campaign } = await createCampaign(cast.operatorOwner, migrationInput(), { team: cast.teamA.id });
    expect((await campaignSummary(cast.auditor, campaign.id)).counts.total).toBe(2);

    const before = await auditCount();
    const unknown = await rejection(addCampaignClients(cast.operatorOwner, campaign.id, `${c.clientId}\nno-such-client`), "invalid");
    expect(unknown.message).toBe("No client with client_id no-such-client: nothing was added.");
    expect(await auditCount()).toBe(before);
    expect((await campaignSummary(cast.auditor, campaign.id)).counts.total).toBe(2);

    expect(await addCampaignClients(cast.operatorOwner, campaign.id, `${c.clientId}, ${a.clientId}`)).toEqual({ added: [c.clientId], already: [a.clientId], unknown: [] });
    expect(await lastAudit()).toMatchObject({ action: "campaign.add_clients", details: { clientIds: [c.clientId], cohort: 3 } });
    expect((await campaignSummary(cast.auditor, campaign.id)).counts.total).toBe(3);

    await removeCampaignClient(cast.operatorOwner, campaign.id, b.clientId, "decommissioned next month");
    expect(await lastAudit()).toMatchObject({ action: "campaign.remove_client", details: { clientId: b.clientId, reason: "decommissioned next month", cohort: 2 } });
    await rejection(removeCampaignClient(cast.operatorOwner, campaign.id, b.clientId), "not_found");
    // the client itself is untouched
    expect(await db().client.count({ where: { id: b.id, status: "active" } })).toBe(1);

    const history = await campaignHistory(cast.auditor, campaign.id);
    expect(history.map((h) => h.action)).toEqual(["campaign.create", "campaign.add_clients", "campaign.remove_client"]);
  });

  it("changes name, deadline and owner (audited), and a closed campaign no longer changes", async () => {
    await secretIn(cast.teamA.id);
    const { campaign } = await createCampaign(cast.operatorOwner, migrationInput(), {});
    const deadline = inDays(60);
    const updated = await updateCampaign(cast.operatorOwner, campaign.id, { name: "Renamed", deadline: deadline.toISOString(), ownerId: cast.admin.id });
    expect(updated).toMatchObject({ name: "Renamed", ownerId: cast.admin.id });
    expect(updated.deadline.getTime()).toBe(deadline.getTime());
    const audit = await lastAudit();
    expect(audit.action).toBe("campaign.update");
    expect(Object.keys(audit.details.changes as object).sort()).toEqual(["deadline", "name", "owner"]);
    // nothing changed: no entry
    const count = await auditCount();
    await updateCampaign(cast.admin, campaign.id, { name: "Renamed" });
    expect(await auditCount()).toBe(count);

    const closed = await closeCampaign(cast.admin, campaign.id, "Called off: replaced by the Q4 campaign");
    expect(closed.status).toBe("closed");
    expect(await lastAudit()).toMatchObject({ action: "campaign.close", details: { reason: "Called off: replaced by the Q4 campaign", total: 1, done: 0, outstanding: 1 } });
    await rejection(updateCampaign(cast.admin, campaign.id, { name: "Again" }), "conflict");
    await rejection(addCampaignClients(cast.admin, campaign.id, "x"), "conflict");
    await rejection(closeCampaign(cast.admin, campaign.id), "conflict");
    // still readable, listed after the active ones
    expect((await listCampaigns(cast.auditor)).map((c) => c.status)).toEqual(["closed"]);
  });

  it("lets only the owner, the creator and administrators change a campaign", async () => {
    await secretIn(cast.teamA.id);
    const { campaign } = await createCampaign(cast.operatorOwner, migrationInput(), {});
    await rejection(updateCampaign(cast.operatorOther, campaign.id, { name: "Mine now" }), "forbidden");
    await rejection(closeCampaign(cast.operatorOther, campaign.id), "forbidden");
    await rejection(addCampaignClients(cast.auditor, campaign.id, "x"), "forbidden");
    // handing it over to the other operator lets them change it; the creator keeps the right too
    await updateCampaign(cast.admin, campaign.id, { ownerId: cast.operatorOther.id });
    await updateCampaign(cast.operatorOther, campaign.id, { description: "Taken over" });
    await updateCampaign(cast.operatorOwner, campaign.id, { description: "Still the creator" });
    const stranger = await makeUser("operator", [cast.teamA.id]);
    await rejection(updateCampaign(stranger, campaign.id, { description: "No" }), "forbidden");
  });
});

describe("burn-down snapshots", () => {
  it("keeps one point per day, refreshed by any number of runs, and shows today live", async () => {
    const [a, b] = [await secretIn(cast.teamA.id), await secretIn(cast.teamA.id)];
    await ageSecret(a, 100);
    await ageSecret(b, 100);
    const created = inDays(-2);
    const { campaign } = await createCampaign(cast.admin, { name: uniq("Rotate"), kind: "rotation", rotateOlderThanDays: 30, deadline: ymd(inDays(10)) }, {}, created);
    // two schedulers on the next day, at once, then again later that day
    const nextDay = inDays(1, created);
    await Promise.all([snapshotActiveCampaigns(nextDay), snapshotActiveCampaigns(nextDay)]);
    await snapshotActiveCampaigns(new Date(nextDay.getTime() + 3_600_000));
    expect(await db().campaignSnapshot.count({ where: { campaignId: campaign.id } })).toBe(2);

    await rotateSecret(cast.admin, a.id);
    const summary = await campaignSummary(cast.auditor, campaign.id);
    expect(summary.burnDown.map((p) => ({ day: p.day, remaining: p.remaining, live: p.live ?? false }))).toEqual([
      { day: ymd(created), remaining: 2, live: false },
      { day: ymd(nextDay), remaining: 2, live: false },
      { day: ymd(new Date()), remaining: 1, live: true },
    ]);
    // the ideal line starts at the cohort and reaches none at the deadline
    expect(summary.burnDown[0].ideal).toBe(2);
    expect(summary.burnDown[2].ideal).toBeGreaterThan(0);
    expect(summary.burnDown[2].ideal).toBeLessThan(2);

    // a closed campaign is no longer snapshotted
    await closeCampaign(cast.admin, campaign.id);
    const rows = await db().campaignSnapshot.count({ where: { campaignId: campaign.id } });
    await snapshotActiveCampaigns(inDays(2));
    expect(await db().campaignSnapshot.count({ where: { campaignId: campaign.id } })).toBe(rows);
  });
});
