// Reading a client's authentication activity for its page: the latest attempts with the precise reason
// each failure was recorded with (what the endpoint's 401 hides from the caller), and per-method counts
// over a window. Every read goes through the (clientDbId, at) and (clientId, at) indexes.
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { db, type Prisma } from "../db";
import { notFound } from "../errors";
import { DAY_MS } from "../secrets/status";
import { FAILURE_REASONS, type FailureReason } from "./reasons";

export const ACTIVITY_WINDOW_DAYS = 30;
export const RECENT_ATTEMPTS = 50;
/** The order methods are listed in: the target first, then the secrets it replaces, then "not told". */
const METHOD_ORDER = ["private_key_jwt", "client_secret_basic", "client_secret_post", null] as const;

export type AuthAttempt = {
  id: number;
  at: Date;
  endpoint: string;
  method: string | null;
  outcome: "success" | "failure";
  reason: string | null;
  /** the reason in plain words; null for a success */
  reasonText: string | null;
  kid: string | null;
  secretHint: string | null;
  audienceForm: string | null;
  address: string;
};

export type MethodCounts = { method: string | null; successes: number; failures: number };

export type AuthActivity = {
  since: Date;
  recent: AuthAttempt[];
  /** one row per method seen in the window, in METHOD_ORDER; method null: the request named no single method */
  methods: MethodCounts[];
  /** assertions whose aud was the token endpoint URL (the legacy form) in the window; null when none */
  legacyAudience: { succeeded: number; failed: number; lastAt: Date } | null;
};

export const reasonText = (reason: string | null): string | null =>
  reason === null ? null : (FAILURE_REASONS[reason as FailureReason] ?? `Recorded reason: ${reason}`);

/**
 * The client's attempts: those recorded against its row, and those that named its client_id but failed
 * before the client was looked up (a malformed request, a rate-limited one). client_ids are never reused,
 * so the second kind belongs to this client too.
 */
function scopesOf(client: { id: string; clientId: string }): Prisma.AuthEventWhereInput[] {
  return [{ clientDbId: client.id }, { clientDbId: null, clientId: client.clientId }];
}

export async function clientAuthActivity(actor: Actor, clientDbId: string, now: Date = new Date()): Promise<AuthActivity> {
  assertCan(actor, "client.read");
  const client = await db().client.findUnique({ where: { id: clientDbId }, select: { id: true, clientId: true, status: true } });
  if (!client || client.status === "deleted") throw notFound("The client");
  const since = new Date(now.getTime() - ACTIVITY_WINDOW_DAYS * DAY_MS);
  const scopes = scopesOf(client);

  const [recentLists, countLists, legacy] = await Promise.all([
    // each scope reads its newest rows through its own index; the merge keeps the newest overall
    Promise.all(scopes.map((where) => db().authEvent.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], take: RECENT_ATTEMPTS }))),
    Promise.all(
      scopes.map((where) =>
        db().authEvent.groupBy({ by: ["method", "outcome"], where: { ...where, at: { gte: since } }, _count: { _all: true }, orderBy: [{ method: "asc" }, { outcome: "asc" }] }),
      ),
    ),
    // the audience form is known only once the client is, so only its own rows can carry it
    db().authEvent.groupBy({
      by: ["outcome"],
      where: { clientDbId: client.id, at: { gte: since }, audienceForm: "token_endpoint" },
      _count: { _all: true },
      _max: { at: true },
      orderBy: { outcome: "asc" },
    }),
  ]);

  const recent = recentLists
    .flat()
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id)
    .slice(0, RECENT_ATTEMPTS)
    .map((e) => ({
      id: e.id,
      at: e.at,
      endpoint: e.endpoint,
      method: e.method,
      outcome: e.outcome === "success" ? ("success" as const) : ("failure" as const),
      reason: e.reason,
      reasonText: reasonText(e.reason),
      kid: e.kid,
      secretHint: e.secretHint,
      audienceForm: e.audienceForm,
      address: e.address,
    }));

  const byMethod = new Map<string | null, MethodCounts>();
  for (const row of countLists.flat()) {
    const counts = byMethod.get(row.method) ?? { method: row.method, successes: 0, failures: 0 };
    if (row.outcome === "success") counts.successes += row._count._all;
    else counts.failures += row._count._all;
    byMethod.set(row.method, counts);
  }
  const rank = (method: string | null) => {
    const index = (METHOD_ORDER as readonly (string | null)[]).indexOf(method);
    return index < 0 ? METHOD_ORDER.length : index;
  };
  const methods = [...byMethod.values()].sort((a, b) => rank(a.method) - rank(b.method) || String(a.method).localeCompare(String(b.method)));

  let legacyAudience: AuthActivity["legacyAudience"] = null;
  if (legacy.length) {
    const count = (outcome: string) => legacy.find((r) => r.outcome === outcome)?._count._all ?? 0;
    const lastAt = new Date(Math.max(...legacy.map((r) => r._max.at?.getTime() ?? 0)));
    legacyAudience = { succeeded: count("success"), failed: count("failure"), lastAt };
  }

  return { since, recent, methods, legacyAudience };
}
