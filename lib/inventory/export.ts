// Exporting the registry (clients not deleted) as CSV or JSON. The inventory columns come first, in
// the import's order, so an exported file imports again as "no changes"; status and the current
// secret's summary follow for the reader (the import ignores them).
import type { Actor } from "../auth/actor";
import { assertCan } from "../auth/guard";
import { csvLine } from "../audit/query";
import { db } from "../db";
import { INVENTORY_COLUMNS } from "./rows";

export const EXPORT_COLUMNS = [...INVENTORY_COLUMNS, "status", "secret_status", "last_auth_at", "created_at"] as const;
export type ExportFormat = "csv" | "json";
type ExportRecord = Record<(typeof EXPORT_COLUMNS)[number], string | null>;

const PAGE = 1000;

async function* registryRecords(now: Date): AsyncGenerator<ExportRecord> {
  let after = "";
  for (;;) {
    const page = await db().client.findMany({
      where: { status: { in: ["active", "disabled"] }, clientId: { gt: after } },
      orderBy: { clientId: "asc" },
      take: PAGE,
      select: {
        clientId: true, name: true, description: true, environment: true, contactEmail: true, authMethod: true, grantTypes: true, scopes: true,
        status: true, secretCreatedAt: true, secretExpiresAt: true, lastAuthAt: true, createdAt: true, ownerTeam: { select: { name: true } },
      },
    });
    for (const c of page) {
      yield {
        client_id: c.clientId,
        name: c.name,
        description: c.description,
        environment: c.environment,
        team: c.ownerTeam.name,
        contact_email: c.contactEmail,
        auth_method: c.authMethod,
        grant_types: c.grantTypes,
        scopes: c.scopes,
        secret_created_at: c.secretCreatedAt?.toISOString() ?? null,
        secret_expires_at: c.secretExpiresAt?.toISOString() ?? null,
        status: c.status,
        // the current secret (newest unrevoked), as the client list shows it
        secret_status: !c.secretCreatedAt ? "none" : c.secretExpiresAt && c.secretExpiresAt <= now ? "expired" : "valid",
        last_auth_at: c.lastAuthAt?.toISOString() ?? null,
        created_at: c.createdAt.toISOString(),
      };
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1].clientId;
  }
}

/** The registry, streamed in chunks: CSV lines (header first) or a JSON array of snake_case objects. */
export async function* exportClients(actor: Actor, format: ExportFormat, now: Date = new Date()): AsyncGenerator<string> {
  assertCan(actor, "client.read");
  if (format === "csv") {
    yield csvLine([...EXPORT_COLUMNS]);
    for await (const record of registryRecords(now)) yield csvLine(EXPORT_COLUMNS.map((c) => record[c]));
    return;
  }
  let first = true;
  yield "[";
  for await (const record of registryRecords(now)) {
    yield `${first ? "\n" : ",\n"}  ${JSON.stringify(record)}`;
    first = false;
  }
  yield first ? "]\n" : "\n]\n";
}
