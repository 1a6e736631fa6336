import { apiResendDelivery } from "@/lib/api/notifications";
import { apiRoute, json } from "../../../../_lib/route";

export const POST = apiRoute<{ deliveryId: string }>(async ({ actor, params }) => json(await apiResendDelivery(actor, params.deliveryId)));
