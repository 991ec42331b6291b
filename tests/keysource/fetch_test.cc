// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Fetching key sets and provider metadata from a local HTTPS identity
// provider (test_idp.py, with a CA made at test time), through libcurl: TLS
// verified, redirects bounded and never to http, size and time capped,
// discovery strict about the issuer, key sets read tolerantly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "keysource/discovery.h"
#include "keysource/http_fetch.h"
#include "keysource/remote_source.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"
#include "support/test_identity_provider.h"

namespace stepup::keysource {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

using FetchTest = testing::IdentityProviderTest;

TEST_F(FetchTest, FetchesOverVerifiedTls) {
  const absl::StatusOr<FetchResponse> response = fetch(idp().base() + "/jwks", idp().options());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(response->body, HasSubstr("\"keys\""));
  EXPECT_FALSE(response->etag.empty());
  EXPECT_EQ(response->max_age, 120);
}

TEST_F(FetchTest, AnUnknownCaIsRefused) {
  FetchOptions system_store;  // The test CA is in no system store.
  const absl::StatusOr<FetchResponse> response = fetch(idp().base() + "/jwks", system_store);
  ASSERT_FALSE(response.ok());
  EXPECT_THAT(response.status().message(), HasSubstr("SSL peer certificate"));
}

TEST_F(FetchTest, TheHostNameIsVerified) {
  // A certificate of the trusted CA, but for other.example, not 127.0.0.1.
  const absl::StatusOr<FetchResponse> response =
      fetch(idp().wrong_name_base() + "/jwks", idp().options());
  ASSERT_FALSE(response.ok());
  EXPECT_THAT(response.status().message(), HasSubstr("SSL peer certificate"));
}

TEST_F(FetchTest, AnUnchangedSetAnswers304) {
  const absl::StatusOr<FetchResponse> first = fetch(idp().base() + "/jwks", idp().options());
  ASSERT_TRUE(first.ok()) << first.status();
  const absl::StatusOr<FetchResponse> again =
      fetch(idp().base() + "/jwks", idp().options(), first->etag);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

TEST_F(FetchTest, RedirectsStayOnHttpsAndAreBounded) {
  const absl::StatusOr<FetchResponse> within =
      fetch(idp().base() + "/redirect-https", idp().options());
  ASSERT_TRUE(within.ok()) << within.status();
  EXPECT_THAT(within->body, HasSubstr("\"keys\""));
  EXPECT_FALSE(fetch(idp().base() + "/redirect-http", idp().options()).ok());
  const absl::StatusOr<FetchResponse> loop =
      fetch(idp().base() + "/redirect-loop", idp().options());
  ASSERT_FALSE(loop.ok());
  EXPECT_THAT(loop.status().message(), HasSubstr("redirect"));
}

TEST_F(FetchTest, ErrorsSayWhy) {
  const absl::StatusOr<FetchResponse> failing = fetch(idp().base() + "/status500", idp().options());
  ASSERT_FALSE(failing.ok());
  EXPECT_THAT(failing.status().message(), HasSubstr("HTTP status 500"));

  FetchOptions small = idp().options();
  small.max_response_bytes = 1 << 20;
  const absl::StatusOr<FetchResponse> huge = fetch(idp().base() + "/huge", small);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(huge.status().message(), HasSubstr("larger than 1048576 bytes"));
}

TEST_F(FetchTest, AHangingProviderIsCutAtTheTimeout) {
  FetchOptions quick = idp().options();
  quick.timeout = milliseconds(500);
  const auto start = std::chrono::steady_clock::now();
  const absl::StatusOr<FetchResponse> response = fetch(idp().base() + "/hang", quick);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(took, std::chrono::seconds(10));  // A bound, not a speed claim: the hang is 30 s.
}

TEST_F(FetchTest, DiscoveryFindsTheJwksUri) {
  RemoteSource source;
  source.kind = RemoteSource::Kind::kDiscovery;
  source.issuer = idp().base();
  source.fetch = idp().options();
  const absl::StatusOr<FetchedKeys> fetched = fetch_keys(source);
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->jwks_uri, idp().base() + "/jwks");
  EXPECT_EQ(fetched->keys.size(), 1u);
  EXPECT_FALSE(fetched->etag.empty());
}

// An issuer with a path has no OpenID document here, only RFC 8414's.
TEST_F(FetchTest, DiscoveryFallsBackToRfc8414) {
  RemoteSource source;
  source.kind = RemoteSource::Kind::kDiscovery;
  source.issuer = idp().base() + "/tenant";
  source.fetch = idp().options();
  const absl::StatusOr<FetchedKeys> fetched = fetch_keys(source);
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->keys.size(), 1u);
}

