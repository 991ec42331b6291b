// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_HTTP_TEXT_H_
#define STEPUP_TOOLS_GATEWAY_HTTP_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace stepup::gateway {

// The reason phrase of an HTTP status (RFC 9110 §15), such as "Unauthorized";
// "Unknown" for codes it does not know.
std::string_view reason_phrase(int status);

// True when `text` is a non-empty RFC 9110 §5.6.2 token (as methods are).
bool is_http_token(std::string_view text);

// The path and query of `url`, byte for byte, which is either origin-form
// (`/a/b?c`) or absolute (`https://host:8443/a/b?c`, the scheme any RFC 3986
// scheme). Nothing is decoded: `%23` stays three bytes. An absolute URL
// without a path gives `/` (followed by its query). nullopt when `url` is
// neither, or holds a `#` (a request target has no fragment, RFC 9112 §3.2),
// a space, a control character or a byte above 0x7e.
std::optional<std::string> request_target(std::string_view url);

// True when `value` may be copied into a response header as it is: 1 to 128
// visible ASCII characters (0x21 to 0x7e), nothing else.
bool is_safe_to_echo(std::string_view value);

// Compares a presented secret with the configured one in time that depends
// only on their lengths, not on where they differ.
bool secrets_equal(std::string_view presented, std::string_view expected);

// `text` without leading and trailing spaces and tabs (HTTP's OWS).
std::string_view trim_whitespace(std::string_view text);

// Lower-case ASCII copy.
std::string ascii_lower(std::string_view text);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_HTTP_TEXT_H_
