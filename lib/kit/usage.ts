// The client kit's usage text, exit statuses and error types, in one place so `help`, docs/kit.md and
// the code that exits cannot disagree. The kit runs on a client team's machine: it needs no database,
// no Keyshift configuration, only a key file and the authorization server's issuer identifier.
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  refused: 3,
  unreachable: 4,
} as const;

/** A mistake in the command line or in what it points at (a key file, an output directory): exit 2, naming the option. */
export class UsageError extends Error {}

/** The authorization server answered with an OAuth error (RFC 6749 5.2): exit 3. */
export class OAuthRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string | undefined,
    /** the response body exactly as received, for --json */
    readonly body: string,
    readonly retryAfter: string | null,
  ) {
    super(`the token endpoint refused the request: ${status} ${error}${description ? ` (${description})` : ""}`);
  }
}

/** The server could not be used: unreachable, no usable metadata, a metadata check failed, a non-OAuth answer: exit 4. */
export class ServerUnusable extends Error {}

export const USAGE = `Keyshift client kit: keys and private_key_jwt client assertions for OAuth clients.

usage: npm run kit -- <command> [options]
       npm run -s kit -- <command> [options]   (prints only what the command hands over)

commands:
  keygen [--alg ES256|ES384|RS256|PS256|EdDSA] [--bits 2048|3072|4096] [--kid K] [--out DIR]
      Create a key pair for a client. Writes into DIR (default: the current directory; never
      replaces an existing file):
        <kid>.private.jwk.json   the private key as a JWK (mode 0600)
        <kid>.private.pem        the private key as PKCS#8 PEM (mode 0600)
        <kid>.public.jwks.json   the public JWKS: upload this one in Keyshift (client page, Keys)
      and prints the public JWKS. --alg defaults to ES256; --bits (RSA only) to 2048. --kid
      defaults to the key's RFC 7638 thumbprint. The private files never leave the client.
  assertion --client-id ID --key FILE --issuer ISSUER [--lifetime SECONDS] [--alg ALG]
            [--kid K] [--typ JWT|client-authentication+jwt]
      Print one signed client assertion (RFC 7523): iss = sub = ID, aud = ISSUER exactly (a
      single string, never the token endpoint), iat, exp = iat + SECONDS (default 60, at most
      300), a random jti, kid in the header. FILE is a private JWK (its kid and alg are used) or
      a PEM private key (--alg is needed for RSA; --kid defaults to the thumbprint, as keygen's).
  token --issuer ISSUER --client-id ID --key FILE [--scope S] [--resource URI]
        [--token-endpoint URL] [--json] [--lifetime SECONDS] [--alg ALG] [--kid K] [--typ T]
      Ask for an access token with client_credentials and private_key_jwt. Discovers the token
      endpoint from ISSUER's RFC 8414 metadata (/.well-known/oauth-authorization-server, then
      /.well-known/openid-configuration) and checks that it names ISSUER exactly and supports
      private_key_jwt (and the key's algorithm). --token-endpoint skips discovery and its checks.
      Prints token_type, expires_in, scope, the access token and its claims (decoded, not
      verified), or the server's error with a hint. --json prints the response body as received.
  help, --help
      Show this text.

Standard output carries only what a command hands over (a JWKS, an assertion, a token response);
messages go to standard error. The private key is never printed.

exit status:
  0  success
  1  unexpected error (KEYSHIFT_DEBUG=1 prints the details)
  2  usage error: unknown command or option, a missing or invalid value, a key file that cannot be
     read or used, an output file that already exists
  3  refused: the token endpoint answered with an OAuth error (invalid_client, invalid_scope, ...)
  4  the server could not be used: unreachable, no metadata, metadata naming another issuer or
     without private_key_jwt, or an answer that is not OAuth JSON
`;
