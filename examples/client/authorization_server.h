// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// What stepup-client needs besides the stepup library: plain HTTP helpers, a
// token request to the test authorization server, and reading (not verifying)
// the acr and auth_time of the token it returns.
#ifndef STEPUP_EXAMPLES_CLIENT_AUTHORIZATION_SERVER_H_
#define STEPUP_EXAMPLES_CLIENT_AUTHORIZATION_SERVER_H_

#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepup_client {

// "http://host:port/path?query" -> {"http://host:port", "/path?query"}.
struct Url {
  std::string origin;
  std::string target;
};
std::optional<Url> split_url(std::string_view url);

// application/x-www-form-urlencoded, as stepup::authorization_request_parameters()
// writes it: unreserved bytes as they are, space as '+', the rest %XX.
std::string form_encode(std::string_view text);

// An httplib client for `origin` with every timeout set to `timeout_ms`.
httplib::Client make_client(const std::string& origin, int timeout_ms);

// A token request or a token that cannot be used: why, for the user.
struct TokenResult {
  std::optional<std::string> token;
  std::string error;
};

// POST {as_url}/token with the form body `form`; the `access_token` of its
// 200 answer (examples/nginx/test_as.py).
// With `dpop_proof` (not empty), sent as the DPoP header: the token is then
// bound to the proof's key (RFC 9449 §5).
TokenResult fetch_token(const std::string& as_url, const std::string& form, int timeout_ms,
                        const std::string& dpop_proof = "");

// The token endpoint's URL, `as_url` + "/token" (what a token request's DPoP
// proof names).
std::string token_endpoint(const std::string& as_url);

// The claims a client reads from a new token to check it against the
// challenge (StepUpRetryGuard::check_new_token). A client does not verify the
// token, the API does; it only reads what it was given, as it would read an
// ID token from the same response.
struct TokenClaims {
  std::optional<std::string> acr;
  std::optional<int64_t> auth_time;
  // Empty when the payload could be read.
  std::string error;
};
TokenClaims read_claims(std::string_view jwt);

}  // namespace stepup_client

#endif  // STEPUP_EXAMPLES_CLIENT_AUTHORIZATION_SERVER_H_
