// The one permission check every entry point goes through. Domain commands call assertCan with the
// resource they are about to change, so a server action, an API route and the CLI cannot disagree.
import { db } from "../db";
import { DomainError, forbidden } from "../errors";
import type { Actor, UserActor } from "./actor";
import { isRole, roleGrants, TEAM_SCOPED, type Permission } from "./roles";

/** Loads the acting user from the database; null when unknown or disabled. */
export async function loadUserActor(userId: string, address?: string): Promise<UserActor | null> {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, memberships: { select: { teamId: true } } },
  });
  if (!user || user.disabledAt || !isRole(user.role)) return null;
  return {
    type: "user",
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    teamIds: user.memberships.map((m) => m.teamId),
    address,
  };
}

export function can(actor: Actor, permission: Permission, scope?: { teamId: string }): boolean {
  if (actor.type === "system") return true;
  if (!roleGrants(actor.role, permission)) return false;
  if (actor.role === "admin" || !TEAM_SCOPED.has(permission)) return true;
  if (!scope) return false;
  return actor.teamIds.includes(scope.teamId);
}

const DENIED: Partial<Record<Permission, string>> = {
  "client.create": "You can only create clients for a team you belong to.",
  "client.update": "You can only change clients owned by a team you belong to.",
  "secret.manage": "You can only manage secrets of clients owned by a team you belong to.",
  "key.manage": "You can only manage keys of clients owned by a team you belong to.",
  "migration.manage": "You can only migrate clients owned by a team you belong to.",
  "migration.break_glass": "Only administrators issue break-glass secrets.",
  "campaign.manage": "Only administrators and operators run campaigns.",
  "notification.manage": "You can only change the notification routes of a team you belong to.",
  "user.manage": "Only administrators manage users.",
  "team.manage": "Only administrators manage teams.",
  "settings.update": "Only administrators change settings.",
  "server_key.rotate": "Only administrators rotate the signing keys.",
};

export function assertCan(actor: Actor, permission: Permission, scope?: { teamId: string }): void {
  if (!can(actor, permission, scope)) {
    const role = actor.type === "user" ? actor.role : "system";
    throw forbidden(role === "auditor" ? "Auditors have read-only access." : DENIED[permission]);
  }
}

export function requireUser(actor: Actor | null): asserts actor is Actor {
  if (!actor) throw new DomainError("unauthenticated", "Sign in to continue.");
}
