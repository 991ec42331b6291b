// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/bearer.h"

#include <array>

#include "common/ascii.h"

namespace stepup {
namespace token_internal {
namespace {

// A table, since this runs over every byte of every token.
constexpr std::array<bool, 256> kB64TokenChars = [] {
  std::array<bool, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c)
    table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c)
    table[c] = true;
  for (int c = '0'; c <= '9'; ++c)
    table[c] = true;
  for (char c : std::string_view("-._~+/"))
    table[static_cast<unsigned char>(c)] = true;
  return table;
}();

}  // namespace

LocatedToken locate_access_token(std::optional<std::string_view> header_value) {
  if (!header_value) return {TokenError::kAuthorizationMissing, {}};
  const std::string_view value = *header_value;
  const std::size_t space = value.find(' ');
  const std::string_view scheme = value.substr(0, space);
  if (scheme.empty()) return {TokenError::kAuthorizationMalformed, {}};
  LocatedToken located;
  if (common::equals_ignoring_ascii_case(scheme, "dpop")) {
    located.scheme = TokenScheme::kDpop;
  } else if (!common::equals_ignoring_ascii_case(scheme, "bearer")) {
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
  located.token = value.substr(start);
  if (located.token.empty()) return {TokenError::kAuthorizationMalformed, {}};
  return located;
}

BearerToken locate_bearer_token(std::optional<std::string_view> header_value) {
  const LocatedToken located = locate_access_token(header_value);
  if (located.error == TokenError::kOk && located.scheme != TokenScheme::kBearer) {
    return {TokenError::kAuthorizationNotBearer, {}};
  }
  return {located.error, located.token};
}

bool is_b64token(std::string_view token) {
  std::size_t i = 0;
  while (i < token.size() && kB64TokenChars[static_cast<unsigned char>(token[i])])
    ++i;
  if (i == 0) return false;
  while (i < token.size() && token[i] == '=')
    ++i;
  return i == token.size();
}

}  // namespace token_internal

BearerToken parse_bearer_authorization(std::optional<std::string_view> header_value) {
  BearerToken bearer = token_internal::locate_bearer_token(header_value);
  if (bearer.error == TokenError::kOk && !token_internal::is_b64token(bearer.token)) {
    return {TokenError::kAuthorizationMalformed, {}};
  }
  return bearer;
}

}  // namespace stepup
