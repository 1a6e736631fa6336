// `kit token` against the real token server: keys made by `kit keygen`, registered in Keyshift as a
// client team would upload them, then the kit discovers, signs and asks for a token over HTTP, on SQLite
// and PostgreSQL.
//
// The server is scripts/token-server.ts's own request handler (createTokenServer), in this process on
// a free port. The issuer identifier is configuration read at each use (lib/config issuer()), so the
// test sets KEYSHIFT_ISSUER to the URL the server listens on: discovery then works exactly as in
// production, with nothing overridden in the kit (the metadata at {issuer}/.well-known/... names that
// issuer and {issuer}/oauth/token). A second listener with the same handler plays a server answering
// for another issuer: its metadata names the first server's issuer, which is what a mix-up looks like.
import { spawn } from "node:child_process";
import fs from "node:fs";
import type http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnect } from "@/lib/db";
import { addKeys } from "@/lib/keys/lifecycle";
import { runKit } from "@/lib/kit/run";
import { EXIT } from "@/lib/kit/usage";
import { jwksResponse } from "@/lib/oauth/endpoint";
import { flushAuthEvents } from "@/lib/oauth/events";
import { forgetEndpointPolicy } from "@/lib/oauth/policy";
import { createTokenServer } from "../../scripts/token-server";
import { makeCast, resetDatabase } from "./helpers";
import { jwtClient, lastEvent } from "./oauth-fixtures";

const root = path.resolve(__dirname, "..", "..");
const configuredIssuer = process.env.KEYSHIFT_ISSUER;

type Listening = { server: http.Server; url: string; posts: () => number };

function listen(): Promise<Listening> {
  const server = createTokenServer();
  let posts = 0;
  server.on("request", (req: http.IncomingMessage) => req.method === "POST" && posts++);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, posts: () => posts })));
}

let as: Listening;
let impostor: Listening;
let dir: string;
let client: { id: string; clientId: string };
let registered: { kid: string; jwk: string; pem: string };
let unregistered: { kid: string; jwk: string };

async function kit(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runKit(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  await flushAuthEvents();
  return { code, stdout, stderr };
}

async function keygen(kid?: string) {
  const made = await kit(["keygen", "--out", "keys", ...(kid ? ["--kid", kid] : [])]);
  expect(made.code).toBe(EXIT.ok);
  const jwks = made.stdout;
  const k = (JSON.parse(jwks) as JSONWebKeySet).keys[0].kid!;
  return { kid: k, jwks, jwk: path.join(dir, "keys", `${k}.private.jwk.json`), pem: path.join(dir, "keys", `${k}.private.pem`) };
}

beforeAll(async () => {
  await resetDatabase();
  const cast = await makeCast();
  [as, impostor] = await Promise.all([listen(), listen()]);
  process.env.KEYSHIFT_ISSUER = as.url;
  forgetEndpointPolicy();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kit-it-"));
  const made = await keygen();
  registered = { kid: made.kid, jwk: made.jwk, pem: made.pem };
  unregistered = await keygen("never-uploaded");
  client = await jwtClient(cast.admin, cast.teamA.id, [], { scopes: ["read", "write"] });
  // what the client team uploads: the public JWKS file keygen wrote, as it is
  await addKeys(cast.admin, client.id, { kind: "jwks", text: fs.readFileSync(path.join(dir, "keys", `${made.kid}.public.jwks.json`), "utf8") });
});

afterAll(async () => {
  await Promise.all([as, impostor].filter(Boolean).map((l) => new Promise((resolve) => l.server.close(resolve))));
  if (configuredIssuer === undefined) delete process.env.KEYSHIFT_ISSUER;
  else process.env.KEYSHIFT_ISSUER = configuredIssuer;
  fs.rmSync(dir, { recursive: true, force: true });
  await disconnect();
});

const tokenArgs = (key: string, extra: string[] = [], issuer = as.url) => ["token", "--issuer", issuer, "--client-id", client.clientId, "--key", key, ...extra];

describe("kit token against Keyshift's token server", () => {
  it("obtains an access token with a kit-generated key registered in Keyshift", async () => {
    const { code, stdout, stderr } = await kit(tokenArgs(registered.jwk, ["--scope", "read", "--json"]));
    expect({ code, stderr }).toEqual({ code: EXIT.ok, stderr: "" });
    const response = JSON.parse(stdout) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(response).toMatchObject({ token_type: "Bearer", scope: "read" });
    const keys = createLocalJWKSet(JSON.parse((await jwksResponse()).body) as JSONWebKeySet);
    const { payload } = await jwtVerify(response.access_token, keys, { issuer: as.url, typ: "at+jwt" });
    expect(payload).toMatchObject({ client_id: client.clientId, sub: client.clientId, scope: "read" });
    expect(await lastEvent(client.clientId)).toMatchObject({ outcome: "success", method: "private_key_jwt", kid: registered.kid, audienceForm: "issuer", reason: null });
  });

  it("signs with keygen's PEM file too, and prints the human summary with the decoded claims", async () => {
    const { code, stdout } = await kit(tokenArgs(registered.pem));
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^token_type {4}Bearer\nexpires_in {4}\d+\nscope {9}read write\naccess_token {2}ey/);
    expect(stdout).toContain(`"client_id": "${client.clientId}"`);
    expect(await lastEvent(client.clientId)).toMatchObject({ outcome: "success", kid: registered.kid });
  });

  it("refuses metadata that names another issuer, before sending any assertion", async () => {
    const before = as.posts() + impostor.posts();
    const { code, stdout, stderr } = await kit(tokenArgs(registered.jwk, [], impostor.url));
    expect(code).toBe(EXIT.unreachable);
    expect(stdout).toBe("");
    expect(stderr).toContain(`names the issuer ${JSON.stringify(as.url)}, not ${JSON.stringify(impostor.url)}`);
    expect(stderr).toContain("RFC 8414 section 3.3");
    expect(as.posts() + impostor.posts()).toBe(before);
  });

  it("exits 3 with invalid_client and the hint for a key that was never registered; kid_unknown is recorded", async () => {
    const { code, stdout, stderr } = await kit(tokenArgs(unregistered.jwk));
    expect(code).toBe(EXIT.refused);
    expect(stdout).toBe("");
    expect(stderr).toContain("the token endpoint refused the request: 401 invalid_client (Client authentication failed.)");
    expect(stderr).toMatch(/hint: check the kid is registered .*kid "never-uploaded".*the clock of this machine, and that aud is the issuer/);
    expect(await lastEvent(client.clientId)).toMatchObject({ outcome: "failure", reason: "kid_unknown", kid: "never-uploaded", audienceForm: "issuer" });
  });

  it("npm run kit exits with the documented status (3) and message", async () => {
    const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/kit.ts", ...tokenArgs(unregistered.jwk)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const status = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect({ status, stdout }).toEqual({ status: EXIT.refused, stdout: "" });
    expect(stderr).toMatch(/^kit: the token endpoint refused the request: 401 invalid_client/);
    expect(stderr).toContain("kit: hint: check the kid is registered");
  });
});
