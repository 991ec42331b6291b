// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Engine::create errors, reloads from text and from files, explanations and
// the decision's JSON form (SPEC §4).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "engine_test_util.h"
#include "json/strict_json.h"
#include "support/files.h"
#include "support/token_minter.h"

namespace stepup::engine_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kPermitAll =
    R"({"name": "root", "rules": [{"name": "yes", "effect": "permit"}]})";
constexpr const char* kDenyAll = R"({"name": "root", "rules": [{"name": "no", "effect": "deny",
    "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:hwk"}}]}]})";

constexpr const char* kHwkChallenge =
    "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
    "error_description=\"A different authentication level is required\", "
    "acr_values=\"urn:example:hwk\"";

TestRequest request_with_token() {
  TestRequest request("GET", "/payments/x");
  request.authorization(bearer());
  return request;
}

// --- Engine::create errors --------------------------------------------------------

TEST(EngineCreate, NeedsAPolicy) {
  const absl::StatusOr<Engine> engine = Engine::create({});
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
}

// A file and a text cannot both be given: EngineOptions::policy holds one.
static_assert(!std::is_constructible_v<EngineOptions, PolicyFile, PolicyText>);
static_assert(std::variant_size_v<decltype(EngineOptions::policy)> == 2);

TEST(EngineCreate, RefusesTokenCacheSizesItCannotHold) {
  for (const TokenCacheOptions cache :
       {TokenCacheOptions{.max_entries = kMaxTokenCacheEntries + 1},
        TokenCacheOptions{.max_refused_entries = kMaxTokenCacheEntries + 1},
        TokenCacheOptions{.max_entries = SIZE_MAX, .max_refused_entries = SIZE_MAX}}) {
    const absl::StatusOr<Engine> engine =
        Engine::create({.policy = PolicyText{document(kPermitAll)}, .token_cache = cache});
    ASSERT_FALSE(engine.ok());
    EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(engine.status().message()), HasSubstr("token_cache"));
  }
  EXPECT_TRUE(Engine::create({.policy = PolicyText{document(kPermitAll)},
                              .token_cache = {.max_entries = kMaxTokenCacheEntries}})
                  .ok());
}

TEST(EngineCreate, ReportsBadDocuments) {
  struct BadDocument {
    std::string json;
    std::string message;
  };
  const std::vector<BadDocument> cases = {
      {"not json", "not valid UTF-8 JSON"},
      {"[1]", "must be a JSON object"},
      {document(R"({"name": "root", "rules": [{"name": "r", "effect": "permit",
                    "condition": "action == "}]})"),
       "policy.rules[0].condition:"},
      {document(R"({"name": "root", "combinig": "deny-overrides", "rules": []})"),
       "unknown key \"combinig\""},
      {document(R"({"name": "root", "rules": [{"name": "r", "effect": "permit",
                    "condition": "Nope.x == 1"}]})"),
       "policy.rules[0].condition"},
      {document(R"({"name": "root", "rules": [{"name": "r", "effect": "deny",
                    "statements": [{"code": "auth-challenge",
                                    "payload": {"min_acr": "urn:unknown"}}]}]})"),
       "policy.rules[0].statements[0].payload.min_acr"},
      {document(kPermitAll, {.realm = "say \\\"hi\\\""}), "realm"},
      {R"({"stepup": 2, "policy": )" + std::string(kPermitAll) + "}", "stepup"},
      // SPEC §5: nothing that would need escaping in a header is accepted.
      {document(kPermitAll, {.realm = "caf\xC3\xA9"}), "realm"},
      {document(kPermitAll, {.realm = "tab\\there"}), "realm"},
      {document(kPermitAll, {.acr_levels = R"(["urn:a", "urn b"])"}), "acr_levels[1]"},
      {document(kPermitAll, {.acr_levels = "[\"urn:\xC3\xA9\"]"}), "acr_levels[0]"},
      {document(R"({"name": "root", "rules": [{"name": "r", "effect": "deny",
                    "statements": [{"code": "auth-challenge",
                                    "payload": {"acr_values": ["a b"]}}]}]})"),
       "policy.rules[0].statements[0].payload.acr_values[0]"},
      {document(R"({"name": "root", "rules": [{"name": "r", "effect": "deny",
                    "statements": [{"code": "auth-challenge",
                                    "payload": {"max_age": 5,
                                                "error_description": "say \"hi\""}}]}]})"),
       "policy.rules[0].statements[0].payload.error_description"},
      {document(R"({"name": "root", "rules": [{"name": "r", "effect": "deny",
                    "statements": [{"code": "auth-challenge",
                                    "payload": {"max_age": -1}}]}]})"),
       "policy.rules[0].statements[0].payload.max_age"},
      {document(R"({"name": "root", "rules": [{"name": "r", "effect": "deny",
                    "statements": [{"code": "denied-reason",
                                    "payload": {"message": "line\nbreak"}}]}]})"),
       "policy.rules[0].statements[0].payload.message"},
      {document(R"({"name": "root", "rules": [{"name": "r", "effect": "deny",
                    "statements": [{"code": "denied-reason",
                                    "payload": {"error": "insufficient_scope",
                                                "scope": "a\\b"}}]}]})"),
       "policy.rules[0].statements[0].payload.scope"},
  };
  for (const BadDocument& c : cases) {
    SCOPED_TRACE(c.json);
    const absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyText{c.json}});
    ASSERT_FALSE(engine.ok());
    EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(engine.status().message(), HasSubstr(c.message));
  }
}

