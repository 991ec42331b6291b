// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_POLICY_EVALUATOR_H_
#define STEPUP_LIB_POLICY_EVALUATOR_H_

#include <cstdint>
#include <vector>

#include "attributes/request_attributes.h"
#include "policy/policy.h"
#include "stepup/decision.h"

namespace stepup::policy {

struct Evaluation {
  PolicyResult result = PolicyResult::kNotApplicable;
  // The rule that determined the result, or nullptr (a default of the
  // combining algorithm, a target error, or nothing applicable).
  const Rule* determining = nullptr;
  // The first rule that was Indeterminate (a condition could not be
  // evaluated), even if the final result is not: for the operator's reason.
  const Rule* first_indeterminate = nullptr;
};

// Scratch space reused across decisions on one thread, so evaluation does
// not allocate once warm.
struct EvaluationScratch {
  struct ChildOutcome {
    PolicyResult result;
    const Rule* determining;
    const Rule* first_indeterminate;
    std::size_t statements_begin;
    std::size_t statements_end;
  };
  std::vector<const PolicyStatement*> statements;
  std::vector<ChildOutcome> outcomes;
  std::vector<uint32_t> candidates;  // A stack of TargetIndex answers.
  void clear() {
    statements.clear();
    outcomes.clear();
    candidates.clear();
  }
};

// Walks the compiled policy tree for one request (SPEC §2): targets, rules
// with their four effects, the six combining algorithms with PingAuthorize's
// semantics, and the statements of the nodes that contributed to the final
// result, in evaluation order (left in `scratch.statements`).
// `trace`, when not null, receives one entry per step for `--explain`.
Evaluation evaluate_policy(const Node& root, const attributes::RequestAttributes& attributes,
                           EvaluationScratch& scratch, std::vector<TraceEntry>* trace);

std::string_view combining_name(Combining combining);

}  // namespace stepup::policy

#endif  // STEPUP_LIB_POLICY_EVALUATOR_H_
