// Why an authentication at the token endpoint failed: a documented enumeration, recorded with every
// attempt. The caller only ever sees RFC 6749's `error` code and a fixed description; the precise
// reason goes to the authentication event and, in plain words, to the client's page.

export const FAILURE_REASONS = {
  // the request itself
  invalid_request: "The request was malformed (not form-encoded, a repeated parameter, or a missing grant_type).",
  unsupported_grant_type: "The grant type is not client_credentials.",
  no_client_auth: "The request carried no client authentication.",
  multiple_methods: "The request presented more than one client authentication method (for example a Basic header and a body secret).",
  malformed_basic: "The Authorization header was not valid Basic credentials (client_id:secret, form-encoded, in base64).",
  // the client
  client_unknown: "No client has this client_id.",
  client_disabled: "The client is disabled.",
  method_not_accepted: "The client does not currently accept this authentication method.",
  client_id_mismatch: "The client_id in the body differs from the client the credentials belong to.",
  // secrets
  secret_mismatch: "The secret matches none of the client's secrets.",
  secret_expired: "The secret has expired.",
  secret_revoked: "The secret has been revoked.",
  // assertions
  assertion_type_invalid: "client_assertion_type is not urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
  assertion_malformed: "The client assertion is not a compact JWS with a JSON header and claims.",
  assertion_encrypted: "The client assertion is encrypted (JWE); only signed assertions are accepted.",
  alg_none: "The client assertion is unsigned (alg none).",
  alg_not_allowed: "The assertion's algorithm is not an allowed asymmetric signature algorithm.",
  typ_invalid: "The assertion's typ header names another kind of token.",
  crit_unsupported: "The assertion marks header parameters as critical (crit) that this server does not understand.",
  iss_mismatch: "The assertion's iss is not the client_id.",
  sub_mismatch: "The assertion's sub is not the client_id.",
  aud_missing: "The assertion has no aud.",
  aud_array: "The assertion's aud is an array; it must be a single string, the issuer identifier.",
  aud_mismatch: "The assertion's aud is not the issuer identifier.",
  exp_missing: "The assertion has no exp.",
  expired: "The assertion has expired.",
  exp_too_far: "The assertion's exp is further ahead than the maximum assertion lifetime.",
  iat_future: "The assertion's iat is in the future beyond the allowed clock skew.",
  not_yet_valid: "The assertion's nbf is in the future beyond the allowed clock skew.",
  jti_missing: "The assertion has no jti.",
  jti_replayed: "The assertion's jti was already used: the assertion was replayed.",
  no_keys: "The client has no registered keys.",
  jwks_uri_unavailable: "The client's keys come from its jwks_uri, which has never been fetched successfully.",
  jwks_uri_stale: "The client's jwks_uri has been failing for longer than the maximum staleness, so its last good key set is no longer trusted.",
  kid_unknown: "The assertion's kid is not among the client's keys.",
  kid_required: "The assertion has no kid and the client has several keys usable for its algorithm.",
  key_not_active: "The key named by kid is not active: scheduled (its activation date is ahead), retired, or expired (its certificate or set expiry has passed).",
  alg_key_mismatch: "The assertion's algorithm does not fit the key (type, curve, or the key's own alg).",
  no_usable_key: "None of the client's keys can verify an assertion signed with this algorithm.",
  signature_invalid: "The assertion's signature does not verify with the client's key.",
  // after authentication
  unauthorized_client: "The client is not registered for the client_credentials grant.",
  invalid_scope: "A requested scope is not registered for the client.",
  invalid_target: "The requested resource is not one the client may request a token for.",
  introspection_not_permitted: "The client authenticated at the introspection endpoint but is not granted the introspection permission.",
  rate_limited: "Too many failed authentications from this client or address; the request was refused without checking it.",
} as const;

export type FailureReason = keyof typeof FAILURE_REASONS;
export const FAILURE_REASON_CODES = Object.keys(FAILURE_REASONS) as FailureReason[];
