// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Compiling a condition in a test: the example's three acr levels, and a
// test failure (with the compiler's message) for text that does not compile.
#ifndef STEPUP_TESTS_CONDITION_COMPILE_FOR_TEST_H_
#define STEPUP_TESTS_CONDITION_COMPILE_FOR_TEST_H_

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "condition/condition.h"

namespace stepup::condition {

inline const std::vector<std::string> kLevels = {"urn:example:pwd", "urn:example:mfa",
                                                 "urn:example:hwk"};

// The compiled condition, or (after a failure is added) the absent one.
inline CompiledCondition compile(std::string_view text) {
  CompileOptions options;
  options.acr_levels = &kLevels;
  auto result = compile_condition(text, options);
  if (const auto* error = std::get_if<CompileError>(&result)) {
    ADD_FAILURE() << error->format(text);
    return CompiledCondition();
  }
  return std::get<CompiledCondition>(std::move(result));
}

}  // namespace stepup::condition

#endif  // STEPUP_TESTS_CONDITION_COMPILE_FOR_TEST_H_
