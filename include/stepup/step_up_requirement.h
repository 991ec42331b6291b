// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_STEP_UP_REQUIREMENT_H_
#define STEPUP_STEP_UP_REQUIREMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stepup {

// What an RFC 9470 step-up challenge asks for: the engine puts it in
// Decision::step_up, and a client reads it from a server's answer with
// find_step_up() (stepup/challenge_client.h).
struct StepUpRequirement {
  // The acceptable `acr` values, most preferred first (the `acr_values`
  // parameter split on spaces, empty entries dropped). Empty: any.
  std::vector<std::string> acr_values = {};
  // The greatest acceptable age of the authentication, in seconds.
  std::optional<int64_t> max_age = std::nullopt;
  // The `scope` parameter, as sent.
  std::optional<std::string> scope = std::nullopt;
  // The `realm` parameter, as sent.
  std::optional<std::string> realm = std::nullopt;
  // The `error_description` parameter, as sent (server text: show it as
  // data, never as markup).
  std::optional<std::string> error_description = std::nullopt;
  // The challenge's scheme was DPoP (RFC 9449 §7.1): retry with a DPoP-bound
  // token and a new proof, in one of `dpop_algs` (empty: any).
  bool dpop = false;
  std::vector<std::string> dpop_algs = {};
  // The `resource_metadata` parameter (RFC 9728 §5.1), as sent.
  std::optional<std::string> resource_metadata = std::nullopt;
};

}  // namespace stepup

#endif  // STEPUP_STEP_UP_REQUIREMENT_H_
