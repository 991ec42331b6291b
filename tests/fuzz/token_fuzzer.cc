// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Fuzz target for the token path: the Authorization header parser, the JWS
// compact parser (token_internal::parse_jws) and full verification with
// TokenVerifier::verify_at against one public key of every supported type.
// The seed corpus (corpus/token/) holds valid tokens signed with the private
// halves of the keys below, so mutations start deep in the verifier.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "attributes/request_attributes.h"
#include "fuzz_check.h"
#include "json/json_text.h"
#include "json/strict_json.h"
#include "stepup/algorithm.h"
#include "stepup/key_set.h"
#include "stepup/token_error.h"
#include "stepup/token_verifier.h"
#include "token/base64url.h"
#include "token/claims_check.h"
#include "token/jws.h"

namespace {

using stepup::Algorithm;
using stepup::TokenError;

constexpr std::string_view kIssuer = "https://as.example.com";
constexpr std::string_view kAudience = "https://api.example.com";
constexpr std::string_view kTyp = "at+jwt";
constexpr int64_t kSkew = 60;
constexpr std::size_t kMaxTokenBytes = 8192;
// 2026-01-01T00:00:00Z. The seed tokens have iat before it and exp 4102444800.
constexpr int64_t kNow = 1767225600;

// Public keys only (generated once for the fuzzer; the private halves signed
// the seed corpus and were discarded): RSA 2048, EC P-256, P-384, P-521,
// Ed25519, and a 64-byte HMAC secret, which is public by construction here.
constexpr char kJwks[] =
    "{\"keys\":[\n"
    "{\"kty\":\"RSA\",\"kid\":\"rsa-2048\",\"n\":\"xCvpAMePO45mvVWinK6CnUzInV0Y6BIYc2RqUU-bbB"
    "rrPr8L2xr0vYE3OysWAY7vnnXH4-aUh0XMHsGyab9RtB5sAR8lsAOo7757teHW132O_HbHiruVtNdnvKY2q-Xd43"
    "yfqfHV9FX5c84VsJmiadG0cllI95-mBFWkWoOcf5sw4j-OW4Llas48Y2q4VPoF-XpenOguRBq9EejToCo3dQj9Fv"
    "lKyemZx9yrYGdGwhTkDtbvrmWY_ZOU97bodOY3ZH-rhMkeom3vSm0E3T4DxxiXXYo34emUvbkCa71vHtNv62HLnN"
    "Km6sPnRcheOvHhSYEwyUDn135zRGKad6Ut7w\",\"e\":\"AQAB\"},\n"
    "{\"kty\":\"EC\",\"kid\":\"ec-p256\",\"crv\":\"P-256\",\"x\":\"Y6z-OA4rLYj0IMVCXrJA6rsvIm"
    "fd9yuWi975kIxTpLQ\",\"y\":\"spg-pD1Q3qMVrxFp834PKEuGFQxVNeQArxwUNLAeKbs\"},\n"
    "{\"kty\":\"EC\",\"kid\":\"ec-p384\",\"crv\":\"P-384\",\"x\":\"ZD4O2luthXOp2M6XCjtaU6e8F6"
    "j8LcV2nzmzmcACkxn0puMNSy4h5BFqN4jE96sY\",\"y\":\"0IMXy41GL5VDnCcr0LUqwfVGM8I7De_DWA4Zkej"
    "A6VPWogoBFA3GnbVpBcHB0cZc\"},\n"
    "{\"kty\":\"EC\",\"kid\":\"ec-p521\",\"crv\":\"P-521\",\"x\":\"AACrjaO3Vw5TyUyDdOntsADVsp"
    "vVWiNFIGZfG99lX_bpclh749CxO8AuIzVWqlB4IUd9kX0yWmcUdtVqSpsxVy_1\",\"y\":\"Ac0GMLLqSU7ojj-"
    "Wi4tg5xyZH3r2N1XgeNuNXHwMUt0yBlFA07-3TQzATrspsi7iuQex83gIOfDiaCl37sxR0pqf\"},\n"
    "{\"kty\":\"OKP\",\"kid\":\"ed25519\",\"crv\":\"Ed25519\",\"x\":\"OLUmVDQunyCU7-gFICoEneF"
    "afxGv5og-BSjMIOFrPjc\"},\n"
    "{\"kty\":\"oct\",\"kid\":\"hmac-512\",\"k\":\"dMJJwG8by4yPAEpTROyeDrEzJIuPNT664-Y-U9CSck"
    "JbVLJ_9T8qCr-aq5VWwRC5An-3R2LMstfDIDHomQ9blw\"}\n"
    "]}\n";

const stepup::TokenVerifier& verifier() {
  static const stepup::TokenVerifier* const instance = [] {
    absl::StatusOr<stepup::KeySet> keys = stepup::KeySet::from_jwks(kJwks);
    if (!keys.ok()) {
      std::fprintf(stderr, "embedded JWKS refused: %s\n", keys.status().ToString().c_str());
      std::abort();
    }
    FUZZ_CHECK(keys->size() == 6);
    stepup::ValidatorOptions validator;
    validator.issuer = std::string(kIssuer);
    validator.audience = {std::string(kAudience)};
    for (int i = 0; i < stepup::kAlgorithmCount; ++i) {
      validator.algorithms.push_back(static_cast<Algorithm>(i));
    }
    validator.typ = std::string(kTyp);
    validator.clock_skew_seconds = kSkew;
    validator.max_token_bytes = kMaxTokenBytes;
    validator.keys = *std::move(keys);
    stepup::TokenVerifierOptions options;
    options.validators.push_back(std::move(validator));
    absl::StatusOr<stepup::TokenVerifier> created =
        stepup::TokenVerifier::create(std::move(options));
    if (!created.ok()) {
      std::fprintf(stderr, "TokenVerifier::create failed: %s\n",
                   created.status().ToString().c_str());
      std::abort();
    }
    return new stepup::TokenVerifier(*std::move(created));
  }();
  return *instance;
}

// STEPUP_FUZZ_VERBOSE=1 prints each outcome: for checking what the seeds reach.
bool verbose() {
  static const bool value = std::getenv("STEPUP_FUZZ_VERBOSE") != nullptr;
  return value;
}

// The codes parse_jws can return; verify_at must report them unchanged.
bool is_parse_error(TokenError error) {
  switch (error) {
    case TokenError::kJweNotSupported:
    case TokenError::kMalformedCompact:
    case TokenError::kHeaderBase64Invalid:
    case TokenError::kPayloadBase64Invalid:
    case TokenError::kSignatureBase64Invalid:
    case TokenError::kHeaderNotJson:
    case TokenError::kHeaderNotObject:
    case TokenError::kHeaderDuplicateMember:
    case TokenError::kHeaderTooDeep:
    case TokenError::kHeaderMemberInvalid:
    case TokenError::kAlgMissing:
    case TokenError::kAlgNone:
    case TokenError::kAlgUnknown:
    case TokenError::kCritUnsupported:
    case TokenError::kNestedToken:
      return true;
    default:
      return false;
  }
}

bool is_b64token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

// Reference for RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
bool is_b64token(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_b64token_char(text[i]))
    ++i;
  if (i == 0) return false;
  while (i < text.size() && text[i] == '=')
    ++i;
  return i == text.size();
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != prefix[i]) return false;
  }
  return true;
}

