import { beforeEach, describe, expect, it } from "vitest";
import { ensureFirstAdmin } from "@/lib/bootstrap";
import { verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import { resetDatabase } from "./helpers";

describe("first start", () => {
  beforeEach(resetDatabase);

  it("creates the first administrator from KEYSHIFT_ADMIN_EMAIL and KEYSHIFT_ADMIN_PASSWORD", async () => {
    const result = await ensureFirstAdmin({ KEYSHIFT_ADMIN_EMAIL: "Root@Example.COM", KEYSHIFT_ADMIN_PASSWORD: "a-long-admin-password" });
    expect(result).toEqual({ created: true, email: "root@example.com", generatedPassword: undefined });
    const user = await db().user.findUniqueOrThrow({ where: { email: "root@example.com" }, include: { memberships: true } });
    expect(user.role).toBe("admin");
    expect(user.passwordHash).not.toContain("a-long-admin-password");
    expect(await verifyPassword("a-long-admin-password", user.passwordHash!)).toBe(true);
    expect(user.memberships).toHaveLength(1);
    expect(await db().auditEvent.count({ where: { action: "user.create", targetName: "root@example.com" } })).toBe(1);
  });

  it("generates a password when none is configured and returns it once", async () => {
    const result = await ensureFirstAdmin({});
    if (!result.created) throw new Error("expected an administrator to be created");
    expect(result.email).toBe("admin@keyshift.local");
    expect(result.generatedPassword).toMatch(/^[\w-]{24}$/);
    const user = await db().user.findUniqueOrThrow({ where: { email: result.email } });
    expect(await verifyPassword(result.generatedPassword!, user.passwordHash!)).toBe(true);
  });

  it("does nothing once any user exists", async () => {
    await ensureFirstAdmin({ KEYSHIFT_ADMIN_PASSWORD: "a-long-admin-password" });
    expect(await ensureFirstAdmin({ KEYSHIFT_ADMIN_EMAIL: "other@example.com", KEYSHIFT_ADMIN_PASSWORD: "another-long-password" })).toEqual({ created: false });
    expect(await db().user.count()).toBe(1);
  });

  it("refuses a configured password that is too short, creating nobody", async () => {
    await expect(ensureFirstAdmin({ KEYSHIFT_ADMIN_PASSWORD: "short" })).rejects.toThrow(/12 to 200 characters/);
    expect(await db().user.count()).toBe(0);
  });
});
