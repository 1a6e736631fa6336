import type { ActionResult } from "@/app/_lib/actions";

export function FormMessage({ state }: { state: ActionResult<unknown> | null }) {
  if (!state?.message) return null;
  return (
    <p
      role={state.ok ? "status" : "alert"}
      data-testid="form-message"
      className={`rounded-md px-3 py-2 text-sm ring-1 ${state.ok ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : "bg-red-50 text-red-700 ring-red-200"}`}
    >
      {state.message}
    </p>
  );
}
