// Interoperability: two client libraries nobody here wrote, openid-client 6 and oauth4webapi 3, discover
// the server and obtain client_credentials tokens by private_key_jwt (ES256, RS256, PS256, EdDSA) and by
// client secret (Basic and post), from both deployments of the same endpoints: the Next.js app
// (discovery at the issuer) and `npm run token-server` (its own metadata document, which names the
// console's issuer and its own token endpoint). Every token verifies against the JWKS the metadata
// points at. Node-side only: no browser page. Both libraries refuse plain http unless told; the tests
// tell them, and only here.
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey } from "jose";
import * as oauth from "oauth4webapi";
import * as openid from "openid-client";
import { E2E, type InteropClients } from "./env";

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

type Server = {
  name: string;
  /**
   * openid-client discovers here: at the issuer (by default it appends /.well-known/openid-configuration),
   * or at a metadata document's full URL
   */
  openidClientDiscovery: URL;
  /** oauth4webapi fetches /.well-known/oauth-authorization-server (RFC 8414) under this URL */
  oauth4webapiBase: URL;
  tokenEndpoint: string;
};

const SERVERS: Server[] = [
  {
    name: "the Next.js app",
    openidClientDiscovery: new URL(E2E.issuer),
    oauth4webapiBase: new URL(E2E.issuer),
    tokenEndpoint: `${E2E.issuer}/oauth/token`,
  },
  {
    name: "the token server",
    // its metadata names another host as the issuer, so it is addressed by its document's URL; the
    // issuer is then checked against the console's below
    openidClientDiscovery: new URL(`${E2E.tokenServer.baseURL}/.well-known/openid-configuration`),
    oauth4webapiBase: new URL(E2E.tokenServer.baseURL),
    tokenEndpoint: E2E.tokenServer.env.KEYSHIFT_TOKEN_ENDPOINT,
  },
];

type Method = { name: string; alg?: "ES256" | "RS256" | "PS256" | "EdDSA"; secret?: "basic" | "post" };
const METHODS: Method[] = [
  { name: "private_key_jwt with ES256", alg: "ES256" },
  { name: "private_key_jwt with RS256", alg: "RS256" },
  { name: "private_key_jwt with PS256", alg: "PS256" },
  { name: "private_key_jwt with EdDSA", alg: "EdDSA" },
  { name: "client_secret_basic", secret: "basic" },
  { name: "client_secret_post", secret: "post" },
];

// the JWS alg each library puts in the header for the key: both name Ed25519 keys by the fully-specified
// "Ed25519" (RFC 9864), which this server accepts as EdDSA
const SENT_ALG: Record<NonNullable<Method["alg"]>, string> = { ES256: "ES256", RS256: "RS256", PS256: "PS256", EdDSA: "Ed25519" };

let clients: InteropClients;
test.beforeAll(() => {
  clients = JSON.parse(fs.readFileSync(E2E.interopFile, "utf8")) as InteropClients;
});

type Credentials =
  | { method: "client_secret_basic" | "client_secret_post"; clientId: string; secret: string }
  | { method: "private_key_jwt"; clientId: string; privateKey: { key: CryptoKey; kid: string } };

async function credentials(method: Method): Promise<Credentials> {
  if (method.secret === "basic") return { method: "client_secret_basic", ...clients.secretBasic };
  if (method.secret === "post") return { method: "client_secret_post", ...clients.secretPost };
  const entry = clients.privateKeyJwt.keys.find((k) => k.alg === method.alg)!;
  const key = (await importJWK(entry.privateJwk, entry.alg)) as CryptoKey;
  return { method: "private_key_jwt", clientId: clients.privateKeyJwt.clientId, privateKey: { key, kid: entry.kid } };
}

/** A token request as it left the library. */
type Sent = { url: string; headers: Record<string, string>; body: URLSearchParams };

function recorder(sent: Sent[]) {
  return (url: string, options: { headers: Record<string, string>; body?: unknown; method: string; redirect: "manual"; signal?: AbortSignal }) => {
    if (options.method === "POST") sent.push({ url, headers: { ...options.headers }, body: new URLSearchParams(String(options.body)) });
    return fetch(url, options as RequestInit);
  };
}

/** Sends the recorded request's body instead of the one the library just built: a replay. */
function replaying(recorded: Sent) {
  return (url: string, options: { headers: Record<string, string>; method: string; redirect: "manual"; signal?: AbortSignal }) =>
    fetch(url, { ...options, headers: recorded.headers, body: recorded.body.toString() } as RequestInit);
}