void check_error_code(TokenError error) {
  FUZZ_CHECK(!stepup::token_error_name(error).empty());
  FUZZ_CHECK(!stepup::token_error_description(error).empty());
}

// Runs parse_jws directly and checks what a successful parse promises.
TokenError check_parse_jws(std::string_view token) {
  stepup::token_internal::ParsedJws jws;
  const TokenError error = stepup::token_internal::parse_jws(token, jws);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  check_error_code(error);
  if (error != TokenError::kOk) {
    FUZZ_CHECK(is_parse_error(error));
    return error;
  }
  // Exactly three segments, header and payload non-empty (an empty signature
  // is parsed, to fail later), each the canonical encoding of what was
  // decoded (so no second encoding of the same bytes is accepted).
  const std::size_t first = token.find('.');
  const std::size_t second = token.find('.', first + 1);
  FUZZ_CHECK(first != std::string_view::npos && second != std::string_view::npos);
  FUZZ_CHECK(token.find('.', second + 1) == std::string_view::npos);
  FUZZ_CHECK(first > 0 && second > first + 1);
  FUZZ_CHECK(jws.signing_input.data() == token.data());
  FUZZ_CHECK(jws.signing_input.size() == second);
  FUZZ_CHECK(jws.payload_size <= jws.payload.size());
  using stepup::token_internal::encode_base64url;
  FUZZ_CHECK(encode_base64url(std::string_view(jws.payload.data(), jws.payload_size)) ==
             token.substr(first + 1, second - first - 1));
  FUZZ_CHECK(encode_base64url(jws.signature) == token.substr(second + 1));
  // The algorithm is a real one (never "none") and its name round-trips.
  const std::string_view name = stepup::algorithm_name(jws.header.algorithm);
  FUZZ_CHECK(!name.empty());
  FUZZ_CHECK(stepup::algorithm_from_name(name) == jws.header.algorithm);
  FUZZ_CHECK(jws.header.has_kid || jws.header.kid.empty());
  FUZZ_CHECK(jws.header.has_typ || jws.header.typ.empty());
  // The payload parses or fails with a payload code.
  stepup::JsonValue claims;
  const TokenError claims_error = stepup::token_internal::parse_claims(jws, claims);
  check_error_code(claims_error);
  // Read where the parser left them (as decide() reads claims), the claims
  // get the same verdict and read exactly as the copy.
  thread_local stepup::json_internal::JsonDocument document;
  FUZZ_CHECK(stepup::token_internal::parse_claims(jws, document) == claims_error);
  FUZZ_CHECK(document.root().present() == (claims_error == TokenError::kOk));
  if (claims_error == TokenError::kOk) {
    FUZZ_CHECK(claims.is_object());
    stepup::JsonValue copy;
    document.root().copy_to(copy);
    FUZZ_CHECK(stepup::json_internal::to_json_text(copy) ==
               stepup::json_internal::to_json_text(claims));
    FUZZ_CHECK(stepup::json_internal::to_json_text(document.root()) ==
               stepup::json_internal::to_json_text(claims));
    for (const stepup::JsonMember& member : claims.members()) {
      FUZZ_CHECK(stepup::json_internal::to_json_text(document.root().find(member.name)) ==
                 stepup::json_internal::to_json_text(member.value));
    }
  } else {
    FUZZ_CHECK(claims_error == TokenError::kPayloadNotJson ||
               claims_error == TokenError::kPayloadNotObject ||
               claims_error == TokenError::kPayloadDuplicateMember ||
               claims_error == TokenError::kPayloadTooDeep);
  }
  return error;
}

