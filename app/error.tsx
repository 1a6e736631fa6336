"use client";
// Shown for an unexpected server error: a reference to quote, never the internal message.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-lg p-12 text-center">
      <p className="text-sm font-semibold text-red-700">Something went wrong</p>
      <h1 className="mt-2 text-2xl font-semibold">This page could not be shown</h1>
      <p className="mt-2 text-sm text-slate-600">
        Nothing was changed. {error.digest ? <>If it happens again, quote reference <code>{error.digest}</code>.</> : null}
      </p>
      <button type="button" onClick={reset} className="mt-6 rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white">
        Try again
      </button>
    </main>
  );
}
