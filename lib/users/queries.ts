import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db } from "../db";
import { notFound } from "../errors";

export async function listUsers(actor: Actor) {
  assertCan(actor, "user.read");
  const users = await db().user.findMany({
    orderBy: { email: "asc" },
    select: {
      id: true, email: true, name: true, role: true, disabledAt: true, lastSignInAt: true, createdAt: true,
      passwordHash: true,
      memberships: { select: { team: { select: { id: true, name: true } } } },
    },
  });
  // shaped output: whether a password is set, never the hash
  return users.map(({ passwordHash, memberships, ...u }) => ({ ...u, hasPassword: !!passwordHash, teams: memberships.map((m) => m.team) }));
}

export async function getUser(actor: Actor, userId: string) {
  const user = (await listUsers(actor)).find((u) => u.id === userId);
  if (!user) throw notFound("The user");
  return user;
}
