// The replay store's group commit: reservations made in the same moment share one transaction, yet each
// (client, jti) is granted exactly once, and every grant is committed before it is answered.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnect } from "@/lib/db";
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