TEST_F(FetchTest, DiscoveryRefusesMetadataOfAnotherIssuer) {
  RemoteSource source;
  source.kind = RemoteSource::Kind::kDiscovery;
  source.issuer = idp().base() + "/wrong";
  source.fetch = idp().options();
  const absl::StatusOr<FetchedKeys> fetched = fetch_keys(source);
  ASSERT_FALSE(fetched.ok());
  EXPECT_THAT(fetched.status().message(), HasSubstr("another issuer"));
}

TEST_F(FetchTest, AProviderSetWithAnEncryptionKeyLoadsItsSigningKeys) {
  RemoteSource source;
  source.jwks_uri = idp().base() + "/keycloak/jwks";
  source.fetch = idp().options();
  const absl::StatusOr<FetchedKeys> fetched = fetch_keys(source);
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->keys.size(), 1u);
  ASSERT_EQ(fetched->keys.skipped().size(), 1u);
  EXPECT_EQ(fetched->keys.skipped()[0].kid, "enc-key");
}

TEST_F(FetchTest, ABodyThatIsNoKeySetIsAnError) {
  RemoteSource source;
  source.jwks_uri = idp().base() + "/invalid";
  source.fetch = idp().options();
  const absl::StatusOr<FetchedKeys> fetched = fetch_keys(source);
  ASSERT_FALSE(fetched.ok());
  EXPECT_THAT(fetched.status().message(), HasSubstr("/invalid: JWKS is not valid"));
}

// `text` percent-encoded for a query.

// The engine fetches its keys when it is created: a token the provider
// signed is accepted, one signed under a kid the provider does not publish
// is not.
TEST_F(FetchTest, AnEngineLoadsItsKeysFromTheProvider) {
  for (const bool discovery : {false, true}) {
    const std::string source =
        discovery ? R"("discovery": true)" : R"("jwks_uri": ")" + idp().base() + R"(/jwks")";
    const std::string policy =
        R"j({"stepup": 1, "validators": [{"name": "idp", "type": "jwt", "issuer": ")j" +
        idp().base() + R"j(", "audience": ["api"], "algorithms": ["ES256"], "ca_file": ")j" +
        idp().options().ca_file + R"j(", "fetch_timeout_ms": 5000, )j" + source +
        R"j(}], "policy": {"name": "root", "rules": [{"name": "any", "effect": "permit",
            "condition": "has(HttpRequest.AccessToken.sub)"}]}})j";
    absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyText{policy}});
    ASSERT_TRUE(engine.ok()) << engine.status();
    const std::optional<TokenVerifier> verifier = engine->token_verifier();
    ASSERT_TRUE(verifier.has_value());
    EXPECT_THAT(verifier->validators()[0].key_source,
                HasSubstr(discovery ? "discovery " + idp().base() : "jwks_uri " + idp().base()));

    const std::string claims =
        R"({"iss":")" + idp().base() + R"(","aud":"api","sub":"alice","exp":1800000600})";
    auto decide = [&](const std::string& kid) {
      const std::string authorization = "Bearer " + idp().mint(kid, claims);
      Request request;
      request.method = "GET";
      request.path = "/x";
      request.authorization = authorization;
      DecideOptions options;
      options.now = 1800000000;
      return engine->decide(request, options);
    };
    const Decision good = decide("key-1");
    EXPECT_TRUE(good.authorized) << good.reason;
    // An unknown kid asks the provider again first: 503 until that lands.
    const Decision first_forged = decide("not-published");
    EXPECT_EQ(first_forged.status, 503);
    EXPECT_EQ(first_forged.token_error, TokenError::kKeysUnavailable);
    EXPECT_EQ(first_forged.retry_after_seconds, 1);
    EXPECT_TRUE(first_forged.www_authenticate.empty());
    ASSERT_TRUE(testing::wait_for_key_fetches(*engine, 2));
    const Decision forged = decide("not-published");
    EXPECT_EQ(forged.status, 401);
    EXPECT_EQ(forged.token_error, TokenError::kKeyNotFound);
  }
}

