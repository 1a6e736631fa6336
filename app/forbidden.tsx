import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg p-12 text-center">
      <p className="text-sm font-semibold text-red-700">403 · Forbidden</p>
      <h1 className="mt-2 text-2xl font-semibold">Your role does not allow this page</h1>
      <p className="mt-2 text-sm text-slate-600">Ask an administrator if you need access.</p>
      <Link href="/" className="mt-6 inline-block text-sm">Back to the overview</Link>
    </main>
  );
}
