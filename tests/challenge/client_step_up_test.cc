// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "challenge/client_internal.h"
#include "stepup/challenge_client.h"

namespace stepup {
namespace {

std::optional<StepUpRequirement> step_up_of(std::string_view field) {
  return find_step_up(parse_www_authenticate({field}));
}

ChallengeKind kind_of(const std::vector<std::string_view>& fields) {
  return classify(parse_www_authenticate(fields));
}

TEST(FindStepUp, Rfc9470AcrValuesExample) {
  const auto requirement = step_up_of(
      R"(Bearer error="insufficient_user_authentication", )"
      R"(error_description="A different authentication level is required", acr_values="myACR")");
  ASSERT_TRUE(requirement);
  EXPECT_EQ(requirement->acr_values, std::vector<std::string>{"myACR"});
  EXPECT_EQ(requirement->max_age, std::nullopt);
  EXPECT_EQ(requirement->scope, std::nullopt);
  EXPECT_EQ(requirement->realm, std::nullopt);
  EXPECT_EQ(requirement->error_description, "A different authentication level is required");
}

TEST(FindStepUp, Rfc9470MaxAgeExample) {
  const auto requirement =
      step_up_of(R"(Bearer error="insufficient_user_authentication", )"
                 R"(error_description="More recent authentication is required", max_age="5")");
  ASSERT_TRUE(requirement);
  EXPECT_TRUE(requirement->acr_values.empty());
  EXPECT_EQ(requirement->max_age, 5);
  EXPECT_EQ(requirement->error_description, "More recent authentication is required");
}

TEST(FindStepUp, SpecExampleWithRealmScopeAndTwoAcrs) {
  const auto requirement = step_up_of(
      R"(Bearer realm="api.example.com", error="insufficient_user_authentication", )"
      R"(error_description="A different authentication level is required", )"
      R"(acr_values="urn:example:mfa urn:example:hwk", max_age=300, scope="payments:write")");
  ASSERT_TRUE(requirement);
  EXPECT_EQ(requirement->acr_values,
            (std::vector<std::string>{"urn:example:mfa", "urn:example:hwk"}));
  EXPECT_EQ(requirement->max_age, 300);
  EXPECT_EQ(requirement->scope, "payments:write");
  EXPECT_EQ(requirement->realm, "api.example.com");
}

TEST(FindStepUp, AcrValuesSplitOnSpacesDroppingEmptyEntries) {
  auto requirement =
      step_up_of(R"(Bearer error="insufficient_user_authentication", acr_values="  a   b ")");
  ASSERT_TRUE(requirement);
  EXPECT_EQ(requirement->acr_values, (std::vector<std::string>{"a", "b"}));

  // Present but empty: still a step-up challenge, with nothing specific asked.
  requirement = step_up_of(R"(Bearer error="insufficient_user_authentication", acr_values="")");
  ASSERT_TRUE(requirement);
  EXPECT_TRUE(requirement->acr_values.empty());
}

TEST(FindStepUp, MaxAgeMustBeANonNegativeInteger) {
  for (const char* max_age : {R"("-1")", R"("5s")", R"("")", R"(" 5")", R"("+5")", R"("1.5")",
                              R"("0x10")", "9223372036854775808", "99999999999999999999"}) {
    const std::string field =
        std::string(R"(Bearer error="insufficient_user_authentication", max_age=)") + max_age;
    EXPECT_EQ(step_up_of(field), std::nullopt) << max_age;
    EXPECT_EQ(kind_of({field}), ChallengeKind::kOther) << max_age;
  }
  for (const auto& [text, value] : std::vector<std::pair<std::string, int64_t>>{
           {"0", 0},
           {"\"007\"", 7},
           {"9223372036854775807", std::numeric_limits<int64_t>::max()}}) {
    const auto requirement =
        step_up_of(R"(Bearer error="insufficient_user_authentication", max_age=)" + text);
    ASSERT_TRUE(requirement) << text;
    EXPECT_EQ(requirement->max_age, value);
  }
}

TEST(FindStepUp, SkipsAMalformedStepUpChallengeForALaterOne) {
  const auto requirement = find_step_up(
      parse_www_authenticate({R"(Bearer error="insufficient_user_authentication", max_age="soon")",
                              R"(Bearer error="insufficient_user_authentication", max_age=60)"}));
  ASSERT_TRUE(requirement);
  EXPECT_EQ(requirement->max_age, 60);
}

TEST(FindStepUp, IgnoresInvalidAndOtherChallenges) {
  // A repeated parameter: which acr_values was meant is unknowable.
  EXPECT_EQ(step_up_of(R"(Bearer error="insufficient_user_authentication", acr_values="a", )"
                       R"(ACR_VALUES="b")"),
            std::nullopt);
  // The error code is compared exactly.
  EXPECT_EQ(step_up_of(R"(Bearer error="Insufficient_User_Authentication", acr_values="a")"),
            std::nullopt);
  EXPECT_EQ(step_up_of(R"(Basic error="insufficient_user_authentication", acr_values="a")"),
            std::nullopt);
  EXPECT_EQ(step_up_of(R"(Bearer error="invalid_token")"), std::nullopt);
  EXPECT_EQ(step_up_of(R"(Bearer realm="example")"), std::nullopt);
  EXPECT_EQ(step_up_of("Bearer abc=="), std::nullopt);
  EXPECT_EQ(step_up_of(""), std::nullopt);
  // A syntax error anywhere in the step-up challenge.
  EXPECT_EQ(step_up_of(R"(Bearer error="insufficient_user_authentication", acr_values="a)"),
            std::nullopt);
}

TEST(FindStepUp, TakesTheFirstStepUpChallengeAfterOthers) {
  const auto requirement = find_step_up(parse_www_authenticate(
      {R"(Basic realm="x", Bearer error="invalid_token")",
       R"(Bearer error="insufficient_user_authentication", acr_values="first", )"
       R"(Bearer error="insufficient_user_authentication", acr_values="second")"}));
  ASSERT_TRUE(requirement);
  EXPECT_EQ(requirement->acr_values, std::vector<std::string>{"first"});
}

TEST(FindStepUp, ADpopChallengeKeepsItsSchemeAlgsAndMetadata) {
  // RFC 9449 §7.1's challenge with RFC 9470's parameters, and RFC 9728's.
  const auto requirement = step_up_of(
      R"(DPoP realm="api", error="insufficient_user_authentication", acr_values="urn:a urn:b", )"
      R"(max_age="300", algs="ES256 EdDSA", )"
      R"(resource_metadata="https://api.example.com/.well-known/oauth-protected-resource")");
  ASSERT_TRUE(requirement);
  EXPECT_TRUE(requirement->dpop);
  EXPECT_EQ(requirement->dpop_algs, (std::vector<std::string>{"ES256", "EdDSA"}));
  EXPECT_EQ(requirement->acr_values, (std::vector<std::string>{"urn:a", "urn:b"}));
  EXPECT_EQ(requirement->max_age, 300);
  EXPECT_EQ(requirement->resource_metadata,
            "https://api.example.com/.well-known/oauth-protected-resource");
  const auto bearer =
      step_up_of(R"(Bearer error="insufficient_user_authentication", algs="ES256")");
  ASSERT_TRUE(bearer);
  EXPECT_FALSE(bearer->dpop);
  EXPECT_TRUE(bearer->dpop_algs.empty()) << "algs means nothing under Bearer";
  EXPECT_EQ(step_up_of("DPoP abc=="), std::nullopt);
}

TEST(FindResourceMetadata, FirstUsableChallengeThatHasOne) {
  EXPECT_EQ(find_resource_metadata(parse_www_authenticate(
                {R"(Basic resource_metadata="https://no", Bearer realm="a", )"
                 R"(DPoP algs="ES256", resource_metadata="https://api.example.com/m")"})),
            "https://api.example.com/m");
  EXPECT_EQ(find_resource_metadata(parse_www_authenticate({R"(Bearer realm="a")"})), std::nullopt);
}

TEST(FindDpopAlgorithms, OnlyFromADpopChallenge) {
  EXPECT_EQ(find_dpop_algorithms(parse_www_authenticate(
                {R"(Bearer realm="a", DPoP realm="a", algs="ES256 PS256")"})),
            (std::vector<std::string>{"ES256", "PS256"}));
  EXPECT_EQ(find_dpop_algorithms(parse_www_authenticate({"DPoP"})), std::vector<std::string>{});
  EXPECT_EQ(find_dpop_algorithms(parse_www_authenticate({R"(Bearer algs="ES256")"})), std::nullopt);
}

TEST(Classify, Kinds) {
  EXPECT_EQ(kind_of({R"(Bearer error="insufficient_user_authentication", acr_values="a")"}),
            ChallengeKind::kStepUp);
  EXPECT_EQ(kind_of({R"(Bearer realm="example")"}), ChallengeKind::kNoCredentials);
  EXPECT_EQ(kind_of({"Bearer"}), ChallengeKind::kNoCredentials);
  EXPECT_EQ(kind_of({R"(Bearer realm="example", error="invalid_token", )"
                     R"(error_description="The access token expired")"}),
            ChallengeKind::kInvalidToken);
  EXPECT_EQ(kind_of({R"(Bearer error="insufficient_scope", scope="read")"}),
            ChallengeKind::kInsufficientScope);
  EXPECT_EQ(kind_of({R"(Bearer error="invalid_request")"}), ChallengeKind::kOther);
  EXPECT_EQ(kind_of({R"(Basic realm="simple")"}), ChallengeKind::kOther);
  EXPECT_EQ(kind_of({}), ChallengeKind::kOther);
  EXPECT_EQ(kind_of({"Bearer abc=="}), ChallengeKind::kOther);
  EXPECT_EQ(kind_of({R"(DPoP error="invalid_dpop_proof", algs="ES256")"}),
            ChallengeKind::kInvalidDpopProof);
  EXPECT_EQ(kind_of({R"(DPoP error="use_dpop_nonce")"}), ChallengeKind::kUseDpopNonce);
  EXPECT_EQ(kind_of({R"(Bearer realm="a", DPoP algs="ES256")"}), ChallengeKind::kNoCredentials);
  EXPECT_EQ(kind_of({R"(DPoP error="invalid_token")"}), ChallengeKind::kInvalidToken);
}

TEST(Classify, StepUpAnywhereWinsOtherwiseFirstValidBearerDecides) {
  EXPECT_EQ(kind_of({R"(Bearer error="invalid_token")",
                     R"(Bearer error="insufficient_user_authentication", max_age=0)"}),
            ChallengeKind::kStepUp);
  EXPECT_EQ(kind_of({R"(Bearer realm="a", realm="b", Bearer error="invalid_token")"}),
            ChallengeKind::kInvalidToken);
  EXPECT_EQ(kind_of({R"(Basic realm="x", Bearer error="insufficient_scope", )"
                     R"(Bearer error="invalid_token")"}),
            ChallengeKind::kInsufficientScope);
}

TEST(AuthorizationRequestParameters, AcrValuesAndMaxAge) {
  StepUpRequirement requirement;
  requirement.acr_values = {"urn:example:mfa", "urn:example:hwk"};
  requirement.max_age = 300;
  requirement.scope = "payments";
  EXPECT_EQ(authorization_request_parameters(requirement),
            "acr_values=urn%3Aexample%3Amfa+urn%3Aexample%3Ahwk&max_age=300");
}

TEST(AuthorizationRequestParameters, OnlyPresentOnes) {
  StepUpRequirement requirement;
  EXPECT_EQ(authorization_request_parameters(requirement), "");
  requirement.max_age = 0;
  EXPECT_EQ(authorization_request_parameters(requirement), "max_age=0");
  requirement.max_age = -1;
  EXPECT_EQ(authorization_request_parameters(requirement), "");
  requirement.max_age.reset();
  requirement.acr_values = {"", "myACR", ""};
  EXPECT_EQ(authorization_request_parameters(requirement), "acr_values=myACR");
}

TEST(AuthorizationRequestParameters, ScopeOnlyWhenAsked) {
  StepUpRequirement requirement;
  requirement.max_age = 5;
  requirement.scope = "openid payments:write";
  EXPECT_EQ(authorization_request_parameters(requirement, {.include_scope = true}),
            "max_age=5&scope=openid+payments%3Awrite");
  requirement.scope = "";
  EXPECT_EQ(authorization_request_parameters(requirement, {.include_scope = true}), "max_age=5");
}

TEST(AuthorizationRequestParameters, PercentEncodesAllButUnreserved) {
  StepUpRequirement requirement;
  requirement.acr_values = {"aZ09-._~", "a+b&c=d%e/f", "caf\xc3\xa9", "\"\\\x7f"};
  EXPECT_EQ(authorization_request_parameters(requirement),
            "acr_values=aZ09-._~+a%2Bb%26c%3Dd%25e%2Ff+caf%C3%A9+%22%5C%7F");
}

TEST(AuthorizationRequestParameters, RoundTripsAParsedChallenge) {
  const auto requirement = step_up_of(
      R"(Bearer error="insufficient_user_authentication", acr_values="urn:example:mfa urn:example:hwk", max_age=300)");
  ASSERT_TRUE(requirement);
  EXPECT_EQ(authorization_request_parameters(*requirement),
            "acr_values=urn%3Aexample%3Amfa+urn%3Aexample%3Ahwk&max_age=300");
}

TEST(ChallengeInternal, Printable) {
  EXPECT_EQ(challenge_internal::printable("a\nb\x1b[0m\x7f"), "a\\x0Ab\\x1B[0m\\x7F");
  EXPECT_EQ(challenge_internal::printable("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace stepup