TEST(EngineCreate, MissingPolicyFile) {
  const absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyFile{"/nonexistent/policy.json"}});
  ASSERT_FALSE(engine.ok());
  EXPECT_THAT(engine.status().message(), HasSubstr("/nonexistent/policy.json"));
}

TEST(EngineCreate, StartsAtGenerationOne) {
  EXPECT_EQ(create_engine(document(kPermitAll)).generation(), 1u);
}

// --- reload_json ---------------------------------------------------------------------

TEST(EngineReload, BadTextKeepsTheOldPolicy) {
  Engine engine = create_engine(document(kPermitAll));
  ASSERT_EQ(decide(engine, request_with_token()).status, 200);
  const absl::Status status = engine.reload_json(
      document(R"({"name": "root", "rules": [{"name": "r", "effect": "maybe"}]})"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("policy.rules[0].effect"));
  EXPECT_EQ(engine.generation(), 1u);
  const Decision d = decide(engine, request_with_token());
  EXPECT_EQ(d.status, 200);
  EXPECT_THAT(d.determining_rule, ElementsAre("root", "yes"));
  EXPECT_FALSE(engine.reload_json("").ok());
  EXPECT_EQ(engine.generation(), 1u);
  EXPECT_EQ(decide(engine, request_with_token()).status, 200);
}

TEST(EngineReload, GoodTextChangesDecisionsAndBumpsTheGeneration) {
  Engine engine = create_engine(document(kPermitAll));
  // A copy shares the engine's state.
  const Engine copy = engine;
  ASSERT_TRUE(engine.reload_json(document(kDenyAll)).ok());
  EXPECT_EQ(engine.generation(), 2u);
  EXPECT_EQ(copy.generation(), 2u);
  for (const Engine* e : std::vector<const Engine*>{&engine, &copy}) {
    const Decision d = decide(*e, request_with_token());
    EXPECT_EQ(d.status, 401);
    EXPECT_EQ(d.www_authenticate, kHwkChallenge);
  }
  ASSERT_TRUE(engine.reload_json(document(kPermitAll, {.realm = "other"})).ok());
  EXPECT_EQ(engine.generation(), 3u);
  EXPECT_EQ(decide(copy, request_with_token()).status, 200);
  EXPECT_EQ(decide(copy, TestRequest("GET", "/x")).status, 200);
}

TEST(EngineReload, FromTextIsNotReloadableFromAFile) {
  Engine engine = create_engine(document(kPermitAll));
  const absl::Status status = engine.reload();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(engine.generation(), 1u);
  EXPECT_EQ(decide(engine, request_with_token()).status, 200);
}

using stepup::testing::TempDir;

void write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// A document whose validator reads its keys from keys.jwks.json next to it.
std::string file_document(const char* policy, const std::string& realm = kRealm) {
  return R"({"stepup": 1, "realm": ")" + realm +
         R"(", "validators": [{"name": "as", "type": "jwt", "issuer": "https://as.example.com",
      "audience": ["https://api.example.com"], "algorithms": ["ES256"],
      "jwks_file": "keys.jwks.json"}],
    "acr_levels": ["urn:example:pwd", "urn:example:mfa", "urn:example:hwk"],
    "policy": )" +
         policy + "}";
}

