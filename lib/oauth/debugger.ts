// The assertion debugger: a pasted client assertion judged exactly as the token endpoint would judge it
// (lib/oauth/client-auth.ts authenticateClient), with every rule's verdict instead of the first failure.
// It reuses checkAssertion for the assertion rules and mirrors only the endpoint's few client-level
// checks; tests/integration/debugger.test.ts holds the two to the same reason, case by case.
//
// It changes nothing: the jti is only looked up, never reserved; a jwks_uri is never fetched (the stored
// copy is used and the verdict says so); no authentication event is recorded.
//
// Nothing pasted is stored or logged, and there is deliberately no audit entry: reading is not a change,
// and any record of the request would hold the assertion or its claims, a credential that works at the
// token endpoint until its exp.
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { spaceSeparated } from "../clients/schema";
import { issuer } from "../config";
import { db } from "../db";
import { invalid } from "../errors";
import { jwksHealth } from "../keys/jwks-uri";
import { zodFields } from "../validation";
import { checkAssertion, peekAssertion, type AssertionContext, type Verdict } from "./assertion";
import { assertionKeys } from "./client-auth";
import { endpointPolicy, tokenEndpointUrl, type EndpointPolicy } from "./policy";
import type { FailureReason } from "./reasons";

/** Far above any real assertion (a few hundred bytes; an x5c header a few KiB), far below a form bomb. */
export const MAX_ASSERTION_BYTES = 16 * 1024;

export const DebugInputSchema = z.object({
  assertion: z
    .string()
    .trim()
    .min(1, "Paste a client assertion.")
    .refine((v) => Buffer.byteLength(v, "utf8") <= MAX_ASSERTION_BYTES, `The assertion is longer than ${MAX_ASSERTION_BYTES / 1024} KiB; a client assertion is a few hundred bytes.`),
  clientId: z
    .string()
    .trim()
    .max(255, "A client_id has at most 255 characters.")
    .optional()
    .transform((v) => v || undefined),
});
export type DebugInput = z.input<typeof DebugInputSchema>;

export type AssertionDebug = {
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  client: { id: string; clientId: string; name: string } | null;
  verdicts: Verdict[];
  /** the token endpoint's answer: its first failing rule, in its own order */
  outcome: { ok: boolean; reason?: FailureReason };
  /** what the rules were judged against, so the page can state them */
  expected: { issuer: string; tokenEndpoint: string; maxLifetimeSeconds: number; clockSkewSeconds: number };
  checkedAt: string;
};

const clientSelect = {
  id: true,
  clientId: true,
  name: true,
  status: true,
  acceptedMethods: true,
  audienceCompat: true,
  keySource: true,
  jwksUri: true,
  jwksGoodAt: true,
  jwksFailures: true,
} as const;

type ClientRow = NonNullable<Awaited<ReturnType<typeof findClient>>>;

function findClient(clientId: string) {
  return db().client.findUnique({ where: { clientId }, select: clientSelect });
}

const pass = (rule: string, message: string): Verdict => ({ rule, ok: true, message });
const fail = (rule: string, reason: FailureReason, message: string): Verdict => ({ rule, ok: false, reason, message });

/** authenticateClient's checks before the assertion: the client exists, is active, accepts private_key_jwt. */
function clientVerdicts(claimed: string, picked: boolean, row: ClientRow | null): Verdict[] {
  if (!row || row.status === "deleted") {
    const fix = picked ? "Check the client_id you picked." : "sub (and iss) must be the client_id exactly as registered.";
    return [fail("client", "client_unknown", `No client has client_id ${JSON.stringify(claimed)}. ${fix}`)];
  }
  const methods = spaceSeparated(row.acceptedMethods);
  return [
    pass("client", `Client ${JSON.stringify(row.clientId)} (${row.name}).`),
    row.status === "active" ? pass("client_status", "The client is active.") : fail("client_status", "client_disabled", "The client is disabled. Enable it on its page before it can authenticate."),
    methods.includes("private_key_jwt")
      ? pass("method", "The client accepts private_key_jwt.")
      : fail("method", "method_not_accepted", `The client accepts ${methods.join(", ") || "no method"}, not private_key_jwt. Register its public keys and move it to private_key_jwt on its page.`),
  ];
}

/**
 * For a jwks_uri client, the endpoint's verdict on the stored copy. The endpoint would fetch the uri
 * again for a kid the copy lacks; the debugger never fetches, so it says when that could change things.
 */
