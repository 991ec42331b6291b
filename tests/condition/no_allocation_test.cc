// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// evaluate() must not allocate: this binary replaces the global operator new
// to count allocations made on the current thread while counting is on.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>
#include <variant>
#include <vector>

#include "condition/condition.h"
#include "fake_source.h"
#include "stepup/json_value.h"

namespace {
thread_local bool g_counting = false;
thread_local long g_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  if (g_counting) ++g_allocations;
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
  std::free(memory);
}

namespace stepup::condition {
namespace {

template <typename F>
long allocations_during(F&& run) {
  g_allocations = 0;
  g_counting = true;
  run();
  g_counting = false;
  return g_allocations;
}

TEST(NoAllocation, TheCounterWorks) {
  std::string* grown = nullptr;
  EXPECT_GT(allocations_during([&] { grown = new std::string(100, 'x'); }), 0);
  delete grown;
}

TEST(NoAllocation, EvaluateDoesNotAllocate) {
  const std::vector<std::string> levels = {"urn:example:pwd", "urn:example:mfa"};
  CompileOptions options;
  options.acr_levels = &levels;
  auto compiled = compile_condition(
      "(acr_at_least('urn:example:mfa') || !has(HttpRequest.AccessToken.missing)) && "
      "'payments:write' in HttpRequest.AccessToken.scope && "
      "HttpRequest.AccessToken.groups contains 'ops' && "
      "size(HttpRequest.AccessToken.groups) == 2 && size(service) > 3 && "
      "service in ['accounts', 'payments-with-a-name-too-long-for-sso'] && "
      "'pay' in service && starts_with(service, 'pay') && ends_with(service, 'so') && "
      "authentication_age <= 300 && authentication_age != 1 && service >= 'a' && "
      "HttpRequest.AccessToken[\"https://x/claim\"] == 'yes'",
      options);
  ASSERT_TRUE(std::holds_alternative<CompiledCondition>(compiled));
  const CompiledCondition& condition = std::get<CompiledCondition>(compiled);
  FakeSource source;
  source.set_string("authentication_policy", "urn:example:mfa")
      .set_int("authentication_age", 10)
      .set_string("service", "payments-with-a-name-too-long-for-sso")
      .set_words("HttpRequest.AccessToken.scope", "payments:read payments:write")
      .set_json("HttpRequest.AccessToken.groups",
                JsonValue::array({JsonValue::string("admin"), JsonValue::string("ops")}))
      .set_json("HttpRequest.AccessToken[\"https://x/claim\"]", JsonValue::string("yes"));
  Tri result = Tri::kError;
  EXPECT_EQ(allocations_during([&] { result = condition.evaluate(source); }), 0);
  EXPECT_EQ(result, Tri::kTrue);
  FakeSource empty;
  EXPECT_EQ(allocations_during([&] { result = condition.evaluate(empty); }), 0);
  EXPECT_EQ(result, Tri::kError);
}

}  // namespace
}  // namespace stepup::condition
