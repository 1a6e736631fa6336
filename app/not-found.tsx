import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg p-12 text-center">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">It may have been deleted, or the link is mistyped.</p>
      <Link href="/" className="mt-6 inline-block text-sm">Back to the overview</Link>
    </main>
  );
}
