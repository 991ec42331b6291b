// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The refresh schedule of remote key sets, driven by hand: no network, the
// answers made up, time given explicitly.
#include "keysource/key_refresher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stepup/signing_key.h"
#include "stepup/token_verifier.h"

namespace stepup::keysource {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kStart = 1'800'000'000;

std::string jwks_of(const std::string& kid) {
  absl::StatusOr<SigningKey> key = SigningKey::generate(Algorithm::kES256, kid);
  EXPECT_TRUE(key.ok()) << key.status();
  return key.ok() ? key->verification_jwks() : "";
}

// One jwks_uri source for validator 0; `fetched` says whether the load
// fetched it (with that max-age and ETag).
RemoteKeys source(bool fetched, std::optional<int64_t> max_age = 120,
                  RefreshLimits limits = {.min_seconds = 60,
                                          .max_seconds = 86400,
                                          .unknown_kid_min_interval_seconds = 30}) {
  RemoteKeys remote;
  remote.validator = 0;
  remote.validator_name = "idp";
  remote.source.kind = RemoteSource::Kind::kJwksUri;
  remote.source.jwks_uri = "https://idp.example/jwks";
  remote.source.refresh = limits;
  remote.description = remote.source.describe();
  if (fetched) {
    FetchedKeys initial;
    initial.keys = *KeySet::from_jwks(jwks_of("k1"));
    initial.jwks_uri = remote.source.jwks_uri;
    initial.etag = "\"v1\"";
    initial.max_age = max_age;
    remote.initial = std::move(initial);
  }
  return remote;
}

KeyRefresher refresher_of(RemoteKeys remote) {
  std::vector<RemoteKeys> sources;
  sources.push_back(std::move(remote));
  return KeyRefresher(std::move(sources), 2, kStart, std::make_shared<WakeSignal>());
}

KeyFetchResponse answer(int status, std::string body = "", std::string etag = "",
                        std::optional<int64_t> max_age = std::nullopt) {
  KeyFetchResponse response;
  response.status = status;
  response.body = std::move(body);
  response.etag = std::move(etag);
  response.max_age = max_age;
  response.jwks_uri = "https://idp.example/jwks";
  return response;
}

TEST(KeyRefresherTest, MaxAgeIsClampedToTheLimits) {
  EXPECT_EQ(refresher_of(source(true, 120)).next_due(), kStart + 120);
  EXPECT_EQ(refresher_of(source(true, 5)).next_due(), kStart + 60);
  EXPECT_EQ(refresher_of(source(true, 10'000'000)).next_due(), kStart + 86400);
  EXPECT_EQ(refresher_of(source(true, std::nullopt)).next_due(), kStart + kDefaultRefreshSeconds);
  EXPECT_EQ(refresher_of(source(false)).next_due(), kStart);  // Never fetched: due now.
}

TEST(KeyRefresherTest, AFetchIsHandedOutOnceWhenDueAndRevalidatesWithTheETag) {
  KeyRefresher refresher = refresher_of(source(true, 120));
  EXPECT_FALSE(refresher.take_due(kStart + 119).has_value());
  const std::optional<KeyFetchJob> job = refresher.take_due(kStart + 120);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->jwks_uri, "https://idp.example/jwks");
  EXPECT_EQ(job->if_none_match, "\"v1\"");
  EXPECT_EQ(job->validator, "idp");
  EXPECT_FALSE(refresher.take_due(kStart + 150).has_value()) << "one fetch in flight at a time";
  EXPECT_GT(*refresher.next_due(), kStart + 120 + 60) << "only once given up as lost";

  // 304 keeps the set and schedules by the new max-age.
  const FinishedFetch finished =
      refresher.finish(*job, answer(304, "", "\"v1\"", 90), kStart + 121);
  EXPECT_TRUE(finished.status.ok()) << finished.status;
  EXPECT_FALSE(finished.changed.has_value());
  EXPECT_EQ(refresher.next_due(), kStart + 121 + 90);
  const KeySourceStatus status = refresher.status(kStart + 130)[0];
  EXPECT_TRUE(status.has_keys);
  EXPECT_EQ(status.checked_at, kStart + 121);
  EXPECT_EQ(status.fetched_at, kStart);
  EXPECT_EQ(status.age_seconds, 9);
  EXPECT_EQ(status.fetches, 2u);
}