type Obtained = { accessToken: string; metadata: { issuer: string; token_endpoint?: string; jwks_uri?: string }; sent: Sent };

const LIBRARIES: { name: string; obtain: (server: Server, c: Credentials, replay?: Sent) => Promise<Obtained> }[] = [
  {
    name: "openid-client",
    async obtain(server, c, replay) {
      const auth =
        c.method === "private_key_jwt" ? openid.PrivateKeyJwt(c.privateKey) : c.method === "client_secret_post" ? openid.ClientSecretPost(c.secret) : openid.ClientSecretBasic(c.secret);
      const config = await openid.discovery(server.openidClientDiscovery, c.clientId, undefined, auth, { execute: [openid.allowInsecureRequests] });
      const sent: Sent[] = [];
      config[openid.customFetch] = replay ? replaying(replay) : recorder(sent);
      const tokens = await openid.clientCredentialsGrant(config, { scope: "read" });
      return { accessToken: tokens.access_token, metadata: config.serverMetadata(), sent: sent[0] };
    },
  },
  {
    name: "oauth4webapi",
    async obtain(server, c, replay) {
      const response = await oauth.discoveryRequest(server.oauth4webapiBase, { algorithm: "oauth2", [oauth.allowInsecureRequests]: true });
      // the issuer must be the console's, whichever host served the document
      const as = await oauth.processDiscoveryResponse(new URL(E2E.issuer), response);
      const client: oauth.Client = { client_id: c.clientId };
      const auth =
        c.method === "private_key_jwt" ? oauth.PrivateKeyJwt(c.privateKey) : c.method === "client_secret_post" ? oauth.ClientSecretPost(c.secret) : oauth.ClientSecretBasic(c.secret);
      const sent: Sent[] = [];
      const request = await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams({ scope: "read" }), {
        [oauth.allowInsecureRequests]: true,
        [oauth.customFetch]: replay ? replaying(replay) : recorder(sent),
      });
      const tokens = await oauth.processClientCredentialsResponse(as, client, request);
      return { accessToken: tokens.access_token, metadata: as, sent: sent[0] };
    },
  },
];

for (const server of SERVERS) {
  test.describe(server.name, () => {
    for (const library of LIBRARIES) {
      for (const method of METHODS) {
        test(`${library.name} obtains a token by ${method.name}`, async () => {
          const c = await credentials(method);
          const { accessToken, metadata, sent } = await library.obtain(server, c);

          // the metadata: one issuer for both deployments, each advertising its own token endpoint
          expect(metadata.issuer).toBe(E2E.issuer);
          expect(metadata.token_endpoint).toBe(server.tokenEndpoint);
          expect(sent.url).toBe(server.tokenEndpoint);

          // what the library sent
          if (c.method === "private_key_jwt") {
            expect(sent.headers.authorization).toBeUndefined();
            expect(sent.body.get("client_assertion_type")).toBe(ASSERTION_TYPE);
            const assertion = sent.body.get("client_assertion")!;
            expect(decodeProtectedHeader(assertion)).toEqual({ alg: SENT_ALG[method.alg!], kid: c.privateKey.kid });
            const claims = decodeJwt(assertion);
            // the audience is the issuer identifier as one string, never the token endpoint or an array
            expect(claims.aud).toBe(E2E.issuer);
            expect(claims).toMatchObject({ iss: c.clientId, sub: c.clientId });
          } else if (c.method === "client_secret_basic") {
            expect(sent.headers.authorization).toMatch(/^Basic /);
            expect(sent.body.has("client_secret")).toBe(false);
          } else {
            expect(sent.headers.authorization).toBeUndefined();
            expect(sent.body.get("client_id")).toBe(c.clientId);
            expect(sent.body.get("client_secret")).toBe(c.secret);
          }

          // the token verifies against the published keys
          const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri!));
          const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, { issuer: E2E.issuer, audience: E2E.issuer, typ: "at+jwt" });
          expect(protectedHeader.typ).toBe("at+jwt");
          expect(payload).toMatchObject({ client_id: c.clientId, sub: c.clientId, scope: "read" });
        });
      }

      test(`${library.name} sees a replayed assertion refused with 401 invalid_client`, async () => {
        const c = await credentials(METHODS[0]);
        const { sent } = await library.obtain(server, c);
        const refusal = await library.obtain(server, c, sent).then(
          () => null,
          (error: unknown) => error,
        );
        expect(refusal).toBeInstanceOf(oauth.ResponseBodyError);
        const { status, error } = refusal as oauth.ResponseBodyError;
        expect({ status, error }).toEqual({ status: 401, error: "invalid_client" });
      });
    }
  });
}
