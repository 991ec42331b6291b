// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "policy/evaluator.h"

#include <algorithm>

#include "absl/base/attributes.h"

namespace stepup::policy {
namespace {

enum class Match { kMatch, kNoMatch, kIndeterminate };

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool applies(AppliesTo applies_to, PolicyResult result) {
  switch (applies_to) {
    case AppliesTo::kPermit:
      return result == PolicyResult::kPermit;
    case AppliesTo::kDeny:
      return result == PolicyResult::kDeny;
    case AppliesTo::kPermitOrDeny:
      return result == PolicyResult::kPermit || result == PolicyResult::kDeny;
  }
  return false;
}

class Walker {
 public:
  Walker(const attributes::RequestAttributes& attributes, EvaluationScratch& scratch,
         std::vector<TraceEntry>* trace)
      : attributes_(attributes),
        scratch_(scratch),
        trace_(trace),
        index_keys_{.has_service = attributes.has_service(),
                    .service = attributes.service(),
                    .action = attributes.action(),
                    .first_segment = TargetIndex::first_segment(attributes.resource_path())} {}

  Evaluation node(const Node& node) {
    if (node.disabled) return note(node.path, "disabled", {PolicyResult::kNotApplicable, nullptr});
    switch (target(node.target, node.path)) {
      case Match::kNoMatch:
        return note(node.path, "target", {PolicyResult::kNotApplicable, nullptr});
      case Match::kIndeterminate:
        return note(node.path, "target", {PolicyResult::kIndeterminate, nullptr});
      case Match::kMatch:
        break;
    }
    const Evaluation result =
        node.is_policy_set
            ? combine_items(node, node.children,
                            [this](const Node& child) { return this->node(child); })
            : combine_items(node, node.rules,
                            [this](const Rule& rule)
                                ABSL_ATTRIBUTE_ALWAYS_INLINE { return this->rule(rule); });
    add_statements(node.statements, result.result);
    return note(node.path, node.is_policy_set ? "policy-set" : "policy", result);
  }

 private:
  // Forced inline, as are the lambdas that lead to it, so that the
  // Evaluation it returns stays in registers (bench/HISTORY.md has the
  // measurement).
  ABSL_ATTRIBUTE_ALWAYS_INLINE Evaluation rule(const Rule& rule) {
    if (rule.disabled) return note(rule.path, "disabled", {PolicyResult::kNotApplicable, nullptr});
    switch (target(rule.target, rule.path)) {
      case Match::kNoMatch:
        return note(rule.path, "target", {PolicyResult::kNotApplicable, nullptr});
      case Match::kIndeterminate:
        return note(rule.path, "target", {PolicyResult::kIndeterminate, &rule, &rule});
      case Match::kMatch:
        break;
    }
    condition::Tri holds = condition::Tri::kTrue;
    if (rule.condition) {
      holds = rule.condition->evaluate(attributes_);
      if (trace_ != nullptr) {
        trace_->push_back({rule.path, "condition",
                           holds == condition::Tri::kTrue    ? "true"
                           : holds == condition::Tri::kFalse ? "false"
                                                             : "error"});
      }
    }
    PolicyResult result = PolicyResult::kIndeterminate;
    if (holds != condition::Tri::kError) {
      const bool yes = holds == condition::Tri::kTrue;
      switch (rule.effect) {
        case Effect::kPermit:
          result = yes ? PolicyResult::kPermit : PolicyResult::kNotApplicable;
          break;
        case Effect::kDeny:
          result = yes ? PolicyResult::kDeny : PolicyResult::kNotApplicable;
          break;
        case Effect::kPermitElseDeny:
          result = yes ? PolicyResult::kPermit : PolicyResult::kDeny;
          break;
        case Effect::kDenyElsePermit:
          result = yes ? PolicyResult::kDeny : PolicyResult::kPermit;
          break;
      }
    }
    add_statements(rule.statements, result);
    return note(rule.path, "rule",
                {result, result == PolicyResult::kNotApplicable ? nullptr : &rule,
                 result == PolicyResult::kIndeterminate ? &rule : nullptr});
  }

  // Most rules have no target: that case is decided inline, without a call.
  ABSL_ATTRIBUTE_ALWAYS_INLINE Match target(const Target& target,
                                            const std::vector<std::string>& path) {
    if (target.services.empty() && target.actions.empty() && target.paths.empty() &&
        !target.condition) {
      return Match::kMatch;
    }
    return match_target(target, path);
  }

