// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Helpers shared by the client-side challenge code, exposed for its tests.
#ifndef STEPUP_LIB_CHALLENGE_CLIENT_INTERNAL_H_
#define STEPUP_LIB_CHALLENGE_CLIENT_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepup::challenge_internal {

// RFC 9110 §11.2 token68 characters, not counting the trailing '='.
bool is_token68_char(char c);

// A non-negative decimal integer (digits only, no sign, no spaces) that fits
// in int64_t, as RFC 9470 §3 requires of max_age; nullopt otherwise.
std::optional<int64_t> parse_non_negative_int64(std::string_view text);

// application/x-www-form-urlencoded: unreserved bytes (RFC 3986 §2.3) as
// they are, space as '+', everything else %XX with upper-case hex.
std::string form_urlencode(std::string_view text);

// `text` made safe for a log line: control bytes become \xNN, and text past
// `max_bytes` is cut and marked with "...". The guard's messages quote what
// servers sent, and a log must not be forged through them.
std::string printable(std::string_view text, std::size_t max_bytes = 256);

}  // namespace stepup::challenge_internal

#endif  // STEPUP_LIB_CHALLENGE_CLIENT_INTERNAL_H_