TEST(EngineReload, FromAFileAfterItChanged) {
  TempDir dir;
  write(dir.file("keys.jwks.json"), testing::TestKey::shared(Algorithm::kES256).jwks());
  write(dir.file("policy.json"), file_document(kPermitAll));
  absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyFile{dir.file("policy.json")}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ(decide(*engine, request_with_token()).status, 200);

  write(dir.file("policy.json"), file_document(kDenyAll));
  // Nothing changes until reload().
  EXPECT_EQ(decide(*engine, request_with_token()).status, 200);
  ASSERT_TRUE(engine->reload().ok());
  EXPECT_EQ(engine->generation(), 2u);
  const Decision d = decide(*engine, request_with_token());
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.www_authenticate, kHwkChallenge);

  // A broken file: the error is returned and the last good policy stays.
  write(dir.file("policy.json"), "{\"stepup\": 1, \"policy\": ");
  EXPECT_FALSE(engine->reload().ok());
  EXPECT_EQ(engine->generation(), 2u);
  EXPECT_EQ(decide(*engine, request_with_token()).www_authenticate, kHwkChallenge);
}

TEST(EngineReload, FromAFilePicksUpRotatedKeys) {
  TempDir dir;
  const testing::TestKey next = testing::TestKey::generate(Algorithm::kES256, "next-key");
  const std::string next_token =
      "Bearer " + next.mint(R"({"alg":"ES256","kid":"next-key","typ":"at+jwt"})", claims());
  write(dir.file("keys.jwks.json"), testing::TestKey::shared(Algorithm::kES256).jwks());
  write(dir.file("policy.json"), file_document(kPermitAll));
  absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyFile{dir.file("policy.json")}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  TestRequest request("GET", "/x");
  request.authorization(next_token);
  Decision d = decide(*engine, request);
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.token_error, TokenError::kKeyNotFound);

  write(dir.file("keys.jwks.json"), next.jwks());
  ASSERT_TRUE(engine->reload().ok());
  EXPECT_EQ(decide(*engine, request).status, 200);
  EXPECT_EQ(decide(*engine, request_with_token()).token_error, TokenError::kKeyNotFound);

  // A broken key file fails the reload and keeps the keys in use.
  write(dir.file("keys.jwks.json"), "{\"keys\": [{}]}");
  EXPECT_FALSE(engine->reload().ok());
  EXPECT_EQ(decide(*engine, request).status, 200);
}

TEST(EngineCreate, RelativeJwksFileResolvesAgainstBaseDirectory) {
  TempDir dir;
  write(dir.file("keys.jwks.json"), testing::TestKey::shared(Algorithm::kES256).jwks());
  absl::StatusOr<Engine> engine =
      Engine::create({.policy = PolicyText{file_document(kPermitAll), dir.path()}});
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ(decide(*engine, request_with_token()).status, 200);
  // reload_json takes its own base directory.
  EXPECT_FALSE(engine->reload_json(file_document(kDenyAll), "/nonexistent").ok());
  EXPECT_EQ(engine->generation(), 1u);
  ASSERT_TRUE(engine->reload_json(file_document(kDenyAll), dir.path()).ok());
  EXPECT_EQ(decide(*engine, request_with_token()).status, 401);
}

// --- explain and to_json ------------------------------------------------------------

