// The audit chain: verifiable after real changes, tampering and deletion are detected at the right
// entry, and concurrent appends stay gap-free (on PostgreSQL through the advisory lock).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import { createClient, updateClient } from "@/lib/clients/commands";
import { disconnect, db } from "@/lib/db";
import { rotateSecret } from "@/lib/secrets/commands";
import { updateSettings } from "@/lib/settings";
import { createTeam } from "@/lib/teams/commands";
import { clientInput, makeCast, resetDatabase, uniq, type Cast } from "./helpers";

let cast: Cast;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  const created = await createClient(cast.operatorOwner, clientInput(cast.teamA.id));
  await updateClient(cast.operatorOwner, created.id, clientInput(cast.teamA.id, { name: "Renamed" }));
  await rotateSecret(cast.admin, created.id);
  await updateSettings(cast.admin, { "secret.lifetimeDays": 60 });
  await createTeam(cast.admin, { name: uniq("audited") });
});
afterAll(disconnect);

describe("audit chain", () => {
  it("verifies after a series of changes", async () => {
    const report = await verifyAuditChain();
    expect(report).toMatchObject({ ok: true, entries: 5, lastSeq: 5 });
    const actions = (await db().auditEvent.findMany({ orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["client.create", "client.update", "secret.rotate", "settings.update", "team.create"]);
  });

  it("detects an edited entry and names it", async () => {
    const original = await db().auditEvent.findUniqueOrThrow({ where: { seq: 3 } });
    await db().auditEvent.update({ where: { seq: 3 }, data: { details: original.details.replace("}", ',"note":"nothing to see"}') } });
    try {
      expect(await verifyAuditChain()).toEqual({ ok: false, entries: 2, brokenSeq: 3, reason: "its contents do not match its hash (the entry was altered)" });
    } finally {
      await db().auditEvent.update({ where: { seq: 3 }, data: { details: original.details } });
    }
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("detects an edited actor even when the details are untouched", async () => {
    const original = await db().auditEvent.findUniqueOrThrow({ where: { seq: 2 } });
    await db().auditEvent.update({ where: { seq: 2 }, data: { actorEmail: "someone-else@example.test" } });
    try {
      expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenSeq: 2 });
    } finally {
      await db().auditEvent.update({ where: { seq: 2 }, data: { actorEmail: original.actorEmail } });
    }
  });

  it("detects a deleted middle entry and names the gap", async () => {
    const removed = await db().auditEvent.delete({ where: { seq: 3 } });
    try {
      expect(await verifyAuditChain()).toEqual({ ok: false, entries: 2, brokenSeq: 3, reason: "entry 3 is missing (next present is 4)" });
    } finally {
      await db().auditEvent.create({ data: removed });
    }
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("detects a deleted and renumbered entry by its previous-hash", async () => {
    // a careful tamperer closes the gap: entries 4 and 5 move down to 3 and 4
    const rows = await db().auditEvent.findMany({ orderBy: { seq: "asc" } });
    await db().auditEvent.deleteMany({ where: { seq: { gte: 3 } } });
    try {
      for (const row of rows.filter((r) => r.seq > 3)) await db().auditEvent.create({ data: { ...row, seq: row.seq - 1 } });
      expect(await verifyAuditChain()).toMatchObject({ ok: false, entries: 2, brokenSeq: 3, reason: "its previous-hash does not match the entry before it" });
    } finally {
      await db().auditEvent.deleteMany({ where: { seq: { gte: 3 } } });
      for (const row of rows.filter((r) => r.seq >= 3)) await db().auditEvent.create({ data: row });
    }
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("stays gap-free and verifiable under 10 concurrent changes", async () => {
    const before = await db().auditEvent.count();
    const names = Array.from({ length: 10 }, () => uniq("parallel"));
    await Promise.all(names.map((name) => createTeam(cast.admin, { name })));
    const rows = await db().auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows).toHaveLength(before + 10);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: before + 10 }, (_, i) => i + 1));
    expect(new Set(rows.slice(before).map((r) => r.targetName))).toEqual(new Set(names));
    expect(await verifyAuditChain()).toMatchObject({ ok: true, entries: before + 10 });
  });
});
