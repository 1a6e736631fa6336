// Reading a token or introspection request, independent of the HTTP framework (the Next.js route and
// the token server both hand over headers and the raw body).

export type OAuthRequest = {
  /** lower-cased header names */
  headers: Record<string, string | undefined>;
  body: string;
  /** the caller's address as the nearest proxy saw it */
  address: string;
};

export type ParsedForm = { ok: true; params: Map<string, string> } | { ok: false; description: string };

// a request body is a handful of short parameters plus one assertion; this is generous for both
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * application/x-www-form-urlencoded only. A repeated parameter is refused (RFC 6749 section 3.2), and a
 * parameter sent without a value counts as omitted (section 3.1).
 */
export function parseForm(request: OAuthRequest): ParsedForm {
  const type = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return { ok: false, description: "The request must be application/x-www-form-urlencoded." };
  const params = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(request.body)) {
    if (seen.has(name)) return { ok: false, description: `The parameter ${name} is repeated.` };
    seen.add(name);
    if (value !== "") params.set(name, value);
  }
  return { ok: true, params };
}

/** RFC 6749 appendix B: the client_id and secret inside Basic are form-encoded first. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

export type BasicCredentials = { clientId: string; secret: string };

/** Basic credentials, null when there is no Basic header, "malformed" when it cannot be read. */
export function basicCredentials(authorization: string | undefined): BasicCredentials | null | "malformed" {
  if (!authorization) return null;
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(authorization);
  if (!match) return /^Basic\b/i.test(authorization) ? "malformed" : null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1) return "malformed";
  try {
    const clientId = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    return secret ? { clientId, secret } : "malformed";
  } catch {
    return "malformed";
  }
}
