// Fixtures for the integration suite: a clean database per file, teams, users of each role as
// actors (loaded through loadUserActor, as a request would), and small assertion helpers.
import crypto from "node:crypto";
import { expect } from "vitest";
import type { UserActor } from "@/lib/auth/actor";
import { loadUserActor } from "@/lib/auth/guard";
import type { Role } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { databaseUrl } from "@/lib/db/url";
import { DomainError, type ErrorCode } from "@/lib/errors";

export const uniq = (prefix: string) => `${prefix}-${crypto.randomBytes(4).toString("hex")}`;

/**
 * Empties every table, so each file starts from a known state (and a fresh audit chain). Refuses any
 * database whose URL does not say "test": scripts/test-integration.ts creates such throwaway databases.
 */
export async function resetDatabase(): Promise<void> {
  const url = databaseUrl();
  if (!/test/i.test(url)) throw new Error(`refusing to empty ${url.split("@").pop()}: run the integration suite with scripts/test-integration.ts`);
  const c = db();
  await c.notificationDelivery.deleteMany();
  await c.notificationDigest.deleteMany();
  await c.notification.deleteMany();
  await c.notificationRoute.deleteMany();
  await c.campaignSnapshot.deleteMany();
  await c.campaignClient.deleteMany();
  await c.campaign.deleteMany();
  await c.auditEvent.deleteMany();
  await c.authEvent.deleteMany();
  await c.authEventDaily.deleteMany();
  await c.authEventDayTotal.deleteMany();
  await c.usedAssertion.deleteMany();
  await c.serverKey.deleteMany();
  await c.jwksFetch.deleteMany();
  await c.clientKey.deleteMany();
  await c.signInAttempt.deleteMany();
  await c.setting.deleteMany();
  await c.passwordToken.deleteMany();
  await c.clientSecret.deleteMany();
  await c.client.deleteMany();
  await c.teamMember.deleteMany();
  await c.user.deleteMany();
  await c.team.deleteMany();
}

export async function makeTeam(name = uniq("team")): Promise<{ id: string; name: string }> {
  return db().team.create({ data: { name }, select: { id: true, name: true } });
}

export async function makeUser(role: Role, teamIds: string[] = [], email = `${uniq(role)}@example.test`): Promise<UserActor> {
  const user = await db().user.create({
    data: { email, name: `Test ${role}`, role, memberships: { create: teamIds.map((teamId) => ({ teamId })) } },
  });
  const actor = await loadUserActor(user.id, "198.51.100.7");
  if (!actor) throw new Error("fixture user could not be loaded as an actor");
  return actor;
}

export type Cast = {
  teamA: { id: string; name: string };
  teamB: { id: string; name: string };
  admin: UserActor;
  /** an operator in teamA, the team that owns the clients under test */
  operatorOwner: UserActor;
  /** an operator in teamB only */
  operatorOther: UserActor;
  auditor: UserActor;
};

export async function makeCast(): Promise<Cast> {
  const teamA = await makeTeam(uniq("team-a"));
  const teamB = await makeTeam(uniq("team-b"));
  return {
    teamA,
    teamB,
    admin: await makeUser("admin", [teamB.id]),
    operatorOwner: await makeUser("operator", [teamA.id]),
    operatorOther: await makeUser("operator", [teamB.id]),
    auditor: await makeUser("auditor", [teamA.id]),
  };
}

export function clientInput(ownerTeamId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: uniq("Billing service"),
    environment: "production",
    ownerTeamId,
    contactEmail: "owner@example.test",
    authMethod: "client_secret_basic",
    grantTypes: ["client_credentials"],
    scopes: ["read", "write"],
    ...overrides,
  };
}

export const auditCount = () => db().auditEvent.count();

export async function lastAudit() {
  const row = await db().auditEvent.findFirst({ orderBy: { seq: "desc" } });
  if (!row) throw new Error("no audit entries");
  return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
}

/** Awaits a promise that must reject with a DomainError of the given code; returns the error. */
export async function rejection(promise: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a DomainError "${code}"`).toBeInstanceOf(DomainError);
  expect((error as DomainError).code, (error as DomainError).message).toBe(code);
  return error as DomainError;
}
