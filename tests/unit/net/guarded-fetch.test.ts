// The guarded JSON fetcher against local node:http servers on 127.0.0.1, which the tests exempt through
// the allow list; name resolution is stubbed where a test needs a name to resolve a particular way.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchJson, GuardedFetchError, parseCacheControl, redirectTarget, type FetchFailure } from "@/lib/net/guarded-fetch";
import { parseAllowList } from "@/lib/net/ssrf";

const local = parseAllowList("127.0.0.1");
const none = parseAllowList("");
const servers: (http.Server | https.Server)[] = [];

type Seen = { connections: number; paths: string[]; hosts: string[]; localAddresses: string[] };

async function listen<S extends http.Server | https.Server>(server: S): Promise<{ server: S; port: number; seen: Seen }> {
  const seen: Seen = { connections: 0, paths: [], hosts: [], localAddresses: [] };
  server.on("connection", (socket) => {
    seen.connections++;
    seen.localAddresses.push(socket.localAddress ?? "");
  });
  server.on("request", (request: http.IncomingMessage) => {
    seen.paths.push(request.url ?? "");
    seen.hosts.push(request.headers.host ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { server, port: (server.address() as AddressInfo).port, seen };
}

async function serve(handler: http.RequestListener) {
  const { port, seen } = await listen(http.createServer(handler));
  return { url: `http://127.0.0.1:${port}`, port, seen };
}

const json =
  (body: unknown, headers: http.OutgoingHttpHeaders = {}): http.RequestListener =>
  (_request, response) => {
    response.writeHead(200, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };

async function failure(promise: Promise<unknown>): Promise<GuardedFetchError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GuardedFetchError);
  return error as GuardedFetchError;
}

// dns.lookup answers from a table; the fetcher always asks for all addresses
function stubLookup(answer: (hostname: string, call: number) => dns.LookupAddress[] | NodeJS.ErrnoException | "never") {
  let calls = 0;
  const spy = vi.spyOn(dns, "lookup").mockImplementation(((hostname: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null, addresses?: dns.LookupAddress[]) => void) => {
    const result = answer(hostname, ++calls);
    if (result === "never") return;
    if (result instanceof Error) process.nextTick(callback, result);
    else process.nextTick(callback, null, result);
  }) as never);
  return { calls: () => calls, spy };
}

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

describe("fetchJson: answers", () => {
  it("returns the parsed body, the final URL, the address connected to and the Cache-Control lifetime", async () => {
    const { url } = await serve(json({ keys: [] }, { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300" }));
    const result = await fetchJson(`${url}/jwks`, { allowHttp: true, allow: local });
    expect(result).toMatchObject({ status: 200, url: `${url}/jwks`, address: "127.0.0.1", body: { keys: [] }, bytes: 11, cacheControl: { maxAge: 300, noStore: false, noCache: false } });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it.each(["application/json", "application/json; charset=utf-8", "application/jwk-set+json", "Application/Problem+JSON"])("accepts the content type %s", async (type) => {
    const { url } = await serve(json({ ok: true }, { "content-type": type }));
    expect((await fetchJson(url, { allowHttp: true, allow: local })).body).toEqual({ ok: true });
  });

  const notJson: { name: string; type?: string; body: string; message: string }[] = [
    { name: "an HTML page", type: "text/html; charset=utf-8", body: "<html>secret page</html>", message: "127.0.0.1:PORT answered with text/html, not JSON." },
    { name: "plain text", type: "text/plain", body: "{}", message: "127.0.0.1:PORT answered with text/plain, not JSON." },
    { name: "a body without a content type", body: "{}", message: "127.0.0.1:PORT answered with no Content-Type, not JSON." },
    { name: "a JSON type over a body that is not JSON", type: "application/json", body: "{secret", message: "127.0.0.1:PORT answered with a body that is not valid JSON." },
  ];

  it.each(notJson)("refuses $name as not_json, saying what came and quoting none of it", async ({ type, body, message }) => {
    const { url, port } = await serve((_request, response) => {
      response.writeHead(200, type ? { "content-type": type } : {});
      response.end(body);
    });
    const error = await failure(fetchJson(url, { allowHttp: true, allow: local }));
    expect(error.code).toBe("not_json");
    expect(error.message).toBe(message.replace("PORT", String(port)));
  });

  it("reports a 500 as http_status with the status, without the body", async () => {
    const { url, port } = await serve((_request, response) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end('{"error":"secret detail"}');
    });
    const error = await failure(fetchJson(url, { allowHttp: true, allow: local }));
    expect(error).toMatchObject({ code: "http_status", status: 500, message: `127.0.0.1:${port} answered 500.` });
  });

  it("refuses a declared Content-Length over the cap before reading", async () => {
    const { url } = await serve(json({ padding: "x".repeat(100_000) }));
    const error = await failure(fetchJson(url, { allowHttp: true, allow: local, maxBytes: 4096 }));
    expect(error).toMatchObject({ code: "too_large", message: expect.stringContaining("more than 4096 bytes") });
  });

  it("stops reading an endless body without Content-Length once it passes the cap and closes the connection", async () => {
    let closed = false;
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      const timer = setInterval(() => response.write(`[${"1,".repeat(512)}`), 1);
      response.on("close", () => {
        clearInterval(timer);
        closed = true;
      });
    });
    const error = await failure(fetchJson(url, { allowHttp: true, allow: local, maxBytes: 4096 }));
    expect(error.code).toBe("too_large");
    await vi.waitFor(() => expect(closed).toBe(true));
  });
});

describe("fetchJson: one deadline", () => {
  const slow: { name: string; handler?: http.RequestListener; lookupNever?: true }[] = [
    { name: "a server that never sends headers", handler: () => {} },
    {
      name: "a body that never ends",
      handler: (_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.write("[1,");
      },
    },
    { name: "a name that never resolves", lookupNever: true },
  ];

  it.each(slow)("gives up on $name with timeout", async ({ handler, lookupNever }) => {
    const { port } = await serve(handler ?? json({}));
    if (lookupNever) stubLookup(() => "never");
    const started = Date.now();
    const target = lookupNever ? `http://jwks.test:${port}/` : `http://127.0.0.1:${port}/`;
    const error = await failure(fetchJson(target, { allowHttp: true, allow: local, timeoutMs: 200 }));
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/did not answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("fetchJson: URLs", () => {
  const refused: { name: string; url: (port: number) => string; allowHttp: boolean; code: FetchFailure; message: string }[] = [
    { name: "a string that is not a URL", url: () => "jwks.example.com/keys", allowHttp: true, code: "invalid_url", message: "The URL is not valid." },
    { name: "credentials in the URL", url: (port) => `http://user:pass@127.0.0.1:${port}/`, allowHttp: true, code: "invalid_url", message: "URLs with credentials are not fetched." },
    { name: "a user name alone", url: (port) => `http://user@127.0.0.1:${port}/`, allowHttp: true, code: "invalid_url", message: "URLs with credentials are not fetched." },
    { name: "http when only https is allowed", url: (port) => `http://127.0.0.1:${port}/`, allowHttp: false, code: "scheme_not_allowed", message: "Only https URLs are fetched, not http:" },
    { name: "ftp", url: () => "ftp://127.0.0.1/keys", allowHttp: true, code: "scheme_not_allowed", message: "Only http and https URLs are fetched, not ftp:" },
    { name: "file", url: () => "file:///etc/passwd", allowHttp: true, code: "scheme_not_allowed", message: "Only http and https URLs are fetched, not file:" },
  ];

  it.each(refused)("refuses $name with $code and no connection", async ({ url, allowHttp, code, message }) => {
    const { port, seen } = await serve(json({}));
    const error = await failure(fetchJson(url(port), { allowHttp, allow: local }));
    expect(error).toMatchObject({ code, message });
    expect(seen.connections).toBe(0);
  });

  // WHATWG URL parsing turns every numeric IPv4 form into dotted decimal before anything is checked
  const numeric: { url: string; hostname: string; message: string }[] = [
    { url: "http://2130706433:PORT/", hostname: "127.0.0.1", message: "127.0.0.1 is a loopback address." },
    { url: "http://0x7f000001:PORT/", hostname: "127.0.0.1", message: "127.0.0.1 is a loopback address." },
    { url: "http://0177.0.0.1:PORT/", hostname: "127.0.0.1", message: "127.0.0.1 is a loopback address." },
    { url: "http://127.1:PORT/", hostname: "127.0.0.1", message: "127.0.0.1 is a loopback address." },
    { url: "http://0x7f.1:PORT/", hostname: "127.0.0.1", message: "127.0.0.1 is a loopback address." },
    { url: "http://0:PORT/", hostname: "0.0.0.0", message: "0.0.0.0 is an unspecified address." },
    { url: "http://[::1]:PORT/", hostname: "[::1]", message: "::1 is a loopback address." },
    { url: "http://[::ffff:127.0.0.1]:PORT/", hostname: "[::ffff:7f00:1]", message: "::ffff:7f00:1 is a loopback address (IPv4-mapped 127.0.0.1)." },
    { url: "http://[::127.0.0.1]:PORT/", hostname: "[::7f00:1]", message: "::7f00:1 is a loopback address (IPv4-compatible 127.0.0.1)." },
    { url: "https://2852039166/latest/meta-data/", hostname: "169.254.169.254", message: "169.254.169.254 is a cloud metadata address." },
  ];

  it.each(numeric)("refuses $url as $hostname with address_refused, without connecting", async ({ url, hostname, message }) => {
    const { port, seen } = await serve(json({}));
    const target = url.replace("PORT", String(port));
    expect(new URL(target).hostname).toBe(hostname);
    const error = await failure(fetchJson(target, { allowHttp: true, allow: none }));
    expect(error).toMatchObject({ code: "address_refused", message });
    expect(seen.connections).toBe(0);
  });

  it("refuses an https URL to a local server that is not allowed, without connecting", async () => {
    const { port, seen } = await serve(json({}));
    const error = await failure(fetchJson(`https://127.0.0.1:${port}/jwks`, { allowHttp: false, allow: none }));
    expect(error).toMatchObject({ code: "address_refused", message: "127.0.0.1 is a loopback address." });
    expect(seen.connections).toBe(0);
  });

  it("refuses localhost, which resolves to loopback, when loopback is not allowed", async () => {
    const { port, seen } = await serve(json({}));
    const error = await failure(fetchJson(`http://localhost:${port}/`, { allowHttp: true, allow: none }));
    expect(error.code).toBe("address_refused");
    expect(error.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address\.$/);
    expect(seen.connections).toBe(0);
  });
});

describe("fetchJson: resolution is checked once and the connection uses the checked address", () => {
  it("resolves the name once and connects to that address, though a second answer would be private", async () => {
    const { port, seen } = await serve(json({ keys: [] }));
    // a rebinding DNS server: the check sees 127.0.0.1, any later resolution would see 10.0.0.9
    const lookup = stubLookup((_name, call) => [{ address: call === 1 ? "127.0.0.1" : "10.0.0.9", family: 4 }]);
    const result = await fetchJson(`http://jwks.test:${port}/keys`, { allowHttp: true, allow: local });
    expect(lookup.calls()).toBe(1);
    expect(result).toMatchObject({ address: "127.0.0.1", url: `http://jwks.test:${port}/keys`, body: { keys: [] } });
    expect(seen).toMatchObject({ connections: 1, hosts: [`jwks.test:${port}`], localAddresses: ["127.0.0.1"] });
  });

  it("refuses the whole host when any of its addresses is refused, without connecting", async () => {
    const { port, seen } = await serve(json({}));
    stubLookup(() => [
      { address: "127.0.0.1", family: 4 },
      { address: "10.0.0.9", family: 4 },
    ]);
    const error = await failure(fetchJson(`http://jwks.test:${port}/`, { allowHttp: true, allow: local }));
    expect(error).toMatchObject({ code: "address_refused", message: "jwks.test resolves to 10.0.0.9, a private address." });
    expect(seen.connections).toBe(0);
  });

  it("reports a name that does not resolve as dns_failed", async () => {
    stubLookup(() => Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }));
    const error = await failure(fetchJson("https://jwks.test/", { allowHttp: false, allow: local }));
    expect(error).toMatchObject({ code: "dns_failed", message: "jwks.test could not be resolved (ENOTFOUND)." });
  });

  it("reports a closed port as connection_failed", async () => {
    const { port } = await serve(json({}));
    const server = servers.pop() as http.Server;
    await new Promise((resolve) => server.close(resolve));
    const error = await failure(fetchJson(`http://127.0.0.1:${port}/`, { allowHttp: true, allow: local }));
    expect(error).toMatchObject({ code: "connection_failed", message: `Could not connect to 127.0.0.1:${port} (ECONNREFUSED).` });
  });

  it("sends the host name as SNI and validates the certificate, refusing a self-signed one with tls_failed", async () => {
    const names: string[] = [];
    const context = tls.createSecureContext({ key: SELF_SIGNED.key, cert: SELF_SIGNED.cert });
    const { port } = await listen(
      https.createServer({ key: SELF_SIGNED.key, cert: SELF_SIGNED.cert, SNICallback: (name, done) => (names.push(name), done(null, context)) }, json({})),
    );
    stubLookup(() => [{ address: "127.0.0.1", family: 4 }]);
    const error = await failure(fetchJson(`https://jwks.test:${port}/`, { allowHttp: false, allow: local }));
    expect(error.code).toBe("tls_failed");
    expect(names).toEqual(["jwks.test"]);
  });
});

describe("fetchJson: redirects", () => {
  const redirectTo =
    (location: string, status = 302): http.RequestListener =>
    (_request, response) => {
      response.writeHead(status, { location });
      response.end();
    };

  const refusedTargets = [
    { location: "http://10.0.0.1/", message: "The redirect target 10.0.0.1 is a private address." },
    { location: "http://169.254.169.254/latest/meta-data/", message: "The redirect target 169.254.169.254 is a cloud metadata address." },
    { location: "http://[::ffff:a9fe:a9fe]/latest/meta-data/", message: "The redirect target ::ffff:a9fe:a9fe is a cloud metadata address (IPv4-mapped 169.254.169.254)." },
    { location: "http://[fd00:ec2::254]/latest/meta-data/", message: "The redirect target fd00:ec2::254 is a cloud metadata address." },
  ];

  it.each(refusedTargets)("refuses a redirect to $location with redirect_refused and never opens it", async ({ location, message }) => {
    const { url } = await serve(redirectTo(location));
    const requests = vi.spyOn(http, "request");
    const error = await failure(fetchJson(url, { allowHttp: true, allow: local }));
    expect(error).toMatchObject({ code: "redirect_refused", message });
    expect(requests).toHaveBeenCalledTimes(1);
  });

  it("refuses a redirect to a name that resolves to a private address, without connecting to it", async () => {
    const { url } = await serve(redirectTo("http://internal.test/keys"));
    stubLookup(() => [{ address: "10.0.0.7", family: 4 }]);
    const error = await failure(fetchJson(url, { allowHttp: true, allow: local }));
    expect(error).toMatchObject({ code: "redirect_refused", message: "The redirect target internal.test resolves to 10.0.0.7, a private address." });
  });

  it("refuses a redirect to a URL with credentials", async () => {
    const { url, port } = await serve(redirectTo("http://user:pass@127.0.0.1/"));
    const error = await failure(fetchJson(url, { allowHttp: true, allow: local }));
    expect(error).toMatchObject({ code: "redirect_refused", message: `127.0.0.1:${port} redirects to a refused URL: URLs with credentials are not fetched.` });
  });

  it.each([301, 302, 303, 307, 308])("follows a %i to another allowed server and reports the final URL", async (status) => {
    const target = await serve(json({ keys: ["moved"] }));
    const { url } = await serve(redirectTo(`${target.url}/jwks`, status));
    const result = await fetchJson(url, { allowHttp: true, allow: local });
    expect(result).toMatchObject({ status: 200, url: `${target.url}/jwks`, body: { keys: ["moved"] } });
    expect(target.seen.paths).toEqual(["/jwks"]);
  });

  // /0 -> /1 -> /2 -> /3 (JSON): three redirects
  const chain: http.RequestListener = (request, response) => {
    const step = Number(request.url?.slice(1));
    if (step < 3) redirectTo(`/${step + 1}`)(request, response);
    else json({ step })(request, response);
  };

  it("follows up to maxRedirects redirects", async () => {
    const { url } = await serve(chain);
    expect((await fetchJson(`${url}/0`, { allowHttp: true, allow: local, maxRedirects: 3 })).url).toBe(`${url}/3`);
  });

  it("refuses a chain longer than maxRedirects with too_many_redirects, without following the extra one", async () => {
    const { url, seen } = await serve(chain);
    const error = await failure(fetchJson(`${url}/0`, { allowHttp: true, allow: local, maxRedirects: 2 }));
    expect(error).toMatchObject({ code: "too_many_redirects", message: `${url}/0 redirects more than 2 times.` });
    expect(seen.paths).toEqual(["/0", "/1", "/2"]);
  });
});

describe("redirectTarget", () => {
  const from = new URL("https://jwks.example.com/a/keys");
  const cases: { name: string; location: string; allowHttp: boolean; expected: string | RegExp }[] = [
    { name: "resolves a relative Location", location: "../b/keys?x=1", allowHttp: false, expected: "https://jwks.example.com/b/keys?x=1" },
    { name: "keeps https to another host", location: "https://keys.example.net/", allowHttp: false, expected: "https://keys.example.net/" },
    { name: "refuses a downgrade to http", location: "http://jwks.example.com/keys", allowHttp: false, expected: /Only https URLs are fetched, not http:/ },
    { name: "allows http when http is allowed", location: "http://jwks.example.com/keys", allowHttp: true, expected: "http://jwks.example.com/keys" },
    { name: "refuses another scheme", location: "file:///etc/passwd", allowHttp: true, expected: /not file:/ },
    { name: "refuses credentials", location: "https://u:p@jwks.example.com/", allowHttp: false, expected: /credentials/ },
    { name: "refuses a Location that is not a URL", location: "https://[", allowHttp: false, expected: /The Location is not a valid URL/ },
  ];

  it.each(cases)("$name", ({ location, allowHttp, expected }) => {
    if (typeof expected === "string") {
      expect(redirectTarget(from, location, allowHttp).href).toBe(expected);
      return;
    }
    let caught: unknown;
    try {
      redirectTarget(from, location, allowHttp);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: "redirect_refused", message: expect.stringMatching(expected) });
  });
});

describe("parseCacheControl", () => {
  const cases: { header: string | string[] | undefined; expected: { maxAge: number | null; noStore?: boolean; noCache?: boolean } }[] = [
    { header: undefined, expected: { maxAge: null } },
    { header: "max-age=300", expected: { maxAge: 300 } },
    { header: "public, MAX-AGE=60, s-maxage=600", expected: { maxAge: 60 } },
    { header: "s-maxage=600", expected: { maxAge: null } },
    { header: 'max-age="120"', expected: { maxAge: 120 } },
    { header: "no-store", expected: { maxAge: null, noStore: true } },
    { header: "no-cache, max-age=0", expected: { maxAge: 0, noCache: true } },
    { header: 'no-cache="set-cookie"', expected: { maxAge: null, noCache: true } },
    { header: ["max-age=5", "no-cache"], expected: { maxAge: 5, noCache: true } },
    { header: "max-age=soon", expected: { maxAge: 0 } },
    { header: "max-age=-5", expected: { maxAge: 0 } },
    { header: "max-age=", expected: { maxAge: 0 } },
    { header: "max-age=10, max-age=20", expected: { maxAge: 0 } },
    { header: "max-age=99999999999999999999", expected: { maxAge: 2 ** 31 } },
    { header: ",,, =, ;; ==", expected: { maxAge: null } },
  ];

  it.each(cases)("reads $header", ({ header, expected }) => {
    expect(parseCacheControl(header)).toEqual({ noStore: false, noCache: false, ...expected });
  });
});

// A self-signed P-256 certificate for localhost and 127.0.0.1, valid until 2126; no client trusts it.
const SELF_SIGNED = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgoNj+KgRlqx623QOC
PvAJtX+uxrQ/P0AlH3lhfI1s06ChRANCAAQQcXHog/WxjwlYJDTihotB6+GW+j0E
phDJ6i8tfFzzBvGRLo24oDhWIVSMEnI55XkKEXVf0mopJB1G/nIm5KfM
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUdd6fuiR7ckIBK0A1F7YvvIn0zAowCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyODEwMjY0M1oYDzIxMjYxMTA0
MTAyNjQzWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQQcXHog/WxjwlYJDTihotB6+GW+j0EphDJ6i8tfFzzBvGRLo24oDhW
IVSMEnI55XkKEXVf0mopJB1G/nIm5KfMo28wbTAdBgNVHQ4EFgQUQPhfRkpr4OkT
K7lb44p/OCcIQcowHwYDVR0jBBgwFoAUQPhfRkpr4OkTK7lb44p/OCcIQcowDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIhAONRR/f8ohe3haxBUTNR3G4CaurfZQlcyfW51cAwsA2mAiB0
he9yjGqhlAXVZIZSJZfhM303BLS0TybQgIl8JOH+sg==
-----END CERTIFICATE-----
`,
};
