// Encryption at rest for private keys (the server's signing keys): AES-256-GCM under a key derived
// from the master key, bound to what the value is for (additional data), so a sealed value copied onto
// another row does not open there.
import crypto from "node:crypto";
import { derivedKey } from "../config";

const VERSION = "v1";

export function seal(plaintext: string, boundTo: string, key: Buffer = derivedKey("key-encryption")): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(boundTo, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

export function unseal(sealed: string, boundTo: string, key: Buffer = derivedKey("key-encryption")): string {
  const [version, iv, body] = sealed.split(".");
  if (version !== VERSION || !iv || !body) throw new Error("not a sealed value");
  const data = Buffer.from(body, "base64url");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(boundTo, "utf8"));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8");
}
