// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "stepup/token_error.h"

namespace stepup {

// Both switches list every code and have no default, so the compiler
// (-Wswitch) names any code added without a name or description.
std::string_view token_error_name(TokenError error) {
  switch (error) {
    case TokenError::kOk:
      return "Ok";
    case TokenError::kAuthorizationMissing:
      return "AuthorizationMissing";
    case TokenError::kAuthorizationNotBearer:
      return "AuthorizationNotBearer";
    case TokenError::kAuthorizationMalformed:
      return "AuthorizationMalformed";
    case TokenError::kTokenTooLarge:
      return "TokenTooLarge";
    case TokenError::kJweNotSupported:
      return "JweNotSupported";
    case TokenError::kMalformedCompact:
      return "MalformedCompact";
    case TokenError::kHeaderBase64Invalid:
      return "HeaderBase64Invalid";
    case TokenError::kPayloadBase64Invalid:
      return "PayloadBase64Invalid";
    case TokenError::kSignatureBase64Invalid:
      return "SignatureBase64Invalid";
    case TokenError::kHeaderNotJson:
      return "HeaderNotJson";
    case TokenError::kHeaderNotObject:
      return "HeaderNotObject";
    case TokenError::kHeaderDuplicateMember:
      return "HeaderDuplicateMember";
    case TokenError::kHeaderTooDeep:
      return "HeaderTooDeep";
    case TokenError::kHeaderMemberInvalid:
      return "HeaderMemberInvalid";
    case TokenError::kAlgMissing:
      return "AlgMissing";
    case TokenError::kAlgNone:
      return "AlgNone";
    case TokenError::kAlgUnknown:
      return "AlgUnknown";
    case TokenError::kAlgNotAllowed:
      return "AlgNotAllowed";
    case TokenError::kCritUnsupported:
      return "CritUnsupported";
    case TokenError::kNestedToken:
      return "NestedToken";
    case TokenError::kTypMismatch:
      return "TypMismatch";
    case TokenError::kPayloadNotJson:
      return "PayloadNotJson";
    case TokenError::kPayloadNotObject:
      return "PayloadNotObject";
    case TokenError::kPayloadDuplicateMember:
      return "PayloadDuplicateMember";
    case TokenError::kPayloadTooDeep:
      return "PayloadTooDeep";
    case TokenError::kIssuerMissing:
      return "IssuerMissing";
    case TokenError::kIssuerInvalid:
      return "IssuerInvalid";
    case TokenError::kIssuerUnknown:
      return "IssuerUnknown";
    case TokenError::kKeyNotFound:
      return "KeyNotFound";
    case TokenError::kKeyAlgorithmMismatch:
      return "KeyAlgorithmMismatch";
    case TokenError::kSignatureLengthInvalid:
      return "SignatureLengthInvalid";
    case TokenError::kSignatureInvalid:
      return "SignatureInvalid";
    case TokenError::kAudienceMissing:
      return "AudienceMissing";
    case TokenError::kAudienceInvalid:
      return "AudienceInvalid";
    case TokenError::kAudienceMismatch:
      return "AudienceMismatch";
    case TokenError::kExpMissing:
      return "ExpMissing";
    case TokenError::kExpInvalid:
      return "ExpInvalid";
    case TokenError::kExpired:
      return "Expired";
    case TokenError::kNbfInvalid:
      return "NbfInvalid";
    case TokenError::kNotYetValid:
      return "NotYetValid";
    case TokenError::kIatInvalid:
      return "IatInvalid";
    case TokenError::kIatInFuture:
      return "IatInFuture";
    case TokenError::kAuthTimeInvalid:
      return "AuthTimeInvalid";
    case TokenError::kAuthTimeInFuture:
      return "AuthTimeInFuture";
    case TokenError::kRequiredClaimMissing:
      return "RequiredClaimMissing";
    case TokenError::kSubjectInvalid:
      return "SubjectInvalid";
    case TokenError::kJwtIdInvalid:
      return "JwtIdInvalid";
    case TokenError::kTokenInactive:
      return "TokenInactive";
    case TokenError::kKeysUnavailable:
      return "KeysUnavailable";
    case TokenError::kDpopNotAccepted:
      return "DpopNotAccepted";
    case TokenError::kDpopRequired:
      return "DpopRequired";
    case TokenError::kDpopBoundTokenAsBearer:
      return "DpopBoundTokenAsBearer";
    case TokenError::kDpopTokenNotBound:
      return "DpopTokenNotBound";
    case TokenError::kDpopProofMissing:
      return "DpopProofMissing";
    case TokenError::kDpopProofMultiple:
      return "DpopProofMultiple";
    case TokenError::kDpopProofTooLarge:
      return "DpopProofTooLarge";
    case TokenError::kDpopProofMalformed:
      return "DpopProofMalformed";
    case TokenError::kDpopProofTypInvalid:
      return "DpopProofTypInvalid";
    case TokenError::kDpopProofAlgNotAllowed:
      return "DpopProofAlgNotAllowed";
    case TokenError::kDpopProofKeyMissing:
      return "DpopProofKeyMissing";
    case TokenError::kDpopProofPrivateKey:
      return "DpopProofPrivateKey";
    case TokenError::kDpopProofKeyInvalid:
      return "DpopProofKeyInvalid";
    case TokenError::kDpopProofSignatureInvalid:
      return "DpopProofSignatureInvalid";
    case TokenError::kDpopProofClaimMissing:
      return "DpopProofClaimMissing";
    case TokenError::kDpopProofMethodMismatch:
      return "DpopProofMethodMismatch";
    case TokenError::kDpopProofUriMismatch:
      return "DpopProofUriMismatch";
    case TokenError::kDpopProofIatOutOfWindow:
      return "DpopProofIatOutOfWindow";
    case TokenError::kDpopProofAthMissing:
      return "DpopProofAthMissing";
    case TokenError::kDpopProofAthMismatch:
      return "DpopProofAthMismatch";
    case TokenError::kDpopProofKeyMismatch:
      return "DpopProofKeyMismatch";
    case TokenError::kDpopProofReplayed:
      return "DpopProofReplayed";
    case TokenError::kDpopReplayCacheFull:
      return "DpopReplayCacheFull";
  }
  return "Unknown";
}

std::string_view token_error_description(TokenError error) {
  switch (error) {
    case TokenError::kOk:
      return "the token is valid";
    case TokenError::kAuthorizationMissing:
      return "no credentials were presented";
    case TokenError::kAuthorizationNotBearer:
      return "the Authorization scheme is not Bearer";
    case TokenError::kAuthorizationMalformed:
      return "the Authorization header is not a single Bearer token";
    case TokenError::kTokenTooLarge:
      return "the token exceeds the size limit";
    case TokenError::kJweNotSupported:
      return "encrypted tokens (JWE) are not accepted";
    case TokenError::kMalformedCompact:
      return "the token is not a three-part JWS compact serialization";
    case TokenError::kHeaderBase64Invalid:
      return "the token header is not canonical base64url";
    case TokenError::kPayloadBase64Invalid:
      return "the token payload is not canonical base64url";
    case TokenError::kSignatureBase64Invalid:
      return "the token signature is not canonical base64url";
    case TokenError::kHeaderNotJson:
      return "the token header is not valid JSON";
    case TokenError::kHeaderNotObject:
      return "the token header is not a JSON object";
    case TokenError::kHeaderDuplicateMember:
      return "the token header repeats a member";
    case TokenError::kHeaderTooDeep:
      return "the token header is nested too deeply";
    case TokenError::kHeaderMemberInvalid:
      return "a token header member has an invalid value";
    case TokenError::kAlgMissing:
      return "the token header has no algorithm";
    case TokenError::kAlgNone:
      return "unsecured tokens (alg none) are not accepted";
    case TokenError::kAlgUnknown:
      return "the token algorithm is not supported";
    case TokenError::kAlgNotAllowed:
      return "the token algorithm is not allowed";
    case TokenError::kCritUnsupported:
      return "the token requires an unsupported extension (crit)";
    case TokenError::kNestedToken:
      return "nested tokens (cty JWT) are not accepted";
    case TokenError::kTypMismatch:
      return "the token type (typ) is not accepted";
    case TokenError::kPayloadNotJson:
      return "the token payload is not valid JSON";
    case TokenError::kPayloadNotObject:
      return "the token payload is not a JSON object";
    case TokenError::kPayloadDuplicateMember:
      return "the token repeats a claim";
    case TokenError::kPayloadTooDeep:
      return "the token claims are nested too deeply";
    case TokenError::kIssuerMissing:
      return "the token has no issuer";
    case TokenError::kIssuerInvalid:
      return "the token issuer is not a string";
    case TokenError::kIssuerUnknown:
      return "the token issuer is not trusted";
    case TokenError::kKeyNotFound:
      return "no verification key matches the token";
    case TokenError::kKeyAlgorithmMismatch:
      return "the verification key does not allow the token algorithm";
    case TokenError::kSignatureLengthInvalid:
      return "the token signature has the wrong length";
    case TokenError::kSignatureInvalid:
      return "the token signature is invalid";
    case TokenError::kAudienceMissing:
      return "the token has no audience";
    case TokenError::kAudienceInvalid:
      return "the token audience is malformed";
    case TokenError::kAudienceMismatch:
      return "the token is not intended for this audience";
    case TokenError::kExpMissing:
      return "the token has no expiry time";
    case TokenError::kExpInvalid:
      return "the token expiry time is malformed";
    case TokenError::kExpired:
      return "the token has expired";
    case TokenError::kNbfInvalid:
      return "the token not-before time is malformed";
    case TokenError::kNotYetValid:
      return "the token is not yet valid";
    case TokenError::kIatInvalid:
      return "the token issue time is malformed";
    case TokenError::kIatInFuture:
      return "the token was issued in the future";
    case TokenError::kAuthTimeInvalid:
      return "the token authentication time is malformed";
    case TokenError::kAuthTimeInFuture:
      return "the token authentication time is in the future";
    case TokenError::kRequiredClaimMissing:
      return "the token lacks a required claim";
    case TokenError::kSubjectInvalid:
      return "the token subject (sub) is not a string";
    case TokenError::kJwtIdInvalid:
      return "the token identifier (jti) is not a string";
    case TokenError::kTokenInactive:
      return "the token is not active";
    case TokenError::kKeysUnavailable:
      return "the keys of the token's issuer are not available yet";
    case TokenError::kDpopNotAccepted:
      return "the token's issuer is not configured for DPoP";
    case TokenError::kDpopRequired:
      return "the token's issuer requires DPoP-bound tokens";
    case TokenError::kDpopBoundTokenAsBearer:
      return "a DPoP-bound token was presented as a Bearer token";
    case TokenError::kDpopTokenNotBound:
      return "the token is not bound to a DPoP key (no cnf.jkt)";
    case TokenError::kDpopProofMissing:
      return "no DPoP proof came with the DPoP token";
    case TokenError::kDpopProofMultiple:
      return "more than one DPoP header";
    case TokenError::kDpopProofTooLarge:
      return "the DPoP proof exceeds the size limit";
    case TokenError::kDpopProofMalformed:
      return "the DPoP proof is not a well-formed JWS";
    case TokenError::kDpopProofTypInvalid:
      return "the DPoP proof's typ is not dpop+jwt";
    case TokenError::kDpopProofAlgNotAllowed:
      return "the DPoP proof's algorithm is not allowed";
    case TokenError::kDpopProofKeyMissing:
      return "the DPoP proof has no jwk header";
    case TokenError::kDpopProofPrivateKey:
      return "the DPoP proof's jwk holds a private key";
    case TokenError::kDpopProofKeyInvalid:
      return "the DPoP proof's jwk is not a usable public key";
    case TokenError::kDpopProofSignatureInvalid:
      return "the DPoP proof's signature is invalid";
    case TokenError::kDpopProofClaimMissing:
      return "the DPoP proof lacks jti, htm, htu or iat";
    case TokenError::kDpopProofMethodMismatch:
      return "the DPoP proof is for another HTTP method";
    case TokenError::kDpopProofUriMismatch:
      return "the DPoP proof is for another URI";
    case TokenError::kDpopProofIatOutOfWindow:
      return "the DPoP proof was issued too long ago or in the future";
    case TokenError::kDpopProofAthMissing:
      return "the DPoP proof has no access token hash (ath)";
    case TokenError::kDpopProofAthMismatch:
      return "the DPoP proof is for another access token";
    case TokenError::kDpopProofKeyMismatch:
      return "the DPoP proof's key is not the one the token is bound to";
    case TokenError::kDpopProofReplayed:
      return "the DPoP proof was used before";
    case TokenError::kDpopReplayCacheFull:
      return "the DPoP proof cannot be remembered now";
  }
  return "the token is invalid";
}

bool is_request_error(TokenError error) {
  return error == TokenError::kAuthorizationNotBearer ||
         error == TokenError::kAuthorizationMalformed || error == TokenError::kDpopProofMultiple;
}

bool is_dpop_proof_error(TokenError error) {
  return error >= TokenError::kDpopProofMissing && error <= TokenError::kDpopReplayCacheFull &&
         error != TokenError::kDpopProofMultiple;
}

}  // namespace stepup
