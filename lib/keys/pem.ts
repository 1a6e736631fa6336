// Reading what an administrator pastes when the client has no JWKS to hand: a PEM public key (SPKI or
// PKCS#1), a PEM certificate or certificate chain, or a bare base64 DER certificate. Only node:crypto.
// A private key is recognised and refused here, before any parsing, and its text is never echoed.
import crypto, { type KeyObject, X509Certificate } from "node:crypto";
import type { JWK } from "jose";
import { invalid } from "../errors";

export type CertificateInfo = { subject: string; issuer: string; serialNumber: string; notBefore: Date; notAfter: Date; sha256Fingerprint: string };
export type PastedKey = { publicKey: KeyObject; certificate: X509Certificate | null; source: "pem" | "certificate" };

export const MAX_PEM_BYTES = 64 * 1024;
// BEGIN PRIVATE KEY, ENCRYPTED/RSA/EC/DSA/OPENSSH PRIVATE KEY, and PuTTY's own key file format
const PRIVATE_KEY_TEXT = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----|PuTTY-User-Key-File-\d|^Private-Lines:/im;
// the body is base64 only (headers appear in encrypted private keys, refused before): linear to scan
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]{1,40})-----[A-Za-z0-9+/=\s]*-----END \1-----/g;
// RFC 4648 section 4 (standard base64, not base64url), as in x5c (RFC 7517 section 4.7)
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const NOT_A_KEY =
  "This is not a PEM public key or an X.509 certificate. Paste a block that starts with -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----, or a base64 DER certificate.";

const refuse = (message: string, problem: string) => invalid(message, { pem: problem });

export function privateKeyPasted() {
  return refuse(
    "This is a PRIVATE key. Nothing was saved or logged. Treat that private key as compromised: it has left the client. Generate a new key pair and paste only the public key or its certificate.",
    "Contains a private key",
  );
}

/** The public key in a pasted PEM or certificate text; throws `invalid` (field `pem`) otherwise. */
export function readPastedKey(text: string): PastedKey {
  if (Buffer.byteLength(text, "utf8") > MAX_PEM_BYTES) throw refuse(`The key is larger than ${MAX_PEM_BYTES / 1024} KiB.`, "Too large");
  if (PRIVATE_KEY_TEXT.test(text)) throw privateKeyPasted();
  const blocks = [...text.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1], pem: match[0] }));
  if (blocks.length === 0) return readBareCertificate(text);

  if (blocks.every((block) => block.label === "CERTIFICATE")) {
    const chain = blocks.map((block, index) => {
      try {
        return new X509Certificate(block.pem);
      } catch {
        throw refuse(`Certificate ${index + 1} of the text is not a valid X.509 certificate.`, `Certificate ${index + 1} does not parse`);
      }
    });
    // a chain is pasted leaf first (RFC 8446 4.4.2, RFC 7517 4.7): the first certificate is the client's
    // own and holds its key; the others are its issuers and are not read. A CA certificate first means
    // the chain is upside down, and taking its key would register the CA's key for this client.
    if (chain.length > 1 && chain[0].ca) throw refuse("The first certificate is a CA certificate. Paste the client's own (leaf) certificate first, then its issuers.", "Leaf certificate is not first");
    return { publicKey: chain[0].publicKey, certificate: chain[0], source: "certificate" };
  }
  if (blocks.length > 1) {
    const labels = blocks.map((block) => block.label).join(", ");
    throw refuse(`Paste one public key, or one certificate or certificate chain; this text holds ${blocks.length} PEM blocks (${labels}).`, "Several PEM blocks");
  }
  const [{ label, pem }] = blocks;
  if (label !== "PUBLIC KEY" && label !== "RSA PUBLIC KEY") throw refuse(`A PEM "${label}" block is not a public key or a certificate. ${NOT_A_KEY}`, `Unsupported PEM block ${label}`);
  try {
    return { publicKey: crypto.createPublicKey({ key: pem, format: "pem" }), certificate: null, source: "pem" };
  } catch {
    throw refuse(`The ${label} block does not parse as a public key.`, `${label} does not parse`);
  }
}

function readBareCertificate(text: string): PastedKey {
  if (text.includes("-----BEGIN")) throw refuse("The PEM block is damaged or incomplete: it needs base64 lines between matching -----BEGIN and -----END lines.", "Damaged PEM block");
  const compact = text.replace(/\s+/g, "");
  if (compact.startsWith("{")) throw refuse("This looks like JSON, a JWK perhaps: register it as a JWKS document instead.", "JSON, not PEM");
  if (!compact || !BASE64.test(compact)) throw refuse(NOT_A_KEY, "Not PEM or a certificate");
  const der = Buffer.from(compact, "base64");
  try {
    const certificate = new X509Certificate(der);
    return { publicKey: certificate.publicKey, certificate, source: "certificate" };
  } catch {
    if (isPrivateKeyDer(der)) throw privateKeyPasted();
    throw refuse(NOT_A_KEY, "Not PEM or a certificate");
  }
}

// base64 DER without headers may still be a private key: recognise it to warn rather than shrug
function isPrivateKeyDer(der: Buffer): boolean {
  return (["pkcs8", "pkcs1", "sec1"] as const).some((type) => {
    try {
      crypto.createPrivateKey({ key: der, format: "der", type });
      return true;
    } catch {
      return false;
    }
  });
}

/** An x5c entry (standard base64 DER) as a certificate, or null when it is not one. */
export function certificateFromBase64Der(value: unknown): X509Certificate | null {
  if (typeof value !== "string" || !value || !BASE64.test(value)) return null;
  try {
    return new X509Certificate(Buffer.from(value, "base64"));
  } catch {
    return null;
  }
}

/** A public key as a JWK, or null for key types JWK cannot express (DSA, RSA-PSS-restricted, DH). */
export function publicKeyAsJwk(key: KeyObject): JWK | null {
  try {
    return key.export({ format: "jwk" }) as JWK;
  } catch {
    return null;
  }
}

export function certificateInfo(certificate: X509Certificate): CertificateInfo {
  return {
    subject: certificate.subject.split("\n").join(", "),
    issuer: certificate.issuer.split("\n").join(", "),
    serialNumber: certificate.serialNumber,
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    sha256Fingerprint: certificate.fingerprint256,
  };
}
