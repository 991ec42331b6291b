// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "stepup/challenge_client.h"

namespace stepup {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1'700'000'000;
constexpr char kResource[] = "POST https://api.example.com/transfers";

StepUpRequirement mfa_or_hwk() {
  StepUpRequirement requirement;
  requirement.acr_values = {"urn:example:mfa", "urn:example:hwk"};
  return requirement;
}

StepUpRequirement hwk_only() {
  StepUpRequirement requirement;
  requirement.acr_values = {"urn:example:hwk"};
  return requirement;
}

StepUpRequirement fresh(int64_t max_age) {
  StepUpRequirement requirement;
  requirement.max_age = max_age;
  return requirement;
}

void expect_refused(const absl::Status& status, const std::string& text) {
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(text));
}

TEST(StepUpRetryGuard, StepUpThenSuccess) {
  StepUpRetryGuard guard;
  EXPECT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  EXPECT_EQ(guard.tracked_resources(), 1u);
  EXPECT_TRUE(guard.check_new_token(kResource, "urn:example:hwk", kNow, kNow).ok());
  guard.on_success(kResource);
  EXPECT_EQ(guard.tracked_resources(), 0u);
}

TEST(StepUpRetryGuard, SameChallengeAfterAStepUpStops) {
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  ASSERT_TRUE(guard.check_new_token(kResource, "urn:example:mfa", kNow, kNow).ok());
  const absl::Status status = guard.on_challenge(kResource, mfa_or_hwk());
  expect_refused(status, "step-up loop for resource 'POST https://api.example.com/transfers'");
  expect_refused(status, "acr_values urn:example:mfa urn:example:hwk");
}

TEST(StepUpRetryGuard, SameMeansSameSetsOfAcrValuesAndScope) {
  StepUpRetryGuard guard({.max_step_ups_per_resource = 5});
  StepUpRequirement first = mfa_or_hwk();
  first.max_age = 300;
  first.scope = "read write";
  ASSERT_TRUE(guard.on_challenge(kResource, first).ok());
  ASSERT_TRUE(guard.check_new_token(kResource, "urn:example:mfa", kNow, kNow).ok());

  StepUpRequirement reordered;
  reordered.acr_values = {"urn:example:hwk", "urn:example:mfa", "urn:example:hwk"};
  reordered.max_age = 300;
  reordered.scope = "write  read";
  expect_refused(guard.on_challenge(kResource, reordered), "step-up loop");

  // Any real difference is a new requirement.
  StepUpRequirement other_age = first;
  other_age.max_age = 60;
  EXPECT_TRUE(guard.on_challenge(kResource, other_age).ok());
  StepUpRequirement other_scope = first;
  other_scope.scope = "read";
  EXPECT_TRUE(guard.on_challenge(kResource, other_scope).ok());
  StepUpRequirement no_age = first;
  no_age.max_age.reset();
  EXPECT_TRUE(guard.on_challenge(kResource, no_age).ok());
}

TEST(StepUpRetryGuard, DifferentChallengeAllowedWithinTheBound) {
  StepUpRetryGuard guard({.max_step_ups_per_resource = 2});
  ASSERT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  ASSERT_TRUE(guard.check_new_token(kResource, "urn:example:mfa", kNow, kNow).ok());
  // The server now wants something stronger: a second step-up is allowed.
  ASSERT_TRUE(guard.on_challenge(kResource, hwk_only()).ok());
  ASSERT_TRUE(guard.check_new_token(kResource, "urn:example:hwk", kNow, kNow).ok());
  // A third, even a new one, is past the bound.
  expect_refused(guard.on_challenge(kResource, fresh(0)),
                 "step-up limit reached for resource 'POST https://api.example.com/transfers': "
                 "2 step-up(s) attempted, max_step_ups_per_resource is 2");
  // Any earlier requirement coming back is a loop, not just the last one.
  expect_refused(guard.on_challenge(kResource, mfa_or_hwk()), "step-up loop");
}

TEST(StepUpRetryGuard, DefaultBoundIsOneStepUp) {
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  ASSERT_TRUE(guard.check_new_token(kResource, "urn:example:mfa", kNow, kNow).ok());
  expect_refused(guard.on_challenge(kResource, hwk_only()),
                 "1 step-up(s) attempted, max_step_ups_per_resource is 1; not stepping up again "
                 "for acr_values urn:example:hwk");
}

TEST(StepUpRetryGuard, ZeroBoundRefusesEveryStepUpAndTracksNothing) {
  StepUpRetryGuard guard({.max_step_ups_per_resource = 0});
  expect_refused(guard.on_challenge(kResource, mfa_or_hwk()), "max_step_ups_per_resource is 0");
  EXPECT_EQ(guard.tracked_resources(), 0u);
}

TEST(StepUpRetryGuard, RepeatedChallengesBeforeAnyTokenAreNotAttempts) {
  // Two requests to one resource may both be challenged before the step-up.
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  ASSERT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  EXPECT_TRUE(guard.check_new_token(kResource, "urn:example:mfa", kNow, kNow).ok());
}

