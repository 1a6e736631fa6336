// Users: one-time password links, the last administrator, disabling, and password sign-in with
// throttling and an audit entry for every outcome.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/lib/auth/actor";
import { loadUserActor } from "@/lib/auth/guard";
import { signInWithPassword, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from "@/lib/auth/signin";
import { disconnect, db } from "@/lib/db";
import { createUser, issuePasswordLink, passwordTokenUser, setPasswordWithToken, setUserDisabled, updateUser } from "@/lib/users/commands";
import { listUsers } from "@/lib/users/queries";
import { auditCount, lastAudit, makeCast, rejection, resetDatabase, uniq, type Cast } from "./helpers";

const PASSWORD = "correct horse battery staple";
let cast: Cast;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

const newEmail = () => `${uniq("person")}@example.test`;
const address = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}:${uniq("p")}`;

/** A user with a password set through their one-time link. */
async function userWithPassword(role: "operator" | "auditor" | "admin" = "operator") {
  const email = newEmail();
  const { id, token } = await createUser(cast.admin, { email, name: "Pat", role, teamIds: [cast.teamA.id] });
  await setPasswordWithToken(token, PASSWORD);
  return { id, email };
}

describe("createUser and password links", () => {
  it("creates the user with a one-time token whose hash alone is stored", async () => {
    const email = newEmail();
    const created = await createUser(cast.admin, { email: email.toUpperCase(), name: "Pat", role: "operator", teamIds: [cast.teamA.id] });
    expect(created.token).toMatch(/^[\w-]{43}$/);
    expect(created.expiresAt.getTime()).toBeGreaterThan(Date.now() + 71 * 3_600_000);
    const user = await db().user.findUniqueOrThrow({ where: { id: created.id }, include: { memberships: true, passwordTokens: true } });
    expect(user).toMatchObject({ email, role: "operator", passwordHash: null });
    expect(user.memberships.map((m) => m.teamId)).toEqual([cast.teamA.id]);
    expect(JSON.stringify(user.passwordTokens)).not.toContain(created.token);
    expect(JSON.stringify(await db().auditEvent.findMany())).not.toContain(created.token);
    expect(await passwordTokenUser(created.token)).toEqual({ email });
  });

  it("rejects a duplicate email with a field error and creates nothing", async () => {
    const email = newEmail();
    await createUser(cast.admin, { email, name: "Pat", role: "auditor", teamIds: [] });
    const [users, audit] = [await db().user.count(), await auditCount()];
    const error = await rejection(createUser(cast.admin, { email, name: "Pat again", role: "auditor", teamIds: [] }), "conflict");
    expect(error.fields).toEqual({ email: "This email is taken" });
    expect(await db().user.count()).toBe(users);
    expect(await auditCount()).toBe(audit);
  });

  const bad: { name: string; input: Record<string, unknown>; field: string }[] = [
    { name: "a bad email", input: { email: "pat@", name: "Pat", role: "operator" }, field: "email" },
    { name: "a missing name", input: { email: "pat@example.test", role: "operator" }, field: "name" },
    { name: "an unknown role", input: { email: "pat@example.test", name: "Pat", role: "owner" }, field: "role" },
    { name: "an unknown team", input: { email: "pat@example.test", name: "Pat", role: "operator", teamIds: ["nope"] }, field: "teamIds" },
  ];
  for (const { name, input, field } of bad) {
    it(`rejects ${name} and writes nothing`, async () => {
      const [users, audit] = [await db().user.count(), await auditCount()];
      const error = await rejection(createUser(cast.admin, input), "invalid");
      expect(Object.keys(error.fields ?? {})).toEqual([field]);
      expect(await db().user.count()).toBe(users);
      expect(await auditCount()).toBe(audit);
    });
  }

  it("sets a password with the link exactly once", async () => {
    const email = newEmail();
    const { id, token } = await createUser(cast.admin, { email, name: "Pat", role: "operator", teamIds: [] });
    expect(await setPasswordWithToken(token, PASSWORD, "198.51.100.1")).toEqual({ email });
    const hash = (await db().user.findUniqueOrThrow({ where: { id } })).passwordHash;
    expect(hash).toMatch(/^\$scrypt\$/);
    expect((await lastAudit()).action).toBe("user.password_set");

    const auditBefore = await auditCount();
    const error = await rejection(setPasswordWithToken(token, "another password 123"), "invalid");
    expect(error.message).toMatch(/invalid, used or expired/);
    expect((await db().user.findUniqueOrThrow({ where: { id } })).passwordHash).toBe(hash);
    expect(await auditCount()).toBe(auditBefore);
    expect(await passwordTokenUser(token)).toBeNull();
  });

  it("rejects a short password and leaves the link usable", async () => {
    const { token } = await createUser(cast.admin, { email: newEmail(), name: "Pat", role: "operator", teamIds: [] });
    const error = await rejection(setPasswordWithToken(token, "short"), "invalid");
    expect(error.fields).toEqual({ password: "Use at least 12 characters" });
    expect(await passwordTokenUser(token)).not.toBeNull();
  });

  it("replaces an unused link when a new one is issued", async () => {
    const { id, token } = await createUser(cast.admin, { email: newEmail(), name: "Pat", role: "operator", teamIds: [] });
    const fresh = await issuePasswordLink(cast.admin, id);
    await rejection(setPasswordWithToken(token, PASSWORD), "invalid");
    await setPasswordWithToken(fresh.token, PASSWORD);
  });

  it("rejects an expired link", async () => {
    const { id, token } = await createUser(cast.admin, { email: newEmail(), name: "Pat", role: "operator", teamIds: [] });
    await db().passwordToken.updateMany({ where: { userId: id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await rejection(setPasswordWithToken(token, PASSWORD), "invalid");
    expect((await db().user.findUniqueOrThrow({ where: { id } })).passwordHash).toBeNull();
  });

  it("never lists a password hash", async () => {
    await userWithPassword();
    const json = JSON.stringify(await listUsers(cast.auditor));
    expect(json).not.toContain("$scrypt$");
    expect(json).toContain('"hasPassword":true');
  });
});

describe("administrators", () => {
  it("keeps the last active administrator: no demotion, no disabling", async () => {
    // make the cast's admin the only active one
    await db().user.updateMany({ where: { role: "admin", id: { not: cast.admin.id } }, data: { disabledAt: new Date() } });
    expect(await db().user.count({ where: { role: "admin", disabledAt: null } })).toBe(1);
    const auditBefore = await auditCount();

    const demote = await rejection(updateUser(cast.admin, cast.admin.id, { name: "Admin", role: "operator", teamIds: [] }), "conflict");
    expect(demote.fields).toEqual({ role: "The last administrator keeps this role" });
    const disable = await rejection(setUserDisabled(SYSTEM, cast.admin.id, true), "conflict");
    expect(disable.message).toBe("This is the last active administrator.");

    expect(await db().user.findUniqueOrThrow({ where: { id: cast.admin.id } })).toMatchObject({ role: "admin", disabledAt: null });
    expect(await auditCount()).toBe(auditBefore);
  });

  it("lets an administrator step down once another is active", async () => {
    const { id: otherId } = await createUser(cast.admin, { email: newEmail(), name: "Second admin", role: "admin", teamIds: [] });
    const other = (await loadUserActor(otherId))!;
    const { id: thirdId } = await createUser(other, { email: newEmail(), name: "Third", role: "admin", teamIds: [] });
    await updateUser(other, thirdId, { name: "Third", role: "operator", teamIds: [cast.teamA.id] });
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "user.role_change", targetId: thirdId });
    expect(entry.details).toMatchObject({ changed: { role: { from: "admin", to: "operator" } } });
  });

  it("does not let an administrator disable their own account", async () => {
    const error = await rejection(setUserDisabled(cast.admin, cast.admin.id, true), "conflict");
    expect(error.message).toBe("You cannot disable your own account.");
  });
});

describe("disabled users", () => {
  it("cannot act: loadUserActor returns null at once, and returns again after enabling", async () => {
    const { id } = await createUser(cast.admin, { email: newEmail(), name: "Pat", role: "operator", teamIds: [cast.teamA.id] });
    expect(await loadUserActor(id)).toMatchObject({ id, role: "operator", teamIds: [cast.teamA.id] });
    await setUserDisabled(cast.admin, id, true);
    expect(await loadUserActor(id)).toBeNull();
    expect((await lastAudit()).action).toBe("user.disable");
    await setUserDisabled(cast.admin, id, false);
    expect(await loadUserActor(id)).not.toBeNull();
  });

  it("sees a role change on the next request", async () => {
    const { id } = await createUser(cast.admin, { email: newEmail(), name: "Pat", role: "operator", teamIds: [cast.teamA.id] });
    await updateUser(cast.admin, id, { name: "Pat", role: "auditor", teamIds: [] });
    expect(await loadUserActor(id)).toMatchObject({ role: "auditor", teamIds: [] });
  });
});

describe("signInWithPassword", () => {
  it("signs in with the right password and audits auth.sign_in", async () => {
    const { id, email } = await userWithPassword();
    const from = address();
    const result = await signInWithPassword(` ${email.toUpperCase()} `, PASSWORD, from);
    expect(result).toEqual({ ok: true, user: { id, email, name: "Pat" } });
    expect((await db().user.findUniqueOrThrow({ where: { id } })).lastSignInAt).not.toBeNull();
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "auth.sign_in", actorType: "user", actorId: id, address: from, targetId: id });
    expect(entry.details).toEqual({ method: "password" });
  });

  it("refuses a wrong password and audits auth.sign_in_failed with the reason", async () => {
    const { id, email } = await userWithPassword();
    const result = await signInWithPassword(email, "wrong password 123", address());
    expect(result).toEqual({ ok: false, reason: "invalid_credentials" });
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "auth.sign_in_failed", actorType: "anonymous", actorEmail: email, targetId: id });
    expect(entry.details).toEqual({ method: "password", reason: "invalid_credentials" });
    expect(JSON.stringify(entry)).not.toContain("wrong password");
  });

  it("answers an unknown account exactly like a wrong password", async () => {
    const result = await signInWithPassword(newEmail(), PASSWORD, address());
    expect(result).toEqual({ ok: false, reason: "invalid_credentials" });
    expect((await lastAudit()).action).toBe("auth.sign_in_failed");
  });

  it("refuses a disabled user even with the right password", async () => {
    const { id, email } = await userWithPassword();
    await setUserDisabled(cast.admin, id, true);
    expect(await signInWithPassword(email, PASSWORD, address())).toEqual({ ok: false, reason: "disabled" });
  });

  it(`throttles an account after ${MAX_FAILURES_PER_ACCOUNT} failures, even with the right password`, async () => {
    const { email } = await userWithPassword();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      // each from a different address: the account limit is what trips
      expect(await signInWithPassword(email, `wrong password ${i}`, address())).toEqual({ ok: false, reason: "invalid_credentials" });
    }
    expect(await signInWithPassword(email, PASSWORD, address())).toEqual({ ok: false, reason: "throttled" });
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "auth.sign_in_failed", actorEmail: email });
    expect(entry.details).toEqual({ method: "password", reason: "throttled" });
    // a throttled attempt is not counted as another failure
    expect(await db().signInAttempt.count({ where: { email, succeeded: false } })).toBe(MAX_FAILURES_PER_ACCOUNT);
  });

  it("lets the account in again once the failures are older than the window", async () => {
    const { email } = await userWithPassword();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await signInWithPassword(email, "wrong password!", address());
    expect((await signInWithPassword(email, PASSWORD, address())).ok).toBe(false);
    await db().signInAttempt.updateMany({ where: { email }, data: { at: new Date(Date.now() - 16 * 60_000) } });
    expect((await signInWithPassword(email, PASSWORD, address())).ok).toBe(true);
  });

  it(`throttles an address after ${MAX_FAILURES_PER_ADDRESS} failures across accounts`, async () => {
    const from = address();
    // failures spread over many accounts (password spraying), recorded as sign-in would record them
    await db().signInAttempt.createMany({
      data: Array.from({ length: MAX_FAILURES_PER_ADDRESS }, () => ({ email: newEmail(), address: from, succeeded: false })),
    });
    const { email } = await userWithPassword();
    expect(await signInWithPassword(email, PASSWORD, from)).toEqual({ ok: false, reason: "throttled" });
    expect((await signInWithPassword(email, PASSWORD, address())).ok).toBe(true);
  });

  it("does not throttle other accounts", async () => {
    const [locked, other] = [await userWithPassword(), await userWithPassword()];
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await signInWithPassword(locked.email, "wrong password!", address());
    expect((await signInWithPassword(other.email, PASSWORD, address())).ok).toBe(true);
  });
});