  Match match_target(const Target& target, const std::vector<std::string>& path) {
    if (!target.services.empty() &&
        (!attributes_.has_service() || !contains(target.services, attributes_.service()))) {
      return Match::kNoMatch;
    }
    if (!target.actions.empty() && !contains(target.actions, attributes_.action())) {
      return Match::kNoMatch;
    }
    if (!target.paths.empty() &&
        std::none_of(target.paths.begin(), target.paths.end(), [this](const Glob& glob) {
          return glob.matches(attributes_.resource_path());
        })) {
      return Match::kNoMatch;
    }
    if (target.condition) {
      const condition::Tri holds = target.condition->evaluate(attributes_);
      if (trace_ != nullptr) {
        trace_->push_back({path, "target condition",
                           holds == condition::Tri::kTrue    ? "true"
                           : holds == condition::Tri::kFalse ? "false"
                                                             : "error"});
      }
      if (holds == condition::Tri::kError) return Match::kIndeterminate;
      if (holds == condition::Tri::kFalse) return Match::kNoMatch;
    }
    return Match::kMatch;
  }

  // Combines the node's items, only those its index names when it has one.
  // (An item left out could only have been NotApplicable, which no
  // combining algorithm counts. The trace for --explain shows every item.)
  template <typename Item, typename Evaluate>
  Evaluation combine_items(const Node& node, const std::vector<Item>& items, Evaluate&& evaluate) {
    if (node.index == nullptr || trace_ != nullptr) {
      return combine(
          node.combining, items.size(),
          [&](std::size_t i) ABSL_ATTRIBUTE_ALWAYS_INLINE { return evaluate(items[i]); },
          [&](std::size_t i) { return applicability(items[i]); });
    }
    // Nested nodes push their own candidates above ours: index, never hold
    // pointers into the vector.
    std::vector<uint32_t>& stack = scratch_.candidates;
    const std::size_t base = stack.size();
    node.index->candidates(index_keys_, stack);
    const Evaluation result = combine(
        node.combining, stack.size() - base,
        [&](std::size_t i)
            ABSL_ATTRIBUTE_ALWAYS_INLINE { return evaluate(items[stack[base + i]]); },
        [&](std::size_t i) { return applicability(items[stack[base + i]]); });
    stack.resize(base);
    return result;
  }

  // For only-one-applicable: is the child applicable by its target alone?
  template <typename Item>
  Match applicability(const Item& item) {
    if (item.disabled) return Match::kNoMatch;
    return target(item.target, item.path);
  }

  // Runs the combining algorithm. Children's statements are appended as they
  // are evaluated; afterwards only those of children whose result equals the
  // combined Permit or Deny are kept (they are the ones that contributed).
  template <typename Evaluate, typename Applicable>
  Evaluation combine(Combining combining, std::size_t count, Evaluate&& evaluate,
                     Applicable&& applicable) {
    if (combining == Combining::kFirstApplicable) return first_applicable(count, evaluate);
    const std::size_t outcomes_base = scratch_.outcomes.size();
    const std::size_t statements_base = scratch_.statements.size();
    auto run = [&](std::size_t i) ABSL_ATTRIBUTE_ALWAYS_INLINE {
      const std::size_t begin = scratch_.statements.size();
      const Evaluation e = evaluate(i);
      scratch_.outcomes.push_back(
          {e.result, e.determining, e.first_indeterminate, begin, scratch_.statements.size()});
      return e.result;
    };
    PolicyResult final_result = PolicyResult::kNotApplicable;
    switch (combining) {
      case Combining::kFirstApplicable:  // Above.
        break;
      case Combining::kOnlyOneApplicable: {
        std::size_t applicable_count = 0, chosen = 0;
        bool indeterminate = false;
        for (std::size_t i = 0; i < count && !indeterminate; ++i) {
          switch (applicable(i)) {
            case Match::kMatch:
              ++applicable_count, chosen = i;
              break;
            case Match::kIndeterminate:
              indeterminate = true;
              break;
            case Match::kNoMatch:
              break;
          }
        }
        if (indeterminate || applicable_count > 1) {
          final_result = PolicyResult::kIndeterminate;
        } else if (applicable_count == 1) {
          final_result = run(chosen);
        }
        break;
      }
      case Combining::kDenyOverrides:
      case Combining::kPermitOverrides:
      case Combining::kDenyUnlessPermit:
      case Combining::kPermitUnlessDeny: {
        bool any_permit = false, any_deny = false, any_indeterminate = false;
        for (std::size_t i = 0; i < count; ++i) {
          const PolicyResult r = run(i);
          any_permit |= r == PolicyResult::kPermit;
          any_deny |= r == PolicyResult::kDeny;
          any_indeterminate |= r == PolicyResult::kIndeterminate;
        }
        final_result = overrides(combining, any_permit, any_deny, any_indeterminate);
        break;
      }
    }
    // Keep the contributing children's statements, and find the determining rule.
    std::size_t write = statements_base;
    const Rule* determining = nullptr;
    const Rule* first_indeterminate = nullptr;
    bool determined = false;
    const bool decisive =
        final_result == PolicyResult::kPermit || final_result == PolicyResult::kDeny;
    for (std::size_t i = outcomes_base; i < scratch_.outcomes.size(); ++i) {
      const EvaluationScratch::ChildOutcome& outcome = scratch_.outcomes[i];
      if (first_indeterminate == nullptr) first_indeterminate = outcome.first_indeterminate;
      if (outcome.result != final_result) continue;
      if (!determined) {
        determining = outcome.determining;
        determined = true;
      }
      if (!decisive) continue;
      for (std::size_t s = outcome.statements_begin; s < outcome.statements_end; ++s) {
        scratch_.statements[write++] = scratch_.statements[s];
      }
    }
    scratch_.statements.resize(write);
    scratch_.outcomes.resize(outcomes_base);
    return {final_result, determining, first_indeterminate};
  }

