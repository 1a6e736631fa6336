// Single sign-on on the Keyshift side: who the provider vouched for becomes which Keyshift user. Users
// are matched by verified email only; unknown people are refused or become auditors, as the setting
// says; every outcome is audited.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import { signInWithSso, type SsoIdentity } from "@/lib/auth/sso";
import { db, disconnect } from "@/lib/db";
import { updateSettings } from "@/lib/settings";
import { auditCount, lastAudit, makeCast, makeUser, resetDatabase, type Cast } from "./helpers";

const ISSUER = "https://idp.example.test";
const ADDRESS = "203.0.113.9";
let cast: Cast;

const identity = (email: string | undefined, overrides: Partial<SsoIdentity> = {}): SsoIdentity => ({
  issuer: ISSUER,
  subject: `sub-${email ?? "none"}`,
  email,
  emailVerified: true,
  name: "Single Sign-On Person",
  ...overrides,
});

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

describe("signInWithSso", () => {
  beforeEach(() => updateSettings(cast.admin, { "sso.unknownUsers": "refuse" }));

  it("signs in an existing user by verified email, whatever its case, and audits the provider and subject", async () => {
    const result = await signInWithSso(identity(cast.operatorOwner.email.toUpperCase()), ADDRESS);
    expect(result).toMatchObject({ ok: true, created: false, user: { id: cast.operatorOwner.id, email: cast.operatorOwner.email } });
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "auth.sign_in", actorId: cast.operatorOwner.id, address: ADDRESS, targetId: cast.operatorOwner.id });
    expect(entry.details).toEqual({ method: "sso", issuer: ISSUER, subject: `sub-${cast.operatorOwner.email.toUpperCase()}` });
    expect((await db().user.findUniqueOrThrow({ where: { id: cast.operatorOwner.id } })).lastSignInAt).not.toBeNull();
  });

  const refusals: { name: string; identity: () => SsoIdentity; reason: string }[] = [
    { name: "an unverified email, even of an existing user", identity: () => identity(cast.admin.email, { emailVerified: false }), reason: "email_unverified" },
    { name: "email_verified given as the string \"true\"", identity: () => identity(cast.admin.email, { emailVerified: "true" }), reason: "email_unverified" },
    { name: "no email claim", identity: () => identity(undefined), reason: "email_missing" },
    { name: "an unknown person while the setting refuses", identity: () => identity("stranger@example.test"), reason: "unknown_user" },
  ];
  for (const { name, identity: make, reason } of refusals) {
    it(`refuses ${name}, audits the reason and creates no account`, async () => {
      const users = await db().user.count();
      expect(await signInWithSso(make(), ADDRESS)).toEqual({ ok: false, reason });
      expect(await db().user.count()).toBe(users);
      const entry = await lastAudit();
      expect(entry).toMatchObject({ action: "auth.sign_in_failed", actorType: "anonymous", address: ADDRESS });
      expect(entry.details).toMatchObject({ method: "sso", issuer: ISSUER, reason });
    });
  }

  it("refuses a disabled user", async () => {
    const user = await makeUser("operator");
    await db().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await signInWithSso(identity(user.email), ADDRESS)).toEqual({ ok: false, reason: "disabled" });
  });

  it("creates an auditor for an unknown person when the setting says so, audited as created by single sign-on", async () => {
    await updateSettings(cast.admin, { "sso.unknownUsers": "auditor" });
    const before = await auditCount();
    const result = await signInWithSso(identity("Newcomer@Example.test"), ADDRESS);
    expect(result).toMatchObject({ ok: true, created: true, user: { email: "newcomer@example.test", name: "Single Sign-On Person" } });
    const user = await db().user.findUniqueOrThrow({ where: { email: "newcomer@example.test" }, include: { memberships: true } });
    expect(user).toMatchObject({ role: "auditor", passwordHash: null, disabledAt: null });
    expect(user.memberships).toEqual([]);
    const entries = await db().auditEvent.findMany({ where: { seq: { gt: before } }, orderBy: { seq: "asc" } });
    expect(entries.map((e) => e.action)).toEqual(["user.create", "auth.sign_in"]);
    expect(JSON.parse(entries[0].details!)).toMatchObject({ role: "auditor", via: "sso", issuer: ISSUER });
    expect(JSON.parse(entries[1].details!)).toMatchObject({ method: "sso", created: true });
    // the second sign-in matches the account made by the first
    expect(await signInWithSso(identity("newcomer@example.test"), ADDRESS)).toMatchObject({ ok: true, created: false, user: { id: user.id } });
  });

  it("creates one account when the same person's first two sign-ins race", async () => {
    await updateSettings(cast.admin, { "sso.unknownUsers": "auditor" });
    const results = await Promise.all([signInWithSso(identity("racer@example.test"), ADDRESS), signInWithSso(identity("racer@example.test"), ADDRESS)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await db().user.count({ where: { email: "racer@example.test" } })).toBe(1);
    expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
