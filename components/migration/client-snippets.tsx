"use client";
// Copy-ready code for the client's team: a token request with private_key_jwt, filled with this client's
// id, its key's kid and the issuer, in Node.js with jose, with openid-client, and with the client kit.
import { useState } from "react";

type Props = { clientId: string; issuer: string; kid: string | null; alg: string };

function snippets({ clientId, issuer, kid, alg }: Props): { id: string; label: string; code: string }[] {
  const k = kid ?? "<your key's kid>";
  const js = (v: string) => JSON.stringify(v);
  return [
    {
      id: "jose",
      label: "Node.js (jose)",
      code: `import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { SignJWT, importPKCS8 } from "jose";

const issuer = ${js(issuer)};
const clientId = ${js(clientId)};
const key = await importPKCS8(readFileSync("${k}.private.pem", "utf8"), ${js(alg)});

// a fresh assertion per request: aud is the issuer identifier, as one string
const now = Math.floor(Date.now() / 1000);
const assertion = await new SignJWT({})
  .setProtectedHeader({ alg: ${js(alg)}, kid: ${js(k)}, typ: "JWT" })
  .setIssuer(clientId)
  .setSubject(clientId)
  .setAudience(issuer)
  .setIssuedAt(now)
  .setExpirationTime(now + 60)
  .setJti(randomUUID())
  .sign(key);

const metadata = await (await fetch(\`\${issuer}/.well-known/oauth-authorization-server\`)).json();
const response = await fetch(metadata.token_endpoint, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({
    grant_type: "client_credentials",
    client_id: clientId,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  }),
});
const body = await response.json();
// body.access_token is a credential: use it, don't log it
console.log(response.status, body.token_type ?? body.error, body.expires_in);`,
    },
    {
      id: "openid-client",
      label: "Node.js (openid-client)",
      code: `import { readFileSync } from "node:fs";
import { importPKCS8 } from "jose";
import * as client from "openid-client";

const key = await importPKCS8(readFileSync("${k}.private.pem", "utf8"), ${js(alg)});
const config = await client.discovery(
  new URL(${js(issuer)}),
  ${js(clientId)},
  undefined,
  client.PrivateKeyJwt({ key, kid: ${js(k)} }),
);
const tokens = await client.clientCredentialsGrant(config);
// tokens.access_token is a credential: use it, don't log it
console.log(tokens.token_type, tokens.expires_in);`,
    },
    {
      id: "kit",
      label: "Client kit",
      code: `# a key pair (once): upload ${k}.public.jwks.json to Keyshift, keep the private files on the client
npm run kit -- keygen --alg ${alg}${kid ? ` --kid ${kid}` : ""}

# a token with private_key_jwt, discovered from the issuer
npm run kit -- token --issuer ${issuer} --client-id ${clientId} --key ${k}.private.jwk.json`,
    },
  ];
}

export function ClientSnippets(props: Props) {
  const all = snippets(props);
  const [current, setCurrent] = useState(all[0].id);
  const [copied, setCopied] = useState<string | null>(null);
  const shown = all.find((s) => s.id === current)!;
  async function copy() {
    await navigator.clipboard.writeText(shown.code);
    setCopied(shown.id);
  }
  return (
    <div className="space-y-3" data-testid="client-snippets">
      <p className="text-sm text-slate-600">
        For the team that runs this client: request a token with <code>private_key_jwt</code>. The private key never leaves the client; the
        assertion&apos;s <code>aud</code> is the issuer <code>{props.issuer}</code>, as a single string.
      </p>
      <div role="group" aria-label="Snippet language" className="inline-flex rounded-md shadow-sm ring-1 ring-slate-300">
        {all.map((s, i) => (
          <button
            key={s.id}
            type="button"
            aria-pressed={current === s.id}
            onClick={() => setCurrent(s.id)}
            className={`px-3 py-1.5 text-sm ${i > 0 ? "border-l border-slate-300" : ""} ${current === s.id ? "bg-brand-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div className="relative">
        <pre className="max-h-96 overflow-auto rounded-md bg-slate-900 p-4 text-xs leading-relaxed text-slate-100" data-testid="snippet" data-snippet={shown.id}>
          <code>{shown.code}</code>
        </pre>
        <button type="button" onClick={copy} className="absolute right-2 top-2 rounded bg-slate-700 px-2 py-1 text-xs text-white hover:bg-slate-600">
          {copied === shown.id ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
