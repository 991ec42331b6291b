// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "common/ascii.h"
#include "stepup/token_verifier.h"

namespace stepup {
namespace {

bool is_b64token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

}  // namespace

BearerToken parse_bearer_authorization(std::optional<std::string_view> header_value) {
  if (!header_value) return {TokenError::kAuthorizationMissing, {}};
  const std::string_view value = *header_value;
  const std::size_t space = value.find(' ');
  const std::string_view scheme = value.substr(0, space);
  if (scheme.empty()) return {TokenError::kAuthorizationMalformed, {}};
  if (!common::equals_ignoring_ascii_case(scheme, "bearer")) {
    // RFC 9110 §11.1: a scheme is a token; anything else is malformed.
    for (char c : scheme) {
      if (!common::is_tchar(c)) return {TokenError::kAuthorizationMalformed, {}};
    }
    return {TokenError::kAuthorizationNotBearer, {}};
  }
  if (space == std::string_view::npos) return {TokenError::kAuthorizationMalformed, {}};
  std::size_t start = space;
  while (start < value.size() && value[start] == ' ')
    ++start;
  const std::string_view token = value.substr(start);
  // b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  std::size_t i = 0;
  while (i < token.size() && is_b64token_char(token[i]))
    ++i;
  if (i == 0) return {TokenError::kAuthorizationMalformed, {}};
  while (i < token.size() && token[i] == '=')
    ++i;
  if (i != token.size()) return {TokenError::kAuthorizationMalformed, {}};
  return {TokenError::kOk, token};
}

}  // namespace stepup
