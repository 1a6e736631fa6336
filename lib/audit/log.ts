// Appending to the audit trail, always inside the transaction that makes the change it records.
import type { Actor } from "../auth/actor";
import { provider, type Tx } from "../db";
import { entryHash, GENESIS_HASH } from "./chain";

export type AuditTarget = { type: string; id: string; name?: string };

export type AuditEntry = {
  action: string; // resource.verb, e.g. "secret.rotate"
  target?: AuditTarget;
  details?: Record<string, unknown>;
};

/** Who an entry names: any actor, or just enough of a user (sign-in, before a full actor exists). */
export type AuditActor =
  | Actor
  | { type: "user"; id: string; email: string; address?: string }
  | { type: "anonymous"; email?: string; address?: string };

// Any 64-bit number unique to this purpose: serialises appends on PostgreSQL (pg_advisory_xact_lock).
const AUDIT_LOCK_ID = 7_402_781_001;

/**
 * Appends one entry. Appends are serialised (an advisory lock on PostgreSQL; SQLite has one writer),
 * so sequence numbers are gap-free and each entry chains to the one before.
 */
export async function appendAudit(tx: Tx, actor: AuditActor, entry: AuditEntry): Promise<number> {
  if (provider() === "postgresql") await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_ID})`);
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date(),
    actorType: actor.type,
    actorId: actor.type === "user" ? actor.id : null,
    actorEmail: actor.type === "user" ? actor.email : actor.type === "anonymous" ? (actor.email ?? null) : `system:${actor.name}`,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    targetName: entry.target?.name ?? null,
    details: JSON.stringify(actor.type === "user" && "via" in actor && actor.via ? { ...entry.details, via: `api_token:${actor.via.name}` , apiTokenId: actor.via.id } : (entry.details ?? {})),
    address: actor.type === "system" ? null : (actor.address ?? null),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.auditEvent.create({ data: { ...row, hash: entryHash(row) } });
  return row.seq;
}
