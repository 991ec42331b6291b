// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Reading an RFC 9470 step-up requirement out of parsed challenges, and
// turning it into authorization request parameters.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "challenge/client_internal.h"
#include "stepup/challenge_client.h"

namespace stepup {
namespace {

constexpr std::string_view kStepUpError = "insufficient_user_authentication";

// RFC 6750 defines Bearer challenges with auth-params only, and RFC 9449
// §7.1 DPoP's alike; a token68 form is neither.
bool is_usable_bearer(const Challenge& challenge) {
  return challenge.valid && (challenge.scheme == "bearer" || challenge.scheme == "dpop") &&
         challenge.token68.empty();
}

std::optional<std::string> optional_param(const Challenge& challenge, std::string_view name) {
  const std::string* value = challenge.param(name);
  if (value == nullptr) return std::nullopt;
  return *value;
}

std::vector<std::string> split_on_spaces(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string join_with_spaces(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out += part;
  }
  return out;
}

void append_parameter(std::string* out, std::string_view name, std::string_view value) {
  if (!out->empty()) out->push_back('&');
  *out += name;
  out->push_back('=');
  *out += challenge_internal::form_urlencode(value);
}

}  // namespace

std::optional<StepUpRequirement> find_step_up(const std::vector<Challenge>& challenges) {
  for (const Challenge& challenge : challenges) {
    if (!is_usable_bearer(challenge)) continue;
    const std::string* error = challenge.param("error");
    if (error == nullptr || *error != kStepUpError) continue;
    StepUpRequirement requirement;
    if (const std::string* max_age = challenge.param("max_age")) {
      requirement.max_age = challenge_internal::parse_non_negative_int64(*max_age);
      // RFC 9470 §3: max_age has to be a non-negative integer; a challenge
      // that breaks this cannot be satisfied knowingly, so it is malformed.
      if (!requirement.max_age) continue;
    }
    if (const std::string* acr_values = challenge.param("acr_values")) {
      requirement.acr_values = split_on_spaces(*acr_values);
    }
    requirement.scope = optional_param(challenge, "scope");
    requirement.realm = optional_param(challenge, "realm");
    requirement.error_description = optional_param(challenge, "error_description");
    requirement.dpop = challenge.scheme == "dpop";
    if (const std::string* algs = challenge.param("algs"); algs != nullptr && requirement.dpop) {
      requirement.dpop_algs = split_on_spaces(*algs);
    }
    requirement.resource_metadata = optional_param(challenge, "resource_metadata");
    return requirement;
  }
  return std::nullopt;
}

ChallengeKind classify(const std::vector<Challenge>& challenges) {
  if (find_step_up(challenges)) return ChallengeKind::kStepUp;
  for (const Challenge& challenge : challenges) {
    if (!is_usable_bearer(challenge)) continue;
    const std::string* error = challenge.param("error");
    if (error == nullptr) return ChallengeKind::kNoCredentials;
    if (*error == "invalid_token") return ChallengeKind::kInvalidToken;
    if (*error == "insufficient_scope") return ChallengeKind::kInsufficientScope;
    if (*error == "invalid_dpop_proof") return ChallengeKind::kInvalidDpopProof;
    if (*error == "use_dpop_nonce") return ChallengeKind::kUseDpopNonce;
    return ChallengeKind::kOther;
  }
  return ChallengeKind::kOther;
}

std::optional<std::string> find_resource_metadata(const std::vector<Challenge>& challenges) {
  for (const Challenge& challenge : challenges) {
    if (!is_usable_bearer(challenge)) continue;
    if (const std::string* url = challenge.param("resource_metadata")) return *url;
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> find_dpop_algorithms(
    const std::vector<Challenge>& challenges) {
  for (const Challenge& challenge : challenges) {
    if (!is_usable_bearer(challenge) || challenge.scheme != "dpop") continue;
    const std::string* algs = challenge.param("algs");
    return algs != nullptr ? split_on_spaces(*algs) : std::vector<std::string>{};
  }
  return std::nullopt;
}

std::string authorization_request_parameters(const StepUpRequirement& requirement,
                                             const AuthorizationRequestOptions& options) {
  std::string out;
  const std::string acr_values = join_with_spaces(requirement.acr_values);
  if (!acr_values.empty()) append_parameter(&out, "acr_values", acr_values);
  // A negative max_age cannot come from find_step_up(); never send one.
  if (requirement.max_age && *requirement.max_age >= 0) {
    append_parameter(&out, "max_age", std::to_string(*requirement.max_age));
  }
  if (options.include_scope && requirement.scope && !requirement.scope->empty()) {
    append_parameter(&out, "scope", *requirement.scope);
  }
  return out;
}

}  // namespace stepup