constexpr const char* kSpecPolicy = R"json({
    "name": "api",
    "combining": "deny-unless-permit",
    "children": [
      { "name": "transfers need fresh strong authentication",
        "target": { "service": ["payments"], "action": ["inbound-POST"],
                    "path": ["transfers/**"] },
        "combining": "first-applicable",
        "rules": [
          { "name": "strong", "effect": "deny",
            "condition": "!acr_at_least('urn:example:mfa')",
            "statements": [ { "code": "auth-challenge",
                              "payload": { "min_acr": "urn:example:mfa" } } ] },
          { "name": "fresh", "effect": "deny",
            "condition": "authentication_age > 300",
            "statements": [ { "code": "auth-challenge",
                              "payload": { "max_age": 300 } } ] },
          { "name": "scoped", "effect": "permit",
            "condition": "'payments:write' in HttpRequest.AccessToken.scope" }
        ] }
    ]
  })json";

JsonValue parse_decision(const Decision& decision) {
  JsonValue value;
  const std::string json = decision.to_json();
  EXPECT_EQ(json_internal::parse_json_object(json, 16, value).error, json_internal::JsonError::kOk)
      << json;
  return value;
}

std::string string_at(const JsonValue& object, std::string_view name) {
  const JsonValue* value = object.find(name);
  EXPECT_TRUE(value != nullptr && value->is_string()) << name;
  return value != nullptr ? std::string(value->as_string()) : "";
}

std::vector<std::string> strings_at(const JsonValue& object, std::string_view name) {
  std::vector<std::string> out;
  const JsonValue* value = object.find(name);
  EXPECT_TRUE(value != nullptr && value->is_array()) << name;
  if (value == nullptr) return out;
  for (const JsonValue& item : value->items())
    out.emplace_back(item.as_string());
  return out;
}

TEST(DecisionJson, MatchesTheSpecShape) {
  const Engine engine = create_engine(document(kSpecPolicy));
  TestRequest request("POST", "/payments/transfers/7");
  request.authorization(bearer({{"acr", "\"urn:example:pwd\""}}));
  const Decision d = decide(engine, request);
  EXPECT_EQ(d.explanation, nullptr);
  const JsonValue json = parse_decision(d);
  EXPECT_EQ(string_at(json, "decision"), "deny");
  ASSERT_NE(json.find("authorized"), nullptr);
  EXPECT_TRUE(json.find("authorized")->is_bool());
  EXPECT_FALSE(json.find("authorized")->as_bool());
  ASSERT_NE(json.find("status"), nullptr);
  EXPECT_EQ(json.find("status")->as_integer(), 401);
  EXPECT_EQ(string_at(json, "error"), "insufficient_user_authentication");
  EXPECT_EQ(string_at(json, "www_authenticate"),
            "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
            "error_description=\"A different authentication level is required\", "
            "acr_values=\"urn:example:mfa urn:example:hwk\"");
  EXPECT_EQ(string_at(json, "reason"),
            "rule api/transfers need fresh strong authentication/strong denied");
  EXPECT_THAT(strings_at(json, "determining_rule"),
              ElementsAre("api", "transfers need fresh strong authentication", "strong"));
  const JsonValue* statements = json.find("statements");
  ASSERT_TRUE(statements != nullptr && statements->is_array());
  ASSERT_EQ(statements->items().size(), 1u);
  const JsonValue& statement = statements->items()[0];
  EXPECT_EQ(string_at(statement, "code"), "auth-challenge");
  const JsonValue* payload = statement.find("payload");
  ASSERT_TRUE(payload != nullptr && payload->is_object());
  ASSERT_EQ(payload->members().size(), 1u);
  EXPECT_EQ(payload->members()[0].name, "min_acr");
  EXPECT_EQ(payload->members()[0].value.as_string(), "urn:example:mfa");
  // Only with explain.
  EXPECT_EQ(json.find("attributes"), nullptr);
  EXPECT_EQ(json.find("trace"), nullptr);
}

