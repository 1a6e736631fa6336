// Authentication events, written in batches so recording never becomes the endpoint's bottleneck. A
// crash loses at most one flush interval of events (the issue allows a few hundred milliseconds); the
// jti reservation and every secret or key state are written before the response, never here. "Last
// used" times ride along with the batch: one update per secret, key and client per flush.
import { hotPath, type Usage } from "../db/hot-path";
import { log } from "../log";
import type { AudienceForm } from "./assertion";
import type { FailureReason } from "./reasons";

export type AuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt";

export type AuthEventInput = {
  at: Date;
  endpoint: "token" | "introspect";
  /** the client's row id when the client exists */
  clientDbId: string | null;
  /** the client_id as presented (may name no client) */
  clientId: string;
  method: AuthMethod | null;
  outcome: "success" | "failure";
  reason: FailureReason | null;
  kid: string | null;
  secretHint: string | null;
  audienceForm: AudienceForm | null;
  address: string;
  /** what a success used, for the "last used" times */
  secretId?: string;
  keyId?: string;
};

export const FLUSH_INTERVAL_MS = 200;
const FLUSH_AT = 500;
const MAX_TEXT = 255;

let pending: AuthEventInput[] = [];
let timer: NodeJS.Timeout | undefined;
let flushing: Promise<void> = Promise.resolve();

export function recordAuthEvent(event: AuthEventInput): void {
  pending.push(event);
  if (pending.length >= FLUSH_AT) void flushAuthEvents();
  else timer ??= setTimeout(() => void flushAuthEvents(), FLUSH_INTERVAL_MS);
}

function latest<K>(map: Map<K, Date>, key: K | undefined | null, at: Date): void {
  if (!key) return;
  const seen = map.get(key);
  if (!seen || seen < at) map.set(key, at);
}

/** Writes what is pending; flushes run one at a time, so "last used" never moves backwards. */
export function flushAuthEvents(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  const batch = pending;
  pending = [];
  flushing = flushing.then(() => (batch.length ? write(batch) : undefined));
  return flushing;
}

// clients whose first assertion is recorded: later batches skip the (no-op) update for them
const knownAssertionClients = new Set<string>();
function rememberAssertionClient(id: string): void {
  if (knownAssertionClients.size >= 100_000) knownAssertionClients.clear();
  knownAssertionClients.add(id);
}

async function write(batch: AuthEventInput[]): Promise<void> {
  const secrets = new Map<string, Date>();
  const keys = new Map<string, Date>();
  const clients = new Map<string, { at: Date; method: AuthMethod }>();
  const firstAssertions = new Map<string, Date>();
  for (const e of batch) {
    if (e.outcome !== "success") continue;
    latest(secrets, e.secretId, e.at);
    latest(keys, e.keyId, e.at);
    if (e.method === "private_key_jwt" && e.clientDbId && !knownAssertionClients.has(e.clientDbId)) {
      const seen = firstAssertions.get(e.clientDbId);
      if (!seen || e.at < seen) firstAssertions.set(e.clientDbId, e.at);
    }
    const seen = e.clientDbId ? clients.get(e.clientDbId) : undefined;
    if (e.clientDbId && e.method && (!seen || seen.at < e.at)) clients.set(e.clientDbId, { at: e.at, method: e.method });
  }
  const usage: Usage = {
    secrets: [...secrets].map(([id, at]) => ({ id, at })),
    keys: [...keys].map(([id, at]) => ({ id, at })),
    // readiness evidence (lib/migration): the first successful assertion, written once per client
    clients: [...clients].map(([id, { at, method }]) => ({ id, at, method, firstAssertionAt: firstAssertions.get(id) ?? null })),
  };
  try {
    await hotPath().recordAuthEvents(
      batch.map((e) => ({
        at: e.at,
        endpoint: e.endpoint,
        clientDbId: e.clientDbId,
        clientId: e.clientId.slice(0, MAX_TEXT),
        method: e.method,
        outcome: e.outcome,
        reason: e.reason,
        kid: e.kid?.slice(0, MAX_TEXT) ?? null,
        secretHint: e.secretHint,
        audienceForm: e.audienceForm,
        address: e.address.slice(0, 64),
      })),
      usage,
    );
    for (const id of firstAssertions.keys()) rememberAssertionClient(id);
  } catch (error) {
    // losing a batch of events is acceptable; taking the endpoint down with it is not
    log.error({ err: error instanceof Error ? error.message : String(error), events: batch.length }, "could not record authentication events");
  }
}
