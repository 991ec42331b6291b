// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "metrics/counters.h"

#include <algorithm>

namespace stepup::metrics {

void CounterBlock::count_latency(uint64_t nanoseconds) {
  const auto bucket =
      std::lower_bound(kLatencyBoundsNs.begin(), kLatencyBoundsNs.end(), nanoseconds);
  latency_buckets[static_cast<std::size_t>(bucket - kLatencyBoundsNs.begin())].add();
  latency_sum_ns.add(nanoseconds);
}

CounterBlock* Registry::block_for_this_thread() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<CounterBlock>& block = blocks_[std::this_thread::get_id()];
  if (!block) block = std::make_unique<CounterBlock>();
  return block.get();
}

Registry::ChallengeSlotPlan Registry::plan_challenge_slots(
    const std::vector<std::string>& rules) const {
  ChallengeSlotPlan plan;
  plan.slots.reserve(rules.size());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    plan.names = challenge_rules_;
    plan.slot_by_name = challenge_slots_;
  }
  for (const std::string& rule : rules) {
    if (const auto found = plan.slot_by_name.find(rule); found != plan.slot_by_name.end()) {
      plan.slots.push_back(found->second);
    } else if (plan.names.size() + 1 >= kChallengeRules) {
      plan.slots.push_back(kChallengeRules - 1);
    } else {
      const auto slot = static_cast<uint16_t>(plan.names.size());
      plan.names.push_back(rule);
      plan.slot_by_name.emplace(rule, slot);
      plan.slots.push_back(slot);
    }
  }
  return plan;
}

void Registry::commit(ChallengeSlotPlan& plan) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  challenge_rules_.swap(plan.names);
  challenge_slots_.swap(plan.slot_by_name);
}

void Registry::count_reload(bool succeeded) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++(succeeded ? reloads_succeeded_ : reloads_failed_);
}

void Registry::count_key_fetch(const std::string& validator, std::string_view outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++key_fetches_[{validator, std::string(outcome)}];
}

MetricsSnapshot Registry::snapshot() const {
  std::array<uint64_t, kResults * kStatusSlots * kErrorSlots> decisions{};
  std::array<uint64_t, kTokenErrors> token_errors{};
  std::array<uint64_t, kChallengeRules> challenges{};
  std::array<uint64_t, kLatencyBoundsNs.size() + 1> latency{};
  std::array<uint64_t, kResults * kResults> shadow{};
  MetricsSnapshot out;
  uint64_t latency_sum_ns = 0;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [thread, block] : blocks_) {
    for (std::size_t i = 0; i < decisions.size(); ++i)
      decisions[i] += block->decisions[i].get();
    for (std::size_t i = 0; i < token_errors.size(); ++i) {
      token_errors[i] += block->token_errors[i].get();
    }
    for (std::size_t i = 0; i < challenges.size(); ++i)
      challenges[i] += block->challenges[i].get();
    for (std::size_t i = 0; i < latency.size(); ++i)
      latency[i] += block->latency_buckets[i].get();
    out.token_cache_hits += block->cache_hits.get();
    out.token_cache_misses += block->cache_misses.get();
    latency_sum_ns += block->latency_sum_ns.get();
    out.decision_log_filtered += block->log_filtered.get();
    for (std::size_t i = 0; i < shadow.size(); ++i)
      shadow[i] += block->shadow_disagreements[i].get();
  }
  for (std::size_t i = 0; i < shadow.size(); ++i) {
    if (shadow[i] == 0) continue;
    out.shadow_disagreements.push_back({static_cast<PolicyResult>(i / kResults),
                                        static_cast<PolicyResult>(i % kResults), shadow[i]});
  }
  for (std::size_t result = 0; result < kResults; ++result) {
    for (std::size_t status = 0; status < kStatusSlots; ++status) {
      for (std::size_t error = 0; error < kErrorSlots; ++error) {
        const uint64_t count = decisions[(result * kStatusSlots + status) * kErrorSlots + error];
        if (count == 0) continue;
        out.decisions.push_back(
            {static_cast<PolicyResult>(result), status < kStatuses.size() ? kStatuses[status] : 0,
             error == 0 ? std::string() : std::string(kErrors[error - 1]), count});
      }
    }
  }
  for (std::size_t i = 0; i < token_errors.size(); ++i) {
    if (token_errors[i] > 0)
      out.token_errors.push_back({static_cast<TokenError>(i), token_errors[i]});
  }
  for (std::size_t i = 0; i < challenges.size(); ++i) {
    if (challenges[i] == 0) continue;
    out.challenges.push_back(
        {i < challenge_rules_.size() ? challenge_rules_[i] : std::string("other"), challenges[i]});
  }
  for (const auto& [key, count] : key_fetches_) {
    out.key_fetches.push_back({key.first, key.second, count});
  }
  out.reloads_succeeded = reloads_succeeded_;
  out.reloads_failed = reloads_failed_;
  for (const uint64_t bound : kLatencyBoundsNs) {
    out.latency_upper_bounds_seconds.push_back(static_cast<double>(bound) / 1e9);
  }
  out.latency_bucket_counts.assign(latency.begin(), latency.end());
  for (const uint64_t count : latency)
    out.latency_count += count;
  out.latency_sum_seconds = static_cast<double>(latency_sum_ns) / 1e9;
  return out;
}

}  // namespace stepup::metrics
