// The API description is public: it holds no data, and tools fetch it before they have a token.
import { openApiDocument } from "@/lib/api/openapi";
import { issuer } from "@/lib/config";

export function GET(): Response {
  return Response.json(openApiDocument(process.env.NEXTAUTH_URL ?? issuer()));
}
