import { Badge } from "@/components/ui";
import { JWKS_HEALTH_HINTS, JWKS_HEALTH_TONES } from "./labels";

/** healthy green, degraded amber, failing red, with what each means on hover. */
export function JwksHealthBadge({ health }: { health: string }) {
  return (
    <span title={JWKS_HEALTH_HINTS[health]} data-testid="jwks-health" data-health={health}>
      <Badge tone={JWKS_HEALTH_TONES[health] ?? "gray"}>{health}</Badge>
    </span>
  );
}
