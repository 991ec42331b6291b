// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "policy_test_support.h"

#include <gtest/gtest.h>

#include "attributes/request_attributes.h"
#include "config/document.h"
#include "json/strict_json.h"
#include "policy/evaluator.h"
#include "stepup/request.h"

namespace stepup {

void PrintTo(PolicyResult result, std::ostream* os) {
  *os << policy_result_name(result);
}

}  // namespace stepup

namespace stepup::policy_test {

std::string document(std::string_view policy, std::string_view extra) {
  std::string json = "{\"stepup\": 1, ";
  if (!extra.empty()) json += std::string(extra) + ", ";
  return json + "\"policy\": " + std::string(policy) + "}";
}

std::string document_with_rule(std::string_view rule, std::string_view extra) {
  return document(R"({"name": "root", "rules": [)" + std::string(rule) + "]}", extra);
}

std::shared_ptr<const policy::PolicyDocument> must_load(std::string_view json) {
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> loaded =
      config::load_policy(json, "");
  if (!loaded.ok()) {
    ADD_FAILURE() << "load failed: " << loaded.status().message() << "\n" << json;
    return nullptr;
  }
  return *std::move(loaded);
}

std::string load_error(std::string_view json, const std::string& base_directory) {
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> loaded =
      config::load_policy(json, base_directory);
  if (loaded.ok()) return "loaded";
  return std::string(loaded.status().message());
}

Outcome evaluate(const policy::PolicyDocument& document, std::string_view method,
                 std::string_view path, const JsonValue* claims) {
  Request request;
  request.method = method;
  request.path = path;
  const attributes::RequestAttributes attributes(request, claims, document.endpoint_index, kNow);
  policy::EvaluationScratch scratch;
  const policy::Evaluation evaluation =
      policy::evaluate_policy(document.root, attributes, scratch, nullptr);
  Outcome outcome;
  outcome.result = evaluation.result;
  if (evaluation.determining != nullptr) {
    outcome.has_determining = true;
    outcome.determining = evaluation.determining->path;
  }
  for (const policy::PolicyStatement* statement : scratch.statements) {
    outcome.statements.push_back(statement->reported.name);
  }
  return outcome;
}

Outcome evaluate_json(std::string_view json, std::string_view method, std::string_view path,
                      const JsonValue* claims) {
  const std::shared_ptr<const policy::PolicyDocument> loaded = must_load(json);
  if (loaded == nullptr) return Outcome{};
  return evaluate(*loaded, method, path, claims);
}

JsonValue parse_object(std::string_view json) {
  JsonValue value;
  const json_internal::JsonParseResult parsed = json_internal::parse_json_object(json, 64, value);
  EXPECT_EQ(parsed.error, json_internal::JsonError::kOk) << json;
  return value;
}

}  // namespace stepup::policy_test
