// Teams own clients; operators act on the clients of the teams they belong to.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { appendAudit } from "../audit/log";
import { db, isUniqueViolation, transaction } from "../db";
import { conflict, invalid, notFound } from "../errors";
import { zodFields } from "../validation";
import { TeamSchema } from "../users/schema";

const taken = () => conflict("A team with this name already exists.", { name: "This name is taken" });

export async function createTeam(actor: Actor, input: unknown): Promise<{ id: string }> {
  assertCan(actor, "team.manage");
  const parsed = TeamSchema.safeParse(input);
  if (!parsed.success) throw invalid("Some fields need attention.", zodFields(parsed.error));
  try {
    return await transaction(async (tx) => {
      const team = await tx.team.create({ data: parsed.data });
      await appendAudit(tx, actor, { action: "team.create", target: { type: "team", id: team.id, name: team.name } });
      return { id: team.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function updateTeam(actor: Actor, teamId: string, input: unknown): Promise<void> {
  assertCan(actor, "team.manage");
  const parsed = TeamSchema.safeParse(input);
  if (!parsed.success) throw invalid("Some fields need attention.", zodFields(parsed.error));
  try {
    await transaction(async (tx) => {
      const team = await tx.team.findUnique({ where: { id: teamId } });
      if (!team) throw notFound("The team");
      if (team.name === parsed.data.name && team.description === parsed.data.description) return;
      await tx.team.update({ where: { id: teamId }, data: parsed.data });
      await appendAudit(tx, actor, {
        action: "team.update",
        target: { type: "team", id: team.id, name: parsed.data.name },
        details: { changed: { name: { from: team.name, to: parsed.data.name }, description: { from: team.description, to: parsed.data.description } } },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function deleteTeam(actor: Actor, teamId: string): Promise<void> {
  assertCan(actor, "team.manage");
  await transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { id: teamId }, include: { _count: { select: { clients: true } } } });
    if (!team) throw notFound("The team");
    if (team._count.clients > 0) throw conflict(`Team ${team.name} still owns ${team._count.clients} client(s); move them to another team first.`);
    await tx.team.delete({ where: { id: teamId } });
    await appendAudit(tx, actor, { action: "team.delete", target: { type: "team", id: team.id, name: team.name } });
  });
}

export async function listTeamsWithCounts() {
  const teams = await db().team.findMany({
    orderBy: { name: "asc" },
    include: { _count: { select: { members: true } }, members: { include: { user: { select: { email: true } } } } },
  });
  const counts = await db().client.groupBy({ by: ["ownerTeamId"], where: { status: { not: "deleted" } }, _count: { _all: true } });
  const clientCount = new Map(counts.map((c) => [c.ownerTeamId, c._count._all]));
  return teams.map((t) => ({ id: t.id, name: t.name, description: t.description, members: t.members.map((m) => m.user.email), clients: clientCount.get(t.id) ?? 0 }));
}
