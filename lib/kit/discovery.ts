// Finding the token endpoint from the issuer (RFC 8414), and refusing metadata that is not the
// issuer's own or that cannot take a private_key_jwt client.
import { ServerUnusable } from "./usage";

export type Fetch = typeof fetch;
export type ServerMetadata = { issuer: string; token_endpoint: string; token_endpoint_auth_methods_supported?: unknown; token_endpoint_auth_signing_alg_values_supported?: unknown };
export type Discovered = { metadataUrl: string; metadata: ServerMetadata };

export const HTTP_TIMEOUT_MS = 15_000;

/**
 * Where an issuer's metadata may be, in order. RFC 8414 section 3.1: the well-known segment goes
 * between the host and the issuer's path; OpenID Connect Discovery 1.0 section 4 appends its segment
 * to the issuer instead (the same URL for an issuer without a path).
 */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, "");
  return [`${url.origin}/.well-known/oauth-authorization-server${path}`, `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`];
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === "TimeoutError") return `no answer within ${HTTP_TIMEOUT_MS / 1000} s`;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

export async function httpRequest(fetchFn: Fetch, url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  } catch (error) {
    throw new ServerUnusable(`cannot reach ${url}: ${describeNetworkError(error)}`);
  }
}

export async function discover(issuer: string, fetchFn: Fetch = fetch): Promise<Discovered> {
  const tried: string[] = [];
  for (const url of metadataUrls(issuer)) {
    const response = await httpRequest(fetchFn, url, { headers: { accept: "application/json" } });
    const body: unknown = response.ok ? await response.json().catch(() => undefined) : undefined;
    if (body && typeof body === "object" && !Array.isArray(body)) return { metadataUrl: url, metadata: body as ServerMetadata };
    tried.push(`${url} (${response.ok ? "not a JSON object" : `HTTP ${response.status}`})`);
  }
  throw new ServerUnusable(`no authorization server metadata for ${issuer}: tried ${tried.join(", ")}. Check --issuer, or give --token-endpoint`);
}

/** The checks a client must make before trusting discovered metadata; returns the token endpoint. */
export function checkMetadata({ metadataUrl, metadata }: Discovered, issuer: string, alg: string): string {
  // RFC 8414 section 3.3: the issuer in the metadata MUST be identical to the one used to find it,
  // else the metadata must not be used (a mix-up, or a proxy answering for another server)
  if (metadata.issuer !== issuer) {
    throw new ServerUnusable(`the metadata at ${metadataUrl} names the issuer ${JSON.stringify(metadata.issuer)}, not ${JSON.stringify(issuer)}; it must not be used (RFC 8414 section 3.3). Give --issuer exactly as the server's issuer identifier`);
  }
  const endpoint = metadata.token_endpoint;
  if (typeof endpoint !== "string" || !/^https?:\/\//.test(endpoint)) throw new ServerUnusable(`the metadata at ${metadataUrl} has no token_endpoint URL`);
  // RFC 8414 section 2: when omitted, the only method is client_secret_basic
  const methods = Array.isArray(metadata.token_endpoint_auth_methods_supported) ? metadata.token_endpoint_auth_methods_supported : ["client_secret_basic"];
  if (!methods.includes("private_key_jwt")) throw new ServerUnusable(`${issuer} does not support private_key_jwt at its token endpoint (it lists ${methods.join(", ")})`);
  const algs = metadata.token_endpoint_auth_signing_alg_values_supported;
  if (Array.isArray(algs) && !algs.includes(alg)) throw new ServerUnusable(`${issuer} does not accept assertions signed with ${alg} (it lists ${algs.join(", ")}); use a key for one of those`);
  return endpoint;
}
