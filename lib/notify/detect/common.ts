// Shared pieces of the detectors: paging, the client fields an event names, and the event builder.
// Each detector reads its rows a page at a time (keyset pagination in a stable order), so a pass can
// stop once it has recorded enough new events, while every row is still reached: nothing is left beyond
// a fixed limit. Active clients only: a disabled client authenticates nowhere, so its expiries break nothing.
import type { Prisma } from "../../db";
import type { Settings } from "../../settings";
import type { CandidateEvent, ClientRef } from "../events";

export const DAY_MS = 86_400_000;
/** Rows a detector reads per query. */
export const DETECTOR_PAGE = 1_000;

export type Page = { take: number; cursor?: { id: string }; skip?: number };
const pageAfter = (cursor?: string): Page => ({ take: DETECTOR_PAGE, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });

/** Reads page after page through `read` (which must order by a unique key last) and maps each to events. */
export async function* paged<T extends { id: string }>(read: (page: Page) => Promise<T[]>, toEvents: (rows: T[]) => CandidateEvent[]): AsyncGenerator<CandidateEvent[]> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await read(pageAfter(cursor));
    if (rows.length) yield toEvents(rows);
    if (rows.length < DETECTOR_PAGE) return;
    cursor = rows[rows.length - 1].id;
  }
}

/** A detector that finds nothing (its thresholds are switched off). */
export async function* none(): AsyncGenerator<CandidateEvent[]> {}

export type Detector = (now: Date, settings: Settings) => AsyncGenerator<CandidateEvent[]>;

export const clientSelect = { id: true, clientId: true, name: true, environment: true, ownerTeamId: true, contactEmail: true } as const;
export type ClientRow = Prisma.ClientGetPayload<{ select: typeof clientSelect }>;

const ref = (c: ClientRow): ClientRef => ({ id: c.id, clientId: c.clientId, name: c.name, environment: c.environment });

/** An event about a client: to its owner team, and by email to its contact. */
export function clientEvent(c: ClientRow, event: Omit<CandidateEvent, "subject" | "teamId" | "contacts" | "client" | "path"> & { path?: string }): CandidateEvent {
  return { ...event, subject: { type: "client", id: c.id }, teamId: c.ownerTeamId, contacts: [c.contactEmail], client: ref(c), path: event.path ?? `/clients/${c.id}` };
}

export const horizon = (now: Date, thresholds: readonly number[]) => new Date(now.getTime() + Math.max(...thresholds) * DAY_MS);
export const iso = (d: Date) => d.toISOString();

/** A keyset cursor over (a time column, id) for the raw queries that leave out what was already told. */
export type After = { at: Date; id: string } | null;
