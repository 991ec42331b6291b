// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CHALLENGE_CHALLENGE_BUILDER_H_
#define STEPUP_LIB_CHALLENGE_CHALLENGE_BUILDER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/decision.h"

namespace stepup::challenge {

// The parameters of one Bearer or DPoP challenge (RFC 6750 §3, RFC 9470 §3,
// RFC 9449 §7.1). Every
// value must already be header-safe: lib/config checks it when the policy
// document loads, and request data never reaches here.
struct BearerChallenge {
  std::string_view realm = {};              // Empty: no realm parameter.
  std::string_view error = {};              // Empty: no error (no credentials).
  std::string_view error_description = {};  // Empty: none.
  std::vector<std::string_view> acr_values = {};
  std::optional<int64_t> max_age = {};
  std::string_view scope = {};
  std::string_view resource_metadata = {};  // RFC 9728 §5.1. Empty: none.
  bool dpop = false;                        // The DPoP scheme instead of Bearer.
  std::string_view algs = {};               // DPoP only: space-separated. Empty: none.
};

// `Bearer realm="...", error="...", error_description="...",
// acr_values="a b", max_age="300", scope="...", resource_metadata="..."`:
// each parameter once, in that order, only those present (SPEC §5); a DPoP
// challenge has `algs="ES256 EdDSA"` before resource_metadata. With no
// parameter at all: `Bearer` (or `DPoP`).
std::string format_bearer_challenge(const BearerChallenge& challenge);
// The same into `out` (replacing its content, reusing its storage).
void write_bearer_challenge(const BearerChallenge& challenge, std::string& out);
// The same after `out`'s challenges, separated by ", " (RFC 9110 §11.6.1).
void append_challenge(const BearerChallenge& challenge, std::string& out);

// One `auth-challenge` statement's demand, compiled from its payload at
// load time (SPEC §4 step 5).
struct StepUpDemand {
  // The acceptable acr values, most preferred first: `acr_values` as given,
  // or `min_acr` expanded to every level from it upward, weakest first.
  // Empty when the payload names neither.
  std::vector<std::string> acr_values = {};
  std::optional<int64_t> max_age = {};
  std::optional<std::string> error_description = {};
};

// The merged requirement of several demands (SPEC §4 step 5): max_age the
// smallest; acr_values the first list narrowed to the values every list
// allows (order kept), or the first list when none is common.
struct MergedRequirement {
  std::vector<std::string_view> acr_values;
  std::optional<int64_t> max_age;
  std::string_view error_description;  // The first demand's, if any.
};

// Merges `demands` in order. Strings point into them.
MergedRequirement merge_step_up(const std::vector<const StepUpDemand*>& demands);

// RFC 9470's default descriptions.
inline constexpr std::string_view kAcrDescription = "A different authentication level is required";
inline constexpr std::string_view kMaxAgeDescription = "More recent authentication is required";

}  // namespace stepup::challenge

#endif  // STEPUP_LIB_CHALLENGE_CHALLENGE_BUILDER_H_