TEST(KeyRefresherTest, ANewSetIsOfferedOnceAndTheSameBodyIsNot) {
  KeyRefresher refresher = refresher_of(source(false));
  std::optional<KeyFetchJob> job = refresher.take_due(kStart);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->if_none_match, "") << "a validator without keys asks for the whole set";
  const std::string body = jwks_of("k2");
  FinishedFetch finished = refresher.finish(*job, answer(200, body, "\"v2\"", 120), kStart + 1);
  ASSERT_TRUE(finished.changed.has_value());
  EXPECT_EQ(finished.changed->size(), 1u);
  EXPECT_EQ(finished.validator, 0u);
  EXPECT_FALSE(refresher.status(kStart + 1)[0].has_keys) << "not before it is published";
  refresher.settle(finished, absl::OkStatus(), kStart + 1);
  EXPECT_TRUE(refresher.status(kStart + 1)[0].has_keys);

  job = refresher.take_due(kStart + 121);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->if_none_match, "\"v2\"");
  finished = refresher.finish(*job, answer(200, body, "\"v2\"", 120), kStart + 121);
  EXPECT_TRUE(finished.status.ok());
  EXPECT_FALSE(finished.changed.has_value()) << "the same set again is not published again";
}

TEST(KeyRefresherTest, FailuresKeepTheLastGoodSetAndBackOffWithJitter) {
  KeyRefresher refresher = refresher_of(source(true, 120));
  int64_t now = kStart + 120;
  int64_t previous_delay = 0;
  for (uint32_t failure = 1; failure <= 12; ++failure) {
    const std::optional<KeyFetchJob> job = refresher.take_due(now);
    ASSERT_TRUE(job.has_value()) << failure;
    const FinishedFetch finished = refresher.finish(
        *job, absl::UnavailableError("https://idp.example/jwks: HTTP status 500"), now);
    EXPECT_FALSE(finished.status.ok());
    const KeySourceStatus status = refresher.status(now)[0];
    EXPECT_TRUE(status.has_keys) << "the last good set stays";
    EXPECT_EQ(status.consecutive_failures, failure);
    EXPECT_THAT(status.last_error, HasSubstr("HTTP status 500"));
    const int64_t delay = *refresher.next_due() - now;
    // Step 2^(n-1) seconds up to the default period, drawn from 75 % to 125 %.
    const int64_t step = std::min<int64_t>(kDefaultRefreshSeconds, int64_t{1} << (failure - 1));
    EXPECT_GE(delay, std::max<int64_t>(1, step * 3 / 4)) << failure;
    EXPECT_LE(delay, step * 5 / 4 + 1) << failure;
    if (failure <= 8) {
      EXPECT_GT(delay, previous_delay / 2) << "it grows";
    }
    previous_delay = delay;
    now += delay;
  }
  // A success resets the count and the schedule.
  const std::optional<KeyFetchJob> job = refresher.take_due(now);
  ASSERT_TRUE(job.has_value());
  EXPECT_TRUE(refresher.finish(*job, answer(304, "", "\"v1\"", 120), now).status.ok());
  const KeySourceStatus status = refresher.status(now)[0];
  EXPECT_EQ(status.consecutive_failures, 0u);
  EXPECT_EQ(status.last_error, "");
  EXPECT_EQ(refresher.next_due(), now + 120);
}

TEST(KeyRefresherTest, ABadSetIsAFailureThatKeepsTheLastGoodOne) {
  for (const std::string& body :
       {std::string("not json"),
        std::string(
            R"({"keys": [{"kty": "oct", "k": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"}]})"),
        std::string(R"({"keys": [{"kty": "RSA", "use": "enc", "n": "AQAB", "e": "AQAB"}]})")}) {
    KeyRefresher refresher = refresher_of(source(true, 120));
    const std::optional<KeyFetchJob> job = refresher.take_due(kStart + 120);
    ASSERT_TRUE(job.has_value());
    const FinishedFetch finished = refresher.finish(*job, answer(200, body), kStart + 120);
    EXPECT_FALSE(finished.status.ok()) << body;
    EXPECT_FALSE(finished.changed.has_value());
    EXPECT_TRUE(refresher.status(kStart + 120)[0].has_keys);
    EXPECT_EQ(refresher.status(kStart + 120)[0].consecutive_failures, 1u);
  }
}

