// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Keys from the identity provider, through the gateway: rotation picked up
// without a restart, unknown kids bounded to one fetch per interval, 503
// with Retry-After in each protocol while keys cannot judge a token,
// /healthz reporting each key set's source and age, /readyz failing until
// every validator has keys. Against the local HTTPS test identity provider.
#include <chrono>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include "gateway/gateway_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "json/json_text.h"
#include "stepup/signing_key.h"
#include "support/test_identity_provider.h"

namespace stepup::gateway::testing {
namespace {

using json_internal::json_quote;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

class GatewayKeyRefreshTest : public stepup::testing::IdentityProviderTest {
 protected:
  static std::string policy(const std::string& refresh) {
    return R"j({"stepup": 1, "validators": [{"name": "idp", "type": "jwt", "issuer": ")j" +
           idp().base() + R"j(", "audience": ["api"], "algorithms": ["ES256"], "ca_file": ")j" +
           idp().ca_file() + R"j(", "jwks_uri": ")j" + idp().base() + R"j(/jwks", "refresh": )j" +
           refresh + R"j(}], "policy": {"name": "root", "rules": [{"name": "signed-in",
            "effect": "permit", "condition": "has(HttpRequest.AccessToken.sub)"}]}})j";
  }
  static std::string claims() {
    return R"({"iss":")" + idp().base() + R"(","aud":"api","sub":"alice","exp":4000000000})";
  }
  static Engine engine(const std::string& refresh, KeyRefreshOptions key_refresh = {}) {
    absl::StatusOr<Engine> engine =
        Engine::create({.policy = PolicyText{policy(refresh)}, .key_refresh = key_refresh});
    if (!engine.ok()) {
      ADD_FAILURE() << engine.status();
      std::abort();
    }
    return *std::move(engine);
  }
  static httplib::Result auth(httplib::Client& client, const std::string& token) {
    return client.Get("/auth", {{"X-Original-Method", "GET"},
                                {"X-Original-URI", "/x"},
                                {"Authorization", "Bearer " + token}});
  }
};

