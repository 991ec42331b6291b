// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Helpers shared by the policy tests: load a document, evaluate it for one
// request, and look at the outcome by names.
#ifndef STEPUP_TESTS_POLICY_POLICY_TEST_SUPPORT_H_
#define STEPUP_TESTS_POLICY_POLICY_TEST_SUPPORT_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"
#include "stepup/decision.h"
#include "stepup/json_value.h"

namespace stepup {

// So that gtest prints "permit" rather than a byte dump.
void PrintTo(PolicyResult result, std::ostream* os);

}  // namespace stepup

namespace stepup::policy_test {

inline constexpr int64_t kNow = 1'800'000'000;

// A condition that is an error for a request without claims (the attribute
// is absent), so its rule or target is Indeterminate.
inline constexpr std::string_view kErrorCondition = "HttpRequest.AccessToken.missing == 'x'";

// {"stepup": 1, <extra members>, "policy": <policy>}. `extra` is JSON members
// without braces, such as `"acr_levels": ["a", "b"]`.
std::string document(std::string_view policy, std::string_view extra = "");

// A document whose root policy has one rule, with `extra` top-level members.
std::string document_with_rule(std::string_view rule, std::string_view extra = "");

// The loaded document; fails the test (and returns null) on a load error.
std::shared_ptr<const policy::PolicyDocument> must_load(std::string_view json);

// The load error message, or "loaded" when the document loads.
std::string load_error(std::string_view json, const std::string& base_directory = "");

// What the evaluator produced for one request, by names.
struct Outcome {
  PolicyResult result = PolicyResult::kIndeterminate;
  bool has_determining = false;
  std::vector<std::string> determining;  // The determining rule's path.
  std::vector<std::string> statements;   // The joined statements' names, in order.
};

// Evaluates `document` for `method` and `path` (no claims unless given).
Outcome evaluate(const policy::PolicyDocument& document, std::string_view method,
                 std::string_view path, const JsonValue* claims = nullptr);

// Loads then evaluates; a load error fails the test.
Outcome evaluate_json(std::string_view json, std::string_view method = "GET",
                      std::string_view path = "/x", const JsonValue* claims = nullptr);

// Parses a JSON object (claims for a request); fails the test on error.
JsonValue parse_object(std::string_view json);

}  // namespace stepup::policy_test

#endif  // STEPUP_TESTS_POLICY_POLICY_TEST_SUPPORT_H_
