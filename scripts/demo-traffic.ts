// The demo's migration picture and traffic: some clients registered keys, some are in a dual window
// (a few overdue), some finalised on private_key_jwt; 90 days of authentication counts (the daily
// roll-ups the dashboards read) and a few days of raw events, consistent with each client's story.
// Deterministic, like the rest of the demo (scripts/demo-data.ts).
import crypto from "node:crypto";
import type { JWK } from "jose";
import { jwkThumbprint } from "../lib/crypto/jwk";
import type { Tx } from "../lib/db";
import { dayTotals } from "../lib/db/hot-path";

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 90;
const RAW_DAYS = 3;

type Rng = { next(): number; int(min: number, max: number): number; pick<T>(items: readonly T[]): T; chance(p: number): boolean; weighted<T>(items: readonly (readonly [T, number])[]): T };

export type DemoClient = {
  id: string;
  clientId: string;
  environment: string;
  status: string;
  authMethod: string;
  acceptedMethods: string;
  grantTypes: string;
  createdAt: Date;
  migrationState?: string;
  migrationFrom?: string | null;
  dualStartedAt?: Date | null;
  dualUntil?: Date | null;
  finalisedAt?: Date | null;
  keySource?: string;
  audienceCompat?: boolean;
  lastAuthAt?: Date | null;
  lastAuthMethod?: string | null;
  firstAssertionAt?: Date | null;
  secretCreatedAt: Date | null;
  secretExpiresAt: Date | null;
};

export type DemoSecret = { id: string; clientId: string; createdAt: Date; expiresAt: Date; revokedAt: Date | null; revokedById: string | null; lastUsedAt?: Date | null };

type Story = "secret_only" | "keys_registered" | "dual" | "dual_overdue" | "finalised";

const day0 = (now: Date, daysBack: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysBack * DAY_MS);

/**
 * Decides each client's migration story and adjusts the rows before they are inserted (accepted
 * methods, finalised clients' secrets revoked). Returns the stories, for the keys and the traffic.
 */
export function planMigrations(r: Rng, clients: DemoClient[], secrets: DemoSecret[], now: Date, adminId: string): Map<string, Story> {
  const stories = new Map<string, Story>();
  const byClient = new Map<string, DemoSecret[]>();
  for (const s of secrets) byClient.set(s.clientId, [...(byClient.get(s.clientId) ?? []), s]);
  for (const c of clients) {
    const machine = c.grantTypes.includes("client_credentials");
    const valid = (byClient.get(c.id) ?? []).some((s) => !s.revokedAt && s.expiresAt > now);
    const story: Story =
      c.status !== "active" || !machine || !valid
        ? "secret_only"
        : r.weighted<Story>([["secret_only", 58], ["keys_registered", 15], ["dual", 11], ["dual_overdue", 3], ["finalised", 13]]);
    stories.set(c.id, story);
    c.migrationState = story === "dual_overdue" ? "dual" : story === "finalised" ? "private_key_jwt" : story;
    if (story === "secret_only") continue;
    c.keySource = "inline";
    c.audienceCompat = r.chance(0.15);
    if (story === "dual" || story === "dual_overdue" || story === "finalised") {
      c.migrationFrom = c.authMethod;
      c.dualStartedAt = new Date(now.getTime() - r.int(story === "finalised" ? 40 : 8, story === "finalised" ? 80 : 45) * DAY_MS);
      c.dualUntil = story === "dual_overdue" ? new Date(now.getTime() - r.int(1, 12) * DAY_MS) : new Date(c.dualStartedAt.getTime() + 30 * DAY_MS);
      c.acceptedMethods = `${c.authMethod} private_key_jwt`;
    }
    if (story === "finalised") {
      c.finalisedAt = new Date(c.dualStartedAt!.getTime() + r.int(15, 30) * DAY_MS);
      c.authMethod = "private_key_jwt";
      c.acceptedMethods = "private_key_jwt";
      for (const s of byClient.get(c.id) ?? []) {
        if (s.revokedAt) continue;
        s.revokedAt = c.finalisedAt;
        s.revokedById = adminId;
      }
      c.secretCreatedAt = null;
      c.secretExpiresAt = null;
    }
  }
  return stories;
}