// A provider that fails makes creation fail with the reason, naming where.
TEST_F(FetchTest, AnEngineWhoseProviderFailsIsNotCreated) {
  const std::string policy = R"({"stepup": 1, "validators": [{"name": "idp", "type": "jwt",
      "issuer": "https://idp.example", "audience": ["api"], "algorithms": ["ES256"],
      "ca_file": ")" + idp().options().ca_file +
                             R"(", "jwks_uri": ")" + idp().base() +
                             R"(/status500"}], "policy": {"name": "root", "rules": [
      {"name": "any", "effect": "permit"}]}})";
  const absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyText{policy}});
  ASSERT_FALSE(engine.ok());
  EXPECT_THAT(engine.status().message(), HasSubstr("validators[0].jwks_uri: cannot fetch"));
  EXPECT_THAT(engine.status().message(), HasSubstr("HTTP status 500"));
}

// --- no network ----------------------------------------------------------------

TEST(FetchUrlTest, OnlyHttpsOrLoopbackHttpWhenAllowed) {
  FetchOptions options;
  EXPECT_TRUE(check_fetch_url("https://idp.example/jwks", options).ok());
  EXPECT_FALSE(check_fetch_url("http://idp.example/jwks", options).ok());
  EXPECT_FALSE(check_fetch_url("http://127.0.0.1:8080/jwks", options).ok());
  EXPECT_FALSE(check_fetch_url("ftp://idp.example/jwks", options).ok());
  EXPECT_FALSE(check_fetch_url("https://user:pw@idp.example/jwks", options).ok());
  EXPECT_FALSE(check_fetch_url("https:///jwks", options).ok());
  options.allow_http_loopback = true;
  EXPECT_TRUE(check_fetch_url("http://127.0.0.1:8080/jwks", options).ok());
  EXPECT_TRUE(check_fetch_url("http://[::1]:8080/jwks", options).ok());
  EXPECT_TRUE(check_fetch_url("http://localhost/jwks", options).ok());
  EXPECT_FALSE(check_fetch_url("http://idp.example/jwks", options).ok());
  EXPECT_FALSE(check_fetch_url("http://127.0.0.1.evil.example/jwks", options).ok());
}

TEST(CacheControlTest, MaxAgeAndWhatOverridesIt) {
  EXPECT_EQ(parse_cache_control_max_age("max-age=300"), 300);
  EXPECT_EQ(parse_cache_control_max_age("public, MAX-AGE=60, must-revalidate"), 60);
  EXPECT_EQ(parse_cache_control_max_age("max-age=\"90\""), 90);
  EXPECT_EQ(parse_cache_control_max_age("max-age=60, no-store"), 0);
  EXPECT_EQ(parse_cache_control_max_age("no-cache"), 0);
  EXPECT_EQ(parse_cache_control_max_age("public"), std::nullopt);
  EXPECT_EQ(parse_cache_control_max_age("max-age=-1"), std::nullopt);
  EXPECT_EQ(parse_cache_control_max_age("max-age=abc"), std::nullopt);
  EXPECT_EQ(parse_cache_control_max_age("max-age=99999999999999999999"), INT64_MAX);
}

TEST(DiscoveryTest, MetadataUrlsOfBothSpecifications) {
  EXPECT_THAT(metadata_urls("https://idp.example"),
              ::testing::ElementsAre("https://idp.example/.well-known/openid-configuration",
                                     "https://idp.example/.well-known/oauth-authorization-server"));
  EXPECT_THAT(metadata_urls("https://idp.example/realms/a/"),
              ::testing::ElementsAre(
                  "https://idp.example/realms/a/.well-known/openid-configuration",
                  "https://idp.example/.well-known/oauth-authorization-server/realms/a"));
}

TEST(DiscoveryTest, TheIssuerMustMatchExactly) {
  const std::string document =
      R"({"issuer":"https://idp.example","jwks_uri":"https://idp.example/keys"})";
  EXPECT_EQ(jwks_uri_from_metadata(document, "https://idp.example").value_or(""),
            "https://idp.example/keys");
  EXPECT_FALSE(jwks_uri_from_metadata(document, "https://idp.example/").ok());
  EXPECT_FALSE(
      jwks_uri_from_metadata(R"({"issuer":"https://idp.example"})", "https://idp.example").ok());
  EXPECT_FALSE(jwks_uri_from_metadata("[]", "https://idp.example").ok());
}

}  // namespace
}  // namespace stepup::keysource
