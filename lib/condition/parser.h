// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONDITION_PARSER_H_
#define STEPUP_LIB_CONDITION_PARSER_H_

#include <memory>
#include <string_view>
#include <variant>

#include "condition/condition.h"
#include "condition/program.h"

namespace stepup::condition {

// Parses and type-checks a condition into its compiled form. Grammar, lowest
// precedence first:
//   or         := and ('||' and)*
//   and        := not ('&&' not)*
//   not        := '!' not | comparison
//   comparison := operand [('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'contains') operand]
//   operand    := literal | list | path | call | '(' or ')'
std::variant<std::shared_ptr<Program>, CompileError> parse_condition(std::string_view text,
                                                                     const CompileOptions& options);

}  // namespace stepup::condition

#endif  // STEPUP_LIB_CONDITION_PARSER_H_
