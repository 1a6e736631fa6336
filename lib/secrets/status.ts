// A secret's status at a moment, derived from its timestamps (never stored, so it cannot go stale).
export type SecretStatus = "active" | "rotating" | "expired" | "revoked";

export type SecretTimes = { revokedAt: Date | null; expiresAt: Date | null; rotatedAt: Date | null };

export function secretStatus(secret: SecretTimes, now: Date = new Date()): SecretStatus {
  if (secret.revokedAt) return "revoked";
  if (secret.expiresAt && secret.expiresAt <= now) return "expired";
  if (secret.rotatedAt) return "rotating";
  return "active";
}

/** Valid for authentication: not revoked and not expired (a rotating secret is still valid). */
export function isSecretValid(secret: SecretTimes, now: Date = new Date()): boolean {
  const status = secretStatus(secret, now);
  return status === "active" || status === "rotating";
}

export const DAY_MS = 86_400_000;

export function ageInDays(since: Date, now: Date = new Date()): number {
  return Math.floor((now.getTime() - since.getTime()) / DAY_MS);
}

/** Prisma filter for secrets valid at `now`. */
export function validSecretWhere(now: Date = new Date()) {
  return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}
