// Who is acting. Every domain function takes one explicitly; a user actor is always loaded from the
// database for the request at hand, so a role change or a disable takes effect at once.
import type { Role } from "./roles";

export type UserActor = {
  type: "user";
  id: string;
  email: string;
  name: string;
  role: Role;
  teamIds: readonly string[];
  /** network address of the request, when there is one (audit) */
  address?: string;
  /** set when the request came with an API token instead of a console session (audit) */
  via?: { type: "api_token"; id: string; name: string };
};

export type SystemActor = { type: "system"; name: string };

export type Actor = UserActor | SystemActor;

export const SYSTEM: SystemActor = { type: "system", name: "keyshift" };

export function actorLabel(actor: Actor): string {
  return actor.type === "user" ? actor.email : `system:${actor.name}`;
}
