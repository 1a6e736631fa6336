import type { Metadata } from "next";
import Link from "next/link";
import { Card, EmptyState, Notice, PageHeader, inputClass } from "@/components/ui";
import { ExpiringKeys, KeysByThumbprint, SharedKeys, UnhealthyJwksUris } from "@/components/keys/key-lists";
import type { Actor } from "@/lib/auth/actor";
import { DomainError } from "@/lib/errors";
import { expiringKeys, findKeysByThumbprint, sharedKeys, unhealthyJwksUris } from "@/lib/keys/queries";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Keys" };

/** A malformed thumbprint is the visitor's mistake, shown beside the search box, not an error page. */
async function searchThumbprint(actor: Actor, thumbprint: string) {
  try {
    return { ok: true as const, keys: await findKeysByThumbprint(actor, thumbprint) };
  } catch (error) {
    if (error instanceof DomainError && error.code === "invalid") return { ok: false as const, error: error.message };
    throw error;
  }
}

export default async function KeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor("client.read");
  const raw = (await searchParams).thumbprint;
  const thumbprint = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
  const [search, expiring, shared, unhealthy] = await Promise.all([
    thumbprint ? searchThumbprint(actor, thumbprint) : null,
    expiringKeys(actor),
    sharedKeys(actor),
    unhealthyJwksUris(actor),
  ]);
  const matches = search?.ok ? search.keys : null;
  const searchError = search && !search.ok ? search.error : null;

  return (
    <>
      <PageHeader title="Keys" description="Public keys across every client: who uses a key, what expires soon, what is shared, which jwks_uri fails." />
      <Card title="Find a key by thumbprint" className="mb-6">
        <form method="get" action="/keys" role="search" aria-label="Find a key by thumbprint" className="flex flex-wrap items-end gap-2">
          <div className="min-w-80 flex-1 space-y-1">
            <label htmlFor="thumbprint" className="block text-sm font-medium text-slate-800">RFC 7638 thumbprint</label>
            <input
              id="thumbprint"
              name="thumbprint"
              defaultValue={thumbprint}
              spellCheck={false}
              autoComplete="off"
              placeholder="43 base64url characters (SHA-256)"
              className={`${inputClass} font-mono`}
              aria-invalid={searchError ? true : undefined}
              aria-describedby={searchError ? "thumbprint-error" : undefined}
            />
          </div>
          <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white">Find</button>
          {thumbprint && <Link href="/keys" className="px-2 py-1.5 text-sm">Clear</Link>}
        </form>
        <div className="mt-4" data-testid="thumbprint-result">
          {searchError && (
            <p id="thumbprint-error" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">{searchError}</p>
          )}
          {matches && matches.length === 0 && <EmptyState>No client has registered a key with this thumbprint.</EmptyState>}
          {matches && matches.length > 0 && (
            <>
              {new Set(matches.filter((k) => k.status !== "retired").map((k) => k.client.id)).size > 1 && (
                <div className="mb-3">
                  <Notice tone="amber" title="This key authenticates more than one client">Give each client its own key pair: a leaked private key should compromise one client, not several.</Notice>
                </div>
              )}
              <KeysByThumbprint keys={matches} />
            </>
          )}
        </div>
      </Card>
      <Card title={`Expiring within ${expiring.days} days`} className="mb-6" id="expiring">
        <ExpiringKeys keys={expiring.keys} days={expiring.days} />
      </Card>
      <Card title="Keys registered for more than one client" className="mb-6" id="shared">
        <SharedKeys groups={shared} />
      </Card>
      <Card title="jwks_uri health" id="jwks-uri-health">
        <UnhealthyJwksUris uris={unhealthy} />
      </Card>
    </>
  );
}
