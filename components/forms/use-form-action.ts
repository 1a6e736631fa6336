"use client";
import { useActionState, startTransition, type FormEvent } from "react";
import type { ActionResult } from "@/app/_lib/actions";

/**
 * useActionState without React's automatic form reset: on a validation error the user keeps what
 * they typed and sees the message beside each field.
 */
export function useFormAction<T>(action: (prev: unknown, formData: FormData) => Promise<ActionResult<T>>) {
  const [state, dispatch, pending] = useActionState(action, null as ActionResult<T> | null);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // the submitter's name/value (e.g. intent=apply) is part of the submission, as in a native post
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(data));
  }
  const fields = state && !state.ok ? (state.fields ?? {}) : {};
  return { state, pending, onSubmit, fields };
}
