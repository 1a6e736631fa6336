"use client";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui";
import { FormMessage } from "@/components/forms/form-message";
import type { ActionResult } from "@/app/_lib/actions";
import { passwordLinkAction, setUserDisabledAction, type PasswordLink } from "@/app/(console)/users/actions";
import { PasswordLinkReveal } from "./password-link";

export function UserStatusActions({ userId, disabled }: { userId: string; disabled: boolean }) {
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [link, setLink] = useState<PasswordLink | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="space-y-3">
      <div className="flex gap-2">
        <Button type="button" variant={disabled ? "secondary" : "danger"} disabled={pending} onClick={() => start(async () => setResult(await setUserDisabledAction(userId, !disabled)))}>
          {disabled ? "Enable user" : "Disable user"}
        </Button>
        {!disabled && (
          <Button type="button" variant="secondary" disabled={pending} onClick={() => start(async () => {
            const r = await passwordLinkAction(userId);
            setResult(r);
            if (r.ok) setLink(r.data as PasswordLink);
          })}>
            Issue a set-password link
          </Button>
        )}
      </div>
      <FormMessage state={result} />
      {link && <PasswordLinkReveal path={link.path} expiresAt={link.expiresAt} />}
    </div>
  );
}
