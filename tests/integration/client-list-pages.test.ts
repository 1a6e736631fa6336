// Every page of the client list, under every sort and direction, equals the same slice of all clients
// sorted in JavaScript: whichever query reads it (on SQLite the unfiltered list is paged through its
// sort index, filtered lists through findMany), the order is the list's one total order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "@/lib/auth/actor";
import { clientListSelect, listClients, type ClientListRow } from "@/lib/clients/queries";
import { CLIENT_SORTS, ClientListQuerySchema, ENVIRONMENTS } from "@/lib/clients/schema";
import { disconnect, db } from "@/lib/db";
import { makeTeam, resetDatabase } from "./helpers";

const CLIENTS = 160;
const PAGE_SIZE = 25;
const base = new Date("2026-01-01T00:00:00.000Z").getTime();
const HOUR_MS = 3_600_000;
let all: ClientListRow[] = [];

// Values repeat and some are missing, so ties and NULLs decide the order in every sort. Strings are
// lower-case letters and digits of one length, so any database collation orders them as JavaScript
// does; ids are scrambled against insertion and name order, so the id tie-breaker is really tested.
beforeAll(async () => {
  await resetDatabase();
  const teams = [await makeTeam("pages-team-a"), await makeTeam("pages-team-b")];
  await db().client.createMany({
    data: Array.from({ length: CLIENTS }, (_, i) => {
      const clientId = `cl${String((i * 37) % CLIENTS).padStart(4, "0")}`;
      const name = `svc${String(i % 40).padStart(3, "0")}`;
      return {
        id: `c${String((i * 53) % CLIENTS).padStart(4, "0")}`,
        clientId,
        name,
        environment: ENVIRONMENTS[i % ENVIRONMENTS.length],
        ownerTeamId: teams[i % 2].id,
        contactEmail: "owner@example.test",
        status: i % 13 === 0 ? "deleted" : i % 5 === 0 ? "disabled" : "active",
        authMethod: "client_secret_basic",
        acceptedMethods: "client_secret_basic",
        grantTypes: "client_credentials",
        searchText: `${clientId} ${name}`,
        createdAt: new Date(base + (i % 50) * HOUR_MS),
        secretCreatedAt: i % 7 === 0 ? null : new Date(base + (i % 30) * HOUR_MS),
        lastAuthAt: i % 3 === 0 ? new Date(base + (i % 4) * HOUR_MS) : null,
      };
    }),
  });
  all = await db().client.findMany({ select: clientListSelect });
});
afterAll(disconnect);

type Sort = (typeof CLIENT_SORTS)[number];

/** The list's order spelled out: the column (clients without a value last), then id ascending. */
function reference(rows: ClientListRow[], sort: Sort, dir: "asc" | "desc"): ClientListRow[] {
  const key = (row: ClientListRow) => {
    const value = row[sort];
    return value instanceof Date ? value.getTime() : value;
  };
  return [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (dir === "asc" ? 1 : -1);
    }
    return a.id < b.id ? -1 : 1;
  });
}

const variants: { name: string; query: Record<string, string>; matches: (row: ClientListRow) => boolean }[] = [
  { name: "every listed client", query: {}, matches: (r) => r.status !== "deleted" },
  { name: "status active", query: { status: "active" }, matches: (r) => r.status === "active" },
  { name: "status disabled", query: { status: "disabled" }, matches: (r) => r.status === "disabled" },
  { name: "an environment filter", query: { environment: "staging" }, matches: (r) => r.status !== "deleted" && r.environment === "staging" },
];

describe.each(variants)("client list pages: $name", ({ query, matches }) => {
  for (const sort of CLIENT_SORTS) {
    for (const dir of ["asc", "desc"] as const) {
      it(`sort=${sort} ${dir}: every page, and the one past the end, is its slice of the reference order`, async () => {
        const expected = reference(all.filter(matches), sort, dir);
        expect(expected.length).toBeGreaterThan(PAGE_SIZE); // more than one page, or nothing deep is tested
        const pages = Math.ceil(expected.length / PAGE_SIZE);
        for (let page = 1; page <= pages + 1; page++) {
          const result = await listClients(SYSTEM, ClientListQuerySchema.parse({ ...query, sort, dir, page, pageSize: PAGE_SIZE }));
          expect(result, `page ${page}`).toMatchObject({ total: expected.length, pages, page });
          expect(result.rows, `page ${page}`).toEqual(expected.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE));
        }
      });
    }
  }
});
