// Importing an inventory: a dry run (planImport) and the real run (applyImport), which writes every
// created or updated client, its audit entry and a summary entry in one transaction, or nothing.
// Imported clients get no Keyshift secret: their existing secret is recorded as external (Keyshift
// never saw its value) with its creation date, so its age counts on the dashboards until it is
// rotated here.
import type { Actor } from "../auth/actor";
import { appendAudit } from "../audit/log";
import { searchTextOf } from "../clients/commands";
import { db, transaction, type Tx } from "../db";
import { invalid } from "../errors";
import { refreshSecretSummary } from "../secrets/commands";
import { buildPlan, type PlanEntry, type PlannedRow } from "./plan";
import type { InventoryFormat, InventoryRow } from "./rows";

export type { PlanEntry } from "./plan";
export type ImportSource = { format: InventoryFormat; file?: string };
export type ImportTotals = { rows: number; create: number; update: number; skip: number; invalid: number };
export type ImportPlan = { entries: PlanEntry[]; totals: ImportTotals };

const publicEntry = ({ ref, clientId, action, reasons, notes, changed }: PlannedRow): PlanEntry => ({ ref, clientId, action, reasons, notes, ...(changed ? { changed } : {}) });

function totalsOf(entries: readonly PlanEntry[]): ImportTotals {
  const totals: ImportTotals = { rows: entries.length, create: 0, update: 0, skip: 0, invalid: 0 };
  for (const e of entries) totals[e.action]++;
  return totals;
}

/** The dry run: what a real import of these rows would do, row by row, without writing anything. */
export async function planImport(actor: Actor, rows: readonly InventoryRow[], now: Date = new Date()): Promise<ImportPlan> {
  const entries = (await buildPlan(db(), actor, rows, now)).map(publicEntry);
  return { entries, totals: totalsOf(entries) };
}

async function createImported(tx: Tx, actor: Actor, row: PlannedRow, source: ImportSource): Promise<void> {
  const { fields, secret } = row;
  if (!fields || !secret) throw new Error(`planned create without fields (${row.ref})`);
  const client = await tx.client.create({
    data: {
      clientId: fields.clientId,
      name: fields.name,
      description: fields.description,
      environment: fields.environment,
      ownerTeamId: fields.ownerTeamId,
      contactEmail: fields.contactEmail,
      authMethod: fields.authMethod,
      acceptedMethods: fields.authMethod,
      grantTypes: fields.grantTypes,
      scopes: fields.scopes,
      searchText: searchTextOf(fields.clientId, fields.name),
    },
    select: { id: true },
  });
  const external = await tx.clientSecret.create({
    data: { clientId: client.id, hash: null, hint: "external", external: true, createdAt: secret.createdAt, expiresAt: secret.expiresAt, createdById: null },
    select: { id: true },
  });
  await refreshSecretSummary(tx, client.id);
  await appendAudit(tx, actor, {
    action: "client.import_create",
    target: { type: "client", id: fields.clientId, name: fields.name },
    details: {
      source: source.format,
      file: source.file ?? null,
      row: row.ref,
      environment: fields.environment,
      ownerTeam: fields.ownerTeamName,
      authMethod: fields.authMethod,
      grantTypes: fields.grantTypes.split(" "),
      scopes: fields.scopes ? fields.scopes.split(" ") : [],
      externalSecret: { secretId: external.id, createdAt: secret.createdAt, expiresAt: secret.expiresAt },
    },
  });
}

async function updateImported(tx: Tx, actor: Actor, row: PlannedRow, source: ImportSource): Promise<void> {
  const { fields, existingId } = row;
  if (!fields || !existingId) throw new Error(`planned update without fields (${row.ref})`);
  await tx.client.update({
    where: { id: existingId },
    data: {
      name: fields.name,
      description: fields.description,
      environment: fields.environment,
      ownerTeamId: fields.ownerTeamId,
      contactEmail: fields.contactEmail,
      grantTypes: fields.grantTypes,
      scopes: fields.scopes,
      searchText: searchTextOf(fields.clientId, fields.name),
    },
  });
  await appendAudit(tx, actor, {
    action: "client.import_update",
    target: { type: "client", id: fields.clientId, name: fields.name },
    details: { source: source.format, file: source.file ?? null, row: row.ref, changed: row.changed },
  });
}

export type ImportProgress = (done: number, total: number) => void;

/**
 * The real run. The plan is worked out again inside the transaction; if any row is invalid nothing is
 * written. `onProgress` is called after each row written (create or update); an error it throws
 * undoes the whole import, like any other failure.
 */
export async function applyImport(
  actor: Actor,
  rows: readonly InventoryRow[],
  options: { source: ImportSource; onProgress?: ImportProgress; now?: Date },
): Promise<ImportPlan> {
  const now = options.now ?? new Date();
  // about five statements per written row; allow 20 ms each on a slow disk
  const timeoutMs = rows.length * 100;
  return transaction(async (tx) => {
    const planned = await buildPlan(tx, actor, rows, now);
    const entries = planned.map(publicEntry);
    const totals = totalsOf(entries);
    if (totals.invalid) {
      const first = planned.find((p) => p.action === "invalid")!;
      throw invalid(`${totals.invalid} of ${totals.rows} rows cannot be imported, so nothing was imported (first: ${first.ref}${first.clientId ? ` ${first.clientId}` : ""}: ${first.reasons.join("; ")}). Run a dry run for the full list.`);
    }
    const writes = planned.filter((p) => p.action === "create" || p.action === "update");
    let done = 0;
    for (const row of writes) {
      if (row.action === "create") await createImported(tx, actor, row, options.source);
      else await updateImported(tx, actor, row, options.source);
      options.onProgress?.(++done, writes.length);
    }
    await appendAudit(tx, actor, {
      action: "inventory.import",
      target: { type: "inventory", id: options.source.file ?? options.source.format },
      details: { format: options.source.format, file: options.source.file ?? null, rows: totals.rows, created: totals.create, updated: totals.update, skipped: totals.skip },
    });
    return { entries, totals };
  }, { timeoutMs });
}