TEST(StepUpRetryGuard, TokenWithTheWrongAcrStops) {
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  const absl::Status status = guard.check_new_token(kResource, "urn:example:pwd", kNow, kNow);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "the authorization server returned acr urn:example:pwd, which does not satisfy "
            "acr_values urn:example:mfa urn:example:hwk for resource "
            "'POST https://api.example.com/transfers'");
  // The failed attempt counts: the same challenge again is a loop.
  expect_refused(guard.on_challenge(kResource, mfa_or_hwk()), "step-up loop");
}

TEST(StepUpRetryGuard, TokenWithoutAcrStopsWhenAcrValuesAreAsked) {
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  expect_refused(guard.check_new_token(kResource, std::nullopt, kNow, kNow),
                 "the authorization server returned no acr, which does not satisfy acr_values "
                 "urn:example:mfa urn:example:hwk");
}

TEST(StepUpRetryGuard, AcrIsComparedExactly) {
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  expect_refused(guard.check_new_token(kResource, "URN:EXAMPLE:MFA", kNow, kNow),
                 "returned acr URN:EXAMPLE:MFA");
}

TEST(StepUpRetryGuard, MaxAgeChecksAuthTimeWithSkew) {
  StepUpRetryGuard guard;  // Skew 60.
  const auto check = [&](std::optional<int64_t> auth_time) {
    EXPECT_TRUE(guard.on_challenge("r", fresh(300)).ok());
    const absl::Status status = guard.check_new_token("r", std::nullopt, auth_time, kNow);
    guard.on_success("r");
    return status;
  };
  EXPECT_TRUE(check(kNow).ok());
  EXPECT_TRUE(check(kNow - 360).ok());
  EXPECT_TRUE(check(kNow + 30).ok());  // The AS's clock runs ahead.
  expect_refused(check(kNow - 361),
                 "the authorization server returned auth_time 1699999639, which does not satisfy "
                 "max_age 300 at time 1700000000 (clock skew 60 seconds), for resource 'r'");
  expect_refused(check(std::nullopt),
                 "the authorization server returned no auth_time, which max_age 300 requires");
}

TEST(StepUpRetryGuard, MaxAgeWithoutSkew) {
  StepUpRetryGuard guard({.clock_skew_seconds = -5});  // Negative counts as 0.
  ASSERT_TRUE(guard.on_challenge("r", fresh(0)).ok());
  EXPECT_TRUE(guard.check_new_token("r", std::nullopt, kNow, kNow).ok());
  guard.on_success("r");
  ASSERT_TRUE(guard.on_challenge("r", fresh(0)).ok());
  expect_refused(guard.check_new_token("r", std::nullopt, kNow - 1, kNow), "max_age 0");
}

TEST(StepUpRetryGuard, MaxAgeArithmeticDoesNotOverflow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge("r", fresh(kMax)).ok());
  EXPECT_TRUE(guard.check_new_token("r", std::nullopt, kMin, kMax).ok());
  guard.on_success("r");
  ASSERT_TRUE(guard.on_challenge("r", fresh(10)).ok());
  expect_refused(guard.check_new_token("r", std::nullopt, kMin, kMax), "max_age 10");
  guard.on_success("r");
  ASSERT_TRUE(guard.on_challenge("r", fresh(10)).ok());
  EXPECT_TRUE(guard.check_new_token("r", std::nullopt, kMax, kMin).ok());
}

TEST(StepUpRetryGuard, BothAcrAndMaxAgeMustHold) {
  StepUpRequirement requirement = mfa_or_hwk();
  requirement.max_age = 300;
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge("r", requirement).ok());
  expect_refused(guard.check_new_token("r", "urn:example:mfa", kNow - 1000, kNow), "max_age 300");
}

TEST(StepUpRetryGuard, EmptyRequirementAcceptsAnyToken) {
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge("r", StepUpRequirement{}).ok());
  EXPECT_TRUE(guard.check_new_token("r", std::nullopt, std::nullopt, kNow).ok());
  expect_refused(guard.on_challenge("r", StepUpRequirement{}),
                 "the same step-up (no acr_values, max_age or scope)");
}

TEST(StepUpRetryGuard, CheckNeedsAPendingChallenge) {
  StepUpRetryGuard guard;
  expect_refused(guard.check_new_token(kResource, "urn:example:mfa", kNow, kNow),
                 "no step-up is pending for resource 'POST https://api.example.com/transfers'");
  ASSERT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  ASSERT_TRUE(guard.check_new_token(kResource, "urn:example:mfa", kNow, kNow).ok());
  // One challenge, one token: a second token is not checked against it.
  expect_refused(guard.check_new_token(kResource, "urn:example:mfa", kNow, kNow),
                 "no step-up is pending");
}

TEST(StepUpRetryGuard, OnSuccessResets) {
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  ASSERT_TRUE(guard.check_new_token(kResource, "urn:example:mfa", kNow, kNow).ok());
  guard.on_success(kResource);
  // Later, e.g. when the step-up has expired, the same challenge is fine again.
  EXPECT_TRUE(guard.on_challenge(kResource, mfa_or_hwk()).ok());
  guard.on_success("never seen");  // Harmless.
  EXPECT_EQ(guard.tracked_resources(), 1u);
}

