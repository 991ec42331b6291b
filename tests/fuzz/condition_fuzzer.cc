// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Fuzzes the condition compiler, and evaluates what compiles against a fixed
// request with claims, through both entry points of evaluation.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "attributes/request_attributes.h"
#include "condition/condition.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> kLevels = {"urn:a", "urn:b", "urn:c"};
  const std::string text(reinterpret_cast<const char*>(data), size);
  stepup::condition::CompileOptions options;
  options.acr_levels = &kLevels;
  auto compiled = stepup::condition::compile_condition(text, options);
  if (const auto* error = std::get_if<stepup::condition::CompileError>(&compiled)) {
    FUZZ_CHECK(!error->message.empty());
    FUZZ_CHECK(error->column >= 1 && static_cast<size_t>(error->column) <= size + 1);
    return 0;
  }
  const auto& condition = std::get<stepup::condition::CompiledCondition>(compiled);
  static const stepup::JsonValue claims = stepup::JsonValue::object({
      {"sub", stepup::JsonValue::string("alice")},
      {"acr", stepup::JsonValue::string("urn:b")},
      {"auth_time", stepup::JsonValue::integer(1799999000)},
      {"amr", stepup::JsonValue::array({stepup::JsonValue::string("pwd")})},
      {"scope", stepup::JsonValue::string("a b c")},
      {"n", stepup::JsonValue::number(1.5)},
      {"o", stepup::JsonValue::object({{"k", stepup::JsonValue::integer(3)}})},
  });
  static const stepup::attributes::EndpointIndex endpoints(
      std::vector<stepup::attributes::Endpoint>{{"svc", "/svc"}});
  const stepup::Header headers[] = {{"X-Id", "7"}};
  stepup::Request request;
  request.method = "POST";
  request.path = "/svc/items/9?q=a%20b&r=+";
  request.headers = headers;
  for (const stepup::JsonValue* token_claims :
       {&claims, static_cast<const stepup::JsonValue*>(nullptr)}) {
    const stepup::attributes::RequestAttributes attributes(request, token_claims, endpoints,
                                                           1800000000);
    const stepup::condition::Tri result = condition.evaluate(attributes);
    FUZZ_CHECK(result == stepup::condition::Tri::kTrue ||
               result == stepup::condition::Tri::kFalse ||
               result == stepup::condition::Tri::kError);
    // The policy's entry point (direct reads) and the generic one (virtual
    // reads) must agree.
    const stepup::attributes::AttributeSource& generic = attributes;
    FUZZ_CHECK(condition.evaluate(generic) == result);
  }
  return 0;
}
