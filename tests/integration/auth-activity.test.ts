// A client's authentication activity as its page shows it: per-method counts over the last 30 days,
// the latest attempts with the reason in plain words, and the legacy-audience note.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/lib/auth/actor";
import { createClient, deleteClient } from "@/lib/clients/commands";
import { db, disconnect } from "@/lib/db";
import { ACTIVITY_WINDOW_DAYS, clientAuthActivity, RECENT_ATTEMPTS } from "@/lib/oauth/queries";
import { FAILURE_REASONS } from "@/lib/oauth/reasons";
import { DAY_MS } from "@/lib/secrets/status";
import { clientInput, makeCast, rejection, resetDatabase, uniq, type Cast } from "./helpers";
import { basic, secretClient, tokenRequest } from "./oauth-fixtures";

let cast: Cast;
const now = new Date("2026-06-01T12:00:00Z");
const daysAgo = (days: number, minutes = 0) => new Date(now.getTime() - days * DAY_MS - minutes * 60_000);

type Event = { at: Date; method: string | null; outcome: "success" | "failure"; reason?: string; audienceForm?: string; kid?: string; secretHint?: string };

async function record(client: { id: string | null; clientId: string }, events: Event[]) {
  await db().authEvent.createMany({
    data: events.map((e) => ({
      at: e.at,
      endpoint: "token",
      clientDbId: client.id,
      clientId: client.clientId,
      method: e.method,
      outcome: e.outcome,
      reason: e.reason ?? null,
      kid: e.kid ?? null,
      secretHint: e.secretHint ?? null,
      audienceForm: e.audienceForm ?? null,
      address: "192.0.2.10",
    })),
  });
}

const repeat = (n: number, event: (i: number) => Event) => Array.from({ length: n }, (_, i) => event(i));

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

