// The daily roll-ups the traffic dashboards read: written with every batch of events, in the same
// transaction, so their counts always equal the raw events'.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuer } from "@/lib/config";
import { db, disconnect } from "@/lib/db";
import { makeCast, resetDatabase, type Cast } from "./helpers";
import { assertion, basic, form, jwtClient, jwtParams, makeKey, secretClient, tokenRequest } from "./oauth-fixtures";

let cast: Cast;
beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

describe("authentication event roll-ups", () => {
  it("count each day's events per client, method, outcome, reason and audience form, exactly as the raw events", async () => {
    const key = await makeKey("ES256", "k");
    const jwt = await jwtClient(cast.admin, cast.teamA.id, [key]);
    const secret = await secretClient(cast.admin, cast.teamA.id);
    const grant = form({ grant_type: "client_credentials" });
    for (let i = 0; i < 3; i++) await tokenRequest(grant, { authorization: basic(secret.clientId, secret.secret) });
    await tokenRequest(grant, { authorization: basic(secret.clientId, "kss_wrong") });
    await tokenRequest(grant, { authorization: basic("no-such-client", "x") });
    for (let i = 0; i < 2; i++) await tokenRequest(form(jwtParams(await assertion(jwt.clientId, issuer(), key))));
    await tokenRequest(form(jwtParams(await assertion(jwt.clientId, issuer(), key, { claims: { aud: [issuer()] } }))));

    const raw = await db().authEvent.groupBy({ by: ["endpoint", "clientDbId", "method", "outcome", "reason", "audienceForm"], _count: { _all: true } });
    const daily = await db().authEventDaily.findMany();
    const key_ = (r: { endpoint: string; clientDbId: string | null; method: string | null; outcome: string; reason: string | null; audienceForm: string | null }) =>
      [r.endpoint, r.clientDbId ?? "", r.method ?? "", r.outcome, r.reason ?? "", r.audienceForm ?? ""].join("|");
    const expected = Object.fromEntries(raw.map((r) => [key_(r), r._count._all]));
    const rolled: Record<string, number> = {};
    for (const d of daily) rolled[key_(d)] = (rolled[key_(d)] ?? 0) + d.count;
    expect(rolled).toEqual(expected);
    expect(rolled[["token", secret.id, "client_secret_basic", "success", "", ""].join("|")]).toBe(3);
    expect(rolled[["token", jwt.id, "private_key_jwt", "failure", "aud_array", "array"].join("|")]).toBe(1);
    // one UTC day per row
    for (const d of daily) expect(d.day.toISOString()).toMatch(/T00:00:00\.000Z$/);
    // and the organisation-wide totals agree with them
    const totals = await db().authEventDayTotal.findMany();
    const totalKey = (r: { endpoint: string; method: string; outcome: string; reason: string; audienceForm: string }) => [r.endpoint, r.method, r.outcome, r.reason, r.audienceForm].join("|");
    const fromDaily: Record<string, number> = {};
    for (const d of daily) fromDaily[totalKey(d)] = (fromDaily[totalKey(d)] ?? 0) + d.count;
    expect(Object.fromEntries(totals.map((t) => [totalKey(t), t.count]))).toEqual(fromDaily);
  });
});

describe("event retention", () => {
  it("deletes raw events older than the retention period and keeps their roll-ups", async () => {
    const { pruneAuthEvents } = await import("@/lib/oauth/retention");
    const old = new Date(Date.now() - 120 * 86_400_000);
    const recent = new Date(Date.now() - 10 * 86_400_000);
    const row = (at: Date) => ({ at, endpoint: "token", clientDbId: null, clientId: "x", method: null, outcome: "failure", reason: "client_unknown", address: "10.0.0.1" });
    await db().authEvent.createMany({ data: [row(old), row(old), row(recent)] });
    const rollups = await db().authEventDaily.count();
    expect(await pruneAuthEvents()).toBe(2);
    expect(await db().authEvent.count({ where: { at: { lt: new Date(Date.now() - 90 * 86_400_000) } } })).toBe(0);
    expect(await db().authEvent.count({ where: { at: recent } })).toBe(1);
    expect(await db().authEventDaily.count()).toBe(rollups);
  });
});
