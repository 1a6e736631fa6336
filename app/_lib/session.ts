// Session → actor for pages, server actions and route handlers. The role always comes from the
// database (loadUserActor), never from the session token.
import { getServerSession } from "next-auth";
import { forbidden, notFound, redirect } from "next/navigation";
import { headers } from "next/headers";
import type { UserActor } from "@/lib/auth/actor";
import { loadUserActor } from "@/lib/auth/guard";
import { addressFrom, authOptions } from "@/lib/auth/options";
import { roleGrants, type Permission } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";

export async function currentActor(): Promise<UserActor | null> {
  const session = (await getServerSession(authOptions())) as { uid?: string } | null;
  if (!session?.uid) return null;
  return loadUserActor(session.uid, addressFrom(await headers()));
}

/**
 * For pages: signs the visitor in first, and answers 403 when the role lacks the permission at all.
 * Team-scoped checks (which client an operator may change) happen in the domain command itself.
 */
export async function requirePageActor(permission?: Permission): Promise<UserActor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  if (permission && !roleGrants(actor.role, permission)) forbidden();
  return actor;
}

/** Awaits a domain read and turns its not_found into the 404 page. */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found") notFound();
    throw error;
  }
}
