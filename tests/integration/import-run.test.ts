// The console's real import run through its route handler (app/(console)/clients/import/run/route.ts) on
// a real database: the NDJSON progress stream and its one final event, all-or-nothing writes, and the
// checks made before the body is read (origin, session, role). The console session is faked at the
// next-auth boundary (getServerSession answers with the uid the test chooses); the role still comes from
// the database, as in a request. Next.js request-scope helpers (headers, after, revalidatePath) are
// stood in for, and `after` tasks are run by the test once the response has been read.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/(console)/clients/import/run/route";
import type { ImportEvent } from "@/app/(console)/clients/import/run/events";
import { MAX_IMPORT_BYTES } from "@/app/(console)/clients/import/upload";
import { disconnect, db } from "@/lib/db";
import { auditCount, lastAudit, makeCast, resetDatabase, uniq, type Cast } from "./helpers";

const fake = vi.hoisted(() => ({ uid: null as string | null, afterTasks: [] as (() => unknown)[], revalidated: [] as string[] }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (fake.uid ? { uid: fake.uid } : null),
}));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => new Headers({ "x-forwarded-for": "198.51.100.7" }),
}));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (task: () => unknown) => void fake.afterTasks.push(task),
}));
vi.mock("next/cache", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/cache")>()),
  revalidatePath: (path: string) => void fake.revalidated.push(path),
}));

const CONSOLE = "http://keyshift.test";
const HEADER = "client_id,name,environment,team,contact_email,auth_method";

let cast: Cast;
beforeAll(async () => {
  await resetDatabase();
  cast = await makeCast();
});
beforeEach(() => {
  fake.uid = cast.admin.id;
  fake.afterTasks = [];
  fake.revalidated = [];
});
afterAll(disconnect);

const row = (clientId: string, team: string) => `${clientId},Imported ${clientId},production,${team},owner@example.test,client_secret_basic`;
const csvOf = (clientIds: string[]) => [HEADER, ...clientIds.map((id) => row(id, cast.teamA.name))].join("\r\n");

function importRequest(fields: Record<string, string | File>, headers: Record<string, string> = { origin: CONSOLE }): Request {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  body.set("intent", "apply");
  return new Request(`${CONSOLE}/clients/import/run`, { method: "POST", headers, body });
}

const csvFile = (text: string, name = "inventory.csv") => new File([text], name, { type: "text/csv" });

/** Every event of the stream, in order; then runs the `after` tasks, as Next.js does once the response is sent. */
async function eventsOf(response: Response): Promise<ImportEvent[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
  const text = await response.text();
  expect(text.endsWith("\n")).toBe(true);
  const events = text.trimEnd().split("\n").map((line) => JSON.parse(line) as ImportEvent);
  for (const task of fake.afterTasks) await task();
  return events;
}

const written = async () => [await db().client.count(), await db().clientSecret.count(), await auditCount()];

