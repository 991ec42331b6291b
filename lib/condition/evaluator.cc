// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// CompiledCondition::evaluate: walks the node vector. It must not allocate,
// so every intermediate result is a Value (a view), and an error travels as
// an absent Value: every operator but has() turns an absent operand into an
// error, so the two never need telling apart.
#include <algorithm>
#include <optional>
#include <string_view>

#include "attributes/request_attributes.h"
#include "condition/condition.h"
#include "condition/program.h"

namespace stepup::condition {
namespace {

using attributes::AttributeSource;
using attributes::Value;
using Kind = Value::Kind;

// An error travels as an absent Value.
Value error() {
  return Value::absent();
}

bool is_scalar(const Value& value) {
  return value.kind() == Kind::kBool || value.kind() == Kind::kInt || value.kind() == Kind::kString;
}

// Equality of two scalars of one kind; nullopt for anything else.
std::optional<bool> scalar_equal(const Value& left, const Value& right) {
  if (!is_scalar(left) || left.kind() != right.kind()) return std::nullopt;
  switch (left.kind()) {
    case Kind::kBool:
      return left.as_bool() == right.as_bool();
    case Kind::kInt:
      return left.as_int() == right.as_int();
    case Kind::kString:
      return left.as_string() == right.as_string();
    default:
      return std::nullopt;
  }
}

// -1, 0 or 1 for int-int and string-string (byte-wise); nullopt otherwise.
std::optional<int> order(const Value& left, const Value& right) {
  if (left.kind() == Kind::kInt && right.kind() == Kind::kInt) {
    return left.as_int() < right.as_int() ? -1 : (left.as_int() > right.as_int() ? 1 : 0);
  }
  if (left.kind() == Kind::kString && right.kind() == Kind::kString) {
    const int compared = left.as_string().compare(right.as_string());
    return compared < 0 ? -1 : (compared > 0 ? 1 : 0);
  }
  return std::nullopt;
}

// Items of another kind simply do not match; only the needle must be a scalar.
Value list_has(const Value& list, const Value& needle) {
  if (list.kind() != Kind::kList || !is_scalar(needle)) return error();
  if (const std::optional<bool> found = list.has_word(needle)) return Value::boolean(*found);
  bool found = false;
  list.for_each_item([&](const Value& item) {
    found = scalar_equal(item, needle).value_or(false);
    return !found;
  });
  return Value::boolean(found);
}

// `Source` is AttributeSource, or RequestAttributes: a final class whose
// get() is defined in its header, so the policy's conditions call it
// directly instead of through the vtable.
template <typename Source>
class Evaluator {
 public:
  Evaluator(const Program& program, const Source& source) : program_(program), source_(source) {}

  Value eval(int32_t index) const;

 private:
  Value junction(const Node& node, bool stop_at) const;
  Value compare(const Node& node) const;
  Value affix(const Node& node) const;

  const Program& program_;
  const Source& source_;
};

template <typename Source>
Value Evaluator<Source>::eval(int32_t index) const {
  const Node& node = program_.nodes[index];
  switch (node.op) {
    case Op::kLiteral:
      return node.literal;
    case Op::kList:
      return Value::values(program_.list_items.data() + node.first, node.count);
    case Op::kPath:
      return source_.get(program_.paths[node.first]);
    case Op::kAnd:
      return junction(node, false);
    case Op::kOr:
      return junction(node, true);
    case Op::kNot: {
      const Value operand = eval(node.first);
      if (operand.kind() != Kind::kBool) return error();
      return Value::boolean(!operand.as_bool());
    }
    case Op::kEqual:
    case Op::kNotEqual:
    case Op::kLess:
    case Op::kLessEqual:
    case Op::kGreater:
    case Op::kGreaterEqual:
    case Op::kIn:
    case Op::kContains:
      return compare(node);
    case Op::kStartsWith:
    case Op::kEndsWith:
      return affix(node);
    case Op::kSize: {
      const Value operand = eval(node.first);
      if (operand.kind() == Kind::kString) {
        return Value::integer(static_cast<int64_t>(operand.as_string().size()));
      }
      if (operand.kind() == Kind::kList) {
        return Value::integer(static_cast<int64_t>(operand.list_size()));
      }
      return error();
    }
    case Op::kHas:
      // Present with any value, null included.
      return Value::boolean(source_.get(program_.paths[node.first]).kind() != Kind::kAbsent);
    case Op::kAcrAtLeast: {
      const Value acr = source_.get(program_.paths[node.first]);
      if (acr.kind() != Kind::kString) return error();
      const auto& levels = program_.acr_levels;
      const auto found = std::find(levels.begin(), levels.end(), acr.as_string());
      // An acr the document does not list is below every level (SPEC §2).
      if (found == levels.end()) return Value::boolean(false);
      return Value::boolean(found - levels.begin() >= node.second);
    }
  }
  return error();
}

// `&&` (stop_at false) and `||` (stop_at true), left to right: the first
// operand equal to stop_at decides; an error before that is the result.
template <typename Source>
Value Evaluator<Source>::junction(const Node& node, bool stop_at) const {
  for (int32_t i = 0; i < node.count; ++i) {
    const Value operand = eval(program_.operands[node.first + i]);
    if (operand.kind() != Kind::kBool) return error();
    if (operand.as_bool() == stop_at) return operand;
  }
  return Value::boolean(!stop_at);
}

template <typename Source>
Value Evaluator<Source>::compare(const Node& node) const {
  const Value left = eval(node.first);
  const Value right = eval(node.second);
  switch (node.op) {
    case Op::kEqual:
    case Op::kNotEqual: {
      const std::optional<bool> equal = scalar_equal(left, right);
      if (!equal) return error();
      return Value::boolean(*equal == (node.op == Op::kEqual));
    }
    case Op::kIn:
      if (right.kind() == Kind::kString) {
        if (left.kind() != Kind::kString) return error();
        return Value::boolean(right.as_string().find(left.as_string()) != std::string_view::npos);
      }
      return list_has(right, left);
    case Op::kContains:
      return list_has(left, right);
    default:
      break;
  }
  const std::optional<int> sign = order(left, right);
  if (!sign) return error();
  switch (node.op) {
    case Op::kLess:
      return Value::boolean(*sign < 0);
    case Op::kLessEqual:
      return Value::boolean(*sign <= 0);
    case Op::kGreater:
      return Value::boolean(*sign > 0);
    default:
      return Value::boolean(*sign >= 0);
  }
}

template <typename Source>
Value Evaluator<Source>::affix(const Node& node) const {
  const Value text = eval(node.first);
  const Value part = eval(node.second);
  if (text.kind() != Kind::kString || part.kind() != Kind::kString) return error();
  return Value::boolean(node.op == Op::kStartsWith ? text.as_string().starts_with(part.as_string())
                                                   : text.as_string().ends_with(part.as_string()));
}

template <typename Source>
Tri evaluate_program(const Program* program, const Source& source) {
  if (program == nullptr) return Tri::kTrue;
  const Value result = Evaluator<Source>(*program, source).eval(program->root);
  if (result.kind() != Kind::kBool) return Tri::kError;
  return result.as_bool() ? Tri::kTrue : Tri::kFalse;
}

}  // namespace

Tri CompiledCondition::evaluate(const AttributeSource& source) const {
  return evaluate_program(program_.get(), source);
}

Tri CompiledCondition::evaluate(const attributes::RequestAttributes& source) const {
  return evaluate_program(program_.get(), source);
}

}  // namespace stepup::condition
