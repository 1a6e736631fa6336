// Health detectors: jwks_uris degraded or failing, dual windows overdue, campaign deadlines approaching.
import { db } from "../../db";
import { jwksHealthWhere } from "../../keys/conditions";
import { daysLeft, plural, thresholdFor } from "../events";
import { clientEvent, clientSelect, horizon, iso, none, paged, type Detector, type Page } from "./common";

/**
 * jwks_uri clients degraded (fetches fail, the last good key set still serves) or failing (it no
 * longer does). An episode is named by the last good fetch: it stays the same while the uri fails.
 */
const unhealthyJwks =
  (health: "degraded" | "failing"): Detector =>
  (now, settings) => {
    const hours = settings["jwks.maxStalenessHours"];
    const read = (page: Page) =>
      db().client.findMany({
        where: { AND: [{ status: "active" }, jwksHealthWhere(health, now, hours)] },
        select: { ...clientSelect, jwksUri: true, jwksGoodAt: true, jwksFailures: true, jwksLastError: true },
        orderBy: { id: "asc" },
        ...page,
      });
    return paged(read, (clients) =>
      clients.map((c) =>
        clientEvent(c, {
          type: `jwks.${health}`,
          dedupeKey: `jwks.${health}:${c.id}:${c.jwksGoodAt ? iso(c.jwksGoodAt) : "never"}`,
          summary:
            health === "degraded"
              ? `The jwks_uri of ${c.clientId} fails (${plural(c.jwksFailures, "failure")} in a row); its last good key set still serves until it is ${hours} hours old.`
              : `The jwks_uri of ${c.clientId} fails and its last good key set is too old: private_key_jwt authentication of this client fails now.`,
          details: { jwks_uri: c.jwksUri, last_good_fetch: c.jwksGoodAt ? iso(c.jwksGoodAt) : null, failures: c.jwksFailures, last_error: c.jwksLastError },
        }),
      ),
    );
  };
export const degradedJwks = unhealthyJwks("degraded");
export const failingJwks = unhealthyJwks("failing");

/** Dual windows past their end date (never cut off, DESIGN.md): an episode per end date. */
export const overdueDualWindows: Detector = (now) => {
  const read = (page: Page) =>
    db().client.findMany({ where: { status: "active", migrationState: "dual", dualUntil: { lte: now } }, select: { ...clientSelect, dualUntil: true }, orderBy: { id: "asc" }, ...page });
  return paged(read, (clients) =>
    clients.map((c) =>
      clientEvent(c, {
        type: "migration.dual_overdue",
        dedupeKey: `migration.dual_overdue:${c.id}:${iso(c.dualUntil!)}`,
        summary: `The dual window of ${c.clientId} ended on ${iso(c.dualUntil!).slice(0, 10)}: it still accepts its secret. Finalise the migration or extend the window.`,
        details: { dual_until: iso(c.dualUntil!) },
      }),
    ),
  );
};

/** Active campaigns whose deadline falls within a threshold; to the fallback routes and the owner. */
export const campaignDeadlines: Detector = (now, settings) => {
  const thresholds = settings["notify.campaignDeadlineDays"];
  const read = (page: Page) =>
    db().campaign.findMany({
      where: { status: "active", deadline: { gt: now, lte: horizon(now, thresholds) } },
      select: { id: true, name: true, deadline: true, owner: { select: { email: true } } },
      orderBy: [{ deadline: "asc" }, { id: "asc" }],
      ...page,
    });
  return thresholds.length
    ? paged(read, (campaigns) =>
        campaigns.flatMap((c) => {
          const threshold = thresholdFor(c.deadline, now, thresholds);
          if (threshold === null) return [];
          const left = daysLeft(c.deadline, now);
          return [
            {
              type: "campaign.deadline" as const,
              dedupeKey: `campaign.deadline:${c.id}:${threshold}`,
              subject: { type: "campaign" as const, id: c.id },
              teamId: null,
              contacts: [c.owner.email],
              summary: `The campaign ${c.name} ends in ${plural(left, "day")}, on ${iso(c.deadline).slice(0, 10)}.`,
              path: `/campaigns/${c.id}`,
              details: { campaign: c.name, deadline: iso(c.deadline), threshold_days: threshold, days_left: left },
            },
          ];
        }),
      )
    : none();
};
