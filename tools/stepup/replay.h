// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_STEPUP_REPLAY_H_
#define STEPUP_TOOLS_STEPUP_REPLAY_H_

#include <cstdint>
#include <istream>
#include <map>
#include <ostream>
#include <string>
#include <utility>

#include "stepup/engine.h"
#include "stepup/status.h"

namespace stepup::cli {

// What a candidate policy would have answered to the decisions of a log.
struct ReplaySummary {
  uint64_t records = 0;
  uint64_t replayed = 0;
  // Records the candidate cannot judge: a refused token (its signature is
  // not logged), a decision that failed closed (500), or a request that
  // cannot be rebuilt (a path the log hashed or dropped).
  uint64_t not_replayable = 0;
  // Replayed records with a hashed field other than `sub` among what the
  // candidate saw (it saw the hash).
  uint64_t with_hashed_fields = 0;
  // Replayed decisions whose result or status the candidate changes.
  uint64_t changed = 0;
  std::map<std::string, uint64_t> changed_by_rule;            // The logged rule, " / "-joined.
  std::map<std::pair<int, int>, uint64_t> changed_by_status;  // Old, new.
  std::map<std::pair<std::string, std::string>, uint64_t> changed_by_result;  // Old, new.
};

// Rebuilds each record of a decision log (JSON lines, docs/spec.md §11) as
// a request with the logged claims, decides it with `candidate` as of the
// logged time, and compares. An error names the log and the line.
absl::StatusOr<ReplaySummary> replay_log(const Engine& candidate, std::istream& log,
                                         const std::string& log_name);

// The summary as text: the counts, then the changes by rule, by status and
// by result.
void print_replay_summary(const ReplaySummary& summary, std::ostream& out);

}  // namespace stepup::cli

#endif  // STEPUP_TOOLS_STEPUP_REPLAY_H_
