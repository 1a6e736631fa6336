// The console's real import run (the dry run is a server action): the same form fields, answered as a
// stream of progress events and one final result or error (protocol: events.ts). Checks the caller
// itself: origin, session and role are refused with a JSON error before the body is read.
import { revalidatePath } from "next/cache";
import { after } from "next/server";
import type { UserActor } from "@/lib/auth/actor";
import { roleGrants } from "@/lib/auth/roles";
import { issuer } from "@/lib/config";
import { DomainError, forbidden, invalid, malformed } from "@/lib/errors";
import { readBoundedBody } from "@/lib/net/body";
import { applyImport } from "@/lib/inventory/import";
import { errorResponse } from "../../../../_lib/http";
import { currentActor } from "../../../../_lib/session";
import { importMessage, importResult, MAX_IMPORT_BYTES, readImportUpload } from "../upload";
import { importEventStream } from "./events";

// room for the multipart framing and the few text fields around the file
const MAX_BODY_BYTES = MAX_IMPORT_BYTES + 64 * 1024;

export async function POST(request: Request): Promise<Response> {
  let actor: UserActor;
  let form: FormData;
  try {
    assertSameOrigin(request);
    actor = await importingActor();
    form = await readBoundedForm(request);
  } catch (error) {
    return errorResponse(error);
  }
  const { response, outcome } = importEventStream(async (onProgress) => {
    const { rows, file, format } = await readImportUpload(form);
    const result = importResult(await applyImport(actor, rows, { source: { format, file }, onProgress }), true, file);
    return { type: "result", message: importMessage(result), ...result };
  });
  // after the response: a revalidation asked for while the body streams would come too late to apply
  after(async () => {
    if ((await outcome).type === "result") revalidatePath("/clients");
  });
  return response;
}

/**
 * The session cookie rides along with any cross-site POST, so only the console's own pages may call
 * this. Browsers send Origin with every POST. It must be the public URL (NEXTAUTH_URL), or name the host
 * the request was addressed to, the rule Next.js applies to server actions (request.url is no help:
 * Next.js builds it from the address the server listens on, not from the request).
 */
function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin") ?? "";
  const publicOrigin = new URL(process.env.NEXTAUTH_URL ?? issuer()).origin;
  const sameHost = URL.canParse(origin) && new URL(origin).host === addressedHost(request);
  if (origin !== publicOrigin && !sameHost) throw forbidden("Imports are accepted only from the Keyshift console itself.");
}

/** The host the browser addressed: a reverse proxy passes it on as X-Forwarded-Host. */
function addressedHost(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("host") || new URL(request.url).host;
}

async function importingActor(): Promise<UserActor> {
  const actor = await currentActor();
  if (!actor) throw new DomainError("unauthenticated", "Your session has ended. Sign in again.");
  // which teams the operator may import into is checked row by row by the import itself
  if (!roleGrants(actor.role, "client.create")) throw forbidden(actor.role === "auditor" ? "Auditors have read-only access." : undefined);
  return actor;
}

/** The multipart body, refused once it grows past MAX_BODY_BYTES rather than held in memory whatever its size. */
async function readBoundedForm(request: Request): Promise<FormData> {
  const body = await readBoundedBody(request, MAX_BODY_BYTES);
  if (body === null) throw invalid("The file is larger than 5 MB; import it with the admin CLI.", { file: "At most 5 MB here" });
  try {
    return await new Response(body, { headers: { "Content-Type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    throw malformed("Send the import as multipart/form-data.");
  }
}
