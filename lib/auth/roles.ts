// Roles and what each may do (DESIGN.md, "Roles"). The single source for every entry point: server
// actions, route handlers, the API and the CLI all reach these checks through lib/auth/guard.ts.
export const ROLES = ["admin", "operator", "auditor"] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | "client.read"
  | "client.create"
  | "client.update" // edit, disable, enable, delete
  | "secret.manage" // issue, rotate, revoke
  | "key.manage" // register and retire a client's public keys
  | "migration.manage" // the steps of a client's migration to private_key_jwt
  | "migration.break_glass" // an emergency secret for a finalised client whose keys are lost
  | "campaign.manage" // create and run campaigns (operators: the campaigns they own)
  | "notification.manage" // a team's notification routes (operators: their teams; the organisation's fallback route: admins)
  | "user.read"
  | "user.manage"
  | "team.manage"
  | "audit.read"
  | "audit.verify"
  | "settings.read"
  | "settings.update"
  | "server_key.rotate"; // the authorization server's own signing keys

/** Permissions that also depend on which team owns the client. */
export const TEAM_SCOPED: ReadonlySet<Permission> = new Set(["client.create", "client.update", "secret.manage", "key.manage", "migration.manage", "notification.manage"]);

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>([
    "client.read", "client.create", "client.update", "secret.manage", "key.manage", "migration.manage", "migration.break_glass", "campaign.manage", "notification.manage",
    "user.read", "user.manage", "team.manage", "audit.read", "audit.verify", "settings.read", "settings.update", "server_key.rotate",
  ]),
  // operators change clients owned by a team they belong to, and read everything
  operator: new Set<Permission>(["client.read", "client.create", "client.update", "secret.manage", "key.manage", "migration.manage", "campaign.manage", "notification.manage", "user.read", "audit.read", "settings.read"]),
  // auditors read and export everything and change nothing
  auditor: new Set<Permission>(["client.read", "user.read", "audit.read", "audit.verify", "settings.read"]),
};

export function roleGrants(role: Role, permission: Permission): boolean {
  return GRANTS[role]?.has(permission) ?? false;
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Administrator",
  operator: "Operator",
  auditor: "Auditor",
};
