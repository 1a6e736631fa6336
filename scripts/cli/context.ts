// What every admin CLI command shares: the actor it acts as and opening the database.
import type { SystemActor } from "../../lib/auth/actor";
import { masterKey } from "../../lib/config";
import { migrateIfNeeded } from "../db";
import { CliFailure } from "./usage";

export const CLI_ACTOR: SystemActor = { type: "system", name: "cli" };

export type Command = (args: string[]) => Promise<number>;

/** Applies pending migrations and checks the master key, so a misconfiguration fails before any change. */
export async function openDatabase(): Promise<void> {
  try {
    await migrateIfNeeded();
  } catch (error) {
    throw new CliFailure(error instanceof Error ? error.message : String(error));
  }
  masterKey();
}