TEST(KeyRefresherTest, UnknownKidsAskForOneFetchPerInterval) {
  KeyRefresher refresher = refresher_of(source(true, 3600));
  // Validator 1 has local keys: its unknown kids are plain refusals.
  EXPECT_FALSE(refresher.on_unknown_key(1, kStart + 10).unavailable);

  UnknownKeyAnswer first = refresher.on_unknown_key(0, kStart + 10);
  EXPECT_TRUE(first.unavailable);
  EXPECT_EQ(first.retry_after_seconds, 1);
  // However many follow, they wait for the same fetch.
  for (int i = 0; i < 10'000; ++i)
    ASSERT_TRUE(refresher.on_unknown_key(0, kStart + 10).unavailable);
  std::optional<KeyFetchJob> job = refresher.take_due(kStart + 10);
  ASSERT_TRUE(job.has_value()) << "due at once, out of schedule";
  EXPECT_FALSE(refresher.take_due(kStart + 10).has_value());
  EXPECT_TRUE(refresher.finish(*job, answer(304, "", "\"v1\"", 3600), kStart + 11).status.ok());

  // The set is fresh and still lacks the kid: refused, and no new fetch
  // until more than the interval (30 s from the fetch) has passed.
  for (int i = 0; i < 10'000; ++i) {
    ASSERT_FALSE(refresher.on_unknown_key(0, kStart + 11 + i % 30).unavailable);
  }
  EXPECT_FALSE(refresher.take_due(kStart + 40).has_value());
  EXPECT_TRUE(refresher.on_unknown_key(0, kStart + 41).unavailable);
  job = refresher.take_due(kStart + 41);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(refresher.status(kStart + 40)[0].fetches, 2u);
}

TEST(KeyRefresherTest, AChangedSetStaysPendingUntilPublished) {
  KeyRefresher refresher = refresher_of(source(true, 3600));
  ASSERT_TRUE(refresher.on_unknown_key(0, kStart).unavailable);
  const std::optional<KeyFetchJob> job = refresher.take_due(kStart);
  ASSERT_TRUE(job.has_value());
  const FinishedFetch finished = refresher.finish(*job, answer(200, jwks_of("k2")), kStart);
  ASSERT_TRUE(finished.changed.has_value());
  // Between the fetch and the swap, the new kid must not be refused.
  EXPECT_TRUE(refresher.on_unknown_key(0, kStart).unavailable);
  refresher.settle(finished, absl::OkStatus(), kStart);
  EXPECT_FALSE(refresher.on_unknown_key(0, kStart + 1).unavailable);
}

TEST(KeyRefresherTest, ASetThatCannotBePublishedIsAFailure) {
  KeyRefresher refresher = refresher_of(source(true, 120));
  const std::optional<KeyFetchJob> job = refresher.take_due(kStart + 120);
  ASSERT_TRUE(job.has_value());
  const FinishedFetch finished = refresher.finish(*job, answer(200, jwks_of("k2")), kStart + 120);
  ASSERT_TRUE(finished.changed.has_value());
  refresher.settle(finished, absl::InvalidArgumentError("validators[0]: no key can verify RS256"),
                   kStart + 120);
  const KeySourceStatus status = refresher.status(kStart + 120)[0];
  EXPECT_TRUE(status.has_keys) << "the last good set stays";
  EXPECT_EQ(status.consecutive_failures, 1u);
  EXPECT_THAT(status.last_error, HasSubstr("no key can verify RS256"));
  EXPECT_EQ(status.fetched_at, kStart) << "still the set of the load";
  EXPECT_LT(*refresher.next_due(), kStart + 120 + 60) << "retried with backoff";
  const std::optional<KeyFetchJob> retry = refresher.take_due(*refresher.next_due());
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->if_none_match, "") << "the refused set is asked for in full";
}

TEST(KeyRefresherTest, WithoutKeysOrWhileFailingTokensAreNotJudged) {
  KeyRefresher refresher = refresher_of(source(false));
  std::optional<KeyFetchJob> job = refresher.take_due(kStart);
  ASSERT_TRUE(job.has_value());
  ASSERT_FALSE(refresher.finish(*job, absl::UnavailableError("down"), kStart).status.ok());
  const UnknownKeyAnswer never_had_keys = refresher.on_unknown_key(0, kStart);
  EXPECT_TRUE(never_had_keys.unavailable);
  EXPECT_GE(never_had_keys.retry_after_seconds, 1);

  // A set that fails to refresh cannot say a kid is unknown either.
  KeyRefresher failing = refresher_of(source(true, 120));
  job = failing.take_due(kStart + 120);
  ASSERT_TRUE(job.has_value());
  ASSERT_FALSE(failing.finish(*job, absl::UnavailableError("down"), kStart + 120).status.ok());
  ASSERT_TRUE(failing.on_unknown_key(0, kStart + 121).unavailable);  // Asks again (rate-limited).
  job = failing.take_due(kStart + 121);
  ASSERT_TRUE(job.has_value());
  ASSERT_FALSE(failing.finish(*job, absl::UnavailableError("down"), kStart + 121).status.ok());
  const UnknownKeyAnswer answer_while_down = failing.on_unknown_key(0, kStart + 122);
  EXPECT_TRUE(answer_while_down.unavailable);
  EXPECT_GE(answer_while_down.retry_after_seconds, 1);
}

TEST(KeyRefresherTest, JobIdsNeverRepeatAcrossRefreshers) {
  KeyRefresher first = refresher_of(source(false));
  KeyRefresher second = refresher_of(source(false));
  const std::optional<KeyFetchJob> a = first.take_due(kStart);
  const std::optional<KeyFetchJob> b = second.take_due(kStart);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->id, b->id);
  // A job of one document finished into another's refresher changes nothing.
  const FinishedFetch wrong = second.finish(*a, answer(200, jwks_of("k1")), kStart);
  EXPECT_THAT(wrong.status.message(), HasSubstr("not in flight"));
  EXPECT_FALSE(wrong.changed.has_value());
  EXPECT_TRUE(second.finish(*b, answer(200, jwks_of("k1")), kStart).changed.has_value());
}

