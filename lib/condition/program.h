// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONDITION_PROGRAM_H_
#define STEPUP_LIB_CONDITION_PROGRAM_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "attributes/attribute_path.h"
#include "attributes/value.h"

namespace stepup::condition {

// What a node computes; its operands as each enumerator says.
enum class Op : uint8_t {
  kLiteral,  // `literal`.
  kList,     // Literal list: list_items[first, first + count).
  kPath,     // Attribute paths[first].
  kAnd,      // operands[first, first + count), short-circuit.
  kOr,       // operands[first, first + count), short-circuit.
  kNot,      // Node `first`.
  kEqual,    // Nodes `first` and `second`, as are the ops below.
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kIn,        // `first in second`: membership in a list, or substring.
  kContains,  // `first contains second`: membership in a list.
  kStartsWith,
  kEndsWith,
  kSize,        // size(node `first`).
  kHas,         // has(paths[first]).
  kAcrAtLeast,  // paths[first] is authentication_policy; level acr_levels[second].
};

// One node of a compiled condition. Children are indices into
// Program::nodes, so the whole tree lives in a few flat vectors.
struct Node {
  Op op = Op::kLiteral;
  int32_t first = -1;
  int32_t second = -1;
  int32_t count = 0;
  attributes::Value literal;  // kLiteral; strings point into Program::strings.
};

// The compiled form shared by copies of a CompiledCondition. Built once, then
// only read, so Values may point into it.
struct Program {
  std::string text;
  std::vector<Node> nodes;
  int32_t root = -1;
  std::vector<int32_t> operands;
  std::vector<attributes::Value> list_items;
  // A deque never moves its elements, so string Values stay valid while
  // more literals are added.
  std::deque<std::string> strings;
  std::vector<attributes::AttributePath> paths;
  std::vector<std::string> acr_levels;
};

}  // namespace stepup::condition

#endif  // STEPUP_LIB_CONDITION_PROGRAM_H_