TEST(DecisionJson, PermitAndInvalidToken) {
  const Engine engine = create_engine(document(kSpecPolicy));
  TestRequest good("POST", "/payments/transfers/7");
  good.authorization(bearer({{"scope", "\"payments:write\""}}));
  JsonValue json = parse_decision(decide(engine, good));
  EXPECT_EQ(string_at(json, "decision"), "permit");
  EXPECT_TRUE(json.find("authorized")->as_bool());
  EXPECT_EQ(json.find("status")->as_integer(), 200);
  for (const char* absent_or_empty : {"error", "www_authenticate"}) {
    const JsonValue* value = json.find(absent_or_empty);
    EXPECT_TRUE(value == nullptr || value->as_string().empty()) << absent_or_empty;
  }
  EXPECT_THAT(strings_at(json, "determining_rule"),
              ElementsAre("api", "transfers need fresh strong authentication", "scoped"));

  TestRequest expired("POST", "/payments/transfers/7");
  expired.authorization(bearer({{"exp", "1"}}));
  json = parse_decision(decide(engine, expired));
  EXPECT_EQ(string_at(json, "decision"), "indeterminate");
  EXPECT_EQ(json.find("status")->as_integer(), 401);
  EXPECT_EQ(string_at(json, "error"), "invalid_token");
  EXPECT_EQ(string_at(json, "www_authenticate"),
            "Bearer realm=\"api.example.com\", error=\"invalid_token\", "
            "error_description=\"the token has expired\"");
  EXPECT_TRUE(strings_at(json, "determining_rule").empty());
  ASSERT_NE(json.find("statements"), nullptr);
  EXPECT_TRUE(json.find("statements")->items().empty());
}

TEST(DecisionJson, ExplainAddsAttributesAndTrace) {
  const Engine engine = create_engine(document(kSpecPolicy));
  TestRequest request("POST", "/payments/transfers/7");
  request.authorization(bearer({{"acr", "\"urn:example:pwd\""}}));
  const Decision d = decide(engine, request, kNow, /*explain=*/true);
  ASSERT_NE(d.explanation, nullptr);
  EXPECT_FALSE(d.explanation->attributes.empty());
  ASSERT_FALSE(d.explanation->trace.empty());
  // The trace reaches the determining rule.
  bool saw_strong = false;
  for (const TraceEntry& entry : d.explanation->trace) {
    if (entry.path == d.determining_rule && entry.what == "rule") {
      saw_strong = true;
      EXPECT_EQ(entry.outcome, "deny");
    }
  }
  EXPECT_TRUE(saw_strong);
  // The explanation does not change the decision.
  const Decision plain = decide(engine, request);
  EXPECT_EQ(plain.status, d.status);
  EXPECT_EQ(plain.www_authenticate, d.www_authenticate);

  const JsonValue json = parse_decision(d);
  const JsonValue* attributes = json.find("attributes");
  ASSERT_TRUE(attributes != nullptr && attributes->is_object());
  ASSERT_NE(attributes->find("authentication_policy"), nullptr);
  EXPECT_EQ(attributes->find("authentication_policy")->as_string(), "urn:example:pwd");
  ASSERT_NE(attributes->find("authentication_age"), nullptr);
  EXPECT_EQ(attributes->find("authentication_age")->as_integer(), 60);
  ASSERT_NE(attributes->find("HttpRequest.AccessToken.scope"), nullptr);
  const JsonValue* trace = json.find("trace");
  ASSERT_TRUE(trace != nullptr && trace->is_array());
  EXPECT_EQ(trace->items().size(), d.explanation->trace.size());
  ASSERT_FALSE(trace->items().empty());
  EXPECT_NE(trace->items()[0].find("path"), nullptr);
  EXPECT_NE(trace->items()[0].find("outcome"), nullptr);
  // The token itself is never in the output.
  const std::string jws(request.view().authorization->substr(7));
  EXPECT_EQ(d.to_json().find(jws), std::string::npos);
}

TEST(DecisionJson, ExplainWithoutCredentials) {
  const Engine engine = create_engine(document(kSpecPolicy));
  const Decision d = decide(engine, TestRequest("POST", "/payments/transfers/7"), kNow, true);
  ASSERT_NE(d.explanation, nullptr);
  EXPECT_EQ(explained_attribute(d, "authentication_policy"), std::nullopt);
  EXPECT_EQ(explained_attribute(d, "HttpRequest.AccessToken.active"), std::nullopt);
  EXPECT_THAT(explained_attribute(d, "action"),
              ::testing::Optional(std::string("\"inbound-POST\"")));
  const JsonValue json = parse_decision(d);
  EXPECT_NE(json.find("attributes"), nullptr);
  EXPECT_NE(json.find("trace"), nullptr);
}

}  // namespace
}  // namespace stepup::engine_test
