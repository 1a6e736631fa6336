// The client list's drill-down filters, which the dashboards link to: each returns exactly the clients
// its label names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/lib/auth/actor";
import { createClient } from "@/lib/clients/commands";
import { listClients } from "@/lib/clients/queries";
import { ClientListQuerySchema } from "@/lib/clients/schema";
import { db, disconnect } from "@/lib/db";
import { clientInput, makeCast, resetDatabase, type Cast } from "./helpers";
import { jwtClient, makeKey } from "./oauth-fixtures";

const DAY = 86_400_000;
let cast: Cast;
const ids: Record<string, string> = {};

beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
  const make = async (name: string) => (ids[name] = (await createClient(SYSTEM, clientInput(cast.teamA.id, { name }))).id);
  await make("fresh");
  await make("old");
  await make("unused");
  await make("external");
  await make("dual");
  await make("overdue");
  const at = (days: number) => new Date(Date.now() - days * DAY);
  await db().clientSecret.updateMany({ where: { clientId: ids.old }, data: { createdAt: at(400), lastUsedAt: at(1), expiresAt: null } });
  await db().client.update({ where: { id: ids.old }, data: { secretCreatedAt: at(400), secretExpiresAt: null } });
  await db().clientSecret.updateMany({ where: { clientId: ids.unused }, data: { createdAt: at(200) } });
  await db().clientSecret.updateMany({ where: { clientId: ids.external }, data: { external: true, hash: null } });
  await db().client.update({ where: { id: ids.dual }, data: { migrationState: "dual", dualUntil: new Date(Date.now() + 10 * DAY) } });
  await db().client.update({ where: { id: ids.overdue }, data: { migrationState: "dual", dualUntil: at(1) } });
  const jwt = await jwtClient(cast.admin, cast.teamA.id, [await makeKey("ES256", "expiring")], { name: "keyed" });
  ids.keyed = jwt.id;
  await db().clientKey.updateMany({ where: { clientId: jwt.id }, data: { expiresAt: new Date(Date.now() + 5 * DAY) } });
});
afterAll(disconnect);

async function names(query: Record<string, string>): Promise<string[]> {
  const result = await listClients(cast.auditor, ClientListQuerySchema.parse({ ...query, pageSize: "100" }));
  return result.rows.map((r) => r.name).sort();
}

describe("client list drill-down filters", () => {
  const cases: { name: string; query: Record<string, string>; expected: string[] }[] = [
    { name: "migration state", query: { migration: "dual" }, expected: ["dual", "overdue"] },
    { name: "overdue dual windows", query: { migration: "overdue" }, expected: ["overdue"] },
    { name: "secrets older than N days", query: { olderThan: "365" }, expected: ["old"] },
    { name: "secrets unused for N days", query: { unused: "90" }, expected: ["unused"] },
    { name: "imported external secrets", query: { external: "1" }, expected: ["external"] },
    { name: "keys expiring within N days", query: { keysExpiring: "7" }, expected: ["keyed"] },
  ];
  for (const { name, query, expected } of cases) {
    it(`filters by ${name}`, async () => {
      expect(await names(query)).toEqual(expected);
    });
  }

  it("filters by unused keys, retiring keys still in use, jwks_uri health and live break-glass secrets", async () => {
    const now = Date.now();
    const key = await makeKey("ES256", "idle");
    const idle = await jwtClient(cast.admin, cast.teamA.id, [key], { name: "idle-key" });
    await db().clientKey.updateMany({ where: { clientId: idle.id }, data: { createdAt: new Date(now - 200 * DAY), lastUsedAt: null } });
    const retiring = await jwtClient(cast.admin, cast.teamA.id, [await makeKey("ES256", "old")], { name: "retiring-used" });
    await db().clientKey.updateMany({ where: { clientId: retiring.id }, data: { status: "retiring", retiringUntil: new Date(now + 3 * DAY), lastUsedAt: new Date(now - DAY) } });
    const linked = await jwtClient(cast.admin, cast.teamA.id, [], { name: "jwks-failing" });
    await db().client.update({ where: { id: linked.id }, data: { keySource: "jwks_uri", jwksUri: "https://example.test/jwks", jwksGoodAt: new Date(now - 48 * 3_600_000), jwksFailures: 3 } });
    const glass = await createClient(SYSTEM, clientInput(cast.teamA.id, { name: "glass" }));
    await db().clientSecret.updateMany({ where: { clientId: glass.id }, data: { breakGlass: true, expiresAt: new Date(now + 3_600_000) } });

    expect(await names({ keysUnused: "90" })).toEqual(["idle-key"]);
    expect(await names({ retiringInUse: "7" })).toEqual(["retiring-used"]);
    expect(await names({ jwks: "failing" })).toEqual(["jwks-failing"]);
    expect(await names({ jwks: "degraded" })).toEqual([]);
    expect(await names({ breakGlass: "1" })).toEqual(["glass"]);

    // each rotation figure equals the list its link opens
    const { rotationDashboard } = await import("@/lib/metrics/rotation");
    const rotation = await rotationDashboard(cast.auditor, new Date());
    expect(rotation.unused.clients).toBe((await names({ keysUnused: "90" })).length);
    expect(rotation.retiring.clients).toBe((await names({ retiringInUse: "7" })).length);
    expect(rotation.jwks.failing).toBe((await names({ jwks: "failing" })).length);
    expect(rotation.breakGlass.count).toBe((await names({ breakGlass: "1" })).length);
  });

  it("filters clients still on a secret", async () => {
    const onSecret = await names({ onSecret: "1" });
    expect(onSecret).toContain("fresh");
    expect(onSecret).not.toContain("keyed");
  });
});
