// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// StepUpRetryGuard: per-resource step-up bookkeeping in a bounded LRU.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "challenge/client_internal.h"
#include "stepup/challenge_client.h"

namespace stepup {
namespace challenge_internal {

struct ResourceState {
  // The requirement on_challenge() accepted and no token has answered yet.
  std::optional<StepUpRequirement> pending;
  // Every requirement a step-up was attempted for; at most
  // max_step_ups_per_resource entries, since on_challenge() stops there.
  std::vector<StepUpRequirement> attempted;
};

struct GuardState {
  using Entry = std::pair<std::string, ResourceState>;

  explicit GuardState(StepUpRetryGuardOptions o) : options(o) {
    options.max_tracked_resources = std::max<std::size_t>(options.max_tracked_resources, 1);
    options.clock_skew_seconds = std::max<int64_t>(options.clock_skew_seconds, 0);
  }

  // The state of `resource`, now the most recently used, or nullptr.
  ResourceState* find(std::string_view resource) {
    const auto it = index.find(resource);
    if (it == index.end()) return nullptr;
    lru.splice(lru.begin(), lru, it->second);
    return &it->second->second;
  }

  // The state of `resource`, created (evicting the least recently used
  // resource when full) if it is not tracked.
  ResourceState* find_or_add(std::string_view resource) {
    if (ResourceState* state = find(resource)) return state;
    if (lru.size() >= options.max_tracked_resources) {
      index.erase(lru.back().first);
      lru.pop_back();
    }
    lru.emplace_front(std::string(resource), ResourceState{});
    index.emplace(lru.front().first, lru.begin());
    return &lru.front().second;
  }

  void erase(std::string_view resource) {
    const auto it = index.find(resource);
    if (it == index.end()) return;
    lru.erase(it->second);
    index.erase(it);
  }

