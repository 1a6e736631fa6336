import type { Metadata } from "next";
import { SetPasswordForm } from "@/components/users/set-password-form";
import { passwordTokenUser } from "@/lib/users/commands";
import { setPasswordAction } from "../actions";

export const metadata: Metadata = { title: "Set your password", referrer: "no-referrer" };

export default async function SetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await passwordTokenUser(token);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h1 className="mb-1 text-lg font-semibold">Set your password</h1>
        {user ? (
          <>
            <p className="mb-4 text-sm text-slate-600">for {user.email}</p>
            <SetPasswordForm action={setPasswordAction.bind(null, token)} />
          </>
        ) : (
          <p className="text-sm text-red-700" role="alert">This link is invalid, used or expired. Ask an administrator for a new one.</p>
        )}
      </div>
    </main>
  );
}
