// Fetching a JSON document from a URL a client administrator chose (a jwks_uri), and posting to one (a
// webhook target, postGuarded), without letting that URL reach what a public fetch must not (lib/net/ssrf.ts). Every address the host
// resolves to is checked, and the socket connects to exactly the checked address: the check runs inside
// the connection's own lookup, so there is no second resolution a rebinding DNS server could answer
// differently. Redirects are followed by hand and checked again; one deadline and a size cap bound the work.
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { checkAddress, fetchAllowList, type AllowList } from "./ssrf";

export type FetchFailure =
  | "invalid_url"
  | "scheme_not_allowed"
  | "dns_failed"
  | "address_refused"
  | "connection_failed"
  | "tls_failed"
  | "timeout"
  | "http_status"
  | "redirect_refused"
  | "too_many_redirects"
  | "not_json"
  | "too_large";

// Messages are short and never quote the response body, which may be large or hostile.
export class GuardedFetchError extends Error {
  constructor(
    readonly code: FetchFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "GuardedFetchError";
  }
}

export type CacheControl = { maxAge: number | null; noStore: boolean; noCache: boolean };

export type GuardedJson = {
  status: number;
  url: string; // final, after redirects
  address: string; // the IP connected to
  body: unknown;
  cacheControl: CacheControl;
  durationMs: number;
  bytes: number;
};

export type FetchJsonOptions = {
  allowHttp: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  allow?: AllowList;
  accept?: string;
  userAgent?: string;
};

type Fetch = { allow: AllowList; allowHttp: boolean; signal: AbortSignal; timeoutMs: number; headers: http.OutgoingHttpHeaders; method?: "GET" | "POST"; body?: Buffer };
type Opened = { response: http.IncomingMessage; address: string };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// application/json, application/jwk-set+json (RFC 7517 8.5) and other structured-syntax +json types (RFC 6839)
const JSON_MEDIA_TYPE = /^application\/([a-z0-9!#$&^_.-]+\+)?json$/;

export async function fetchJson(url: string, options: FetchJsonOptions): Promise<GuardedJson> {
  const started = performance.now();
  const { timeoutMs = 5000, maxBytes = 64 * 1024, maxRedirects = 3 } = options;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const fetch: Fetch = {
    allow: options.allow ?? fetchAllowList(),
    allowHttp: options.allowHttp,
    signal: controller.signal,
    timeoutMs,
    headers: { accept: options.accept ?? "application/json", "user-agent": options.userAgent ?? "Keyshift", "accept-encoding": "identity" },
  };
  try {
    let target = parseTarget(url, options.allowHttp);
    for (let redirects = 0; ; redirects++) {
      const { response, address } = await open(target, fetch, redirects === 0 ? "address_refused" : "redirect_refused");
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        response.destroy();
        if (redirects >= maxRedirects) throw new GuardedFetchError("too_many_redirects", `${url} redirects more than ${maxRedirects} times.`);
        target = redirectTarget(target, location, options.allowHttp);
        continue;
      }
      const body = await readJson(response, target, maxBytes, fetch);
      const durationMs = Math.round(performance.now() - started);
      return { status, url: target.href, address, body: body.value, bytes: body.bytes, cacheControl: parseCacheControl(response.headers["cache-control"]), durationMs };
    }
  } finally {
    clearTimeout(timer);
  }
}

export type PostOptions = {
  allowHttp: boolean;
  contentType: string;
  timeoutMs?: number;
  allow?: AllowList;
  userAgent?: string;
};

export type GuardedPost = { status: number; address: string; durationMs: number };

/**
 * POSTs a body (a webhook delivery) under the same guard as fetchJson: every resolved address checked,
 * the checked address connected to, one deadline. Redirects are not followed: a receiver that moved
 * answers 3xx, which is a failure the sender reports (re-posting to a Location would let a receiver
 * steer the body elsewhere). A status outside 2xx is a GuardedFetchError "http_status" with the status;
 * the response body is drained up to a few kilobytes and never read.
 */
export async function postGuarded(url: string, body: string | Buffer, options: PostOptions): Promise<GuardedPost> {
  const started = performance.now();
  const { timeoutMs = 10_000 } = options;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const fetch: Fetch = {
    allow: options.allow ?? fetchAllowList(),
    allowHttp: options.allowHttp,
    signal: controller.signal,
    timeoutMs,
    method: "POST",
    body: Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"),
    headers: { "content-type": options.contentType, accept: "*/*", "user-agent": options.userAgent ?? "Keyshift", "accept-encoding": "identity" },
  };
  try {
    const target = parseTarget(url, options.allowHttp);
    const { response, address } = await open(target, fetch, "address_refused");
    const status = response.statusCode ?? 0;
    await drain(response, 8 * 1024);
    if (status < 200 || status > 299) {
      const moved = REDIRECT_STATUSES.has(status) ? " (redirects are not followed)" : "";
      throw new GuardedFetchError("http_status", `${target.host} answered ${status}${moved}.`, status);
    }
    return { status, address, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    throw error instanceof GuardedFetchError ? error : new GuardedFetchError("connection_failed", `Could not deliver to ${url} (${(error as Error).message}).`);
  } finally {
    clearTimeout(timer);
  }
}

// Reads and drops at most `maxBytes` of a response so the socket closes cleanly; a larger body is cut.
async function drain(response: http.IncomingMessage, maxBytes: number): Promise<void> {
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) break;
    }
  } catch {
    // the status is what counts; a body cut short changes nothing
  }
}