  // First-applicable keeps no record of its items: the first that is not
  // NotApplicable decides alone, with its own determining rule and
  // statements (kept only for Permit or Deny), and the items before it,
  // NotApplicable, contribute only their first Indeterminate rule.
  template <typename Evaluate>
  ABSL_ATTRIBUTE_ALWAYS_INLINE Evaluation first_applicable(std::size_t count, Evaluate& evaluate) {
    std::vector<const PolicyStatement*>& statements = scratch_.statements;
    const std::size_t base = statements.size();
    const Rule* first_indeterminate = nullptr;
    const Rule* first_determining = nullptr;  // Of the first item, if none applies.
    for (std::size_t i = 0; i < count; ++i) {
      const Evaluation e = evaluate(i);
      if (first_indeterminate == nullptr) first_indeterminate = e.first_indeterminate;
      if (e.result == PolicyResult::kNotApplicable) {
        if (i == 0) first_determining = e.determining;
        statements.resize(base);
        continue;
      }
      if (e.result != PolicyResult::kPermit && e.result != PolicyResult::kDeny) {
        statements.resize(base);
      }
      return {e.result, e.determining, first_indeterminate};
    }
    return {PolicyResult::kNotApplicable, first_determining, first_indeterminate};
  }

  static PolicyResult overrides(Combining combining, bool permit, bool deny, bool indeterminate) {
    switch (combining) {
      case Combining::kDenyOverrides:
        if (deny) return PolicyResult::kDeny;
        if (indeterminate) return PolicyResult::kIndeterminate;
        return permit ? PolicyResult::kPermit : PolicyResult::kNotApplicable;
      case Combining::kPermitOverrides:
        if (permit) return PolicyResult::kPermit;
        if (indeterminate) return PolicyResult::kIndeterminate;
        return deny ? PolicyResult::kDeny : PolicyResult::kNotApplicable;
      case Combining::kDenyUnlessPermit:
        return permit ? PolicyResult::kPermit : PolicyResult::kDeny;
      case Combining::kPermitUnlessDeny:
        return deny ? PolicyResult::kDeny : PolicyResult::kPermit;
      case Combining::kFirstApplicable:
      case Combining::kOnlyOneApplicable:
        break;
    }
    return PolicyResult::kIndeterminate;
  }

  void add_statements(const std::vector<PolicyStatement>& statements, PolicyResult result) {
    for (const PolicyStatement& statement : statements) {
      if (applies(statement.reported.applies_to, result)) scratch_.statements.push_back(&statement);
    }
  }

  Evaluation note(const std::vector<std::string>& path, const char* what, Evaluation evaluation) {
    if (trace_ != nullptr) [[unlikely]]
      record(path, what, evaluation.result);
    return evaluation;
  }

  // Out of line: only --explain pays for it.
  [[gnu::noinline, gnu::cold]] void record(const std::vector<std::string>& path, const char* what,
                                           PolicyResult result) {
    trace_->push_back({path, what, std::string(policy_result_name(result))});
  }

  const attributes::RequestAttributes& attributes_;
  EvaluationScratch& scratch_;
  std::vector<TraceEntry>* trace_;
  const IndexKeys index_keys_;
};

}  // namespace

Evaluation evaluate_policy(const Node& root, const attributes::RequestAttributes& attributes,
                           EvaluationScratch& scratch, std::vector<TraceEntry>* trace) {
  scratch.clear();
  return Walker(attributes, scratch, trace).node(root);
}

std::string_view combining_name(Combining combining) {
  switch (combining) {
    case Combining::kDenyOverrides:
      return "deny-overrides";
    case Combining::kPermitOverrides:
      return "permit-overrides";
    case Combining::kFirstApplicable:
      return "first-applicable";
    case Combining::kOnlyOneApplicable:
      return "only-one-applicable";
    case Combining::kDenyUnlessPermit:
      return "deny-unless-permit";
    case Combining::kPermitUnlessDeny:
      return "permit-unless-deny";
  }
  return "";
}

}  // namespace stepup::policy
