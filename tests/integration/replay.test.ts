// The replay store's group commit: reservations made in the same moment share one transaction, yet each
// (client, jti) is granted exactly once, and every grant is committed before it is answered.
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnect } from "@/lib/db";
import { databaseUrl, providerOf, sqliteFilePath } from "@/lib/db/url";
import { pruneUsedAssertions, reserveJti } from "@/lib/oauth/replay";
import { resetDatabase } from "./helpers";

beforeAll(resetDatabase);
afterAll(disconnect);

const expires = () => new Date(Date.now() + 60_000);

describe("reserveJti", () => {
  it("grants one of twenty simultaneous reservations of the same jti", async () => {
    const jti = crypto.randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => reserveJti("client-a", jti, expires())));
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await db().usedAssertion.count({ where: { clientId: "client-a", jti } })).toBe(1);
  });

  it("grants every one of many simultaneous distinct reservations, each committed when answered", async () => {
    const jtis = Array.from({ length: 50 }, () => crypto.randomUUID());
    const answers = await Promise.all(jtis.map((jti) => reserveJti("client-b", jti, expires())));
    expect(answers.every(Boolean)).toBe(true);
    expect(await db().usedAssertion.count({ where: { clientId: "client-b", jti: { in: jtis } } })).toBe(50);
    // a later reservation of any of them is refused
    expect(await reserveJti("client-b", jtis[7], expires())).toBe(false);
  });

  it("keeps one client's jti apart from another's, in the same batch", async () => {
    const jti = crypto.randomUUID();
    const [a, b] = await Promise.all([reserveJti("client-c", jti, expires()), reserveJti("client-d", jti, expires())]);
    expect([a, b]).toEqual([true, true]);
  });
});

describe("pruneUsedAssertions", () => {
  it("deletes the reservations whose assertions have expired and keeps the live ones", async () => {
    const [old, live] = [crypto.randomUUID(), crypto.randomUUID()];
    expect(await reserveJti("client-e", old, new Date(Date.now() - 1_000))).toBe(true);
    expect(await reserveJti("client-e", live, expires())).toBe(true);
    expect(await pruneUsedAssertions(new Date())).toBeGreaterThanOrEqual(1);
    expect(await db().usedAssertion.findMany({ where: { clientId: "client-e" }, select: { jti: true } })).toEqual([{ jti: live }]);
    // the live one still refuses a replay
    expect(await reserveJti("client-e", live, expires())).toBe(false);
  });
});

/**
 * Another connection's open transaction on the database, as the console or another token server worker
 * holds one: SQLite's write lock, or with PostgreSQL the same (client, jti) inserted and not yet committed.
 */
async function otherWriter(clientId: string, jti: string): Promise<{ rollback(): Promise<void> }> {
  if (providerOf(databaseUrl()) === "sqlite") {
    const connection = new Database(sqliteFilePath());
    connection.prepare("BEGIN IMMEDIATE").run();
    return {
      async rollback() {
        connection.prepare("ROLLBACK").run();
        connection.close();
      },
    };
  }
  const client = new Client({ connectionString: databaseUrl() });
  await client.connect();
  await client.query("BEGIN");
  await client.query('INSERT INTO "UsedAssertion" ("clientId", "jti", "expiresAt") VALUES ($1, $2, $3)', [clientId, jti, new Date(Date.now() + 60_000)]);
  return {
    async rollback() {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

describe("a reservation while another connection is writing", () => {
  it("waits for that transaction without stalling this process, then is granted", async () => {
    const jti = crypto.randomUUID();
    const other = await otherWriter("client-f", jti);
    let answer: boolean | undefined;
    const reservation = reserveJti("client-f", jti, expires()).then((fresh) => (answer = fresh));
    // the event loop keeps turning while the reservation waits (a busy handler sleeping on it would not)
    const started = Date.now();
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(answer).toBeUndefined();
    // reservations keep arriving meanwhile, one turn of the loop apart: each is answered once it is written
    const later = Array.from({ length: 5 }, () => crypto.randomUUID());
    const answers: Promise<boolean>[] = [];
    for (const next of later) {
      answers.push(reserveJti("client-f", next, expires()));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await other.rollback();
    expect(await reservation).toBe(true);
    expect(await Promise.all(answers)).toEqual([true, true, true, true, true]);
    expect(await db().usedAssertion.count({ where: { clientId: "client-f", jti: { in: [jti, ...later] } } })).toBe(6);
    expect(await reserveJti("client-f", jti, expires())).toBe(false);
  });
});