function parseTarget(raw: string, allowHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GuardedFetchError("invalid_url", "The URL is not valid.");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowHttp)) {
    throw new GuardedFetchError("scheme_not_allowed", allowHttp ? `Only http and https URLs are fetched, not ${url.protocol}` : `Only https URLs are fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new GuardedFetchError("invalid_url", "URLs with credentials are not fetched.");
  return url;
}

// A Location is resolved against the URL that sent it and must pass the same rules as the first URL
// (so https -> http is refused unless http is allowed); its address is checked when it is opened.
export function redirectTarget(from: URL, location: string, allowHttp: boolean): URL {
  try {
    return parseTarget(new URL(location, from).href, allowHttp);
  } catch (error) {
    const reason = error instanceof GuardedFetchError ? error.message : "The Location is not a valid URL.";
    throw new GuardedFetchError("redirect_refused", `${from.host} redirects to a refused URL: ${reason}`);
  }
}

function open(url: URL, fetch: Fetch, refusal: "address_refused" | "redirect_refused"): Promise<Opened> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const subject = refusal === "redirect_refused" ? `The redirect target ${host}` : host;
  // an IP literal is never looked up, so it is checked here; node:net calls lookup only for names
  if (isIP(host)) {
    const verdict = checkAddress(host, fetch.allow);
    if (!verdict.allowed) throw new GuardedFetchError(refusal, `${subject} is ${verdict.reason}.`);
  }
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      {
        host, // the name, so TLS sends it as SNI and checks the certificate against it
        port: url.port || undefined,
        path: url.pathname + url.search,
        method: fetch.method ?? "GET",
        headers: fetch.body ? { ...fetch.headers, "content-length": fetch.body.length } : fetch.headers,
        agent: false, // a pooled socket would skip the lookup, and so the check
        lookup: checkedLookup(fetch.allow, refusal, subject),
        signal: fetch.signal,
      },
      (response) => resolve({ response, address: response.socket.remoteAddress ?? host }),
    );
    request.on("error", (error) => reject(failure(error, url, fetch)));
    request.end(fetch.body);
  });
}

// Refuses the whole host if any address is refused (a rebinding or mixed answer must not win by
// ordering), then hands node:net the very addresses checked. Node 20 asks for all of them when it
// tries both families (autoSelectFamily), for one otherwise.
function checkedLookup(allow: AllowList, refusal: FetchFailure, subject: string): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
      if (error || addresses.length === 0) {
        return callback(new GuardedFetchError("dns_failed", `${hostname} could not be resolved (${error?.code ?? "no addresses"}).`), "", 0);
      }
      for (const { address } of addresses) {
        const verdict = checkAddress(address, allow);
        if (!verdict.allowed) return callback(new GuardedFetchError(refusal, `${subject} resolves to ${address}, ${verdict.reason}.`), "", 0);
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

async function readJson(response: http.IncomingMessage, url: URL, maxBytes: number, fetch: Fetch): Promise<{ value: unknown; bytes: number }> {
  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    response.destroy();
    throw new GuardedFetchError("http_status", `${url.host} answered ${status}.`, status);
  }
  const mediaType = (response.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    response.destroy();
    throw new GuardedFetchError("not_json", `${url.host} answered with ${mediaType || "no Content-Type"}, not JSON.`);
  }
  const encoding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding !== "identity") {
    response.destroy();
    throw new GuardedFetchError("not_json", `${url.host} answered with Content-Encoding ${encoding}, which is not read.`);
  }
  const body = await readBounded(response, url, maxBytes, fetch);
  try {
    return { value: JSON.parse(body.toString("utf8")), bytes: body.length };
  } catch {
    throw new GuardedFetchError("not_json", `${url.host} answered with a body that is not valid JSON.`);
  }
}

async function readBounded(response: http.IncomingMessage, url: URL, maxBytes: number, fetch: Fetch): Promise<Buffer> {
  const tooLarge = () => new GuardedFetchError("too_large", `${url.host} answered with more than ${maxBytes} bytes.`);
  if (Number(response.headers["content-length"] ?? 0) > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      // leaving the loop destroys the response and its socket: nothing more is read
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    throw failure(error, url, fetch);
  }
  return Buffer.concat(chunks);
}

function failure(error: unknown, url: URL, fetch: Fetch): GuardedFetchError {
  if (error instanceof GuardedFetchError) return error;
  if (fetch.signal.aborted) return new GuardedFetchError("timeout", `${url.host} did not answer within ${fetch.timeoutMs} ms.`);
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  if (/CERT|TLS|SSL|SIGNATURE/.test(code) || (url.protocol === "https:" && code === "EPROTO")) return new GuardedFetchError("tls_failed", `TLS with ${url.host} failed (${code}).`);
  return new GuardedFetchError("connection_failed", `Could not connect to ${url.host} (${code}).`);
}

// RFC 9111 5.2.2. s-maxage is for shared caches (5.2.2.10) and this one is private, so it is ignored.
// Repeated or unreadable max-age values make the response stale (4.2.1); an odd header never throws.
export function parseCacheControl(header: string | string[] | undefined): CacheControl {
  const result: CacheControl = { maxAge: null, noStore: false, noCache: false };
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  for (const directive of value.split(",")) {
    const [name, ...rest] = directive.split("=");
    const argument = rest.join("=").trim().replace(/^"(.*)"$/, "$1");
    switch (name.trim().toLowerCase()) {
      case "no-store":
        result.noStore = true;
        break;
      case "no-cache":
        result.noCache = true;
        break;
      case "max-age": {
        // delta-seconds above 2^31 are read as 2^31 (1.2.2)
        const seconds = /^\d+$/.test(argument) ? Math.min(Number(argument), 2 ** 31) : 0;
        result.maxAge = result.maxAge === null || result.maxAge === seconds ? seconds : 0;
        break;
      }
    }
  }
  return result;
}