TEST_F(GatewayKeyRefreshTest, RotationAndUnknownKidsThroughTheGateway) {
  const std::string old_kid = idp().rotate();
  RunningGateway gateway(engine(R"({"min_seconds": 60, "unknown_kid_min_interval_seconds": 1})"));
  std::unique_ptr<httplib::Client> client = gateway.client();

  httplib::Result ready = client->Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(ready->body, R"({"waiting_for":[],"ready":true})");
  httplib::Result health = client->Get("/healthz");
  ASSERT_TRUE(health);
  const JsonValue status = parse_json(health->body);
  const JsonValue& source = status.find("key_sources")->items().at(0);
  EXPECT_EQ(source.find("source")->as_string(), "jwks_uri " + idp().base() + "/jwks");
  EXPECT_TRUE(source.find("has_keys")->as_bool());
  EXPECT_EQ(source.find("usable_keys")->as_integer(), 1);
  EXPECT_GE(source.find("age_seconds")->as_integer(), 0);
  EXPECT_EQ(source.find("fetches")->as_integer(), 1);
  EXPECT_EQ(source.find("next_fetch_at")->as_integer() - source.find("fetched_at")->as_integer(),
            120);  // The provider's max-age, within [60, 86400].

  httplib::Result accepted = auth(*client, idp().mint(old_kid, claims()));
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 200);

  // Rotation: the first request with the new kid is told to retry (nginx
  // sees 403 and the real status), then passes: no restart, no reload.
  const int fetches_before_rotation = idp().fetches();
  const std::string rotated = idp().mint(idp().rotate(), claims());
  httplib::Result first = auth(*client, rotated);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 403);
  EXPECT_EQ(first->get_header_value("X-Stepup-Status"), "503");
  EXPECT_EQ(first->get_header_value("X-Stepup-Retry-After"), "1");
  EXPECT_FALSE(first->has_header("WWW-Authenticate"));
  EXPECT_TRUE(eventually([&] {
    httplib::Result again = auth(*client, rotated);
    return again && again->status == 200;
  }));
  const int rotation_fetches = idp().fetches() - fetches_before_rotation;
  EXPECT_EQ(rotation_fetches, 1);

  // A flood of 10,000 forged kids, once the rotation's interval is over: at
  // most one fetch per second.
  absl::StatusOr<SigningKey> forger = SigningKey::generate(Algorithm::kES256);
  ASSERT_TRUE(forger.ok());
  std::mt19937_64 random(7);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  const int fetches_before_flood = idp().fetches();
  const auto start = Clock::now();
  int unavailable = 0;
  int refused = 0;
  for (int i = 0; i < 10'000; ++i) {
    const std::string header =
        R"({"alg":"ES256","typ":"at+jwt","kid":"forged-)" + std::to_string(random()) + R"("})";
    const absl::StatusOr<std::string> token = forger->mint(header, claims());
    ASSERT_TRUE(token.ok());
    httplib::Result answer = auth(*client, *token);
    ASSERT_TRUE(answer);
    if (answer->status == 403 && answer->get_header_value("X-Stepup-Status") == "503") {
      ++unavailable;
    } else {
      ASSERT_EQ(answer->status, 401) << i;
      ++refused;
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const int flood_fetches = idp().fetches() - fetches_before_flood;
  EXPECT_GE(flood_fetches, 1);
  EXPECT_GE(unavailable, 1);
  EXPECT_LE(flood_fetches, static_cast<int>(seconds) + 1);
  std::cout << "[ figures ] gateway: rotation accepted after 1 fetch (first answer 403, "
            << "X-Stepup-Status 503, X-Stepup-Retry-After 1); 10000 forged kids in " << seconds
            << " s: " << unavailable << " 503, " << refused << " 401, " << flood_fetches
            << " fetches\n";
}

TEST_F(GatewayKeyRefreshTest, AnOutageIsRiddenOutAndTheAgeGrows) {
  const std::string token = idp().mint(idp().rotate(), claims());
  RunningGateway gateway(engine(R"({"min_seconds": 1, "max_seconds": 1})"));
  std::unique_ptr<httplib::Client> client = gateway.client();
  auto age = [&] {
    httplib::Result health = client->Get("/healthz");
    if (!health) return int64_t{-1};
    const JsonValue status = parse_json(health->body);
    const JsonValue* value = status.find("key_sources")->items().at(0).find("age_seconds");
    return value != nullptr ? value->as_integer() : int64_t{-1};
  };
  idp().set_outage(true);
  const int64_t first_age = age();
  const auto start = Clock::now();
  int answered = 0;
  while (Clock::now() - start < std::chrono::milliseconds(3500)) {
    httplib::Result answer = auth(*client, token);
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->status, 200) << "the last good set serves throughout";
    ++answered;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const int64_t last_age = age();
  httplib::Result health = client->Get("/healthz");
  idp().set_outage(false);
  EXPECT_GE(last_age, first_age + 3);
  ASSERT_TRUE(health);
  EXPECT_THAT(health->body, HasSubstr(R"("has_keys":true)"));
  EXPECT_THAT(health->body, ::testing::ContainsRegex(R"("consecutive_failures":[1-9])"));
  EXPECT_THAT(health->body, HasSubstr("HTTP status 503"));
  std::cout << "[ figures ] gateway outage: " << answered << " requests over 3.5 s all 200, age "
            << first_age << " s -> " << last_age << " s\n";
}

TEST_F(GatewayKeyRefreshTest, WithoutKeysEachProtocolSays503AndReadinessFails) {
  idp().set_outage(true);
  RunningGateway gateway(engine(R"({"min_seconds": 1})", {.start_without_keys = true}));
  std::unique_ptr<httplib::Client> client = gateway.client();
  const std::string token = idp().mint(idp().rotate(), claims());

  httplib::Result ready = client->Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
  EXPECT_EQ(ready->body, R"({"waiting_for":["idp"],"ready":false})");
  EXPECT_TRUE(eventually([&] {
    httplib::Result health = client->Get("/healthz");
    return health && health->body.find("HTTP status 503") != std::string::npos;
  }));

  httplib::Result nginx = auth(*client, token);
  ASSERT_TRUE(nginx);
  EXPECT_EQ(nginx->status, 403);
  EXPECT_EQ(nginx->get_header_value("X-Stepup-Status"), "503");
  ASSERT_TRUE(nginx->has_header("X-Stepup-Retry-After"));
  EXPECT_GE(std::stoi(nginx->get_header_value("X-Stepup-Retry-After")), 1);

  const std::string sideband = R"({"method": "GET", "url": "https://api.example.com/x",
      "headers": [{"Authorization": )" +
                               json_quote("Bearer " + token) + "}]}";
  httplib::Result side = client->Post("/sideband/request", {{"CLIENT-TOKEN", kTestSecret}},
                                      sideband, "application/json");
  ASSERT_TRUE(side);
  EXPECT_EQ(side->status, 200);
  const JsonValue response = *parse_json(side->body).find("response");
  EXPECT_EQ(response.find("response_code")->as_string(), "503");
  EXPECT_THAT(side->body, HasSubstr(R"({"Retry-After":")"));
  EXPECT_THAT(side->body, ::testing::Not(HasSubstr("WWW-Authenticate")));

  const std::string evaluation = R"({"subject": {"type": "user", "id": "alice", "properties":
      {"token": )" + json_quote(token) +
                                 R"(}}, "action": {"name": "GET"},
      "resource": {"type": "http", "id": "/x"}})";
  httplib::Result authzen = client->Post("/access/v1/evaluation", evaluation, "application/json");
  ASSERT_TRUE(authzen);
  EXPECT_EQ(authzen->status, 200);
  const JsonValue context = *parse_json(authzen->body).find("context");
  EXPECT_EQ(context.find("status")->as_integer(), 503);
  EXPECT_GE(context.find("retry_after")->as_integer(), 1);

  idp().set_outage(false);
  EXPECT_TRUE(eventually([&] {
    httplib::Result now_ready = client->Get("/readyz");
    return now_ready && now_ready->status == 200;
  }));
  httplib::Result accepted = auth(*client, token);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 200);
}

}  // namespace
}  // namespace stepup::gateway::testing