describe("clientAuthActivity", () => {
  it("counts successes and failures per method over the last 30 days only", async () => {
    const client = await createClient(SYSTEM, clientInput(cast.teamA.id));
    const other = await createClient(SYSTEM, clientInput(cast.teamA.id));
    const row = { id: client.id, clientId: client.clientId };
    await record(row, [
      ...repeat(3, (i) => ({ at: daysAgo(1, i), method: "private_key_jwt", outcome: "success", kid: "k1", audienceForm: "issuer" })),
      ...repeat(2, (i) => ({ at: daysAgo(2, i), method: "private_key_jwt", outcome: "failure", reason: "expired", kid: "k1" })),
      ...repeat(4, (i) => ({ at: daysAgo(29, i), method: "client_secret_basic", outcome: "success", secretHint: "kss_abcd" })),
      { at: daysAgo(3), method: "client_secret_basic", outcome: "failure", reason: "secret_mismatch" },
      { at: daysAgo(4), method: "client_secret_post", outcome: "failure", reason: "method_not_accepted" },
      // outside the window: in no count
      ...repeat(5, (i) => ({ at: daysAgo(ACTIVITY_WINDOW_DAYS, i + 1), method: "client_secret_basic", outcome: "success" })),
      { at: daysAgo(45), method: "private_key_jwt", outcome: "failure", reason: "kid_unknown" },
    ]);
    // failed before the client was looked up: recorded under the client_id only
    await record({ id: null, clientId: client.clientId }, [{ at: daysAgo(5), method: null, outcome: "failure", reason: "invalid_request" }]);
    // another client's events never count here
    await record({ id: other.id, clientId: other.clientId }, repeat(3, (i) => ({ at: daysAgo(1, i), method: "private_key_jwt", outcome: "success" })));

    const activity = await clientAuthActivity(cast.auditor, client.id, now);
    expect(activity.since).toEqual(daysAgo(ACTIVITY_WINDOW_DAYS));
    expect(activity.methods).toEqual([
      { method: "private_key_jwt", successes: 3, failures: 2 },
      { method: "client_secret_basic", successes: 4, failures: 1 },
      { method: "client_secret_post", successes: 0, failures: 1 },
      { method: null, successes: 0, failures: 1 },
    ]);
    expect(activity.recent).toHaveLength(18);
    expect(activity.recent.every((e) => e.address === "192.0.2.10")).toBe(true);
    expect(activity.legacyAudience).toBeNull();
  });

  it("shows the latest 50 attempts, newest first, each failure with its reason in plain words", async () => {
    const client = await createClient(SYSTEM, clientInput(cast.teamA.id));
    await record({ id: client.id, clientId: client.clientId }, repeat(60, (i) => ({ at: daysAgo(0, i + 1), method: "client_secret_basic", outcome: i % 2 ? "failure" : "success", reason: i % 2 ? "secret_revoked" : undefined, secretHint: "kss_wxyz" })));
    await record({ id: null, clientId: client.clientId }, [{ at: daysAgo(0, 0), method: null, outcome: "failure", reason: "rate_limited" }]);
    const { recent } = await clientAuthActivity(cast.operatorOther, client.id, now);
    expect(recent).toHaveLength(RECENT_ATTEMPTS);
    expect(recent[0]).toMatchObject({ reason: "rate_limited", reasonText: FAILURE_REASONS.rate_limited, method: null });
    expect(recent.map((e) => e.at.getTime())).toEqual([...recent.map((e) => e.at.getTime())].sort((a, b) => b - a));
    expect(recent[1]).toMatchObject({ outcome: "success", reason: null, reasonText: null, secretHint: "kss_wxyz" });
    expect(recent[2]).toMatchObject({ outcome: "failure", reason: "secret_revoked", reasonText: "The secret has been revoked." });
  });

  it("notes assertions that used the token endpoint URL as aud in the last 30 days", async () => {
    const client = await createClient(SYSTEM, clientInput(cast.teamA.id));
    const row = { id: client.id, clientId: client.clientId };
    await record(row, [
      { at: daysAgo(40), method: "private_key_jwt", outcome: "success", audienceForm: "token_endpoint" },
      { at: daysAgo(10), method: "private_key_jwt", outcome: "success", audienceForm: "issuer" },
    ]);
    expect((await clientAuthActivity(cast.admin, client.id, now)).legacyAudience).toBeNull();
    await record(row, [
      { at: daysAgo(6), method: "private_key_jwt", outcome: "success", audienceForm: "token_endpoint" },
      { at: daysAgo(2), method: "private_key_jwt", outcome: "success", audienceForm: "token_endpoint" },
      { at: daysAgo(3), method: "private_key_jwt", outcome: "failure", reason: "aud_mismatch", audienceForm: "token_endpoint" },
    ]);
    expect((await clientAuthActivity(cast.admin, client.id, now)).legacyAudience).toEqual({ succeeded: 2, failed: 1, lastAt: daysAgo(2) });
  });

  it("records what the endpoint's 401 hides: a real failed request shows with its precise reason", async () => {
    const client = await secretClient(cast.admin, cast.teamA.id);
    const response = await tokenRequest("grant_type=client_credentials", { authorization: basic(client.clientId, "kss_not-the-secret") });
    expect(response.status).toBe(401);
    expect(response.json.error).toBe("invalid_client");
    const { recent, methods } = await clientAuthActivity(cast.auditor, client.id);
    expect(recent[0]).toMatchObject({ endpoint: "token", method: "client_secret_basic", outcome: "failure", reason: "secret_mismatch", reasonText: FAILURE_REASONS.secret_mismatch, address: response.address });
    expect(methods).toEqual([{ method: "client_secret_basic", successes: 0, failures: 1 }]);
  });

  it("answers not found for an unknown or deleted client", async () => {
    await rejection(clientAuthActivity(cast.admin, uniq("nope"), now), "not_found");
    const created = await createClient(SYSTEM, clientInput(cast.teamA.id));
    await deleteClient(SYSTEM, created.id, created.clientId);
    await rejection(clientAuthActivity(cast.admin, created.id, now), "not_found");
  });
});
