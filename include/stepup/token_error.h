// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOKEN_ERROR_H_
#define STEPUP_TOKEN_ERROR_H_

#include <string_view>

#include "stepup/export.h"

namespace stepup {

// Why a bearer token was refused: one code per testable reason. Every code but
// kOk means the token is invalid (RFC 6750 `invalid_token`) except those marked
// as request errors (RFC 6750 `invalid_request`).
enum class TokenError {
  kOk,  // The token is valid.

  // The Authorization header (RFC 6750 §2.1, RFC 9110 §11.6.2).
  kAuthorizationMissing,    // No Authorization header: the caller sent no credentials.
  kAuthorizationNotBearer,  // Another scheme than Bearer (a request error).
  kAuthorizationMalformed,  // Not exactly `Bearer <b64token>` (a request error).

  // Shape (RFC 7515 §7.1, RFC 8725 §3.2).
  kTokenTooLarge,           // Longer than the validator's max_token_bytes.
  kJweNotSupported,         // Five segments or an `enc` header: an encrypted token.
  kMalformedCompact,        // Not three segments, or an empty header or payload segment.
  kHeaderBase64Invalid,     // Header segment is not canonical unpadded base64url.
  kPayloadBase64Invalid,    // Payload segment is not canonical unpadded base64url.
  kSignatureBase64Invalid,  // Signature segment is not canonical unpadded base64url.

  // The JOSE header (RFC 7515 §4).
  kHeaderNotJson,          // Header is not valid UTF-8 JSON.
  kHeaderNotObject,        // Header is JSON but not an object.
  kHeaderDuplicateMember,  // A member name appears twice (RFC 7515 §5.2 step 4).
  kHeaderTooDeep,          // Nesting deeper than the parser's limit.
  kHeaderMemberInvalid,    // `kid`, `typ` or `cty` is not a string, or `b64` is present.
  kAlgMissing,             // No `alg` member, or it is not a string.
  kAlgNone,                // `alg` is "none": unsecured JWS is never accepted (RFC 8725 §3.1).
  kAlgUnknown,             // `alg` names no algorithm stepup implements.
  kAlgNotAllowed,          // `alg` is not in the validator's allow-list (RFC 8725 §3.1).
  kCritUnsupported,  // `crit` lists an extension stepup does not understand (RFC 7515 §4.1.11).
  kNestedToken,      // `cty` is "JWT": a nested token (RFC 7519 §5.2), never accepted.
  kTypMismatch,      // `typ` absent or not the expected media type (RFC 9068 §4, RFC 8725 §3.11).

  // The payload (RFC 7519 §7.2).
  kPayloadNotJson,          // Payload is not valid UTF-8 JSON.
  kPayloadNotObject,        // Payload is JSON but not an object.
  kPayloadDuplicateMember,  // A claim name appears twice (RFC 7519 §4).
  kPayloadTooDeep,          // Nesting deeper than the parser's limit.

  // Keys and signature (RFC 7515 §5.2, RFC 8725 §3.1).
  kIssuerMissing,           // No `iss`, so no validator can be chosen.
  kIssuerInvalid,           // `iss` is not a string.
  kIssuerUnknown,           // No validator is configured for this `iss`.
  kKeyNotFound,             // No key with the token's `kid`, or none bound to its `alg`.
  kKeyAlgorithmMismatch,    // The `kid` names a key whose type or `alg` forbids this `alg`.
  kSignatureLengthInvalid,  // Wrong signature size for the key (e.g. DER ECDSA).
  kSignatureInvalid,        // The signature or MAC does not verify.

