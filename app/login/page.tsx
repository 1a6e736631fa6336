import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { availableSso, SIGN_IN_MESSAGES, SSO_PROVIDER_ID } from "@/lib/auth/options";
import { currentActor } from "../_lib/session";

export const metadata: Metadata = { title: "Sign in" };

/** Only same-origin paths are followed after sign-in (no open redirect). */
function safeCallback(value: string | string[] | undefined): string {
  const url = Array.isArray(value) ? value[0] : value;
  if (!url) return "/";
  try {
    const parsed = new URL(url, "http://keyshift.invalid");
    return parsed.origin === "http://keyshift.invalid" ? parsed.pathname + parsed.search : "/";
  } catch {
    return "/";
  }
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  if (await currentActor()) redirect(safeCallback(params.callbackUrl));
  const sso = availableSso();
  // next-auth and the single sign-on refusals come back as ?error=<code>; unknown codes get a plain message
  const code = Array.isArray(params.error) ? params.error[0] : params.error;
  const initialError = code ? (Object.hasOwn(SIGN_IN_MESSAGES, code) ? SIGN_IN_MESSAGES[code] : "Sign-in failed. Try again.") : null;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-2xl font-semibold tracking-tight">
            <span className="text-brand-600">key</span>shift
          </p>
          <p className="mt-1 text-sm text-slate-600">Sign in to the console</p>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <LoginForm
            messages={SIGN_IN_MESSAGES}
            callbackUrl={safeCallback(params.callbackUrl)}
            initialError={initialError}
            sso={sso ? { id: SSO_PROVIDER_ID, name: sso.displayName } : null}
          />
        </div>
      </div>
    </main>
  );
}
