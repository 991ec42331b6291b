// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_BEARER_H_
#define STEPUP_LIB_TOKEN_BEARER_H_

#include <optional>
#include <string_view>

#include "stepup/token_verifier.h"

namespace stepup::token_internal {

// parse_bearer_authorization() in two steps, so that a caller holding a
// cache of tokens that passed both can skip the second for a token it has
// seen: locate_bearer_token() checks the scheme and finds the token (every
// check but the token's characters); is_b64token() checks those.
// parse_bearer_authorization(v) == locate, then is_b64token or kAuthorizationMalformed.
BearerToken locate_bearer_token(std::optional<std::string_view> header_value);

// The scheme an access token came under.
enum class TokenScheme { kBearer, kDpop };

struct LocatedToken {
  TokenError error = TokenError::kOk;  // kOk, or one of the kAuthorization* codes.
  std::string_view token;              // Points into the header value.
  TokenScheme scheme = TokenScheme::kBearer;
};

// locate_bearer_token() that also takes the `DPoP` scheme (RFC 9449 §7.1,
// same token syntax); schemes compare case-insensitively.
LocatedToken locate_access_token(std::optional<std::string_view> header_value);

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
bool is_b64token(std::string_view token);

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_BEARER_H_
