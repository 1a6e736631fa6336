// postGuarded (webhook deliveries) against local node:http servers on 127.0.0.1, exempted through the
// allow list as in guarded-fetch.test.ts.
import dns from "node:dns";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GuardedFetchError, postGuarded } from "@/lib/net/guarded-fetch";
import { parseAllowList } from "@/lib/net/ssrf";

const local = parseAllowList("127.0.0.1");
const none = parseAllowList("");
const servers: http.Server[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

type Received = { method?: string; type?: string; length?: string; body: string };

async function serve(status: number, headers: http.OutgoingHttpHeaders = {}, body = "") {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ method: request.method, type: request.headers["content-type"], length: request.headers["content-length"], body: text });
      response.writeHead(status, headers);
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

async function failure(promise: Promise<unknown>): Promise<GuardedFetchError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(GuardedFetchError);
  return error as GuardedFetchError;
}

describe("postGuarded", () => {
  it("POSTs the body with its content type and length and returns the status", async () => {
    const { url, received } = await serve(202);
    const result = await postGuarded(url, "eyJhbGciOiJFUzI1NiJ9.e30.sig", { allowHttp: true, contentType: "application/secevent+jwt", allow: local });
    expect(result.status).toBe(202);
    expect(received).toEqual([{ method: "POST", type: "application/secevent+jwt", length: "28", body: "eyJhbGciOiJFUzI1NiJ9.e30.sig" }]);
  });

  it("reports a status outside 2xx with the status", async () => {
    const { url } = await serve(500, {}, "x".repeat(100_000));
    const error = await failure(postGuarded(url, "body", { allowHttp: true, contentType: "text/plain", allow: local }));
    expect(error.code).toBe("http_status");
    expect(error.status).toBe(500);
  });

  it("does not follow a redirect", async () => {
    const target = await serve(200);
    const { url } = await serve(307, { location: target.url });
    const error = await failure(postGuarded(url, "body", { allowHttp: true, contentType: "text/plain", allow: local }));
    expect(error.message).toMatch(/307 \(redirects are not followed\)/);
    expect(target.received).toEqual([]);
  });

  it("refuses a loopback address that is not exempted, before connecting", async () => {
    const { url, received } = await serve(200);
    const error = await failure(postGuarded(url, "body", { allowHttp: true, contentType: "text/plain", allow: none }));
    expect(error.code).toBe("address_refused");
    expect(received).toEqual([]);
  });

  it("refuses a name that resolves to a private address", async () => {
    vi.spyOn(dns, "lookup").mockImplementation(((_host: string, _options: unknown, callback: (e: null, a: dns.LookupAddress[]) => void) => {
      process.nextTick(callback, null, [{ address: "10.1.2.3", family: 4 }]);
    }) as unknown as typeof dns.lookup);
    const error = await failure(postGuarded("https://hooks.internal.example/in", "body", { allowHttp: false, contentType: "text/plain", allow: none }));
    expect(error.code).toBe("address_refused");
    expect(error.message).toMatch(/10\.1\.2\.3, a private address/);
  });

  it("refuses plain http unless allowed", async () => {
    const error = await failure(postGuarded("http://hooks.example.com/in", "body", { allowHttp: false, contentType: "text/plain", allow: none }));
    expect(error.code).toBe("scheme_not_allowed");
  });
});