TEST(StepUpRetryGuard, ResourcesAreIndependentAndExact) {
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge("GET /a", mfa_or_hwk()).ok());
  ASSERT_TRUE(guard.check_new_token("GET /a", "urn:example:mfa", kNow, kNow).ok());
  EXPECT_TRUE(guard.on_challenge("GET /b", mfa_or_hwk()).ok());
  EXPECT_TRUE(guard.on_challenge("get /a", mfa_or_hwk()).ok());
  expect_refused(guard.on_challenge("GET /a", mfa_or_hwk()), "step-up loop");
}

TEST(StepUpRetryGuard, RecordStepUpCountsAnAttemptWithoutChecking) {
  StepUpRetryGuard guard;
  guard.record_step_up("r");  // Nothing pending: no effect.
  EXPECT_EQ(guard.tracked_resources(), 0u);
  ASSERT_TRUE(guard.on_challenge("r", mfa_or_hwk()).ok());
  guard.record_step_up("r");
  expect_refused(guard.on_challenge("r", mfa_or_hwk()), "step-up loop");
  expect_refused(guard.check_new_token("r", "urn:example:mfa", kNow, kNow),
                 "no step-up is pending");
}

TEST(StepUpRetryGuard, MemoryIsBoundedLeastRecentlyUsedFirst) {
  StepUpRetryGuard guard({.max_tracked_resources = 2});
  ASSERT_TRUE(guard.on_challenge("r1", mfa_or_hwk()).ok());
  ASSERT_TRUE(guard.check_new_token("r1", "urn:example:mfa", kNow, kNow).ok());
  ASSERT_TRUE(guard.on_challenge("r2", mfa_or_hwk()).ok());
  // Touching r1 makes r2 the least recently used.
  expect_refused(guard.on_challenge("r1", mfa_or_hwk()), "step-up loop");
  ASSERT_TRUE(guard.on_challenge("r3", mfa_or_hwk()).ok());
  EXPECT_EQ(guard.tracked_resources(), 2u);
  expect_refused(guard.on_challenge("r1", mfa_or_hwk()), "step-up loop");
  // r2 was evicted: its pending step-up is gone.
  expect_refused(guard.check_new_token("r2", "urn:example:mfa", kNow, kNow),
                 "no step-up is pending");
  // Evicting r1 forgets its attempt too.
  ASSERT_TRUE(guard.on_challenge("r4", mfa_or_hwk()).ok());
  ASSERT_TRUE(guard.on_challenge("r5", mfa_or_hwk()).ok());
  EXPECT_EQ(guard.tracked_resources(), 2u);
  EXPECT_TRUE(guard.on_challenge("r1", mfa_or_hwk()).ok());
}

TEST(StepUpRetryGuard, ZeroTrackedResourcesCountsAsOne) {
  StepUpRetryGuard guard({.max_tracked_resources = 0});
  ASSERT_TRUE(guard.on_challenge("r1", mfa_or_hwk()).ok());
  ASSERT_TRUE(guard.check_new_token("r1", "urn:example:mfa", kNow, kNow).ok());
  expect_refused(guard.on_challenge("r1", mfa_or_hwk()), "step-up loop");
  EXPECT_EQ(guard.tracked_resources(), 1u);
}

TEST(StepUpRetryGuard, MessagesEscapeControlCharacters) {
  StepUpRetryGuard guard;
  ASSERT_TRUE(guard.on_challenge("a\nb", mfa_or_hwk()).ok());
  const absl::Status status = guard.check_new_token("a\nb", "x\r\nINFO fake", kNow, kNow);
  EXPECT_EQ(std::string(status.message()).find_first_of("\r\n"), std::string::npos);
  expect_refused(status, "returned acr x\\x0D\\x0AINFO fake");
  expect_refused(status, "for resource 'a\\x0Ab'");
}

TEST(StepUpRetryGuard, ConcurrentUseIsSafe) {
  StepUpRetryGuard guard({.max_tracked_resources = 16});
  std::vector<std::thread> threads;
  std::vector<int> loops_stopped(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&guard, &loops_stopped, t] {
      const std::string resource = "r" + std::to_string(t);
      for (int i = 0; i < 500; ++i) {
        if (!guard.on_challenge(resource, mfa_or_hwk()).ok()) continue;
        if (!guard.check_new_token(resource, "urn:example:mfa", kNow, kNow).ok()) continue;
        if (!guard.on_challenge(resource, mfa_or_hwk()).ok()) ++loops_stopped[t];
        guard.on_success(resource);
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  // Each thread owns its resource and the bound is not reached: every loop is seen.
  for (int stopped : loops_stopped)
    EXPECT_EQ(stopped, 500);
  EXPECT_EQ(guard.tracked_resources(), 0u);
}

}  // namespace
}  // namespace stepup
