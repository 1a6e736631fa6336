"use server";
// Server actions of the notifications page: each resolves the actor from the session (runAction) and
// calls one domain function, which checks the permission for the route's team itself.
import { revalidatePath } from "next/cache";
import type { AttemptResult } from "@/lib/notify/deliver";
import { createRoute, removeRoute, resendDelivery, sendTestNotification, setRouteDisabled } from "@/lib/notify/routes";
import { formObject, runAction, type ActionResult } from "../../_lib/actions";

const PAGE = "/notifications";

function outcomeMessage(result: AttemptResult, what: string): string {
  if (result.status === "skipped") return `${what}: another server is sending it right now; see the delivery log.`;
  if (result.status === "delivered") return `${what} delivered${result.lastStatus ? ` (${result.lastStatus})` : ""}.`;
  const why = result.lastError ?? "no answer";
  return result.status === "pending" ? `${what} failed: ${why} It will be tried again; see the delivery log.` : `${what} failed: ${why}`;
}

async function refreshed<T>(result: Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  const done = await result;
  if (done.ok) revalidatePath(PAGE);
  return done;
}

export async function createRouteAction(_prev: unknown, formData: FormData): Promise<ActionResult> {
  return refreshed(runAction((actor) => createRoute(actor, formObject(formData)), "Route added."));
}

export async function removeRouteAction(routeId: string): Promise<ActionResult> {
  return refreshed(runAction((actor) => removeRoute(actor, routeId), "Route removed; its delivery log stays."));
}

export async function setRouteDisabledAction(routeId: string, disabled: boolean): Promise<ActionResult> {
  return refreshed(runAction((actor) => setRouteDisabled(actor, routeId, disabled), disabled ? "Route disabled." : "Route enabled."));
}

export async function sendTestAction(routeId: string): Promise<ActionResult> {
  return refreshed(runAction((actor) => sendTestNotification(actor, routeId), (result) => outcomeMessage(result, "Test notification")));
}

export async function resendAction(deliveryId: string): Promise<ActionResult> {
  return refreshed(runAction((actor) => resendDelivery(actor, deliveryId), (result) => outcomeMessage(result, "Resend")));
}
