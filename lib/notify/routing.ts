// Who hears about an event: the enabled routes of the subject's owner team, or, when that team has none
// it can be reached by, the organisation-wide fallback routes; plus the event's own contacts (a client's
// contact email, a campaign owner) by email. Each target once per event.
import type { Channel } from "./schema";

export type ActiveRoute = { id: string; teamId: string | null; channel: Channel; target: string };
export type Recipient = { channel: Channel; target: string; routeId: string | null };

export type RouteBook = { byTeam: Map<string, ActiveRoute[]>; fallback: ActiveRoute[] };

/** Enabled routes grouped by team; email routes count only when email can be sent (KEYSHIFT_SMTP_URL). */
export function routeBook(routes: readonly ActiveRoute[], emailEnabled: boolean): RouteBook {
  const usable = routes.filter((r) => r.channel === "webhook" || emailEnabled);
  const byTeam = new Map<string, ActiveRoute[]>();
  for (const route of usable) {
    if (route.teamId === null) continue;
    byTeam.set(route.teamId, [...(byTeam.get(route.teamId) ?? []), route]);
  }
  return { byTeam, fallback: usable.filter((r) => r.teamId === null) };
}

export function recipientsFor(event: { teamId: string | null; contacts: readonly string[] }, book: RouteBook, emailEnabled: boolean): Recipient[] {
  const teamRoutes = event.teamId ? (book.byTeam.get(event.teamId) ?? []) : [];
  const routes = teamRoutes.length ? teamRoutes : book.fallback;
  const recipients = new Map<string, Recipient>();
  for (const route of routes) recipients.set(`${route.channel} ${route.target}`, { channel: route.channel, target: route.target, routeId: route.id });
  if (emailEnabled) {
    for (const contact of event.contacts) {
      const target = contact.trim().toLowerCase();
      if (target && !recipients.has(`email ${target}`)) recipients.set(`email ${target}`, { channel: "email", target, routeId: null });
    }
  }
  return [...recipients.values()];
}
