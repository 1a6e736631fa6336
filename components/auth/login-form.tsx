"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Field, inputClass } from "@/components/ui";

type Props = {
  messages: Record<string, string>;
  callbackUrl: string;
  initialError: string | null;
  sso: { id: string; name: string } | null;
};

export function LoginForm({ messages, callbackUrl, initialError, sso }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function submit(form: FormData) {
    setPending(true);
    setError(null);
    const result = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false });
    setPending(false);
    if (result?.ok && !result.error) {
      router.replace(callbackUrl);
      router.refresh();
    } else {
      setError(messages[result?.error ?? ""] ?? messages.invalid_credentials);
    }
  }

  async function singleSignOn() {
    setPending(true);
    setError(null);
    // leaves the page for the provider; next-auth comes back to callbackUrl or to /login?error=…
    await signIn(sso!.id, { callbackUrl });
  }

  return (
    <div className="space-y-5">
      {error && (
        <p role="alert" data-testid="login-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">
          {error}
        </p>
      )}
      {sso && (
        <>
          <Button type="button" variant="secondary" onClick={singleSignOn} disabled={pending} className="w-full justify-center">
            Sign in with {sso.name}
          </Button>
          <p className="flex items-center gap-3 text-xs text-slate-500" aria-hidden="true">
            <span className="h-px flex-1 bg-slate-200" />
            or with a Keyshift password
            <span className="h-px flex-1 bg-slate-200" />
          </p>
        </>
      )}
      <form action={submit} className="space-y-4">
        <Field label="Email" name="email">
          <input id="email" name="email" type="email" autoComplete="username" required className={inputClass} />
        </Field>
        <Field label="Password" name="password">
          <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} />
        </Field>
        <Button type="submit" disabled={pending} className="w-full justify-center">
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </div>
  );
}
