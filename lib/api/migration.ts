// REST steps of a client's migration: the same domain calls as the client page's guided flow.
import { z } from "zod";
import type { UserActor } from "../auth/actor";
import { clientDbIdByClientId } from "../clients/queries";
import { invalid } from "../errors";
import { onlyFields, optionalDate, optionalString } from "./body";
import { getMigration, type MigrationView } from "../migration/state";
import { changeDualWindow, finaliseMigration, issueBreakGlassSecret, openDualWindow, rollBackDualWindow } from "../migration/steps";
import { Migration } from "./resources";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function migrationResource(view: MigrationView): z.infer<typeof Migration> {
  const r = view.readiness;
  return {
    state: view.state,
    from_method: view.from as z.infer<typeof Migration>["from_method"],
    dual_started_at: iso(view.dualStartedAt),
    dual_until: iso(view.dualUntil),
    overdue: view.overdue,
    finalised_at: iso(view.finalisedAt),
    break_glass_until: iso(view.breakGlassUntil),
    readiness: {
      usable_keys: r.usableKeys,
      first_assertion_at: iso(r.firstAssertionAt),
      last_secret_use_at: iso(r.lastSecretUseAt),
      days_without_secret: r.daysWithoutSecret,
      quiet_days: r.quietDays,
      ready_to_finalise: r.readyToFinalise,
      not_ready_because: r.notReadyBecause,
    },
  };
}

export async function apiGetMigration(actor: UserActor, clientId: string) {
  return migrationResource(await getMigration(actor, await clientDbIdByClientId(clientId)));
}

/** POST …/migration/dual: opens the dual window, or moves its end date when it is open. */
export async function apiDualWindow(actor: UserActor, clientId: string, body: Record<string, unknown>) {
  onlyFields(body, ["until"]);
  const id = await clientDbIdByClientId(clientId);
  const until = optionalDate(body, "until");
  const current = await getMigration(actor, id);
  if (current.state === "dual") {
    if (!until) throw invalid("The dual window is open: give its new end date (until).", { until: "Required to move the end date" });
    return migrationResource(await changeDualWindow(actor, id, until));
  }
  return migrationResource(await openDualWindow(actor, id, { until }));
}

export async function apiRollBack(actor: UserActor, clientId: string, body: Record<string, unknown>) {
  onlyFields(body, ["reason"]);
  return migrationResource(await rollBackDualWindow(actor, await clientDbIdByClientId(clientId), optionalString(body, "reason")));
}

export async function apiFinalise(actor: UserActor, clientId: string, body: Record<string, unknown>) {
  onlyFields(body, ["reason"]);
  return migrationResource(await finaliseMigration(actor, await clientDbIdByClientId(clientId), { reason: optionalString(body, "reason") }));
}

export async function apiBreakGlass(actor: UserActor, clientId: string, body: Record<string, unknown>) {
  onlyFields(body, ["reason"]);
  const secret = await issueBreakGlassSecret(actor, await clientDbIdByClientId(clientId), optionalString(body, "reason") ?? "");
  return { id: secret.id, value: secret.secret, hint: secret.hint, expires_at: secret.expiresAt.toISOString(), method: secret.method };
}