  // Claims (RFC 7519 §4.1, RFC 9068 §2.2, OIDC Core §2).
  kAudienceMissing,       // No `aud`.
  kAudienceInvalid,       // `aud` is neither a string nor a non-empty list of strings.
  kAudienceMismatch,      // No `aud` value is an accepted audience.
  kExpMissing,            // No `exp`, and the validator requires it.
  kExpInvalid,            // `exp` is not an integer NumericDate in range.
  kExpired,               // now >= exp + clock skew (RFC 7519 §4.1.4).
  kNbfInvalid,            // `nbf` is not an integer NumericDate in range.
  kNotYetValid,           // now + clock skew < nbf (RFC 7519 §4.1.5).
  kIatInvalid,            // `iat` is not an integer NumericDate in range.
  kIatInFuture,           // iat > now + clock skew.
  kAuthTimeInvalid,       // `auth_time` is not an integer NumericDate in range.
  kAuthTimeInFuture,      // auth_time > now + clock skew.
  kRequiredClaimMissing,  // A claim listed in the validator's `require` is absent.
  kSubjectInvalid,        // `sub` is present but not a string (RFC 7519 §4.1.2).
  kJwtIdInvalid,          // `jti` is present but not a string (RFC 7519 §4.1.7).

  // Claims validated elsewhere (Request::validated_claims, RFC 7662).
  kTokenInactive,  // `active` is not true (RFC 7662 §2.2).

  // Not a verdict on the token: its issuer's keys, fetched from the identity
  // provider, cannot judge it yet (a fetch for its `kid` is pending, the
  // validator never had keys, or its fetches fail). Answered with 503 and
  // Retry-After, so that the client keeps the token (docs/spec.md §4).
  kKeysUnavailable,

  // Sender-constrained tokens (RFC 9449). The proof codes mean the request's
  // DPoP proof was refused (RFC 9449 `invalid_dpop_proof`), except
  // kDpopProofMultiple, a request error.
  kDpopNotAccepted,            // `DPoP` scheme, but the token's validator takes no DPoP.
  kDpopRequired,               // A `Bearer` token whose validator requires DPoP.
  kDpopBoundTokenAsBearer,     // A token with `cnf.jkt` presented as `Bearer` (§7.2).
  kDpopTokenNotBound,          // `DPoP` scheme, but the token has no string `cnf.jkt`.
  kDpopProofMissing,           // `DPoP` scheme without a DPoP header.
  kDpopProofMultiple,          // More than one DPoP header (a request error).
  kDpopProofTooLarge,          // The proof is longer than the validator's max_proof_bytes.
  kDpopProofMalformed,         // Not one JWS with a JSON object header and payload.
  kDpopProofTypInvalid,        // The proof's `typ` is not dpop+jwt.
  kDpopProofAlgNotAllowed,     // `none`, HMAC, or an `alg` not on the validator's DPoP list.
  kDpopProofKeyMissing,        // No `jwk` object in the proof's header.
  kDpopProofPrivateKey,        // The proof's `jwk` holds private key members.
  kDpopProofKeyInvalid,        // The `jwk` is not a public key usable with the proof's `alg`.
  kDpopProofSignatureInvalid,  // The proof's signature does not verify under its `jwk`.
  kDpopProofClaimMissing,      // No string `jti`, `htm`, `htu` or integer `iat`.
  kDpopProofMethodMismatch,    // `htm` is not the request's method.
  kDpopProofUriMismatch,       // `htu` is not the request's URI (query and fragment aside).
  kDpopProofIatOutOfWindow,    // `iat` too old or too far ahead.
  kDpopProofAthMissing,        // The proof has no `ath`.
  kDpopProofAthMismatch,       // `ath` is not the hash of the access token.
  kDpopProofKeyMismatch,       // The token's `cnf.jkt` is not the proof key's thumbprint.
  kDpopProofReplayed,          // The proof's `jti` was seen within its window.
  kDpopReplayCacheFull,        // No room to remember the proof: refused (fail closed).
  // New codes go here, at the end: the values above are stable.
};

// The enumerator's name without the `k`, such as "SignatureInvalid".
STEPUP_EXPORT std::string_view token_error_name(TokenError error);

// A short English sentence for operators and for RFC 6750 `error_description`.
// It names the failed check and never contains data from the token.
STEPUP_EXPORT std::string_view token_error_description(TokenError error);

// True for the codes that RFC 6750 calls `invalid_request` (a malformed
// Authorization header, or two DPoP headers) rather than `invalid_token`.
STEPUP_EXPORT bool is_request_error(TokenError error);

// True for the codes that RFC 9449 calls `invalid_dpop_proof`.
STEPUP_EXPORT bool is_dpop_proof_error(TokenError error);

}  // namespace stepup

#endif  // STEPUP_TOKEN_ERROR_H_