describe("console import run (route handler)", () => {
  it("streams throttled progress in order, ends with the result, and writes every client", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `${uniq("bulk")}-${i}`);
    const events = await eventsOf(await POST(importRequest({ format: "csv", file: csvFile(csvOf(ids)) })));

    const progress = events.slice(0, -1);
    expect(progress.every((e) => e.type === "progress" && e.total === 250)).toBe(true);
    const done = progress.map((e) => (e.type === "progress" ? e.done : NaN));
    expect(done[0]).toBe(1);
    expect(done.at(-1)).toBe(250);
    for (let i = 1; i < done.length; i++) {
      expect(done[i]).toBeGreaterThan(done[i - 1]);
      // at most every 100 rows or 200 ms: never a gap of more than 100 rows
      expect(done[i] - done[i - 1]).toBeLessThanOrEqual(100);
    }
    expect(progress.length).toBeLessThan(250);

    const last = events.at(-1)!;
    expect(last).toMatchObject({
      type: "result",
      applied: true,
      file: "inventory.csv",
      hiddenRows: 0,
      message: "Imported inventory.csv: 250 created, 0 updated, 0 skipped.",
      plan: { totals: { rows: 250, create: 250, update: 0, skip: 0, invalid: 0 } },
    });
    expect(last.type === "result" && last.plan.entries).toHaveLength(250);

    expect(await db().client.count({ where: { clientId: { in: ids } } })).toBe(250);
    const summary = await lastAudit();
    expect(summary).toMatchObject({ action: "inventory.import", actorId: cast.admin.id, address: "198.51.100.7", targetId: "inventory.csv" });
    expect(summary.details).toMatchObject({ format: "csv", rows: 250, created: 250 });
    expect(fake.revalidated).toEqual(["/clients"]);
  });

  it("takes a Keycloak export with the environment, team and contact from the form", async () => {
    const clientId = uniq("kc");
    const realm = JSON.stringify({ clients: [{ clientId, publicClient: false, clientAuthenticatorType: "client-secret" }] });
    const file = new File([realm], "realm.json", { type: "application/json" });
    const events = await eventsOf(await POST(importRequest({ format: "keycloak", file, environment: "staging", team: cast.teamB.name, contactEmail: "iam@example.test" })));
    expect(events.map((e) => e.type)).toEqual(["progress", "result"]);
    expect(await db().client.findUniqueOrThrow({ where: { clientId } })).toMatchObject({ environment: "staging", ownerTeamId: cast.teamB.id, contactEmail: "iam@example.test" });
  });

  const refusedFiles = [
    {
      name: "a row naming an unknown team",
      fields: () => ({ format: "csv", file: csvFile([HEADER, row(uniq("fine"), cast.teamA.name), row(uniq("lost"), "Nowhere")].join("\r\n")) }),
      expected: { message: expect.stringContaining("1 of 2 rows cannot be imported, so nothing was imported (first: line 3") },
    },
    {
      name: "no file",
      fields: () => ({ format: "csv" }),
      expected: { message: "Choose a file to import.", fields: { file: "Choose a CSV file or a Keycloak realm export" } },
    },
    {
      name: "a file just over 5 MB",
      fields: () => ({ format: "csv", file: csvFile("x".repeat(MAX_IMPORT_BYTES + 1)) }),
      expected: { message: "The file is larger than 5 MB; import it with the admin CLI.", fields: { file: "At most 5 MB here" } },
    },
    {
      name: "a Keycloak export that is not JSON",
      fields: () => ({ format: "keycloak", file: csvFile("{", "realm.json"), environment: "production", team: cast.teamA.name, contactEmail: "iam@example.test" }),
      expected: { message: "The file is not valid JSON: expected a Keycloak realm export." },
    },
  ];
  it.each(refusedFiles)("$name yields one error event and writes nothing", async ({ fields, expected }) => {
    const before = await written();
    const events = await eventsOf(await POST(importRequest(fields())));
    expect(events).toEqual([{ type: "error", ...expected }]);
    expect(await written()).toEqual(before);
    expect(fake.revalidated).toEqual([]);
  });

  it("an operator's row for another team's client is refused, and nothing is written", async () => {
    fake.uid = cast.operatorOwner.id;
    const before = await written();
    const text = [HEADER, row(uniq("mine"), cast.teamA.name), row(uniq("theirs"), cast.teamB.name)].join("\r\n");
    const [event] = await eventsOf(await POST(importRequest({ format: "csv", file: csvFile(text) })));
    expect(event).toMatchObject({ type: "error", message: expect.stringContaining("You can only create clients for a team you belong to.") });
    expect(await written()).toEqual(before);
  });

  it("refuses a body far over 5 MB before streaming, with a JSON error", async () => {
    const response = await POST(importRequest({ format: "csv", file: csvFile("x".repeat(MAX_IMPORT_BYTES + 256 * 1024)) }));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: { code: "invalid", message: "The file is larger than 5 MB; import it with the admin CLI.", fields: { file: "At most 5 MB here" } } });
  });
});

describe("console import run: who may call it (checked before the body is read)", () => {
  const refusals: { name: string; uid: () => string | null; headers: Record<string, string>; status: number; code: string; message: string }[] = [
    { name: "a signed-out caller gets 401", uid: () => null, headers: { origin: CONSOLE }, status: 401, code: "unauthenticated", message: "Your session has ended. Sign in again." },
    { name: "an auditor gets 403", uid: () => cast.auditor.id, headers: { origin: CONSOLE }, status: 403, code: "forbidden", message: "Auditors have read-only access." },
    { name: "a cross-origin post gets 403 despite an administrator's session", uid: () => cast.admin.id, headers: { origin: "https://evil.example" }, status: 403, code: "forbidden", message: "Imports are accepted only from the Keyshift console itself." },
    { name: "a post without Origin gets 403", uid: () => cast.admin.id, headers: {}, status: 403, code: "forbidden", message: "Imports are accepted only from the Keyshift console itself." },
    { name: 'an opaque origin ("null") gets 403', uid: () => cast.admin.id, headers: { origin: "null" }, status: 403, code: "forbidden", message: "Imports are accepted only from the Keyshift console itself." },
  ];
  it.each(refusals)("$name", async ({ uid, headers, status, code, message }) => {
    fake.uid = uid();
    const before = await written();
    const request = importRequest({ format: "csv", file: csvFile(csvOf([uniq("refused")])) }, headers);
    const response = await POST(request);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: { code, message } });
    expect(request.bodyUsed).toBe(false);
    expect(await written()).toEqual(before);
  });

  const accepted: { name: string; headers: Record<string, string> }[] = [
    { name: "the public URL (NEXTAUTH_URL), whatever host the request names", headers: { origin: "https://keyshift.example.com" } },
    { name: "the host a reverse proxy forwards (X-Forwarded-Host)", headers: { origin: "https://console.example.org", "x-forwarded-host": "console.example.org" } },
  ];
  it.each(accepted)("accepts as origin $name", async ({ headers }) => {
    vi.stubEnv("NEXTAUTH_URL", "https://keyshift.example.com");
    try {
      const clientId = uniq("proxied");
      const events = await eventsOf(await POST(importRequest({ format: "csv", file: csvFile(csvOf([clientId])) }, headers)));
      expect(events.at(-1)).toMatchObject({ type: "result", plan: { totals: { create: 1 } } });
      expect(await db().client.count({ where: { clientId } })).toBe(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