function keySourceVerdict(row: ClientRow, kid: unknown, keyKids: string[], policy: EndpointPolicy, now: Date): Verdict | null {
  if (row.keySource !== "jwks_uri") return null;
  const uri = row.jwksUri ?? "its jwks_uri";
  const refetch =
    typeof kid === "string" && !keyKids.includes(kid)
      ? ` The kid \`${kid}\` is not in the stored copy: the token endpoint would first fetch ${uri} again and use the key if the document lists it now; this page fetches nothing.`
      : "";
  if (!row.jwksGoodAt) return fail("key_source", "jwks_uri_unavailable", `The client's keys come from ${uri}, which has never been fetched successfully. Fix the uri or its server, then refresh it on the client's page.${refetch}`);
  const health = jwksHealth(row, now, policy.jwksMaxStalenessHours);
  const copy = `the stored copy from ${row.jwksGoodAt.toISOString()}`;
  if (health === "failing") {
    return fail("key_source", "jwks_uri_stale", `${uri} has been failing and ${copy} is older than the maximum staleness (${policy.jwksMaxStalenessHours} h), so it is no longer trusted. Fix the uri or its server, then refresh it on the client's page.${refetch}`);
  }
  const degraded = health === "degraded" ? " The last fetches failed; the copy still serves until it is older than the maximum staleness." : "";
  return pass("key_source", `The client's keys come from ${uri}; checked against ${copy}, which may be stale (nothing was fetched).${degraded}${refetch}`);
}

/** Reads, never writes, the replay store: the endpoint refuses a jti this client already used. */
async function replayVerdict(row: ClientRow, jti: string): Promise<Verdict> {
  const used = await db().usedAssertion.findUnique({ where: { clientId_jti: { clientId: row.id, jti } }, select: { jti: true } });
  return used
    ? fail("replay", "jti_replayed", `jti ${JSON.stringify(jti)} was already used by this client: the token endpoint would refuse it as replayed. Sign a new assertion with a fresh jti for every request.`)
    : pass("replay", "This jti has not been used by this client yet (debugging it does not use it up).");
}

export async function debugAssertion(actor: Actor, input: DebugInput, now: Date = new Date()): Promise<AssertionDebug> {
  assertCan(actor, "client.read");
  const parsed = DebugInputSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? "Check the form.", zodFields(parsed.error));
  const { assertion, clientId: picked } = parsed.data;

  const policy = await endpointPolicy(now.getTime());
  const expected = { issuer: issuer(), tokenEndpoint: tokenEndpointUrl(), maxLifetimeSeconds: policy.maxLifetimeSeconds, clockSkewSeconds: policy.clockSkewSeconds };
  const base = { expected, checkedAt: now.toISOString() };
  const context = (row: ClientRow | null, clientId: string, keys: AssertionContext["keys"]): AssertionContext => ({
    clientId: row?.clientId ?? clientId,
    issuer: expected.issuer,
    tokenEndpoint: expected.tokenEndpoint,
    audienceCompat: row?.audienceCompat ?? false,
    keys,
    policy,
    now,
  });

  // the endpoint refuses an encrypted or undecodable assertion before it looks for the client;
  // checkAssertion stops at its format rule then, without reading the (empty) context further
  const peeked = peekAssertion(assertion);
  if (!peeked) {
    const checked = await checkAssertion(assertion, context(null, picked ?? "", []), { stopAtFirstFailure: true });
    return { ...base, header: null, claims: null, client: null, verdicts: checked.verdicts, outcome: { ok: false, reason: checked.reason } };
  }

  // which client: the picked one (the body's client_id), else the assertion's sub, as at the endpoint
  const { sub, iss } = peeked.claims;
  const claimed = picked ?? (typeof sub === "string" ? sub : "");
  const ordered: Verdict[] = [];
  if (!claimed) {
    ordered.push(fail("client", "sub_mismatch", "No client was picked and the assertion has no sub, so the token endpoint cannot tell which client this is. Set sub and iss to the client_id."));
  }
  // without a sub, iss still tells the debugger which client was meant, for the rules below
  const lookup = claimed || (typeof iss === "string" ? iss : "");
  const row = lookup ? await findClient(lookup) : null;
  const found = row && row.status !== "deleted" ? row : null;
  if (lookup) ordered.push(...clientVerdicts(lookup, !!picked, row));

  const keys = found ? await assertionKeys(found.id) : [];
  const source = found && keySourceVerdict(found, peeked.header.kid, keys.map((k) => k.kid), policy, now);
  if (source) ordered.push(source);

  const checked = await checkAssertion(assertion, context(found, lookup, keys), { stopAtFirstFailure: false, decoded: peeked });
  // without a client there are no keys to judge: a "no keys" verdict would only mislead
  ordered.push(...checked.verdicts.filter((v) => found || v.rule !== "key"));
  if (found && checked.jti) ordered.push(await replayVerdict(found, checked.jti));

  const first = ordered.find((v) => !v.ok);
  const format = ordered.filter((v) => v.rule === "format");
  return {
    ...base,
    header: peeked.header,
    claims: peeked.claims,
    client: found && { id: found.id, clientId: found.clientId, name: found.name },
    // shown with the format first; the outcome keeps the endpoint's order
    verdicts: [...format, ...ordered.filter((v) => v.rule !== "format")],
    outcome: first ? { ok: false, reason: first.reason } : { ok: true },
  };
}
