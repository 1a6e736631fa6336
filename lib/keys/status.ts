// A key's status at a moment. The stored status records what a person (or a jwks_uri refresh) decided;
// dates finish the story without a job having to run: a scheduled key becomes active at its activation
// date, a retiring key is retired once its retiring window ends, any key past its expiry (a
// certificate's notAfter) is expired. The token endpoint, the client page and the API all read this.

export const STORED_KEY_STATUSES = ["scheduled", "active", "retiring", "retired"] as const;
export type StoredKeyStatus = (typeof STORED_KEY_STATUSES)[number];
export type KeyStatus = StoredKeyStatus | "expired";

export type KeyDates = {
  status: string;
  notBefore: Date | null;
  expiresAt: Date | null;
  retiringUntil: Date | null;
};

export function keyStatusAt(key: KeyDates, now: Date): KeyStatus {
  if (key.status === "retired") return "retired";
  if (key.status === "retiring" && key.retiringUntil && key.retiringUntil <= now) return "retired";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  if (key.notBefore && key.notBefore > now) return "scheduled";
  if (key.status === "scheduled") return "active";
  return key.status === "retiring" ? "retiring" : "active";
}

/** Statuses the token endpoint accepts a signature from (DESIGN.md, key selection). */
export function acceptsSignatures(status: KeyStatus): boolean {
  return status === "active" || status === "retiring";
}
