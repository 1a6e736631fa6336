// The Keys card's data, shaped on the server: each field named, dates as ISO strings, never a JWK.
import { keyTypeLabel, type ClientKeyView, type JwksFetchView, type JwksUriView } from "@/lib/keys/queries";
import type { JwksUriData } from "./jwks-uri-panel";
import type { KeyRow } from "./key-table";

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** What the Keys card shows of a key: its description and dates, never the JWK itself. */
export function keyRow(k: ClientKeyView, now: Date, recentUseMs: number): KeyRow {
  return {
    id: k.id,
    kid: k.kid,
    type: keyTypeLabel(k),
    alg: k.alg,
    thumbprint: k.thumbprint,
    source: k.source,
    status: k.status,
    createdAt: k.createdAt.toISOString(),
    createdBy: k.createdBy,
    notBefore: iso(k.notBefore),
    expiresAt: iso(k.expiresAt),
    retiringUntil: iso(k.retiringUntil),
    retiredAt: iso(k.retiredAt),
    retireReason: k.retireReason,
    certificate: k.certificate && { subject: k.certificate.subject, issuer: k.certificate.issuer, notAfter: k.certificate.notAfter.toISOString() },
    sharedWith: k.sharedWith,
    lastUsedAt: iso(k.lastUsedAt),
    usedRecently: !!k.lastUsedAt && now.getTime() - k.lastUsedAt.getTime() < recentUseMs,
  };
}

export function jwksUriData({ uri, fetches }: { uri: JwksUriView; fetches: JwksFetchView[] }): JwksUriData {
  return {
    uri: { uri: uri.uri, health: uri.health, fetchedAt: iso(uri.fetchedAt), goodAt: iso(uri.goodAt), refreshAt: iso(uri.refreshAt), failures: uri.failures, lastError: uri.lastError },
    fetches: fetches.map((f) => ({
      id: f.id,
      at: f.at.toISOString(),
      trigger: f.trigger,
      outcome: f.outcome,
      httpStatus: f.httpStatus,
      error: f.error,
      keyCount: f.keyCount,
      added: f.added,
      removed: f.removed,
      ignored: f.ignored.map((i) => ({ kid: i.kid, reason: i.reason })),
    })),
  };
}
