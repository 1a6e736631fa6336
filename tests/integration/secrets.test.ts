// Client secrets: shown once and never again, rotation with an overlap window, revocation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@/lib/clients/commands";
import { getClient, listClients } from "@/lib/clients/queries";
import { ClientListQuerySchema } from "@/lib/clients/schema";
import { disconnect, db } from "@/lib/db";
import { issueSecret, revokeSecret, rotateSecret } from "@/lib/secrets/commands";
import { hashSecret, matchSecret } from "@/lib/secrets/material";
import { DAY_MS, isSecretValid, validSecretWhere } from "@/lib/secrets/status";
import { updateSettings } from "@/lib/settings";
import { auditCount, clientInput, lastAudit, makeCast, rejection, resetDatabase, type Cast } from "./helpers";

let cast: Cast;

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
afterAll(disconnect);

const newClient = () => createClient(cast.operatorOwner, clientInput(cast.teamA.id));
const secretRow = (id: string) => db().clientSecret.findUniqueOrThrow({ where: { id } });

describe("a secret is shown once", () => {
  it("returns the plaintext to the creator and stores only its keyed hash", async () => {
    const created = await newClient();
    const plaintext = created.secret!.secret;
    expect(plaintext).toMatch(/^kss_[\w-]{43}$/);
    const row = await secretRow(created.secret!.id);
    expect(row.hash).not.toBe(plaintext);
    expect(row.hash).toBe(hashSecret(plaintext));
    expect(row.hint).toBe(plaintext.slice(0, 8));
  });

  it("never returns the plaintext or the hash from getClient or listClients", async () => {
    const created = await newClient();
    const plaintext = created.secret!.secret;
    const row = await secretRow(created.secret!.id);
    const detail = await getClient(cast.auditor, created.id);
    const list = await listClients(cast.auditor, ClientListQuerySchema.parse({}));
    expect(detail.secrets).toHaveLength(1);
    for (const output of [detail, list]) {
      const json = JSON.stringify(output);
      expect(json).not.toContain(plaintext);
      expect(json).not.toContain(plaintext.slice(8)); // not even the part after the hint
      expect(json).not.toContain(row.hash!);
      expect(json).not.toMatch(/"hash"/);
    }
  });

  it("never writes the plaintext into the audit trail", async () => {
    const created = await newClient();
    const rotated = await rotateSecret(cast.operatorOwner, created.id);
    const everything = JSON.stringify(await db().auditEvent.findMany());
    for (const plaintext of [created.secret!.secret, rotated.secret]) expect(everything).not.toContain(plaintext.slice(8));
  });
});

