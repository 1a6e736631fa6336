// REST operations on a client's public keys: the same domain calls as the client page, so the rules,
// the refusal of private keys and the audit entries cannot differ between the two.
import type { UserActor } from "../auth/actor";
import { clientDbIdByClientId } from "../clients/queries";
import { registerJwks } from "../keys/inline";
import { listClientKeys } from "../keys/queries";
import { clientKeyResource } from "./resources";

export async function apiListKeys(actor: UserActor, clientId: string) {
  const keys = await listClientKeys(actor, await clientDbIdByClientId(clientId));
  return { data: keys.map(clientKeyResource) };
}

/** POST body: a JWKS object. Every key is checked first; either all are added or none. */
export async function apiRegisterKeys(actor: UserActor, clientId: string, jwks: Record<string, unknown>) {
  const id = await clientDbIdByClientId(clientId);
  const added = await registerJwks(actor, id, JSON.stringify(jwks));
  const kids = new Set(added.map((k) => k.kid));
  const keys = await listClientKeys(actor, id);
  return { data: keys.filter((k) => kids.has(k.kid)).map(clientKeyResource), kids_assigned: added.filter((k) => k.kidAssigned).map((k) => k.kid) };
}