/** One public EC key per migrating client (a fresh key pair each: the private half is discarded). */
async function insertKeys(tx: Tx, r: Rng, clients: DemoClient[], stories: Map<string, Story>, now: Date): Promise<Map<string, string>> {
  const keyIds = new Map<string, string>();
  const rows = [];
  for (const c of clients) {
    const story = stories.get(c.id);
    if (!story || story === "secret_only") continue;
    const jwk = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }) as JWK;
    const thumbprint = jwkThumbprint(jwk);
    const kid = `${c.clientId.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 24)}-${now.getUTCFullYear()}`;
    const id = crypto.randomUUID();
    keyIds.set(c.id, id);
    const registered = c.dualStartedAt ? new Date(c.dualStartedAt.getTime() - r.int(1, 10) * DAY_MS) : new Date(now.getTime() - r.int(1, 30) * DAY_MS);
    rows.push({
      id,
      clientId: c.id,
      kid,
      kty: "EC",
      alg: "ES256",
      thumbprint,
      publicJwk: JSON.stringify({ ...jwk, kid, use: "sig", alg: "ES256" }),
      source: r.chance(0.8) ? "upload" : "pem",
      status: "active",
      createdAt: registered,
      // a few keys expire soon, so rotation health has something to show
      expiresAt: r.chance(0.08) ? new Date(now.getTime() + r.int(2, 28) * DAY_MS) : null,
    });
  }
  for (let i = 0; i < rows.length; i += 500) await tx.clientKey.createMany({ data: rows.slice(i, i + 500) });
  return keyIds;
}

type Daily = { day: Date; endpoint: string; clientDbId: string; method: string; outcome: string; reason: string; audienceForm: string; count: number };

