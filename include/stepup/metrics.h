// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_METRICS_H_
#define STEPUP_METRICS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/decision.h"
#include "stepup/export.h"
#include "stepup/token_error.h"

namespace stepup {

// What an engine has done since it was created, for operators
// (Engine::metrics(), docs/spec.md §10). Counters only grow; lists hold
// nonzero counts only.
struct MetricsSnapshot {
  // Decisions by result, status and error ("" when none). A status that is
  // not 200, 400, 401, 403, 500 or 503 is counted as 0 ("other"), an error
  // code other than RFC 6750's and RFC 9470's as "other".
  struct DecisionCount {
    PolicyResult result = PolicyResult::kIndeterminate;
    int status = 0;
    std::string error;
    uint64_t count = 0;
  };
  std::vector<DecisionCount> decisions;
  // Decisions whose token was refused (or not judged), by TokenError.
  struct TokenErrorCount {
    TokenError error = TokenError::kOk;
    uint64_t count = 0;
  };
  std::vector<TokenErrorCount> token_errors;
  // RFC 9470 step-up challenges by determining rule (its names from the
  // root joined with " / "; the 256th rule and later share "other"),
  // counted across reloads by name.
  struct ChallengeCount {
    std::string rule;
    uint64_t count = 0;
  };
  std::vector<ChallengeCount> challenges;
  uint64_t token_cache_hits = 0;
  uint64_t token_cache_misses = 0;
  // Key fetches from identity providers by validator and outcome: "changed"
  // (a new set published), "unchanged" (the same set, or 304), "failed".
  struct KeyFetchCount {
    std::string validator;
    std::string outcome;
    uint64_t count = 0;
  };
  std::vector<KeyFetchCount> key_fetches;
  // Each remote key set of the current document: the seconds since it was
  // last fetched successfully (-1: never).
  struct KeySetAge {
    std::string validator;
    int64_t age_seconds = -1;
  };
  std::vector<KeySetAge> key_sets;
  uint64_t reloads_succeeded = 0;
  uint64_t reloads_failed = 0;
  uint64_t generation = 0;
  // Decision latency, sampled (one decision in kLatencySampleInterval of
  // each thread is timed, so that timing costs the others nothing):
  // per-bucket counts for the upper bounds, the last bucket +Inf.
  static constexpr int kLatencySampleInterval = 32;
  std::vector<double> latency_upper_bounds_seconds;
  std::vector<uint64_t> latency_bucket_counts;  // One more than the bounds.
  uint64_t latency_count = 0;
  double latency_sum_seconds = 0;
  // The decision log (EngineOptions::decision_log): records handed to the
  // file or sink, dropped because the queue was full, lost because the
  // destination failed, and left out by the drop rules.
  bool decision_log_enabled = false;
  uint64_t decision_log_written = 0;
  uint64_t decision_log_dropped = 0;
  uint64_t decision_log_lost = 0;
  uint64_t decision_log_filtered = 0;
  // Decisions the shadow policy answered otherwise (another result or
  // status), by the live and the shadow result.
  struct ShadowDisagreementCount {
    PolicyResult live = PolicyResult::kIndeterminate;
    PolicyResult shadow = PolicyResult::kIndeterminate;
    uint64_t count = 0;
  };
  std::vector<ShadowDisagreementCount> shadow_disagreements;
};

// The snapshot in Prometheus's text exposition format 0.0.4, every name
// prefixed with "stepup_" (docs/spec.md §10 lists them).
STEPUP_EXPORT std::string render_prometheus(const MetricsSnapshot& metrics);

// Several render_prometheus() texts (engines of the same policy in several
// processes, such as nginx's workers) as one: each family once, with the
// samples of equal name and labels summed (counters, histograms) or their
// largest value kept (gauges: a key set's age, the generation).
STEPUP_EXPORT std::string merge_prometheus(const std::vector<std::string_view>& texts);

}  // namespace stepup

#endif  // STEPUP_METRICS_H_
