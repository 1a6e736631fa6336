// User administration (admins only): create with a one-time set-password link, change role and
// teams, disable and enable. The acting admin can never lock the organisation out of itself.
import crypto from "node:crypto";
import type { Actor, SystemActor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { hashPassword } from "../auth/password";
import { appendAudit } from "../audit/log";
import { db, isUniqueViolation, transaction, type Tx } from "../db";
import { conflict, invalid, notFound } from "../errors";
import { zodFields } from "../validation";
import { PasswordSchema, UserCreateSchema, UserUpdateSchema } from "./schema";

export const PASSWORD_LINK_HOURS = 72;

const tokenHash = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

/** A one-time token for the set-password page; only its hash is stored. */
async function createPasswordToken(tx: Tx, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + PASSWORD_LINK_HOURS * 3_600_000);
  // a new link replaces any earlier unused one
  await tx.passwordToken.deleteMany({ where: { userId, usedAt: null } });
  await tx.passwordToken.create({ data: { userId, tokenHash: tokenHash(token), expiresAt } });
  return { token, expiresAt };
}

async function requireTeams(tx: Tx, teamIds: string[]): Promise<{ id: string; name: string }[]> {
  const teams = await tx.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true } });
  if (teams.length !== new Set(teamIds).size) throw invalid("Choose existing teams.", { teamIds: "One of these teams does not exist" });
  return teams;
}

async function activeAdminCount(tx: Tx): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabledAt: null } });
}

export async function createUser(actor: Actor, input: unknown): Promise<{ id: string; token: string; expiresAt: Date }> {
  assertCan(actor, "user.manage");
  const parsed = UserCreateSchema.safeParse(input);
  if (!parsed.success) throw invalid("Some fields need attention.", zodFields(parsed.error));
  const data = parsed.data;
  try {
    return await transaction(async (tx) => {
      const teams = await requireTeams(tx, data.teamIds);
      const user = await tx.user.create({
        data: { email: data.email, name: data.name, role: data.role, memberships: { create: teams.map((t) => ({ teamId: t.id })) } },
      });
      const link = await createPasswordToken(tx, user.id);
      await appendAudit(tx, actor, {
        action: "user.create",
        target: { type: "user", id: user.id, name: user.email },
        details: { role: data.role, teams: teams.map((t) => t.name) },
      });
      return { id: user.id, ...link };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("A user with this email already exists.", { email: "This email is taken" });
    throw error;
  }
}

export async function updateUser(actor: Actor, userId: string, input: unknown): Promise<void> {
  assertCan(actor, "user.manage");
  const parsed = UserUpdateSchema.safeParse(input);
  if (!parsed.success) throw invalid("Some fields need attention.", zodFields(parsed.error));
  const data = parsed.data;
  await transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, include: { memberships: { include: { team: true } } } });
    if (!user) throw notFound("The user");
    const teams = await requireTeams(tx, data.teamIds);
    if (user.role === "admin" && data.role !== "admin" && !user.disabledAt && (await activeAdminCount(tx)) <= 1) {
      throw conflict("This is the last active administrator; make someone else an administrator first.", { role: "The last administrator keeps this role" });
    }
    const before = user.memberships.map((m) => m.team.name).sort();
    const after = teams.map((t) => t.name).sort();
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    if (user.name !== data.name) changed.name = { from: user.name, to: data.name };
    if (user.role !== data.role) changed.role = { from: user.role, to: data.role };
    if (before.join("\n") !== after.join("\n")) changed.teams = { from: before, to: after };
    if (!Object.keys(changed).length) return;
    await tx.user.update({ where: { id: user.id }, data: { name: data.name, role: data.role } });
    await tx.teamMember.deleteMany({ where: { userId: user.id } });
    if (teams.length) await tx.teamMember.createMany({ data: teams.map((t) => ({ teamId: t.id, userId: user.id })) });
    await appendAudit(tx, actor, { action: changed.role ? "user.role_change" : "user.update", target: { type: "user", id: user.id, name: user.email }, details: { changed } });
  });
}

export async function setUserDisabled(actor: Actor, userId: string, disabled: boolean): Promise<void> {
  assertCan(actor, "user.manage");
  await transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound("The user");
    if (disabled && actor.type === "user" && actor.id === user.id) throw conflict("You cannot disable your own account.");
    if (!!user.disabledAt === disabled) throw invalid(`The user is already ${disabled ? "disabled" : "enabled"}.`);
    if (disabled && user.role === "admin" && (await activeAdminCount(tx)) <= 1) throw conflict("This is the last active administrator.");
    await tx.user.update({ where: { id: user.id }, data: { disabledAt: disabled ? new Date() : null } });
    if (disabled) await tx.passwordToken.deleteMany({ where: { userId: user.id, usedAt: null } });
    await appendAudit(tx, actor, { action: disabled ? "user.disable" : "user.enable", target: { type: "user", id: user.id, name: user.email } });
  });
}

/** A fresh one-time link (for a user who lost the first one or forgot the password). */
export async function issuePasswordLink(actor: Actor, userId: string): Promise<{ token: string; expiresAt: Date }> {
  assertCan(actor, "user.manage");
  return transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound("The user");
    if (user.disabledAt) throw conflict("Enable the user before issuing a password link.");
    const link = await createPasswordToken(tx, user.id);
    await appendAudit(tx, actor, { action: "user.password_link", target: { type: "user", id: user.id, name: user.email }, details: { expiresAt: link.expiresAt } });
    return link;
  });
}

export async function passwordTokenUser(token: string): Promise<{ email: string } | null> {
  const row = await db().passwordToken.findUnique({ where: { tokenHash: tokenHash(token) }, include: { user: true } });
  if (!row || row.usedAt || row.expiresAt <= new Date() || row.user.disabledAt) return null;
  return { email: row.user.email };
}

/**
 * Sets a password with a one-time link; the link is consumed in the same transaction. The audit entry
 * names the link's user as the actor, unless a system actor (the admin CLI) set it on their behalf.
 */
export async function setPasswordWithToken(token: string, password: unknown, address?: string, onBehalf?: SystemActor): Promise<{ email: string }> {
  const parsed = PasswordSchema.safeParse(password);
  if (!parsed.success) throw invalid("Choose a stronger password.", { password: parsed.error.issues[0].message });
  const hash = await hashPassword(parsed.data);
  return transaction(async (tx) => {
    const row = await tx.passwordToken.findUnique({ where: { tokenHash: tokenHash(token) }, include: { user: true } });
    if (!row || row.usedAt || row.expiresAt <= new Date() || row.user.disabledAt) {
      throw invalid("This link is invalid, used or expired. Ask an administrator for a new one.");
    }
    // consume atomically: a second use of the same link finds usedAt set and changes nothing
    const consumed = await tx.passwordToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
    if (consumed.count !== 1) throw invalid("This link was already used.");
    await tx.user.update({ where: { id: row.userId }, data: { passwordHash: hash } });
    await appendAudit(
      tx,
      onBehalf ?? { type: "anonymous", email: row.user.email, address },
      { action: "user.password_set", target: { type: "user", id: row.userId, name: row.user.email } },
    );
    return { email: row.user.email };
  });
}
