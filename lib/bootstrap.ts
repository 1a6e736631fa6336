// First start: make sure an administrator exists. Called by scripts/start.ts after migrations.
import { appendAudit } from "./audit/log";
import { SYSTEM } from "./auth/actor";
import { generatePassword, hashPassword } from "./auth/password";
import { db, transaction } from "./db";
import { PasswordSchema } from "./users/schema";
import type { Env } from "./db/url";

export type Bootstrap = { created: false } | { created: true; email: string; generatedPassword?: string };

export async function ensureFirstAdmin(env: Env = process.env): Promise<Bootstrap> {
  if ((await db().user.count()) > 0) return { created: false };
  const email = (env.KEYSHIFT_ADMIN_EMAIL?.trim() || "admin@keyshift.local").toLowerCase();
  const given = env.KEYSHIFT_ADMIN_PASSWORD;
  if (given !== undefined && !PasswordSchema.safeParse(given).success) {
    throw new Error("KEYSHIFT_ADMIN_PASSWORD must be 12 to 200 characters long");
  }
  const password = given ?? generatePassword();
  const passwordHash = await hashPassword(password);
  await transaction(async (tx) => {
    const team = await tx.team.upsert({ where: { name: "Platform" }, create: { name: "Platform", description: "Created on first start; rename it or add your own teams." }, update: {} });
    const user = await tx.user.create({ data: { email, name: "Administrator", role: "admin", passwordHash, memberships: { create: { teamId: team.id } } } });
    await appendAudit(tx, SYSTEM, { action: "user.create", target: { type: "user", id: user.id, name: email }, details: { role: "admin", reason: "first start" } });
  });
  return { created: true, email, generatedPassword: given === undefined ? password : undefined };
}
