// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// RFC 9728 through the engine: with a `protected_resource`, every challenge
// ends with its `resource_metadata` URL (SPEC §5's order), and the engine
// hands the metadata document to its host.
#include <gtest/gtest.h>

#include <string>

#include "engine/engine_test_util.h"

namespace stepup::engine_test {
namespace {

constexpr const char* kMetadataUrl = "https://api.example.com/.well-known/oauth-protected-resource";

Engine engine_with_metadata() {
  std::string text = document(kPostNeedsHwkPolicy);
  text.insert(1, R"("protected_resource": {"resource": "https://api.example.com",
                    "scopes_supported": ["payments:write"]}, )");
  return create_engine(text);
}

TEST(ResourceMetadataTest, EveryChallengeEndsWithTheMetadataUrl) {
  const Engine engine = engine_with_metadata();
  const std::string suffix = std::string(", resource_metadata=\"") + kMetadataUrl + "\"";
  const Decision none = decide(engine, TestRequest("GET", "/x"));
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.www_authenticate, std::string(kBareChallenge) + suffix);
  const Decision expired =
      decide(engine,
             TestRequest("GET", "/x").authorization(bearer({{"exp", std::to_string(kNow - 120)}})));
  EXPECT_EQ(expired.error, "invalid_token");
  EXPECT_TRUE(expired.www_authenticate.ends_with(suffix)) << expired.www_authenticate;
  const Decision step_up = decide(engine, TestRequest("POST", "/x").authorization(bearer()));
  EXPECT_EQ(step_up.error, "insufficient_user_authentication");
  EXPECT_EQ(
      step_up.www_authenticate,
      std::string("Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
                  "error_description=\"A different authentication level is required\", "
                  "acr_values=\"urn:example:hwk\"") +
          suffix);
  // A permit has no challenge at all.
  EXPECT_EQ(decide(engine, TestRequest("GET", "/x").authorization(bearer())).www_authenticate, "");
}

TEST(ResourceMetadataTest, TheEngineHandsOutTheDocument) {
  const std::optional<ProtectedResourceMetadata> metadata =
      engine_with_metadata().protected_resource_metadata();
  ASSERT_TRUE(metadata.has_value());
  EXPECT_EQ(metadata->url, kMetadataUrl);
  EXPECT_EQ(metadata->path, "/.well-known/oauth-protected-resource");
  const JsonValue json = parse_object(metadata->json);
  EXPECT_EQ(json.find("resource")->as_string(), "https://api.example.com");
  EXPECT_EQ(json.find("authorization_servers")->to_json(),
            JsonValue::array({JsonValue::string(testing::kTestIssuer)}).to_json());
  EXPECT_FALSE(create_engine(document(kPostNeedsHwkPolicy)).protected_resource_metadata());
  // Without one, challenges are as before.
  EXPECT_EQ(decide(create_engine(document(kPostNeedsHwkPolicy)), TestRequest("GET", "/x"))
                .www_authenticate,
            kBareChallenge);
}

}  // namespace
}  // namespace stepup::engine_test
