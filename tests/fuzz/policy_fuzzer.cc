// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Fuzzes the policy loader with the input as a policy document, and, when it
// loads, drives decide() with a fixed set of requests: whatever the policy
// says, the decision is complete and its header is safe.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "stepup/engine.h"

namespace {

constexpr int64_t kNow = 1800000000;

bool header_safe(std::string_view value) {
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

void check(const stepup::Decision& decision) {
  FUZZ_CHECK(header_safe(decision.www_authenticate));
  FUZZ_CHECK(decision.authorized == (decision.result == stepup::PolicyResult::kPermit));
  FUZZ_CHECK(decision.authorized == (decision.status == 200));
  FUZZ_CHECK(decision.status >= 200 && decision.status <= 599);
  if (decision.status == 401) FUZZ_CHECK(decision.www_authenticate.rfind("Bearer", 0) == 0);
  FUZZ_CHECK(!decision.to_json().empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<stepup::Engine> engine =
      stepup::Engine::create({.policy = stepup::PolicyText{text, "/nonexistent-stepup-dir"}});
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  if (!engine.ok()) {
    FUZZ_CHECK(!engine.status().message().empty());
    return 0;
  }
  const stepup::Header headers[] = {{"X-Request-Id", "42"}, {"Accept", "application/json"}};
  const stepup::JsonValue claims = stepup::JsonValue::object({
      {"sub", stepup::JsonValue::string("alice")},
      {"acr", stepup::JsonValue::string("urn:example:mfa")},
      {"auth_time", stepup::JsonValue::integer(kNow - 600)},
      {"scope", stepup::JsonValue::string("payments:write read")},
  });
  const char* paths[] = {"/payments/transfers/7?x=1", "/accounts/1", "/", "/a/b/c/d/e/f"};
  const char* methods[] = {"GET", "POST", "DELETE"};
  for (const char* path : paths) {
    for (const char* method : methods) {
      stepup::Request request;
      request.method = method;
      request.path = path;
      request.headers = headers;
      request.client_ip = "192.0.2.1";
      check(engine->decide(request, {.explain = false, .now = kNow}));
      request.validated_claims = &claims;
      check(engine->decide(request, {.explain = true, .now = kNow}));
      request.validated_claims = nullptr;
      request.authorization = "Bearer a.b.c";
      check(engine->decide(request, {.explain = false, .now = kNow}));
    }
  }
  return 0;
}
