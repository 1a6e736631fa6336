// Expiry detectors: secrets, keys and certificates crossing a notice threshold, and break-glass secrets.
import { db, Prisma } from "../../db";
import { breakGlassAliveWhere } from "../../keys/conditions";
import { daysLeft, plural, thresholdFor, type CandidateEvent } from "../events";
import { clientEvent, clientSelect, DAY_MS, DETECTOR_PAGE, horizon, iso, none, paged, type After, type ClientRow, type Detector, type Page } from "./common";

/**
 * A client's current secret (not rotating out, not break-glass) expiring within a threshold. A third of
 * all clients may sit inside a 30-day window at any time (90-day secrets), so each threshold's window is
 * read leaving out in the query the secrets already told about at that threshold (their dedupe key).
 */
export const expiringSecrets: Detector = (now, settings) => {
  const thresholds = settings["notify.secretExpiryDays"];
  return (async function* () {
    for (const [days, window] of thresholdWindows(now, thresholds)) {
      let after: After = null;
      for (;;) {
        const found = await unnotifiedExpiringSecrets(days, window, after);
        if (!found.length) break;
        const wanted = new Set(found.map((f) => f.secretId));
        for (let i = 0; i < found.length; i += 500) {
          // in chunks: SQLite binds at most 999 values in a statement
          const clients = await db().client.findMany({
            where: { id: { in: [...new Set(found.slice(i, i + 500).map((f) => f.clientId))] } },
            select: { ...clientSelect, secrets: { where: { revokedAt: null, rotatedAt: null, breakGlass: false, expiresAt: { gt: window.gt, lte: window.lte } }, select: { id: true, hint: true, expiresAt: true } } },
          });
          yield clients.flatMap((c) => c.secrets.filter((sec) => wanted.has(sec.id)).flatMap((sec) => secretExpiring(c, sec, now, thresholds)));
        }
        if (found.length < DETECTOR_PAGE) break;
        const last = found[found.length - 1];
        after = { at: new Date(last.expiresAt), id: last.secretId };
      }
    }
  })();
};

/** Each threshold with the window it covers: 30, 7, 1 → (7 d, 30 d], (1 d, 7 d], (now, 1 d] (see thresholdFor). */
export function thresholdWindows(now: Date, thresholds: readonly number[]): [number, { gt: Date; lte: Date }][] {
  const sorted = [...thresholds].sort((a, b) => a - b);
  return sorted.map((days, i) => [days, { gt: new Date(now.getTime() + (i === 0 ? 0 : sorted[i - 1]) * DAY_MS), lte: new Date(now.getTime() + days * DAY_MS) }]);
}

async function unnotifiedExpiringSecrets(days: number, window: { gt: Date; lte: Date }, after: After) {
  const cursor = after ? Prisma.sql`AND (s."expiresAt" > ${after.at} OR (s."expiresAt" = ${after.at} AND s."id" > ${after.id}))` : Prisma.empty;
  return db().$queryRaw<{ secretId: string; clientId: string; expiresAt: Date }[]>(Prisma.sql`
    SELECT s."id" AS "secretId", c."id" AS "clientId", s."expiresAt" AS "expiresAt"
    FROM "Client" c JOIN "ClientSecret" s ON s."clientId" = c."id"
    WHERE c."status" = 'active' AND c."secretExpiresAt" > ${window.gt} AND c."secretExpiresAt" <= ${window.lte}
      AND s."revokedAt" IS NULL AND s."rotatedAt" IS NULL AND NOT s."breakGlass"
      AND s."expiresAt" > ${window.gt} AND s."expiresAt" <= ${window.lte} ${cursor}
      AND NOT EXISTS (SELECT 1 FROM "Notification" n WHERE n."dedupeKey" = 'secret.expiring:' || s."id" || ':' || ${String(days)})
    ORDER BY s."expiresAt", s."id"
    LIMIT ${DETECTOR_PAGE}`);
}

function secretExpiring(c: ClientRow, s: { id: string; hint: string; expiresAt: Date | null }, now: Date, thresholds: readonly number[]): CandidateEvent[] {
  const threshold = thresholdFor(s.expiresAt!, now, thresholds);
  if (threshold === null) return [];
  const left = daysLeft(s.expiresAt!, now);
  return [
    clientEvent(c, {
      type: "secret.expiring",
      dedupeKey: `secret.expiring:${s.id}:${threshold}`,
      summary: `The secret ${s.hint}… of ${c.clientId} (${c.environment}) expires in ${plural(left, "day")}, on ${iso(s.expiresAt!).slice(0, 10)}. Rotate it or migrate the client to private_key_jwt.`,
      details: { secret_id: s.id, secret_hint: s.hint, expires_at: iso(s.expiresAt!), threshold_days: threshold, days_left: left },
    }),
  ];
}


/** Keys and certificates (keys that came with one) expiring within a threshold; retired keys left out. */
export const expiringKeys: Detector = (now, settings) => {
  const thresholds = settings["notify.keyExpiryDays"];
  const read = (page: Page) =>
    db().clientKey.findMany({
      where: { status: { not: "retired" }, expiresAt: { gt: now, lte: horizon(now, thresholds) }, client: { status: "active" } },
      select: { id: true, kid: true, expiresAt: true, certificate: true, client: { select: clientSelect } },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      ...page,
    });
  return thresholds.length
    ? paged(read, (keys) =>
        keys.flatMap((k) => {
          const threshold = thresholdFor(k.expiresAt!, now, thresholds);
          if (threshold === null) return [];
          const certificate = k.certificate !== null;
          const left = daysLeft(k.expiresAt!, now);
          const what = certificate ? "certificate" : "key";
          return [
            clientEvent(k.client, {
              type: certificate ? "certificate.expiring" : "key.expiring",
              dedupeKey: `${what}.expiring:${k.id}:${threshold}`,
              summary: `The ${what} ${k.kid} of ${k.client.clientId} (${k.client.environment}) expires in ${plural(left, "day")}, on ${iso(k.expiresAt!).slice(0, 10)}. Register its successor.`,
              details: { key_id: k.id, kid: k.kid, expires_at: iso(k.expiresAt!), threshold_days: threshold, days_left: left },
            }),
          ];
        }),
      )
    : none();
};

/** Break-glass secrets still valid: each one is an emergency someone should know about. */
export const breakGlassSecrets: Detector = (now) => {
  const read = (page: Page) =>
    db().clientSecret.findMany({
      where: { AND: [breakGlassAliveWhere(now), { client: { status: "active" } }] },
      select: { id: true, hint: true, createdAt: true, expiresAt: true, client: { select: clientSelect } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      ...page,
    });
  const at = (d: Date) => `${iso(d).slice(0, 16).replace("T", " ")} UTC`;
  return paged(read, (secrets) =>
    secrets.map((s) =>
      clientEvent(s.client, {
        type: "secret.break_glass",
        dedupeKey: `secret.break_glass:${s.id}`,
        summary: `A break-glass secret ${s.hint}… was issued for ${s.client.clientId} on ${at(s.createdAt)}; it is accepted until ${at(s.expiresAt!)}.`,
        details: { secret_id: s.id, secret_hint: s.hint, issued_at: iso(s.createdAt), expires_at: iso(s.expiresAt!) },
      }),
    ),
  );
};
