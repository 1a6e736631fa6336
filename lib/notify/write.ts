// Transactions for the notification tables that several schedulers write at once.
import { provider, transaction, type Tx } from "../db";

const SQLITE_BUSY_RETRIES = 5;

/** SQLite's "database is locked", as Prisma reports it through the driver adapter. */
function isSqliteBusy(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  return code === "P1008" || /SQLITE_BUSY|database is locked/.test(error.message);
}

/**
 * A transaction that, on SQLite, takes the database's write lock with its first statement. SQLite starts
 * a transaction as a reader; one that reads and then writes while another process has committed fails at
 * once (SQLITE_BUSY) instead of waiting its turn, which is what concurrent schedulers do. A write first
 * (one that changes nothing) makes it wait for the lock like any writer. A read that another request of
 * this process runs on SQLite's one shared connection can still slip in before it; then the transaction
 * fails as a whole and is run again after a short, random pause. PostgreSQL needs none of this: its row
 * locks and unique keys settle the races. Running every write in a transaction also keeps it off another
 * request's open transaction on that shared connection, whose rollback would undo it.
 */
export async function writeTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const sqlite = provider() === "sqlite";
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction(async (tx) => {
        if (sqlite) await tx.$executeRawUnsafe('UPDATE "NotificationDigest" SET "id" = "id" WHERE 1 = 0');
        return fn(tx);
      });
    } catch (error) {
      if (!sqlite || attempt >= SQLITE_BUSY_RETRIES || !isSqliteBusy(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
    }
  }
}
