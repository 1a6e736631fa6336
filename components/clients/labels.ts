import type { Tone } from "@/components/ui";

export const METHOD_LABELS: Record<string, string> = {
  client_secret_basic: "Secret (Basic)",
  client_secret_post: "Secret (POST body)",
  private_key_jwt: "private_key_jwt",
};

export const ENV_TONES: Record<string, Tone> = { production: "red", staging: "amber", development: "gray" };

export const KEY_STATUS_TONES: Record<string, Tone> = { scheduled: "blue", active: "green", retiring: "amber", retired: "gray", expired: "red" };

export const SECRET_STATUS_TONES: Record<string, Tone> = { active: "green", rotating: "amber", expired: "gray", revoked: "gray" };

export function ageTone(days: number | null): Tone {
  if (days === null) return "gray";
  if (days > 365) return "red";
  if (days > 90) return "amber";
  return "green";
}
