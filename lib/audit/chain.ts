// The audit chain: each entry's hash is HMAC-SHA-256 (key derived from the master key) over the
// previous entry's hash and the entry's own fields. Editing, deleting or reordering a row breaks the
// chain at that row; without the master key a tamperer cannot recompute the hashes after it.
import crypto from "node:crypto";
import { derivedKey } from "../config";

export const GENESIS_HASH = "0".repeat(64);

export type ChainedFields = {
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  details: string;
  address: string | null;
  prevHash: string;
};

export function entryHash(entry: ChainedFields, key: Buffer = derivedKey("audit-chain")): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.at.toISOString(),
    entry.actorType,
    entry.actorId,
    entry.actorEmail,
    entry.action,
    entry.targetType,
    entry.targetId,
    entry.targetName,
    entry.details,
    entry.address,
    entry.prevHash,
  ]);
  return crypto.createHmac("sha256", key).update(canonical).digest("hex");
}
