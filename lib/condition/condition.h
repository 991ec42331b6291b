// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONDITION_CONDITION_H_
#define STEPUP_LIB_CONDITION_CONDITION_H_

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "attributes/attribute_path.h"

namespace stepup::attributes {
class RequestAttributes;
}  // namespace stepup::attributes

namespace stepup::condition {

// The outcome of one condition for one request. kError (an absent attribute,
// a run-time type mismatch) makes the rule Indeterminate.
enum class Tri { kFalse, kTrue, kError };

// "true", "false" or "error", for traces.
std::string_view to_string(Tri value);

// Limits that keep a hostile document from exhausting the stack while a
// condition compiles.
inline constexpr std::size_t kMaxConditionBytes = 4096;
inline constexpr int kMaxNestingDepth = 64;  // Parentheses, '!' and function calls.

struct CompileOptions {
  // The document's acr_levels, weakest first; null or empty makes every
  // acr_at_least() a load error. Copied into the compiled condition.
  const std::vector<std::string>* acr_levels = nullptr;
};

// A syntax or type error. The caller prefixes the JSON path:
// `policy.children[0].rules[1].condition:14: expected ')'`.
struct CompileError {
  int column = 1;  // 1-based byte offset into the condition text.
  std::string message;

  // "<what>:<column>: <message>".
  std::string format(std::string_view what) const;
};

struct Program;  // The compiled form; see program.h.

// A condition compiled when the policy loads. Immutable; copies share the
// compiled form, so copying is cheap and evaluate() is safe from any number
// of threads at once. evaluate() never allocates.
class CompiledCondition {
 public:
  // The absent condition, which always holds.
  CompiledCondition() = default;

  Tri evaluate(const attributes::AttributeSource& source) const;
  // The same for a request's attributes, read with direct calls.
  Tri evaluate(const attributes::RequestAttributes& source) const;

  // Every attribute the condition may read (once each, in order of first
  // appearance), including authentication_policy for acr_at_least().
  const std::vector<attributes::AttributePath>& attributes_read() const;

  // The source text ("" for the absent condition).
  std::string_view text() const;

 private:
  friend std::variant<CompiledCondition, CompileError> compile_condition(
      std::string_view text, const CompileOptions& options);
  explicit CompiledCondition(std::shared_ptr<const Program> program)
      : program_(std::move(program)) {}

  std::shared_ptr<const Program> program_;
};

// Parses and type-checks `text` (SPEC §2 "Conditions").
std::variant<CompiledCondition, CompileError> compile_condition(std::string_view text,
                                                                const CompileOptions& options);

}  // namespace stepup::condition

#endif  // STEPUP_LIB_CONDITION_CONDITION_H_
