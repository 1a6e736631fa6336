import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { AssertionDebugger } from "@/components/debugger/assertion-debugger";
import { requirePageActor } from "../../_lib/session";

export const metadata: Metadata = { title: "Assertion debugger" };

export default async function DebuggerPage() {
  await requirePageActor("client.read");
  return (
    <>
      <PageHeader
        title="Assertion debugger"
        description="Paste a client assertion (private_key_jwt) to see how the token endpoint would judge it, rule by rule, with the fix for each failure."
      />
      <AssertionDebugger />
    </>
  );
}