TEST(KeyRefresherTest, AHostsAnswerWithoutAUrlKeepsTheConfiguredOne) {
  KeyRefresher refresher = refresher_of(source(true, 120));
  std::optional<KeyFetchJob> job = refresher.take_due(kStart + 120);
  ASSERT_TRUE(job.has_value());
  KeyFetchResponse unchanged = answer(304, "", "\"v1\"", 120);
  unchanged.jwks_uri.clear();  // A host's own HTTP client may leave it out.
  EXPECT_TRUE(refresher.finish(*job, unchanged, kStart + 120).status.ok());
  job = refresher.take_due(kStart + 240);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->jwks_uri, "https://idp.example/jwks");
  EXPECT_EQ(refresher.status(kStart + 240)[0].jwks_uri, "https://idp.example/jwks");
}

TEST(KeyRefresherTest, AJobNeverFinishedIsGivenUp) {
  KeyRefresher refresher = refresher_of(source(true, 120));
  ASSERT_TRUE(refresher.take_due(kStart + 120).has_value());  // Dropped by its host.
  EXPECT_FALSE(refresher.take_due(kStart + 150).has_value());
  const int64_t lost_at = *refresher.next_due();
  EXPECT_GT(lost_at, kStart + 120 + 60);
  const std::optional<KeyFetchJob> again = refresher.take_due(lost_at);
  ASSERT_TRUE(again.has_value());
  const KeySourceStatus status = refresher.status(lost_at)[0];
  EXPECT_EQ(status.consecutive_failures, 1u);
  EXPECT_THAT(status.last_error, HasSubstr("never finished"));
  EXPECT_TRUE(status.has_keys);
}

TEST(KeyRefresherTest, AnUnknownKidDuringAScheduledFetchGetsAFetchOfItsOwn) {
  KeyRefresher refresher = refresher_of(source(true, 120));
  const std::optional<KeyFetchJob> scheduled = refresher.take_due(kStart + 120);
  ASSERT_TRUE(scheduled.has_value());
  // The kid may have been published after the scheduled fetch was sent.
  ASSERT_TRUE(refresher.on_unknown_key(0, kStart + 120).unavailable);
  ASSERT_TRUE(
      refresher.finish(*scheduled, answer(304, "", "\"v1\"", 120), kStart + 121).status.ok());
  EXPECT_EQ(refresher.next_due(), 0) << "due at once, now that the fetch in flight is back";
  EXPECT_TRUE(refresher.on_unknown_key(0, kStart + 121).unavailable) << "still waiting";
  const std::optional<KeyFetchJob> own = refresher.take_due(kStart + 121);
  ASSERT_TRUE(own.has_value());
  ASSERT_TRUE(refresher.finish(*own, answer(304, "", "\"v1\"", 120), kStart + 121).status.ok());
  EXPECT_FALSE(refresher.on_unknown_key(0, kStart + 121).unavailable) << "answered: 401";
}

TEST(KeyRefresherTest, AFetchedSetNeedsAKeyForOneAllowedAlgorithmOnly) {
  ValidatorOptions validator;
  validator.issuer = "https://idp.example";
  validator.audience = {"api"};
  validator.algorithms = {Algorithm::kRS256, Algorithm::kES256};
  validator.keys = *KeySet::from_jwks(jwks_of("only-es256"));
  EXPECT_THAT(TokenVerifier::create({.validators = {validator}}).status().message(),
              HasSubstr("no key can verify RS256"));
  // From the provider, a withdrawn RS256 key must be able to go.
  validator.keys_from_provider = true;
  EXPECT_TRUE(TokenVerifier::create({.validators = {validator}}).ok());
  validator.algorithms = {Algorithm::kRS256};
  EXPECT_THAT(TokenVerifier::create({.validators = {validator}}).status().message(),
              HasSubstr("no key can verify any allowed algorithm"));
}

TEST(KeyRefresherTest, AStaleJobChangesNothing) {
  KeyRefresher refresher = refresher_of(source(true, 120));
  KeyFetchJob made_up;
  made_up.id = 99;
  const FinishedFetch finished = refresher.finish(made_up, answer(200, jwks_of("x")), kStart);
  EXPECT_THAT(finished.status.message(), HasSubstr("not in flight"));
  EXPECT_FALSE(finished.changed.has_value());
  EXPECT_EQ(refresher.status(kStart)[0].fetches, 1u);
}

}  // namespace
}  // namespace stepup::keysource