// Verifies `token` and checks the result against the validator's configuration.
void check_verify(std::string_view token) {
  const stepup::TokenResult result = verifier().verify_at(token, kNow);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  check_error_code(result.error);
  if (verbose()) {
    std::fprintf(stderr, "verify_at: %s\n",
                 std::string(stepup::token_error_name(result.error)).c_str());
  }
  const TokenError parse_error = check_parse_jws(token);
  if (token.size() > kMaxTokenBytes) {
    FUZZ_CHECK(result.error == TokenError::kTokenTooLarge);
    return;
  }
  if (parse_error != TokenError::kOk) {
    FUZZ_CHECK(result.error == parse_error);
  } else {
    FUZZ_CHECK(!is_parse_error(result.error));
  }
  if (!result.ok()) {
    FUZZ_CHECK(result.validator.empty());
    FUZZ_CHECK(result.claims.payload().is_null());
    return;
  }

  // An accepted token satisfies every rule of the validator.
  const stepup::Claims& claims = result.claims;
  FUZZ_CHECK(result.validator == kIssuer);
  FUZZ_CHECK(claims.payload().is_object());
  FUZZ_CHECK(claims.issuer() == kIssuer);
  const stepup::JsonValue* aud = claims.find("aud");
  FUZZ_CHECK(aud != nullptr);
  bool audience_ok = aud->is_string() && aud->as_string() == kAudience;
  if (aud->is_array()) {
    FUZZ_CHECK(!aud->items().empty());
    for (const stepup::JsonValue& item : aud->items()) {
      FUZZ_CHECK(item.is_string());
      audience_ok = audience_ok || item.as_string() == kAudience;
    }
  }
  FUZZ_CHECK(audience_ok);
  const std::optional<int64_t> exp = claims.expires_at();
  FUZZ_CHECK(exp.has_value());
  FUZZ_CHECK(*exp >= 0 && *exp <= stepup::token_internal::kMaxNumericDate);
  FUZZ_CHECK(kNow < *exp + kSkew);
  if (claims.find("nbf") != nullptr) {
    FUZZ_CHECK(claims.not_before().has_value() && kNow + kSkew >= *claims.not_before());
  }
  if (claims.find("iat") != nullptr) {
    FUZZ_CHECK(claims.issued_at().has_value() && *claims.issued_at() <= kNow + kSkew);
  }
  if (claims.find("auth_time") != nullptr) {
    FUZZ_CHECK(claims.auth_time().has_value() && *claims.auth_time() <= kNow + kSkew);
  }
  // The claims carry the verified header's algorithm, kid and an accepted typ.
  stepup::token_internal::ParsedJws jws;
  FUZZ_CHECK(stepup::token_internal::parse_jws(token, jws) == TokenError::kOk);
  FUZZ_CHECK(claims.algorithm() == jws.header.algorithm);
  FUZZ_CHECK(claims.key_id() == jws.header.kid);
  FUZZ_CHECK(!jws.signature.empty());
  FUZZ_CHECK(jws.header.has_typ &&
             stepup::token_internal::media_type_matches(jws.header.typ, kTyp));
}

