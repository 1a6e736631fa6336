// `kit token` against a scripted server: discovery and its RFC 8414 checks, the request it sends, and
// the exit status and message for each kind of answer. The real token endpoint is in
// tests/integration/kit.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkMetadata, metadataUrls, type Fetch } from "@/lib/kit/discovery";
import { keygen } from "@/lib/kit/keygen";
import { runKit } from "@/lib/kit/run";
import { EXIT, ServerUnusable } from "@/lib/kit/usage";

const ISSUER = "https://as.example.test";
const METADATA = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/oauth/token`,
  token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt"],
  token_endpoint_auth_signing_alg_values_supported: ["ES256", "RS256"],
};
const ACCESS_TOKEN = `${Buffer.from('{"alg":"ES256","typ":"at+jwt"}').toString("base64url")}.${Buffer.from('{"iss":"https://as.example.test","client_id":"billing","scope":"read"}').toString("base64url")}.c2ln`;

let dir: string;
let keyFile: string;
let kid: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kit-token-"));
  const made = await keygen({ alg: "ES256", bits: 2048, out: "." }, dir);
  keyFile = made.files.privateJwk;
  kid = made.kid;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Route = (init: RequestInit | undefined) => Response | Promise<Response>;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** A fetch that answers from a table of URLs and records every request. */
function server(routes: Record<string, Route>) {
  const requests: { url: string; init?: RequestInit }[] = [];
  const fetchFn: Fetch = async (input, init) => {
    const url = String(input);
    requests.push({ url, init });
    const route = routes[url];
    return route ? route(init) : new Response("not found", { status: 404 });
  };
  return { fetchFn, requests };
}

async function kit(args: string[], fetchFn: Fetch) {
  let stdout = "";
  let stderr = "";
  const code = await runKit(["token", "--issuer", ISSUER, "--client-id", "billing", "--key", keyFile, ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), fetch: fetchFn });
  return { code, stdout, stderr };
}

const wellKnown = `${ISSUER}/.well-known/oauth-authorization-server`;

describe("discovery", () => {
  it("puts the RFC 8414 well-known segment before the issuer's path, and OIDC's after it", () => {
    expect(metadataUrls("https://as.example.test/tenant/a")).toEqual(["https://as.example.test/.well-known/oauth-authorization-server/tenant/a", "https://as.example.test/tenant/a/.well-known/openid-configuration"]);
    expect(metadataUrls("https://as.example.test/")).toEqual(["https://as.example.test/.well-known/oauth-authorization-server", "https://as.example.test/.well-known/openid-configuration"]);
  });

  it.each([
    { name: "another issuer", metadata: { ...METADATA, issuer: "https://evil.example.test" }, expected: /names the issuer "https:\/\/evil\.example\.test", not "https:\/\/as\.example\.test".*RFC 8414 section 3\.3/ },
    { name: "the issuer with a trailing slash", metadata: { ...METADATA, issuer: `${ISSUER}/` }, expected: /must not be used/ },
    { name: "no token endpoint", metadata: { ...METADATA, token_endpoint: undefined }, expected: /has no token_endpoint URL/ },
    { name: "no private_key_jwt", metadata: { ...METADATA, token_endpoint_auth_methods_supported: ["client_secret_basic"] }, expected: /does not support private_key_jwt/ },
    { name: "no methods listed (RFC 8414 default: client_secret_basic)", metadata: { ...METADATA, token_endpoint_auth_methods_supported: undefined }, expected: /lists client_secret_basic/ },
    { name: "not the key's algorithm", metadata: { ...METADATA, token_endpoint_auth_signing_alg_values_supported: ["RS256"] }, expected: /does not accept assertions signed with ES256/ },
  ])("refuses metadata with $name", ({ metadata, expected }) => {
    const check = () => checkMetadata({ metadataUrl: wellKnown, metadata: metadata as never }, ISSUER, "ES256");
    expect(check).toThrow(ServerUnusable);
    expect(check).toThrow(expected);
  });
});

describe("kit token", () => {
  it("discovers the endpoint, posts a form with a fresh assertion for the issuer, and prints the response", async () => {
    const { fetchFn, requests } = server({
      [wellKnown]: () => json(200, METADATA),
      [METADATA.token_endpoint]: () => json(200, { access_token: ACCESS_TOKEN, token_type: "Bearer", expires_in: 600, scope: "read" }),
    });
    const { code, stdout, stderr } = await kit(["--scope", "read"], fetchFn);
    expect({ code, stderr }).toEqual({ code: EXIT.ok, stderr: "" });
    expect(stdout).toMatch(/^token_type {4}Bearer\nexpires_in {4}600\nscope {9}read\naccess_token {2}\S+\nclaims \(decoded, not verified\):\n/);
    expect(stdout).toContain('"client_id": "billing"');

    const post = requests[1];
    expect(post.init?.method).toBe("POST");
    expect(new Headers(post.init?.headers).get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(post.init?.redirect).toBe("manual");
    const form = new URLSearchParams(String(post.init?.body));
    expect(Object.fromEntries([...form.keys()].map((k) => [k, form.getAll(k).length]))).toEqual({ grant_type: 1, client_id: 1, client_assertion_type: 1, client_assertion: 1, scope: 1 });
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    const claims = JSON.parse(Buffer.from(form.get("client_assertion")!.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: "billing", sub: "billing", aud: ISSUER });
  });

  it("falls back to openid-configuration when the RFC 8414 document is missing", async () => {
    const { fetchFn, requests } = server({
      [`${ISSUER}/.well-known/openid-configuration`]: () => json(200, METADATA),
      [METADATA.token_endpoint]: () => json(200, { access_token: "opaque", token_type: "Bearer", expires_in: 60 }),
    });
    const { code, stdout } = await kit([], fetchFn);
    expect(code).toBe(EXIT.ok);
    expect(requests.map((r) => r.url)).toEqual([wellKnown, `${ISSUER}/.well-known/openid-configuration`, METADATA.token_endpoint]);
    expect(stdout).toMatch(/the access token is opaque/);
  });

  it("with --token-endpoint, fetches no metadata and still sets aud to the issuer", async () => {
    const endpoint = "https://token.example.test/oauth/token";
    const { fetchFn, requests } = server({ [endpoint]: () => json(200, { access_token: "opaque", token_type: "Bearer" }) });
    const { code } = await kit(["--token-endpoint", endpoint], fetchFn);
    expect(code).toBe(EXIT.ok);
    expect(requests.map((r) => r.url)).toEqual([endpoint]);
    const assertion = new URLSearchParams(String(requests[0].init?.body)).get("client_assertion")!;
    expect(JSON.parse(Buffer.from(assertion.split(".")[1], "base64url").toString()).aud).toBe(ISSUER);
  });

  it("--json prints the response body exactly as received", async () => {
    const body = '{"access_token":"opaque","token_type":"Bearer","expires_in":60,"extra":true}';
    const { fetchFn } = server({ [wellKnown]: () => json(200, METADATA), [METADATA.token_endpoint]: () => new Response(body, { status: 200 }) });
    expect(await kit(["--json"], fetchFn)).toEqual({ code: EXIT.ok, stdout: `${body}\n`, stderr: "" });
  });

  it("exits 3 on invalid_client, with the status, the error and the hint about kid, clock and aud", async () => {
    const refusal = { error: "invalid_client", error_description: "Client authentication failed." };
    const { fetchFn } = server({ [wellKnown]: () => json(200, METADATA), [METADATA.token_endpoint]: () => json(401, refusal) });
    const { code, stdout, stderr } = await kit([], fetchFn);
    expect(code).toBe(EXIT.refused);
    expect(stdout).toBe("");
    expect(stderr).toContain("kit: the token endpoint refused the request: 401 invalid_client (Client authentication failed.)");
    expect(stderr).toMatch(/hint: check the kid is registered .*kid "[^"]+".*the clock of this machine, and that aud is the issuer \("https:\/\/as\.example\.test"/);
    expect(stderr).toContain(kid);
    const asJson = await kit(["--json"], fetchFn);
    expect(asJson.code).toBe(EXIT.refused);
    expect(JSON.parse(asJson.stdout)).toEqual(refusal);
  });

  it.each([
    { error: "invalid_scope", hint: /ask only for scopes registered for the client/ },
    { error: "temporarily_unavailable", status: 429, headers: { "retry-after": "42" }, hint: /retry after 42 s/ },
  ])("exits 3 on $error with its hint", async ({ error, status, headers, hint }) => {
    const { fetchFn } = server({ [wellKnown]: () => json(200, METADATA), [METADATA.token_endpoint]: () => json(status ?? 400, { error }, headers) });
    const { code, stderr } = await kit([], fetchFn);
    expect(code).toBe(EXIT.refused);
    expect(stderr).toMatch(hint);
  });

  it.each([
    { name: "metadata naming another issuer", routes: { [wellKnown]: () => json(200, { ...METADATA, issuer: "https://other.example.test" }) }, expected: /must not be used \(RFC 8414 section 3\.3\)/ },
    { name: "no metadata at all", routes: {}, expected: /no authorization server metadata for https:\/\/as\.example\.test: tried .*HTTP 404.*HTTP 404/ },
    { name: "an HTML error page from the token endpoint", routes: { [wellKnown]: () => json(200, METADATA), [METADATA.token_endpoint]: () => new Response("<html>bad gateway</html>", { status: 502 }) }, expected: /answered HTTP 502 without an OAuth token or error response/ },
    { name: "a redirect from the token endpoint", routes: { [wellKnown]: () => json(200, METADATA), [METADATA.token_endpoint]: () => new Response(null, { status: 307, headers: { location: "https://elsewhere.example.test/token" } }) }, expected: /a redirect to https:\/\/elsewhere\.example\.test\/token/ },
    { name: "an unreachable server", routes: { [wellKnown]: () => Promise.reject(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } })) }, expected: /cannot reach https:\/\/as\.example\.test\/\.well-known\/oauth-authorization-server: ECONNREFUSED/ },
  ])("exits 4 on $name (posting no assertion when discovery fails)", async ({ routes, expected }) => {
    const table = routes as Record<string, Route>;
    const { fetchFn, requests } = server(table);
    const { code, stdout, stderr } = await kit([], fetchFn);
    expect(code).toBe(EXIT.unreachable);
    expect(stdout).toBe("");
    expect(stderr).toMatch(expected);
    const posted = requests.filter((r) => r.init?.method === "POST");
    expect(posted.length).toBe(table[METADATA.token_endpoint] ? 1 : 0);
  });
});
