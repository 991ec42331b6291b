// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_SIDEBAND_STATE_H_
#define STEPUP_TOOLS_GATEWAY_SIDEBAND_STATE_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepup::gateway {

// Why a sideband `state` was refused.
enum class StateError { kOk, kMalformed, kForged, kExpired, kOtherRequest };

// Issues and checks the opaque `state` of the sideband protocol: a value
// the gateway hands out with a permitted request and the client sends back
// with the response call. It binds the request's method and URL path (not
// its query, which clients re-encode between the calls) to the time it was
// issued, under an HMAC-SHA256 keyed by a key derived from the shared
// secret, so that every gateway sharing the secret accepts it, across
// restarts. It carries no token and no claim.
//
// Form: "v1." base64url(payload) "." base64url(MAC), payload
// "<issued-at>\n<method>\n<url without query>".
class SidebandStateSigner {
 public:
  // `secret`: the sideband shared secret (may be empty: then every state
  // is refused).
  SidebandStateSigner(std::string_view secret, std::chrono::seconds lifetime);

  // A state for the request `method` `url`, issued at `now` (epoch seconds).
  std::string issue(std::string_view method, std::string_view url, int64_t now) const;

  // Checks `state` at `now`; with `method` and `url` given (the response
  // call's own), they must be the ones it was issued for.
  StateError check(std::string_view state, std::optional<std::string_view> method,
                   std::optional<std::string_view> url, int64_t now) const;

 private:
  std::array<unsigned char, 32> key_{};
  bool has_key_ = false;
  std::chrono::seconds lifetime_;
};

// The words a 400 answer uses for `error`.
std::string_view state_error_message(StateError error);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_SIDEBAND_STATE_H_
