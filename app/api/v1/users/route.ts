import { apiListUsers } from "@/lib/api/directory";
import { apiRoute, json } from "../_lib/route";

export const GET = apiRoute(async ({ actor }) => json(await apiListUsers(actor)));
