// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_JWS_H_
#define STEPUP_LIB_TOKEN_JWS_H_

#include <string>
#include <string_view>

#include "json/strict_json.h"
#include "stepup/algorithm.h"
#include "stepup/json_value.h"
#include "stepup/token_error.h"

namespace stepup::token_internal {

// Nesting limit for the JOSE header and the claims (top-level object = 1).
inline constexpr int kMaxTokenJsonDepth = 16;

// The JOSE header members stepup acts on (RFC 7515 §4.1). Others, including
// `jku`, `x5u`, `jwk` and `x5c`, are ignored: keys never come from the token.
struct JoseHeader {
  Algorithm algorithm = Algorithm::kRS256;
  std::string kid;
  bool has_kid = false;
  std::string typ;
  bool has_typ = false;
};

// A split and decoded JWS compact serialization (RFC 7515 §7.1).
struct ParsedJws {
  std::string_view signing_input;  // "header.payload", pointing into the token.
  JoseHeader header;
  std::string payload;  // Decoded; followed by simdjson padding (size excludes it).
  std::size_t payload_size = 0;
  std::string signature;  // Decoded signature bytes.
  // Scratch for the header's parse, kept so that a reused ParsedJws does
  // not allocate.
  std::string header_bytes;
  JsonValue header_json;
};

// Splits the token into exactly three segments, decodes each as canonical
// base64url, parses the header strictly (duplicates, depth, `crit`, `none`,
// JWE) and reads `alg`, `kid` and `typ`. The payload is decoded, not parsed.
TokenError parse_jws(std::string_view compact, ParsedJws& out);

// Parses the decoded payload as the JWT claims object (RFC 7519 §7.2 step 10)
// into `document`, where document.root() reads the claims.
TokenError parse_claims(const ParsedJws& jws, json_internal::JsonDocument& document);
// The same, copied into `claims`.
TokenError parse_claims(const ParsedJws& jws, JsonValue& claims);

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_JWS_H_
