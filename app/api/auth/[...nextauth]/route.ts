import NextAuth from "next-auth";
import { addressFrom, authOptionsForRequest } from "@/lib/auth/options";

function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(authOptionsForRequest(addressFrom(req.headers)))(req, ctx);
}

export { handler as GET, handler as POST };
