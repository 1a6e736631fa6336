import { describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/auth/actor";
import { SYSTEM } from "@/lib/auth/actor";
import { assertCan, can } from "@/lib/auth/guard";
import { isRole, roleGrants, ROLES, TEAM_SCOPED, type Permission, type Role } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";

const PERMISSIONS: Permission[] = [
  "client.read", "client.create", "client.update", "secret.manage", "key.manage", "migration.manage", "migration.break_glass",
  "campaign.manage", "notification.manage", "user.read", "user.manage", "team.manage", "audit.read", "audit.verify",
  "settings.read", "settings.update", "server_key.rotate",
];

// DESIGN.md "Roles": admin everything; operator changes clients of its teams and reads everything;
// auditor reads and verifies, changes nothing.
const GRANTED: Record<Role, Permission[]> = {
  admin: PERMISSIONS,
  operator: ["client.read", "client.create", "client.update", "secret.manage", "key.manage", "migration.manage", "campaign.manage", "notification.manage", "user.read", "audit.read", "settings.read"],
  auditor: ["client.read", "user.read", "audit.read", "audit.verify", "settings.read"],
};

const actor = (role: Role, teamIds: string[] = ["team-a"]): UserActor => ({ type: "user", id: `u-${role}`, email: `${role}@example.test`, name: role, role, teamIds });

describe("roleGrants", () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const expected = GRANTED[role].includes(permission);
      it(`${role} ${expected ? "is" : "is not"} granted ${permission}`, () => {
        expect(roleGrants(role, permission)).toBe(expected);
      });
    }
  }

  it("grants nothing to an unknown role", () => {
    expect(roleGrants("owner" as Role, "client.read")).toBe(false);
  });

  it("recognises exactly the three roles", () => {
    expect(ROLES.filter(isRole)).toEqual(["admin", "operator", "auditor"]);
    for (const value of ["Admin", "root", "", null, undefined, 1]) expect(isRole(value)).toBe(false);
  });
});

describe("can", () => {
  it("lets the system actor do everything", () => {
    for (const permission of PERMISSIONS) expect(can(SYSTEM, permission)).toBe(true);
  });

  it("lets an admin change clients of any team, with or without a scope", () => {
    for (const permission of TEAM_SCOPED) {
      expect(can(actor("admin", []), permission, { teamId: "team-z" })).toBe(true);
      expect(can(actor("admin", []), permission)).toBe(true);
    }
  });

  const operatorCases: { name: string; teamIds: string[]; scope?: { teamId: string }; expected: boolean }[] = [
    { name: "allows an operator to change a client of its own team", teamIds: ["team-a"], scope: { teamId: "team-a" }, expected: true },
    { name: "allows an operator in several teams to change a client of any of them", teamIds: ["team-b", "team-a"], scope: { teamId: "team-a" }, expected: true },
    { name: "denies an operator a client of another team", teamIds: ["team-a"], scope: { teamId: "team-b" }, expected: false },
    { name: "denies an operator without teams", teamIds: [], scope: { teamId: "team-a" }, expected: false },
    { name: "denies a team-scoped change when no scope is given", teamIds: ["team-a"], scope: undefined, expected: false },
  ];
  for (const { name, teamIds, scope, expected } of operatorCases) {
    it(name, () => {
      for (const permission of TEAM_SCOPED) expect(can(actor("operator", teamIds), permission, scope)).toBe(expected);
    });
  }

  it("lets an operator read without a scope", () => {
    expect(can(actor("operator", []), "client.read")).toBe(true);
    expect(can(actor("operator", []), "audit.read")).toBe(true);
  });

  it("denies an auditor every change, even on its own team's clients", () => {
    for (const permission of ["client.create", "client.update", "secret.manage", "user.manage", "team.manage", "settings.update"] as Permission[]) {
      expect(can(actor("auditor", ["team-a"]), permission, { teamId: "team-a" })).toBe(false);
    }
  });
});

describe("assertCan", () => {
  it("tells an auditor that access is read-only", () => {
    expect(() => assertCan(actor("auditor"), "secret.manage", { teamId: "team-a" })).toThrowError(
      expect.objectContaining({ code: "forbidden", message: "Auditors have read-only access." }),
    );
  });

  it("tells an operator why a client of another team is refused", () => {
    let error: unknown;
    try {
      assertCan(actor("operator", ["team-a"]), "client.update", { teamId: "team-b" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "forbidden", message: "You can only change clients owned by a team you belong to." });
  });

  it("passes silently when the permission is held", () => {
    expect(() => assertCan(actor("operator", ["team-a"]), "secret.manage", { teamId: "team-a" })).not.toThrow();
  });
});
