"use client";
import { useCallback, useState } from "react";
import { EmptyState } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import type { ActionResult } from "@/app/_lib/actions";
import { JwksUriPanel, type JwksUriData } from "@/components/keys/jwks-uri-panel";
import { KeyTable, type KeyRow } from "@/components/keys/key-table";
import { RegisterKeys } from "@/components/keys/register-keys";

export type { KeyRow } from "@/components/keys/key-table";

type Props = {
  clientDbId: string;
  keys: KeyRow[];
  canManage: boolean;
  /** the client's jwks_uri, when its keys come from one (then nothing can be registered by hand) */
  jwksUri: JwksUriData | null;
  overlapDays: number;
  recentUseDays: number;
  algorithms: readonly string[];
};

/** The client's public keys: the table, then either the ways to register keys or its jwks_uri. */
export function KeysPanel({ clientDbId, keys, canManage, jwksUri, overlapDays, recentUseDays, algorithms }: Props) {
  // results of actions that change which view is shown (link, unlink) or that live in the table (retire,
  // keep): kept here so the message survives the switch
  const [result, setResult] = useState<ActionResult | null>(null);
  const onResult = useCallback((r: ActionResult) => setResult(r), []);

  return (
    <div className="space-y-4">
      <FormMessage state={result} />
      {keys.length === 0 ? (
        <EmptyState>No keys registered. A client needs at least one public key before it can authenticate with private_key_jwt.</EmptyState>
      ) : (
        <KeyTable clientDbId={clientDbId} keys={keys} canManage={canManage} overlapDays={overlapDays} recentUseDays={recentUseDays} onResult={onResult} />
      )}
      {jwksUri ? (
        <JwksUriPanel clientDbId={clientDbId} data={jwksUri} canManage={canManage} onResult={onResult} />
      ) : (
        canManage && <RegisterKeys clientDbId={clientDbId} overlapDays={overlapDays} algorithms={algorithms} onLinked={onResult} />
      )}
    </div>
  );
}
