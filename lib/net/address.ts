// The caller's network address as the nearest proxy saw it: the right-most X-Forwarded-For entry.
// Next.js does not overwrite a client-sent header, so deployments put a proxy in front that appends.
export function addressFrom(headers: Record<string, string | string[] | undefined> | Headers | undefined, fallback = "unknown"): string {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers?.["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  const parts = value.split(",").map((p) => p.trim()).filter(Boolean);
  return parts[parts.length - 1] ?? fallback;
}
