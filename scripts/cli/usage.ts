// The admin CLI's usage text, exit statuses and usage errors, in one place so `help`, the README and
// the code that exits cannot disagree.
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  auditChainBroken: 3,
  refused: 4,
} as const;

/** A mistake in the command line itself: exit 2 with a specific message and a pointer to `help`. */
export class UsageError extends Error {}

/** A known, explained failure (configuration, migrations): exit 1 with its message. */
export class CliFailure extends Error {}

export const USAGE = `Keyshift admin CLI: automation and recovery without a browser.

usage: npm run keyshift -- <command> [options]
       npm run -s keyshift -- <command> [options]   (prints only what the command hands over)

commands:
  user create --email E --role admin|operator|auditor [--name N] [--team NAME]... [--password]
      Create a user (--team once per team; the teams must exist; --name defaults to the part of
      the email before @). Prints a one-time set-password link, valid 72 hours. With --password
      the password is read from standard input instead (one line; asked twice, without echo, on a
      terminal), never from the command line.
  user reset-password --email E
      Issue a new one-time set-password link for an enabled user and print it (replaces any
      unused earlier link). For an administrator who lost their password.
  api-token create --email E --name N [--expires-in DAYS]
      Create an API token that acts as the user, with the user's role at each request. DAYS is
      1 to 365 (default 90). The token is printed once, alone on standard output:
        TOKEN=$(npm run -s keyshift -- api-token create --email E --name ci)
  audit verify
      Check the audit trail's hash chain and print the number of entries and the last sequence
      number and hash, or the first broken entry and why.
  sso keygen --out PATH [--alg ES256|RS256|PS256|EdDSA] [--force]
      Create the signing key the console uses to authenticate to your OpenID provider for single
      sign-on (private_key_jwt). Writes the private JWK to PATH (mode 0600; never replaces an
      existing file without --force) and prints the public JWKS to register at the provider.
      Needs no database. Then set KEYSHIFT_OIDC_KEY_FILE=PATH.
  import --file PATH [--format csv|keycloak] [--dry-run]
         [--environment E --team NAME --contact EMAIL]   (keycloak: required)
      Bring an existing client inventory in. Prints one line per row (create, update, skip or
      invalid, with the reason) and the totals; with --dry-run nothing is written. A real run is
      all or nothing: any invalid row and nothing is imported (exit 4); otherwise it writes every
      client and its audit entry in one transaction, with progress on standard error every 500
      rows. Imported clients keep their secret outside Keyshift: it is recorded as an external
      secret with its creation date, so its age counts until it is rotated here. --format
      defaults to keycloak for a .json file, csv otherwise.
      CSV: a header row naming the columns (any order, case-insensitive; others are ignored):
        client_id, name, environment (production|staging|development), team (an existing team's
        name), contact_email, auth_method (client_secret_basic|client_secret_post; private_key_jwt
        rows are skipped until key management is available) - all required; description,
        grant_types and scopes (space-separated; grant_types defaults to client_credentials),
        secret_created_at and secret_expires_at (ISO 8601 dates) - optional. For an existing
        client_id the row updates name, description, environment, team, contact, grant types and
        scopes (never the method or secrets; an empty optional cell keeps the current value).
      keycloak: a realm export's clients array; confidential clients with a client secret are
        imported (client.secret.creation.time becomes the secret's age), client-jwt, public,
        bearer-only and built-in clients are skipped with the reason. Keycloak has no environment,
        owner team or contact: --environment, --team and --contact give them to every client.
  export [--format csv|json] [--out PATH]
      Write the registry (clients not deleted) to standard output or PATH: the import's CSV
      columns, so the file imports again without changes, then status, secret_status,
      last_auth_at and created_at. JSON is an array of objects with the same snake_case keys.
  help, --help
      Show this text.

The CLI works on the database named by DATABASE_URL (default file:./data/keyshift.db), with the
same environment as npm start (KEYSHIFT_MASTER_KEY, NEXTAUTH_URL, PORT), and applies pending
migrations first. Changes are audited as the actor system:cli. Standard output carries only the
value a command exists to hand over (a link, a token, the audit report, an import plan, an
export); messages go to standard error.

exit status:
  0  success
  1  unexpected error (KEYSHIFT_DEBUG=1 prints the details)
  2  usage error: unknown command or option, missing or empty option
  3  audit verify: the chain is broken
  4  refused: invalid input or a conflict (email taken, unknown user or team, invalid role,
     weak password, disabled user, an import with invalid rows)
`;