/** 90 days of daily counts per client, following its story, plus the raw events of the last days. */
export async function seedMigrationTraffic(tx: Tx, r: Rng, clients: DemoClient[], secrets: DemoSecret[], stories: Map<string, Story>, now: Date): Promise<{ keys: number; events: number }> {
  const keyIds = await insertKeys(tx, r, clients, stories, now);
  const daily: Daily[] = [];
  const raw: { at: Date; endpoint: string; clientDbId: string; clientId: string; method: string; outcome: string; reason: string | null; kid: string | null; audienceForm: string | null; address: string }[] = [];
  const lastUse = new Map<string, Date>();
  const secretOf = new Map<string, DemoSecret>();
  // the secret a client presents: its newest
  for (const s of secrets) {
    const newest = secretOf.get(s.clientId);
    if (!newest || newest.createdAt < s.createdAt) secretOf.set(s.clientId, s);
  }

  for (const c of clients) {
    if (c.status !== "active" || !c.grantTypes.includes("client_credentials")) continue;
    const story = stories.get(c.id) ?? "secret_only";
    const volume = r.weighted<number>([[r.int(2, 20), 50], [r.int(20, 200), 35], [r.int(200, 2000), 15]]);
    const secretMethod = c.migrationFrom ?? c.authMethod;
    for (let back = HISTORY_DAYS - 1; back >= 0; back--) {
      const day = day0(now, back);
      if (day < c.createdAt) continue;
      // the share of traffic signed with the key: none before the dual window, rising in it, all after finalising
      let keyShare = 0;
      if (c.dualStartedAt && day >= c.dualStartedAt) {
        const through = (day.getTime() - c.dualStartedAt.getTime()) / (20 * DAY_MS);
        keyShare = c.finalisedAt && day >= c.finalisedAt ? 1 : Math.min(story === "dual_overdue" ? 0.6 : 0.97, through);
      }
      const total = Math.max(0, Math.round(volume * (0.7 + r.next() * 0.6)));
      const keyed = Math.round(total * keyShare);
      const legacy = c.audienceCompat && keyed ? Math.round(keyed * 0.3) : 0;
      const add = (method: string, outcome: string, reason: string, audienceForm: string, count: number) => {
        if (count > 0) daily.push({ day, endpoint: "token", clientDbId: c.id, method, outcome, reason, audienceForm, count });
      };
      add(secretMethod, "success", "", "", total - keyed);
      add("private_key_jwt", "success", "", "issuer", keyed - legacy);
      add("private_key_jwt", "success", "", "token_endpoint", legacy);
      if (r.chance(0.12)) add(secretMethod, "failure", r.pick(["secret_mismatch", "secret_expired", "rate_limited"]), "", r.int(1, 9));
      if (keyed && r.chance(0.15)) add("private_key_jwt", "failure", r.pick(["aud_mismatch", "exp_too_far", "jti_replayed", "kid_unknown", "iat_future"]), r.pick(["issuer", "array", "token_endpoint"]), r.int(1, 6));
      if (back < RAW_DAYS) {
        for (let i = 0; i < Math.min(6, total); i++) {
          const byKey = r.next() < keyShare;
          raw.push({
            at: new Date(day.getTime() + r.int(0, 86_399) * 1000),
            endpoint: "token",
            clientDbId: c.id,
            clientId: c.clientId,
            method: byKey ? "private_key_jwt" : secretMethod,
            outcome: "success",
            reason: null,
            kid: byKey ? `${c.clientId.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 24)}-${now.getUTCFullYear()}` : null,
            audienceForm: byKey ? "issuer" : null,
            address: `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
          });
        }
      }
      if (total > 0) {
        lastUse.set(c.id, new Date(day.getTime() + 86_399_000 > now.getTime() ? now.getTime() - 60_000 : day.getTime() + 86_399_000));
        if (keyed && !c.firstAssertionAt) c.firstAssertionAt = new Date(day.getTime() + 3_600_000);
        if (total - keyed > 0) {
          const s = secretOf.get(c.id);
          if (s) s.lastUsedAt = lastUse.get(c.id)!;
        }
      }
    }
    const last = lastUse.get(c.id);
    if (last) {
      c.lastAuthAt = last;
      c.lastAuthMethod = story === "finalised" || story === "dual" ? "private_key_jwt" : secretMethod;
    }
  }
  for (let i = 0; i < daily.length; i += 1000) await tx.authEventDaily.createMany({ data: daily.slice(i, i + 1000) });
  const totals = dayTotals(daily);
  for (let i = 0; i < totals.length; i += 1000) await tx.authEventDayTotal.createMany({ data: totals.slice(i, i + 1000) });
  for (let i = 0; i < raw.length; i += 1000) await tx.authEvent.createMany({ data: raw.slice(i, i + 1000) });
  for (const c of clients) {
    if (!c.lastAuthAt && !c.firstAssertionAt) continue;
    await tx.client.update({ where: { id: c.id }, data: { lastAuthAt: c.lastAuthAt ?? null, lastAuthMethod: c.lastAuthMethod ?? null, firstAssertionAt: c.firstAssertionAt ?? null } });
  }
  for (const s of secrets) if (s.lastUsedAt) await tx.clientSecret.update({ where: { id: s.id }, data: { lastUsedAt: s.lastUsedAt } });
  for (const [clientDbId, keyId] of keyIds) {
    const c = clients.find((x) => x.id === clientDbId)!;
    if (c.firstAssertionAt && c.lastAuthAt) await tx.clientKey.update({ where: { id: keyId }, data: { lastUsedAt: c.lastAuthAt } });
  }
  return { keys: keyIds.size, events: daily.reduce((n, d) => n + d.count, 0) };
}