  StepUpRetryGuardOptions options;
  mutable std::mutex mu;
  std::list<Entry> lru;  // Most recently used first.
  std::map<std::string, std::list<Entry>::iterator, std::less<>> index;
};

}  // namespace challenge_internal

namespace {

using challenge_internal::printable;

std::set<std::string> as_set(const std::vector<std::string>& values) {
  return std::set<std::string>(values.begin(), values.end());
}

std::set<std::string> scope_set(const std::optional<std::string>& scope) {
  std::set<std::string> tokens;
  if (!scope) return tokens;
  std::size_t start = 0;
  while (start <= scope->size()) {
    std::size_t end = scope->find(' ', start);
    if (end == std::string::npos) end = scope->size();
    if (end > start) tokens.insert(scope->substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

// Order and repeats in acr_values or scope do not change what is asked for.
bool same_requirement(const StepUpRequirement& a, const StepUpRequirement& b) {
  return as_set(a.acr_values) == as_set(b.acr_values) && a.max_age == b.max_age &&
         scope_set(a.scope) == scope_set(b.scope);
}

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) {
    if (!out.empty()) out.push_back(' ');
    out += value;
  }
  return printable(out);
}

std::string describe(const StepUpRequirement& requirement) {
  std::string out;
  if (!requirement.acr_values.empty()) out = "acr_values " + join(requirement.acr_values);
  if (requirement.max_age) {
    if (!out.empty()) out += ", ";
    out += "max_age " + std::to_string(*requirement.max_age);
  }
  if (requirement.scope) {
    if (!out.empty()) out += ", ";
    out += "scope " + printable(*requirement.scope);
  }
  return out.empty() ? "no acr_values, max_age or scope" : out;
}

std::string quoted(std::string_view resource) {
  return "'" + printable(resource) + "'";
}

// now - auth_time > max_age + skew, without overflow: a huge max_age never
// expires, an auth_time from the far past always has.
bool too_old(int64_t auth_time, int64_t now, int64_t max_age, int64_t skew) {
  int64_t allowed = 0;
  if (__builtin_add_overflow(max_age, skew, &allowed)) return false;
  int64_t age = 0;
  if (__builtin_sub_overflow(now, auth_time, &age)) return now > auth_time;
  return age > allowed;
}

void record_attempt(challenge_internal::ResourceState* state) {
  state->attempted.push_back(std::move(*state->pending));
  state->pending.reset();
}

}  // namespace

StepUpRetryGuard::StepUpRetryGuard(StepUpRetryGuardOptions options)
    : state_(std::make_unique<challenge_internal::GuardState>(options)) {}

StepUpRetryGuard::~StepUpRetryGuard() = default;

absl::Status StepUpRetryGuard::on_challenge(std::string_view resource,
                                            const StepUpRequirement& requirement) {
  const std::lock_guard<std::mutex> lock(state_->mu);
  const std::size_t limit = state_->options.max_step_ups_per_resource;
  challenge_internal::ResourceState* state = state_->find(resource);
  const std::size_t attempts = state == nullptr ? 0 : state->attempted.size();
  if (state != nullptr) {
    for (const StepUpRequirement& earlier : state->attempted) {
      if (same_requirement(earlier, requirement)) {
        return absl::FailedPreconditionError(
            "step-up loop for resource " + quoted(resource) +
            ": it asked again for the same step-up (" + describe(requirement) +
            ") after a step-up for it was attempted; not asking the user again");
      }
    }
  }
  if (attempts >= limit) {
    return absl::FailedPreconditionError(
        "step-up limit reached for resource " + quoted(resource) + ": " + std::to_string(attempts) +
        " step-up(s) attempted, max_step_ups_per_resource is " + std::to_string(limit) +
        "; not stepping up again for " + describe(requirement));
  }
  if (state == nullptr) state = state_->find_or_add(resource);
  state->pending = requirement;
  return absl::OkStatus();
}

absl::Status StepUpRetryGuard::check_new_token(std::string_view resource,
                                               std::optional<std::string_view> acr,
                                               std::optional<int64_t> auth_time,
                                               int64_t now_seconds) {
  const std::lock_guard<std::mutex> lock(state_->mu);
  challenge_internal::ResourceState* state = state_->find(resource);
  if (state == nullptr || !state->pending) {
    return absl::FailedPreconditionError("no step-up is pending for resource " + quoted(resource) +
                                         "; call on_challenge first");
  }
  const StepUpRequirement requirement = *state->pending;
  // The attempt counts whatever the token says: the user was asked already.
  record_attempt(state);
  const std::vector<std::string>& acr_values = requirement.acr_values;
  if (!acr_values.empty()) {
    if (!acr) {
      return absl::FailedPreconditionError(
          "the authorization server returned no acr, which does not satisfy acr_values " +
          join(acr_values) + " for resource " + quoted(resource));
    }
    if (std::find(acr_values.begin(), acr_values.end(), *acr) == acr_values.end()) {
      return absl::FailedPreconditionError("the authorization server returned acr " +
                                           printable(*acr) +
                                           ", which does not satisfy acr_values " +
                                           join(acr_values) + " for resource " + quoted(resource));
    }
  }
  if (requirement.max_age) {
    if (!auth_time) {
      return absl::FailedPreconditionError(
          "the authorization server returned no auth_time, which max_age " +
          std::to_string(*requirement.max_age) + " requires, for resource " + quoted(resource));
    }
    if (too_old(*auth_time, now_seconds, *requirement.max_age,
                state_->options.clock_skew_seconds)) {
      return absl::FailedPreconditionError(
          "the authorization server returned auth_time " + std::to_string(*auth_time) +
          ", which does not satisfy max_age " + std::to_string(*requirement.max_age) + " at time " +
          std::to_string(now_seconds) + " (clock skew " +
          std::to_string(state_->options.clock_skew_seconds) + " seconds), for resource " +
          quoted(resource));
    }
  }
  return absl::OkStatus();
}

void StepUpRetryGuard::record_step_up(std::string_view resource) {
  const std::lock_guard<std::mutex> lock(state_->mu);
  challenge_internal::ResourceState* state = state_->find(resource);
  if (state != nullptr && state->pending) record_attempt(state);
}

void StepUpRetryGuard::on_success(std::string_view resource) {
  const std::lock_guard<std::mutex> lock(state_->mu);
  state_->erase(resource);
}

std::size_t StepUpRetryGuard::tracked_resources() const {
  const std::lock_guard<std::mutex> lock(state_->mu);
  return state_->lru.size();
}

}  // namespace stepup