describe("rotation", () => {
  it("keeps the old secret valid until now + the overlap setting, and the new one valid after", async () => {
    await updateSettings(cast.admin, { "secret.rotationOverlapDays": 3 });
    const created = await newClient();
    const before = Date.now();
    const rotated = await rotateSecret(cast.operatorOwner, created.id);
    const after = Date.now();

    const [oldRow, newRow] = await Promise.all([secretRow(created.secret!.id), secretRow(rotated.id)]);
    expect(rotated.retiring).toEqual([oldRow.id]);
    expect(oldRow.rotatedAt).not.toBeNull();
    expect(oldRow.expiresAt!.getTime()).toBe(rotated.overlapEndsAt.getTime());
    expect(oldRow.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 3 * DAY_MS);
    expect(oldRow.expiresAt!.getTime()).toBeLessThanOrEqual(after + 3 * DAY_MS);

    // inside the window both work
    const inside = new Date(oldRow.expiresAt!.getTime() - 1);
    expect(isSecretValid(oldRow, inside)).toBe(true);
    expect(isSecretValid(newRow, inside)).toBe(true);
    // once the window has passed only the new one does
    const past = new Date(oldRow.expiresAt!.getTime() + 1);
    expect(isSecretValid(oldRow, past)).toBe(false);
    expect(isSecretValid(newRow, past)).toBe(true);

    const entry = await lastAudit();
    expect(entry.action).toBe("secret.rotate");
    expect(entry.details).toMatchObject({ secretId: rotated.id, retiring: [{ secretId: oldRow.id, hint: oldRow.hint }] });
    await updateSettings(cast.admin, { "secret.rotationOverlapDays": 7 });
  });

  it("authenticates with both secrets during the overlap and only the new one after it", async () => {
    const created = await newClient();
    const oldSecret = created.secret!.secret;
    const rotated = await rotateSecret(cast.operatorOwner, created.id);
    const validHashes = async () =>
      (await db().clientSecret.findMany({ where: { clientId: created.id, ...validSecretWhere() }, orderBy: { createdAt: "asc" } })).map((s) => s.hash!);

    let hashes = await validHashes();
    expect(hashes).toHaveLength(2);
    expect(matchSecret(oldSecret, hashes)).toBeGreaterThanOrEqual(0);
    expect(matchSecret(rotated.secret, hashes)).toBeGreaterThanOrEqual(0);

    // the overlap window ends
    await db().clientSecret.update({ where: { id: created.secret!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    hashes = await validHashes();
    expect(hashes).toHaveLength(1);
    expect(matchSecret(rotated.secret, hashes)).toBe(0);
    expect(matchSecret(oldSecret, hashes)).toBe(-1);
  });

  it("never extends an old secret that would expire before the overlap ends", async () => {
    const created = await newClient();
    const soon = new Date(Date.now() + DAY_MS);
    await db().clientSecret.update({ where: { id: created.secret!.id }, data: { expiresAt: soon } });
    await rotateSecret(cast.operatorOwner, created.id);
    expect((await secretRow(created.secret!.id)).expiresAt!.getTime()).toBe(soon.getTime());
  });

  it("refuses to issue a second secret while one is valid: rotation is the way", async () => {
    const created = await newClient();
    const auditBefore = await auditCount();
    const error = await rejection(issueSecret(cast.operatorOwner, created.id), "conflict");
    expect(error.message).toMatch(/rotate it instead/);
    expect(await db().clientSecret.count({ where: { clientId: created.id } })).toBe(1);
    expect(await auditCount()).toBe(auditBefore);
  });
});

describe("revocation", () => {
  it("makes the secret invalid at once and audits its last use", async () => {
    const created = await newClient();
    const lastUsedAt = new Date("2026-05-01T08:00:00.000Z");
    await db().clientSecret.update({ where: { id: created.secret!.id }, data: { lastUsedAt } });
    await revokeSecret(cast.operatorOwner, created.id, created.secret!.id);

    const row = await secretRow(created.secret!.id);
    expect(row.revokedAt).not.toBeNull();
    expect(row.revokedById).toBe(cast.operatorOwner.id);
    expect(isSecretValid(row)).toBe(false);
    expect(await db().clientSecret.count({ where: { clientId: created.id, ...validSecretWhere() } })).toBe(0);
    const entry = await lastAudit();
    expect(entry).toMatchObject({ action: "secret.revoke", targetId: created.clientId, actorEmail: cast.operatorOwner.email });
    expect(entry.details).toMatchObject({ secretId: row.id, hint: row.hint, lastUsedAt: lastUsedAt.toISOString(), wasExpired: false });

    // a new secret can be issued afterwards
    const issued = await issueSecret(cast.operatorOwner, created.id);
    expect(isSecretValid(await secretRow(issued.id))).toBe(true);
  });

  it("refuses to revoke a secret twice and writes nothing the second time", async () => {
    const created = await newClient();
    await revokeSecret(cast.operatorOwner, created.id, created.secret!.id);
    const revokedAt = (await secretRow(created.secret!.id)).revokedAt;
    const auditBefore = await auditCount();
    const error = await rejection(revokeSecret(cast.operatorOwner, created.id, created.secret!.id), "invalid");
    expect(error.message).toBe("This secret is already revoked.");
    expect(await auditCount()).toBe(auditBefore);
    expect((await secretRow(created.secret!.id)).revokedAt).toEqual(revokedAt);
  });

  it("does not revoke a secret through another client", async () => {
    const [a, b] = [await newClient(), await newClient()];
    await rejection(revokeSecret(cast.operatorOwner, b.id, a.secret!.id), "not_found");
    expect((await secretRow(a.secret!.id)).revokedAt).toBeNull();
  });
});
