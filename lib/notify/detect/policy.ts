// Policy detectors, with the conditions of lib/policy clientBreaches (and lib/metrics/secret-age.ts
// secretBreaches): secrets older than the maximum, secrets where private_key_jwt is required, and keys the
// policy no longer accepts.
import { SECRET_METHODS } from "../../clients/schema";
import { db, Prisma } from "../../db";
import { keyShortfall, keysRequired, policyOf } from "../../policy";
import { clientEvent, clientSelect, DAY_MS, DETECTOR_PAGE, iso, none, paged, type After, type ClientRow, type Detector, type Page } from "./common";

const onSecret: Prisma.ClientWhereInput = { status: "active", authMethod: { in: [...SECRET_METHODS] } };

/**
 * Policy breach (lib/policy clientBreaches, lib/metrics/secret-age.ts secretBreaches): a client on a
 * secret whose current valid secret is older than its environment's maximum; an episode per secret.
 */
export const secretsTooOld: Detector = (now, settings) => {
  const policy = policyOf(settings);
  const limited = Object.entries(policy.maxSecretAgeDays).filter(([, days]) => days > 0);
  const toEvents = (max: number) => (clients: (ClientRow & { secretCreatedAt: Date | null })[]) =>
    clients.map((c) => {
      const age = Math.floor((now.getTime() - c.secretCreatedAt!.getTime()) / DAY_MS);
      return clientEvent(c, {
        type: "policy.breach",
        dedupeKey: `policy.breach:${c.id}:secret_too_old:${iso(c.secretCreatedAt!)}`,
        summary: `The secret of ${c.clientId} is ${age} days old; ${c.environment} secrets may be at most ${max} days old. Rotate it.`,
        details: { breach: "secret_too_old", secret_created_at: iso(c.secretCreatedAt!), max_age_days: max },
      });
    });
  return (async function* () {
    for (const [environment, days] of limited) {
      const cutoff = new Date(now.getTime() - days * DAY_MS);
      let after: After = null;
      for (;;) {
        const ids = await unnotifiedTooOld(environment, cutoff, now, after);
        if (!ids.length) break;
        // in chunks: SQLite binds at most 999 values in a statement
        for (let i = 0; i < ids.length; i += 500) {
          const chunk = ids.slice(i, i + 500).map((r) => r.id);
          yield toEvents(days)(await db().client.findMany({ where: { id: { in: chunk } }, select: { ...clientSelect, secretCreatedAt: true }, orderBy: [{ secretCreatedAt: "asc" }, { id: "asc" }] }));
        }
        if (ids.length < DETECTOR_PAGE) break;
        const last = ids[ids.length - 1];
        after = { at: new Date(last.secretCreatedAt), id: last.id };
      }
    }
  })();
};

/**
 * The clients of one environment whose current secret is older than the cutoff and that were not told
 * since that secret was created, a page in (secretCreatedAt, id) order. Many clients may breach the
 * maximum age for a long time; leaving out those already told in the query keeps every pass cheap at
 * 100,000 clients (a read of the new breaches only, not of every breach every time).
 */
async function unnotifiedTooOld(environment: string, cutoff: Date, now: Date, after: After) {
  const cursor = after ? Prisma.sql`AND (c."secretCreatedAt" > ${after.at} OR (c."secretCreatedAt" = ${after.at} AND c."id" > ${after.id}))` : Prisma.empty;
  return db().$queryRaw<{ id: string; secretCreatedAt: Date | string }[]>(Prisma.sql`
    SELECT c."id", c."secretCreatedAt" FROM "Client" c
    WHERE c."status" = 'active' AND c."authMethod" IN (${Prisma.join([...SECRET_METHODS])}) AND c."environment" = ${environment}
      AND c."secretCreatedAt" < ${cutoff} AND (c."secretExpiresAt" IS NULL OR c."secretExpiresAt" > ${now}) ${cursor}
      AND NOT EXISTS (
        SELECT 1 FROM "Notification" n
        WHERE n."subjectType" = 'client' AND n."subjectId" = c."id" AND n."type" = 'policy.breach'
          AND n."createdAt" >= c."secretCreatedAt" AND n."dedupeKey" LIKE 'policy.breach:' || c."id" || ':secret_too_old:%')
    ORDER BY c."secretCreatedAt", c."id"
    LIMIT ${DETECTOR_PAGE}`);
}

/** Policy breach: a client still on a secret where private_key_jwt is required by now; an episode per rule. */
export const secretsAfterRequiredDate: Detector = (now, settings) => {
  const policy = policyOf(settings);
  const required = Object.keys(policy.requiredMethod).filter((e) => keysRequired(policy, e, now));
  const read = (page: Page) => db().client.findMany({ where: { AND: [onSecret, { environment: { in: required } }] }, select: clientSelect, orderBy: { id: "asc" }, ...page });
  return required.length
    ? paged(read, (clients) =>
        clients.map((c) => {
          const from = policy.requiredMethod[c.environment as keyof typeof policy.requiredMethod].from;
          return clientEvent(c, {
            type: "policy.breach",
            dedupeKey: `policy.breach:${c.id}:secret_after_required_date:${from ? iso(from).slice(0, 10) : "always"}`,
            summary: `${c.environment} clients must use private_key_jwt${from ? ` since ${iso(from).slice(0, 10)}` : ""}; ${c.clientId} still uses a secret. Migrate it.`,
            details: { breach: "secret_after_required_date", required_from: from ? iso(from).slice(0, 10) : null },
          });
        }),
      )
    : none();
};

/** Policy breach: keys whose algorithm is no longer allowed, and (only when the policy is above the floor) keys too weak. */
export const keysBreachingPolicy: Detector = (_now, settings) => {
  const policy = policyOf(settings);
  const weakKinds = [...(policy.minRsaBits > 2048 ? ["RSA"] : []), ...(policy.minEcBits > 256 ? ["EC"] : [])];
  const read = (page: Page) =>
    db().clientKey.findMany({
      where: {
        status: { not: "retired" },
        client: { status: "active" },
        OR: [{ AND: [{ alg: { not: null } }, { alg: { notIn: policy.allowedAlgorithms } }] }, ...(weakKinds.length ? [{ kty: { in: weakKinds } }] : [])],
      },
      select: { id: true, kid: true, alg: true, publicJwk: true, client: { select: clientSelect } },
      orderBy: { id: "asc" },
      ...page,
    });
  return paged(read, (keys) =>
    keys.flatMap((k) => {
      const shortfall = keyShortfall({ alg: k.alg, jwk: JSON.parse(k.publicJwk) }, policy);
      if (!shortfall) return [];
      return [
        clientEvent(k.client, {
          type: "policy.breach",
          dedupeKey: `policy.breach:${k.client.id}:${shortfall.code}:${k.id}`,
          summary: `Key ${k.kid} of ${k.client.clientId}: ${shortfall.why}. Rotate it.`,
          details: { breach: shortfall.code, key_id: k.id, kid: k.kid },
        }),
      ];
    }),
  );
};
