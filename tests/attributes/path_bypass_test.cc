// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// A request cannot dodge a path target by spelling its path differently from
// how the origin server will resolve it.
#include <gtest/gtest.h>

#include "stepup/engine.h"

namespace stepup {
namespace {

// Everything is permitted except transfers, which are denied.
constexpr const char* kPolicy = R"({
  "stepup": 1,
  "endpoints": [{"service": "payments", "base_path": "/payments"}],
  "policy": {"name": "api", "combining": "permit-unless-deny", "rules": [
    {"name": "no transfers", "effect": "deny", "target": {"service": ["payments"], "path": ["transfers/*"]}}
  ]}})";

PolicyResult decide(const Engine& engine, std::string_view path) {
  Request request;
  request.method = "POST";
  request.path = path;
  return engine.decide(request).result;
}

TEST(PathBypass, EquivalentSpellingsOfAPathGetTheSameDecision) {
  const absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyText{kPolicy}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  ASSERT_EQ(decide(*engine, "/payments/transfers/7"), PolicyResult::kDeny);
  ASSERT_EQ(decide(*engine, "/payments/refunds/7"), PolicyResult::kPermit);
  for (const char* path :
       {"//payments/transfers/7", "/payments//transfers/7", "/payments/./transfers/7",
        "/payments/x/../transfers/7", "/payments/%74ransfers/7",
        "/payments/transfers/7?x=/../../refunds", "/x/../payments/transfers/7"}) {
    EXPECT_EQ(decide(*engine, path), PolicyResult::kDeny) << path;
  }
}

TEST(PathBypass, StarNeverMatchesAnEmptySegment) {
  const absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyText{kPolicy}});
  ASSERT_TRUE(engine.ok());
  // "transfers/" has an empty last segment: `transfers/*` does not cover it.
  EXPECT_EQ(decide(*engine, "/payments/transfers/"), PolicyResult::kPermit);
}

}  // namespace
}  // namespace stepup