void check_bearer(std::string_view input) {
  // The input as a whole header value.
  const stepup::BearerToken bearer = stepup::parse_bearer_authorization(input);
  check_error_code(bearer.error);
  if (bearer.error == TokenError::kOk) {
    FUZZ_CHECK(starts_with_ignoring_case(input, "bearer "));
    FUZZ_CHECK(!bearer.token.empty());
    // A suffix of the header value, pointing into it.
    FUZZ_CHECK(bearer.token.data() >= input.data());
    FUZZ_CHECK(bearer.token.data() + bearer.token.size() == input.data() + input.size());
    FUZZ_CHECK(is_b64token(bearer.token));
    check_verify(bearer.token);
  } else {
    FUZZ_CHECK(bearer.error == TokenError::kAuthorizationNotBearer ||
               bearer.error == TokenError::kAuthorizationMalformed);
    FUZZ_CHECK(stepup::is_request_error(bearer.error));
    FUZZ_CHECK(bearer.token.empty());
  }

  // The input as the credentials after "Bearer ": accepted exactly when it is
  // a b64token once the separating spaces are skipped.
  std::string header = "Bearer " + std::string(input);
  const stepup::BearerToken prefixed = stepup::parse_bearer_authorization(header);
  std::string_view expected = input;
  while (!expected.empty() && expected.front() == ' ') {
    expected.remove_prefix(1);
  }
  if (is_b64token(expected)) {
    FUZZ_CHECK(prefixed.error == TokenError::kOk);
    FUZZ_CHECK(prefixed.token == expected);
  } else {
    FUZZ_CHECK(prefixed.error == TokenError::kAuthorizationMalformed);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const bool initialized = [] {
    const stepup::BearerToken missing = stepup::parse_bearer_authorization(std::nullopt);
    FUZZ_CHECK(missing.error == TokenError::kAuthorizationMissing);
    FUZZ_CHECK(!stepup::is_request_error(TokenError::kAuthorizationMissing));
    (void)verifier();
    return true;
  }();
  (void)initialized;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_verify(input);
  check_bearer(input);
  return 0;
}
