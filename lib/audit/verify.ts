// Walks the whole chain in sequence order and names the first entry that does not verify.
import { db } from "../db";
import { entryHash, GENESIS_HASH } from "./chain";
import { derivedKey } from "../config";

export type ChainReport =
  | { ok: true; entries: number; lastSeq: number | null; lastHash: string | null }
  | { ok: false; entries: number; brokenSeq: number; reason: string };

const PAGE = 2000;

export async function verifyAuditChain(): Promise<ChainReport> {
  const key = derivedKey("audit-chain");
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (;;) {
    const rows = await db().auditEvent.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: "asc" }, take: PAGE });
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return { ok: false, entries, brokenSeq: expectedSeq, reason: `entry ${expectedSeq} is missing (next present is ${row.seq})` };
      }
      if (row.prevHash !== prevHash) {
        return { ok: false, entries, brokenSeq: row.seq, reason: "its previous-hash does not match the entry before it" };
      }
      if (entryHash(row, key) !== row.hash) {
        return { ok: false, entries, brokenSeq: row.seq, reason: "its contents do not match its hash (the entry was altered)" };
      }
      prevHash = row.hash;
      expectedSeq += 1;
      entries += 1;
    }
    if (rows.length < PAGE) break;
  }
  return { ok: true, entries, lastSeq: entries ? expectedSeq - 1 : null, lastHash: entries ? prevHash : null };
}
