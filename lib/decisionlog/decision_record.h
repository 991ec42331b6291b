// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DECISIONLOG_DECISION_RECORD_H_
#define STEPUP_LIB_DECISIONLOG_DECISION_RECORD_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "decisionlog/field_hasher.h"
#include "json/json_ref.h"
#include "stepup/decision.h"
#include "stepup/decision_log.h"
#include "stepup/request.h"
#include "stepup/status.h"

namespace stepup::decisionlog {

// DecisionLogOptions checked and made ready for formatting.
struct RecordSettings {
  std::vector<std::string> claims;
  std::vector<std::string> headers;  // Lower case.
  bool query = false;
  double permit_sample_rate = 1.0;
  std::map<std::string, LogFieldAction, std::less<>> actions;  // Field -> its last rule.
  std::shared_ptr<const FieldHasher> hasher;                   // Keyed with the hash key.

  // An error names the option and why ("decision_log.headers[1]: ...").
  static absl::StatusOr<RecordSettings> compile(const DecisionLogOptions& options);
  LogFieldAction action(std::string_view field) const;
};

// How the request presented its credentials.
enum class Credentials { kNone, kBearer, kDpop, kValidatedClaims };

// The live decision's alternative under the shadow policy.
struct ShadowOutcome {
  PolicyResult result = PolicyResult::kIndeterminate;
  int status = 0;
  std::vector<std::string> determining_rule;
};

// Everything one record is made of besides the Decision.
struct RecordContext {
  const Request* request = nullptr;
  Credentials credentials = Credentials::kNone;
  json_internal::JsonRef claims;  // Absent unless the token was accepted.
  int64_t decided_at = 0;         // The decision's time, epoch seconds.
  uint64_t generation = 0;
  const ShadowOutcome* shadow = nullptr;  // Set when the shadow disagreed.
};

// One record as compact JSON (docs/spec.md §11): its time and a random id,
// then the request, the decision, and the token's claims, masked by
// `settings`. Never holds the token or a secret.
std::string format_record(const RecordSettings& settings, const Decision& decision,
                          const RecordContext& context);

}  // namespace stepup::decisionlog

#endif  // STEPUP_LIB_DECISIONLOG_DECISION_RECORD_H_
