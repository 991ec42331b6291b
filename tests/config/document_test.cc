// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// The loader refuses every malformed document with a message naming the JSON
// path (SPEC §2), and loads the example.
#include "config/document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "config/validators.h"
#include "policy/policy_test_support.h"
#include "support/token_fixture.h"
#include "support/token_minter.h"

namespace stepup::policy_test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kRule = R"({"name": "r", "effect": "permit"})";
constexpr std::string_view kLevels = R"("acr_levels": ["urn:a", "urn:b", "urn:c"])";

// A document whose only rule denies with `statement`.
std::string with_statement(const std::string& statement, std::string_view extra = kLevels) {
  return document_with_rule(R"({"name": "r", "effect": "deny", "statements": [)" + statement + "]}",
                            extra);
}

std::string challenge(const std::string& payload) {
  return with_statement(R"({"code": "auth-challenge", "payload": )" + payload + "}");
}

std::string denied(const std::string& payload) {
  return with_statement(R"({"code": "denied-reason", "payload": )" + payload + "}");
}

std::string shared_jwks() {
  return stepup::testing::TestKey::shared(Algorithm::kES256).jwks();
}

// A valid validator with `members` (JSON, no braces) appended, keys inline
// unless `keys` says otherwise.
std::string validator(std::string_view members = "", const std::string& keys = "") {
  std::string json = R"({"name": "as", "type": "jwt", "issuer": "https://as.example.com",
                         "audience": ["https://api.example.com"], "algorithms": ["ES256"], )";
  json += keys.empty() ? R"("jwks": )" + shared_jwks() : keys;
  if (!members.empty()) json += ", " + std::string(members);
  return json + "}";
}

std::string with_validator(const std::string& validator_json) {
  return document(R"({"name": "root", "rules": [)" + std::string(kRule) + "]}",
                  R"("validators": [)" + validator_json + "]");
}

// A validator given exactly these members.
std::string raw_validator(std::string_view members) {
  return with_validator("{" + std::string(members) + "}");
}

TEST(Loader, LoadsAMinimalDocument) {
  const auto loaded = must_load(document_with_rule(kRule));
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->root.name, "root");
  EXPECT_FALSE(loaded->root.is_policy_set);
  EXPECT_EQ(loaded->root.combining, policy::Combining::kFirstApplicable);
  EXPECT_FALSE(loaded->realm.has_value());
  EXPECT_FALSE(loaded->verifier.has_value());
  ASSERT_EQ(loaded->root.rules.size(), 1u);
  EXPECT_EQ(loaded->root.rules[0].path, (std::vector<std::string>{"root", "r"}));
}

TEST(Loader, LoadsTheExampleDocument) {
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> loaded =
      config::load_policy_file(std::string(STEPUP_EXAMPLES_DIR) + "/policy/policy.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const policy::PolicyDocument& document = **loaded;
  EXPECT_EQ(document.realm, "api.example.com");
  EXPECT_TRUE(document.verifier.has_value());
  ASSERT_EQ(document.endpoints.size(), 2u);
  EXPECT_EQ(document.endpoints[1].service, "accounts");
  EXPECT_EQ(document.endpoints[1].base_path, "/accounts");
  EXPECT_EQ(document.acr_levels.size(), 3u);
  EXPECT_EQ(document.root.combining, policy::Combining::kDenyUnlessPermit);
  ASSERT_EQ(document.root.children.size(), 2u);
  const policy::Node& transfers = document.root.children[0];
  EXPECT_EQ(transfers.target.services, (std::vector<std::string>{"payments"}));
  EXPECT_EQ(transfers.target.actions, (std::vector<std::string>{"inbound-POST"}));
  ASSERT_EQ(transfers.target.paths.size(), 1u);
  EXPECT_EQ(transfers.target.paths[0].pattern(), "transfers/**");
  ASSERT_EQ(transfers.rules.size(), 3u);
  EXPECT_EQ(transfers.rules[0].effect, policy::Effect::kDeny);
  ASSERT_EQ(transfers.rules[0].statements.size(), 1u);
  EXPECT_EQ(transfers.rules[0].statements[0].reported.code, "auth-challenge");
  EXPECT_EQ(transfers.rules[0].statements[0].reported.applies_to, AppliesTo::kDeny);
}

TEST(Loader, AMissingFileIsAnError) {
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> loaded =
      config::load_policy_file("/nonexistent/stepup/policy.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(), HasSubstr("/nonexistent/stepup/policy.json"));
}

// --- JSON and the document level -------------------------------------------

TEST(LoaderJson, RefusesInvalidJsonAndNonObjects) {
  EXPECT_EQ(load_error("{"), "policy document is not valid UTF-8 JSON");
  EXPECT_EQ(load_error("{\"stepup\": 1,}"), "policy document is not valid UTF-8 JSON");
  EXPECT_EQ(load_error("[]"), "policy document must be a JSON object");
  EXPECT_EQ(load_error("\"x\""), "policy document must be a JSON object");
}

TEST(LoaderJson, RefusesDuplicateKeysNamingWhere) {
  EXPECT_THAT(load_error(document(R"({"name": "a", "name": "b", "rules": []})")),
              HasSubstr("policy.name: duplicate key"));
  EXPECT_THAT(load_error(document_with_rule(R"({"name": "r", "effect": "permit",
                                                "effect": "deny"})")),
              HasSubstr("policy.rules[0].effect: duplicate key"));
  EXPECT_THAT(load_error(R"({"stepup": 1, "stepup": 1, "policy": {"name": "a", "rules": []}})"),
              StartsWith("stepup: duplicate key"));
}

TEST(LoaderDocument, RefusesUnknownKeys) {
  EXPECT_THAT(load_error(document_with_rule(kRule, R"("polcy": {})")),
              HasSubstr("document: unknown key \"polcy\""));
}

TEST(LoaderDocument, RequiresAPolicy) {
  EXPECT_THAT(load_error(R"({"stepup": 1})"),
              HasSubstr("document: missing required key \"policy\""));
}

TEST(LoaderDocument, RequiresStepupVersionOne) {
  const std::string policy = R"("policy": {"name": "a", "rules": []})";
  EXPECT_EQ(load_error("{" + policy + "}"), "stepup: must be 1 (the document format version)");
  for (const char* version : {"0", "2", "\"1\"", "1.0", "true", "null", "[1]"}) {
    SCOPED_TRACE(version);
    EXPECT_EQ(load_error(R"({"stepup": )" + std::string(version) + ", " + policy + "}"),
              "stepup: must be 1 (the document format version)");
  }
  EXPECT_EQ(load_error(R"({"stepup": 1, )" + policy + "}"), "loaded");
}

TEST(LoaderDocument, RefusesARealmThatCannotBeQuotedInAHeader) {
  for (const char* realm : {R"("a\"b")", R"("a\\b")", R"("a\nb")", R"("a\u00e9")", R"("a\u007f")",
                            R"("")", "1", "null"}) {
    SCOPED_TRACE(realm);
    EXPECT_THAT(load_error(document_with_rule(kRule, R"("realm": )" + std::string(realm))),
                StartsWith("realm: must be a non-empty string of printable ASCII"));
  }
  EXPECT_EQ(load_error(document_with_rule(kRule, R"("realm": "api example.com")")), "loaded");
}

TEST(LoaderDocument, ProtectedResourceMetadataFollowsRfc9728) {
  const auto plain = must_load(document_with_rule(
      kRule, R"("protected_resource": {"resource": "https://api.example.com"})"));
  ASSERT_TRUE(plain->protected_resource.has_value());
  EXPECT_EQ(plain->protected_resource->url,
            "https://api.example.com/.well-known/oauth-protected-resource");
  EXPECT_EQ(plain->protected_resource->path, "/.well-known/oauth-protected-resource");
  EXPECT_EQ(plain->protected_resource->json,
            R"({"resource":"https://api.example.com","bearer_methods_supported":["header"]})");

  // RFC 9728 §3.1: the well-known segment goes between host and path.
  const auto full = must_load(document_with_rule(kRule, R"("protected_resource": {
      "resource": "https://api.example.com:8443/payments",
      "authorization_servers": ["https://as.example.com"],
      "scopes_supported": ["payments:write", "accounts:read"],
      "resource_name": "Payments \"API\""})"));
  EXPECT_EQ(full->protected_resource->url,
            "https://api.example.com:8443/.well-known/oauth-protected-resource/payments");
  EXPECT_EQ(full->protected_resource->path, "/.well-known/oauth-protected-resource/payments");
  EXPECT_EQ(full->protected_resource->json,
            R"({"resource":"https://api.example.com:8443/payments",)"
            R"("authorization_servers":["https://as.example.com"],)"
            R"("scopes_supported":["payments:write","accounts:read"],)"
            R"("bearer_methods_supported":["header"],"resource_name":"Payments \"API\""})");

  const auto explicit_url = must_load(document_with_rule(kRule, R"("protected_resource": {
      "resource": "https://api.example.com/",
      "resource_metadata": "https://meta.example.com/prm.json"})"));
  EXPECT_EQ(explicit_url->protected_resource->url, "https://meta.example.com/prm.json");
  EXPECT_EQ(
      explicit_url->protected_resource->json.rfind(R"({"resource":"https://api.example.com/",)", 0),
      0u)
      << "RFC 9728 §3.3: the resource identifier exactly as configured";
  EXPECT_EQ(explicit_url->protected_resource->path, "/prm.json");

  EXPECT_FALSE(must_load(document_with_rule(kRule))->protected_resource.has_value());
}

TEST(LoaderDocument, ProtectedResourceDefaultsItsServersToTheValidatorsIssuers) {
  const auto loaded = must_load(
      with_validator(validator())
          .insert(1, R"("protected_resource": {"resource": "https://api.example.com"}, )"));
  ASSERT_TRUE(loaded->protected_resource.has_value());
  EXPECT_THAT(
      loaded->protected_resource->json,
      HasSubstr(R"("authorization_servers":[")" + std::string(testing::kTestIssuer) + R"("])"));
}

TEST(LoaderDocument, RefusesABadProtectedResource) {
  const auto error_of = [](std::string_view section) {
    return load_error(
        document_with_rule(kRule, R"("protected_resource": )" + std::string(section)));
  };
  EXPECT_EQ(error_of("[]"), "protected_resource: must be an object");
  EXPECT_EQ(error_of("{}"), "protected_resource: missing required key \"resource\"");
  EXPECT_THAT(error_of(R"({"resource": "https://a.example", "jwks_uri": "x"})"),
              StartsWith("protected_resource: unknown key \"jwks_uri\""));
  for (const char* url : {"http://api.example.com", "https://api.example.com/x?y=1",
                          "https://api.example.com/#f", "https://a b.example", "ftp://x"}) {
    SCOPED_TRACE(url);
    EXPECT_THAT(error_of(R"({"resource": ")" + std::string(url) + R"("})"),
                StartsWith("protected_resource.resource: must be an https URL"));
  }
  EXPECT_EQ(error_of(R"({"resource": "https://"})"),
            "protected_resource.resource: must name a host (and no user information)");
  EXPECT_EQ(error_of(R"({"resource": "https://user@api.example.com"})"),
            "protected_resource.resource: must name a host (and no user information)");
  EXPECT_EQ(
      error_of(R"({"resource": "https://a.example", "resource_metadata": "https://a.example"})"),
      "protected_resource.resource_metadata: must have a path");
  EXPECT_THAT(error_of(R"({"resource": "https://a.example", "scopes_supported": "x"})"),
              StartsWith("protected_resource.scopes_supported"));
}

TEST(LoaderDocument, RefusesBadAcrLevels) {
  EXPECT_EQ(load_error(document_with_rule(kRule, R"("acr_levels": ["a", "b", "a"])")),
            "acr_levels[2]: repeats \"a\"");
  EXPECT_THAT(load_error(document_with_rule(kRule, R"("acr_levels": ["a", "b c"])")),
              StartsWith("acr_levels[1]: must be printable ASCII without spaces"));
  EXPECT_THAT(load_error(document_with_rule(kRule, R"("acr_levels": ["a\"b"])")),
              StartsWith("acr_levels[0]: must be printable ASCII without spaces"));
  EXPECT_THAT(load_error(document_with_rule(kRule, R"("acr_levels": [""])")),
              StartsWith("acr_levels[0]: must be printable ASCII without spaces"));
  EXPECT_THAT(load_error(document_with_rule(kRule, R"("acr_levels": ["caf\u00e9"])")),
              StartsWith("acr_levels[0]: must be printable ASCII without spaces"));
  EXPECT_THAT(load_error(document_with_rule(kRule, R"("acr_levels": [1])")),
              StartsWith("acr_levels[0]: must be a string"));
  EXPECT_THAT(load_error(document_with_rule(kRule, R"("acr_levels": "a")")),
              StartsWith("acr_levels: must be a list of strings"));
}

// --- Nodes and rules ---------------------------------------------------------

TEST(LoaderNode, RefusesUnknownKeysOnNodesAndRules) {
  EXPECT_THAT(load_error(document(R"({"name": "a", "rule": [], "rules": []})")),
              HasSubstr("policy: unknown key \"rule\""));
  EXPECT_THAT(load_error(document(R"({"name": "a", "children": [
                                      {"name": "b", "rules": [], "combine": "x"}]})")),
              HasSubstr("policy.children[0]: unknown key \"combine\""));
  EXPECT_THAT(load_error(document_with_rule(R"({"name": "r", "effect": "permit"},
                                               {"name": "s", "effect": "deny", "when": "x"})")),
              HasSubstr("policy.rules[1]: unknown key \"when\""));
  // A rule has no combining and no children.
  EXPECT_THAT(load_error(document_with_rule(R"({"name": "r", "effect": "permit",
                                                "combining": "deny-overrides"})")),
              HasSubstr("policy.rules[0]: unknown key \"combining\""));
}

TEST(LoaderNode, RefusesUnknownKeysInTargets) {
  EXPECT_THAT(load_error(document(R"({"name": "a", "target": {"method": ["GET"]},
                                      "rules": []})")),
              HasSubstr("policy.target: unknown key \"method\""));
  EXPECT_THAT(load_error(document_with_rule(R"({"name": "r", "effect": "permit",
                                                "target": {"paths": ["a"]}})")),
              HasSubstr("policy.rules[0].target: unknown key \"paths\""));
}

TEST(LoaderNode, RequiresExactlyOneOfChildrenAndRules) {
  EXPECT_THAT(load_error(document(R"({"name": "a"})")),
              HasSubstr("policy: give exactly one of \"children\""));
  EXPECT_THAT(load_error(document(R"({"name": "a", "children": [], "rules": []})")),
              HasSubstr("policy: give exactly one of \"children\""));
  EXPECT_THAT(load_error(document(R"({"name": "a", "children": [{"name": "b"}]})")),
              HasSubstr("policy.children[0]: give exactly one of \"children\""));
  EXPECT_THAT(load_error(document(R"({"name": "a", "rules": {}})")),
              HasSubstr("policy.rules: must be a list"));
}

TEST(LoaderNode, RequiresANonEmptyName) {
  EXPECT_THAT(load_error(document(R"({"rules": []})")),
              HasSubstr("policy: missing required key \"name\""));
  EXPECT_THAT(load_error(document(R"({"name": "", "rules": []})")),
              HasSubstr("policy.name: must not be empty"));
  EXPECT_THAT(load_error(document_with_rule(R"({"effect": "permit"})")),
              HasSubstr("policy.rules[0]: missing required key \"name\""));
  EXPECT_THAT(load_error(document_with_rule(R"({"name": 7, "effect": "permit"})")),
              HasSubstr("policy.rules[0].name: must be a string"));
}

TEST(LoaderNode, RefusesDuplicateSiblingNames) {
  EXPECT_THAT(load_error(document(R"({"name": "root", "children": [
                                      {"name": "a", "rules": []}, {"name": "b", "rules": []},
                                      {"name": "a", "rules": []}]})")),
              HasSubstr("policy.children[2].name: repeats sibling name \"a\""));
  EXPECT_THAT(load_error(document_with_rule(R"({"name": "r", "effect": "permit"},
                                               {"name": "r", "effect": "deny"})")),
              HasSubstr("policy.rules[1].name: repeats sibling name \"r\""));
  // The same name under different parents, or parent and child, is fine.
  EXPECT_EQ(load_error(document(R"({"name": "x", "children": [
                                    {"name": "x", "rules": [{"name": "x", "effect": "permit"}]},
                                    {"name": "y", "rules": [{"name": "x", "effect": "permit"}]}
                                    ]})")),
            "loaded");
}

TEST(LoaderNode, RefusesAnUnknownCombiningAlgorithm) {
  for (const char* combining : {"\"deny-override\"", "\"Deny-Overrides\"", "\"\"", "1"}) {
    SCOPED_TRACE(combining);
    EXPECT_THAT(load_error(document(R"({"name": "a", "combining": )" + std::string(combining) +
                                    R"(, "rules": []})")),
                HasSubstr("policy.combining: must be one of deny-overrides"));
  }
}

TEST(LoaderNode, RefusesAnUnknownEffect) {
  for (const char* effect : {"\"allow\"", "\"Permit\"", "\"permit-or-deny\"", "true"}) {
    SCOPED_TRACE(effect);
    EXPECT_THAT(
        load_error(document_with_rule(R"({"name": "r", "effect": )" + std::string(effect) + "}")),
        HasSubstr("policy.rules[0].effect: must be"));
  }
  EXPECT_THAT(load_error(document_with_rule(R"({"name": "r"})")),
              HasSubstr("policy.rules[0]: missing required key \"effect\""));
}

TEST(LoaderNode, RefusesANonBooleanDisabled) {
  EXPECT_THAT(load_error(document(R"({"name": "a", "disabled": "yes", "rules": []})")),
              HasSubstr("policy.disabled: must be true or false"));
}

TEST(LoaderNode, RefusesNestingDeeperThan32) {
  // Level 0 is the root; children nest one level each.
  auto nested = [](int depth) {
    // The deepest rule carries a statement whose payload nests further still.
    std::string json = R"({"name": "leaf", "rules": [{"name": "r", "effect": "deny",
        "statements": [{"code": "auth-challenge", "payload": {"acr_values": ["a"]}}]}]})";
    for (int i = 0; i < depth; ++i)
      json = R"({"name": "n", "children": [)" + json + "]}";
    return document(json);
  };
  std::string deepest_path = "policy";
  for (int i = 0; i < 33; ++i)
    deepest_path += ".children[0]";
  EXPECT_EQ(load_error(nested(32)), "loaded");
  EXPECT_THAT(load_error(nested(33)),
              HasSubstr(deepest_path + ": policy sets are nested too deeply"));
}

TEST(LoaderTarget, RefusesBadTargetValues) {
  auto with_target = [](const std::string& target) {
    return document(R"({"name": "a", "target": )" + target + R"(, "rules": []})");
  };
  EXPECT_THAT(load_error(with_target(R"({"service": []})")),
              HasSubstr("policy.target.service: must list at least one value"));
  EXPECT_THAT(load_error(with_target(R"({"action": "inbound-GET"})")),
              HasSubstr("policy.target.action: must be a list of strings"));
  EXPECT_THAT(load_error(with_target(R"({"action": ["inbound-GET", 1]})")),
              HasSubstr("policy.target.action[1]: must be a string"));
  EXPECT_THAT(load_error(with_target(R"({"path": []})")),
              HasSubstr("policy.target.path: must list at least one glob"));
  EXPECT_THAT(load_error(with_target(R"({"condition": true})")),
              HasSubstr("policy.target.condition: must be a string"));
  EXPECT_THAT(load_error(with_target("[]")), HasSubstr("policy.target: must be an object"));
}

TEST(LoaderTarget, RefusesBadGlobsNamingTheEntry) {
  auto with_paths = [](const std::string& paths) {
    return document(R"({"name": "root", "children": [{"name": "a", "target": {"path": )" + paths +
                    R"(}, "rules": []}]})");
  };
  EXPECT_EQ(load_error(with_paths(R"(["ok/*", "a//b"])")),
            "policy.children[0].target.path[1]: path glob has an empty segment");
  EXPECT_EQ(load_error(with_paths(R"([""])")),
            "policy.children[0].target.path[0]: empty path glob");
  EXPECT_THAT(load_error(with_paths(R"(["/transfers"])")),
              StartsWith("policy.children[0].target.path[0]: path glob must not start with '/'"));
  EXPECT_EQ(load_error(with_paths(R"(["a**"])")),
            "policy.children[0].target.path[0]: '**' must be a whole segment of the path glob");
  EXPECT_EQ(load_error(with_paths(R"(["**/**/**/**/**"])")),
            "policy.children[0].target.path[0]: path glob has more than 4 '**' segments");
}

// --- Conditions --------------------------------------------------------------

TEST(LoaderCondition, NamesThePathAndColumnOfASyntaxError) {
  const std::string json = document(
      R"({"name": "root", "children": [{"name": "a", "rules": [
          {"name": "r0", "effect": "permit"},
          {"name": "r1", "effect": "permit", "condition": "(true && true"}]}]})");
  EXPECT_EQ(load_error(json), "policy.children[0].rules[1].condition:14: expected ')'");
}

TEST(LoaderCondition, NamesThePathAndColumnOfATypeError) {
  EXPECT_EQ(load_error(document_with_rule(R"({"name": "r", "effect": "deny",
                                              "condition": "authentication_age > 'x'"})")),
            "policy.rules[0].condition:20: cannot compare int with string");
  EXPECT_EQ(load_error(document_with_rule(R"j({"name": "r", "effect": "deny",
                                              "condition": "size('a')"})j")),
            "policy.rules[0].condition:1: condition must be a boolean, got int");
}

TEST(LoaderCondition, RefusesAnUnknownAttributeRoot) {
  EXPECT_EQ(load_error(document_with_rule(R"({"name": "r", "effect": "deny",
                                              "condition": "true && Request.path == 'x'"})")),
            "policy.rules[0].condition:9: unknown attribute Request");
  EXPECT_EQ(load_error(document(R"({"name": "a", "target": {"condition": "scope == 'x'"},
                                    "rules": []})")),
            "policy.target.condition:1: unknown attribute scope");
  EXPECT_EQ(load_error(document_with_rule(R"({"name": "r", "effect": "deny",
                                              "condition": "HttpRequest.Body == 'x'"})")),
            "policy.rules[0].condition:1: unknown attribute HttpRequest.Body");
}

TEST(LoaderCondition, AcrAtLeastNeedsTheDocumentsLevels) {
  const std::string rule =
      R"j({"name": "r", "effect": "deny", "condition": "acr_at_least('urn:b')"})j";
  EXPECT_EQ(load_error(document_with_rule(rule, kLevels)), "loaded");
  EXPECT_EQ(load_error(document_with_rule(rule)),
            "policy.rules[0].condition:1: acr_at_least() needs acr_levels in the document");
  EXPECT_EQ(load_error(document_with_rule(rule, R"("acr_levels": ["urn:a"])")),
            "policy.rules[0].condition:14: 'urn:b' is not one of acr_levels");
}

TEST(LoaderCondition, RefusesANonStringCondition) {
  EXPECT_EQ(load_error(document_with_rule(R"({"name": "r", "effect": "deny", "condition": true})")),
            "policy.rules[0].condition: must be a string");
}

// --- Statements --------------------------------------------------------------

TEST(LoaderStatement, RefusesUnknownKeys) {
  EXPECT_THAT(load_error(with_statement(R"({"code": "auth-challenge", "payload": {"max_age": 1},
                                           "applies": "deny"})")),
              HasSubstr("policy.rules[0].statements[0]: unknown key \"applies\""));
  EXPECT_THAT(load_error(document(R"({"name": "a", "rules": [],
                                      "statements": [{"code": "x", "applies_to": "deny",
                                                      "extra": 1}]})")),
              HasSubstr("policy.statements[0]: unknown key \"extra\""));
}

TEST(LoaderStatement, RefusesUnknownKeysInChallengeAndDeniedPayloads) {
  EXPECT_THAT(load_error(challenge(R"({"max_age": 60, "maxage": 60})")),
              HasSubstr("policy.rules[0].statements[0].payload: unknown key \"maxage\""));
  EXPECT_THAT(load_error(denied(R"({"status": 403, "reason": "x"})")),
              HasSubstr("policy.rules[0].statements[0].payload: unknown key \"reason\""));
  // Other codes' payloads are the host's business.
  EXPECT_EQ(load_error(with_statement(R"({"code": "audit", "applies_to": "deny",
                                         "payload": {"anything": [1, {"x": null}]}})")),
            "loaded");
}

TEST(LoaderStatement, RequiresACode) {
  EXPECT_THAT(load_error(with_statement(R"({"applies_to": "deny"})")),
              HasSubstr("policy.rules[0].statements[0]: missing required key \"code\""));
  EXPECT_THAT(load_error(with_statement(R"({"code": "", "applies_to": "deny"})")),
              HasSubstr("policy.rules[0].statements[0].code: must not be empty"));
}

TEST(LoaderStatement, RequiresAppliesToForCodesOtherThanChallengeAndDeniedReason) {
  EXPECT_THAT(load_error(with_statement(R"({"code": "audit"})")),
              HasSubstr("policy.rules[0].statements[0]: missing required key \"applies_to\""));
  EXPECT_THAT(load_error(with_statement(R"({"code": "audit", "applies_to": "always"})")),
              HasSubstr("policy.rules[0].statements[0].applies_to: must be"));
  EXPECT_THAT(load_error(with_statement(R"({"code": "audit", "applies_to": 1})")),
              HasSubstr("policy.rules[0].statements[0].applies_to: must be"));
  EXPECT_EQ(load_error(with_statement(R"({"code": "denied-reason"})")), "loaded");
}

TEST(LoaderStatement, ParsesAppliesToObligatoryAndPayload) {
  const auto loaded = must_load(with_statement(
      R"({"code": "audit", "name": "n", "applies_to": "permit-or-deny", "obligatory": true,
          "payload": {"k": "v"}},
         {"code": "auth-challenge", "payload": {"max_age": 5}})"));
  ASSERT_NE(loaded, nullptr);
  std::vector<Statement> statements;
  for (const policy::PolicyStatement& statement : loaded->root.rules[0].statements)
    statements.push_back(statement.reported);
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].name, "n");
  EXPECT_EQ(statements[0].applies_to, AppliesTo::kPermitOrDeny);
  EXPECT_TRUE(statements[0].obligatory);
  ASSERT_NE(statements[0].payload.find("k"), nullptr);
  EXPECT_EQ(statements[0].payload.find("k")->as_string(), "v");
  EXPECT_EQ(statements[1].applies_to, AppliesTo::kDeny);
  EXPECT_FALSE(statements[1].obligatory);
}

TEST(LoaderStatement, RefusesAChallengeWithNoRequirement) {
  EXPECT_EQ(load_error(challenge("{}")),
            "policy.rules[0].statements[0].payload: an auth-challenge needs min_acr, acr_values "
            "or max_age");
  EXPECT_EQ(load_error(with_statement(R"({"code": "auth-challenge"})")),
            "policy.rules[0].statements[0].payload: an auth-challenge needs min_acr, acr_values "
            "or max_age");
  EXPECT_EQ(load_error(challenge(R"({"error_description": "Step up"})")),
            "policy.rules[0].statements[0].payload: an auth-challenge needs min_acr, acr_values "
            "or max_age");
}

TEST(LoaderStatement, RefusesMinAcrNotInAcrLevels) {
  EXPECT_EQ(load_error(challenge(R"({"min_acr": "urn:b"})")), "loaded");
  EXPECT_EQ(load_error(challenge(R"({"min_acr": "urn:z"})")),
            "policy.rules[0].statements[0].payload.min_acr: \"urn:z\" is not one of acr_levels");
  EXPECT_EQ(load_error(challenge(R"({"min_acr": 1})")),
            "policy.rules[0].statements[0].payload.min_acr: must be a string");
}

TEST(LoaderStatement, RefusesMinAcrWithoutAcrLevels) {
  EXPECT_EQ(load_error(with_statement(R"({"code": "auth-challenge",
                                          "payload": {"min_acr": "urn:b"}})",
                                      "")),
            "policy.rules[0].statements[0].payload.min_acr: needs the document's acr_levels");
}

TEST(LoaderStatement, RefusesMinAcrAndAcrValuesTogether) {
  EXPECT_EQ(load_error(challenge(R"({"min_acr": "urn:b", "acr_values": ["urn:c"]})")),
            "policy.rules[0].statements[0].payload: give min_acr or acr_values, not both");
}

TEST(LoaderStatement, RefusesAcrValuesThatCannotStandInTheHeader) {
  EXPECT_EQ(load_error(challenge(R"({"acr_values": ["urn:x", "urn:y"]})")), "loaded");
  for (const char* value :
       {R"("a b")", R"("a\"b")", R"("a\\b")", R"("caf\u00e9")", R"("")", R"("a\tb")", "1"}) {
    SCOPED_TRACE(value);
    EXPECT_THAT(load_error(challenge(R"({"acr_values": ["ok", )" + std::string(value) + "]}")),
                StartsWith("policy.rules[0].statements[0].payload.acr_values[1]: must be "
                           "printable ASCII without spaces"));
  }
  EXPECT_THAT(load_error(challenge(R"({"acr_values": []})")),
              StartsWith("policy.rules[0].statements[0].payload.acr_values: must be a non-empty"));
  EXPECT_THAT(load_error(challenge(R"({"acr_values": "urn:x"})")),
              StartsWith("policy.rules[0].statements[0].payload.acr_values: must be a non-empty"));
}

TEST(LoaderStatement, RefusesANegativeOrNonIntegerMaxAge) {
  EXPECT_EQ(load_error(challenge(R"({"max_age": 0})")), "loaded");
  for (const char* max_age : {"-1", "1.5", "\"300\"", "null"}) {
    SCOPED_TRACE(max_age);
    EXPECT_EQ(load_error(challenge(R"({"max_age": )" + std::string(max_age) + "}")),
              "policy.rules[0].statements[0].payload.max_age: must be a non-negative integer");
  }
}

TEST(LoaderStatement, RefusesAnErrorDescriptionThatCannotStandInTheHeader) {
  EXPECT_EQ(load_error(challenge(R"({"max_age": 1, "error_description": "Step up, please"})")),
            "loaded");
  for (const char* text :
       {R"("say \"hi\"")", R"("a\rb")", R"("a\nb")", R"("a\\b")", R"("caf\u00e9")",
        "\"caf\xC3\xA9\"", R"("a\u007fb")", R"("a\tb")", "1"}) {
    SCOPED_TRACE(text);
    EXPECT_THAT(
        load_error(challenge(R"({"max_age": 1, "error_description": )" + std::string(text) + "}")),
        StartsWith("policy.rules[0].statements[0].payload.error_description: must be printable "
                   "ASCII"));
  }
}

TEST(LoaderStatement, RefusesADeniedReasonStatusOutOfRange) {
  EXPECT_EQ(load_error(denied(R"({"status": 400})")), "loaded");
  EXPECT_EQ(load_error(denied(R"({"status": 599})")), "loaded");
  for (const char* status : {"399", "600", "200", "\"403\"", "403.0"}) {
    SCOPED_TRACE(status);
    EXPECT_EQ(load_error(denied(R"({"status": )" + std::string(status) + "}")),
              "policy.rules[0].statements[0].payload.status: must be an HTTP status from 400 to "
              "599");
  }
}

TEST(LoaderStatement, RefusesADeniedReasonScopeWithoutError) {
  EXPECT_EQ(load_error(denied(R"({"status": 403, "error": "insufficient_scope",
                                  "scope": "payments:write"})")),
            "loaded");
  EXPECT_EQ(load_error(denied(R"({"status": 403, "scope": "payments:write"})")),
            "policy.rules[0].statements[0].payload.scope: needs \"error\" (such as "
            "insufficient_scope)");
  EXPECT_THAT(load_error(denied(R"({"error": "bad code"})")),
              StartsWith("policy.rules[0].statements[0].payload.error: must be an error code"));
  EXPECT_THAT(load_error(denied(R"({"error": "insufficient_scope", "scope": "a\"b"})")),
              StartsWith("policy.rules[0].statements[0].payload.scope: must be"));
  EXPECT_THAT(load_error(denied(R"({"message": "a\nb"})")),
              StartsWith("policy.rules[0].statements[0].payload.message: must be printable"));
}

// --- Validators -------------------------------------------------------------

TEST(LoaderValidator, LoadsAnInlineJwksAndVerifiesTokensWithIt) {
  using stepup::testing::kTestNow;
  const auto loaded = must_load(with_validator(validator()));
  ASSERT_NE(loaded, nullptr);
  ASSERT_TRUE(loaded->verifier.has_value());
  const TokenResult result =
      loaded->verifier->verify_at(stepup::testing::valid_token(Algorithm::kES256), kTestNow);
  EXPECT_TRUE(result.ok()) << static_cast<int>(result.error);
  EXPECT_EQ(result.validator, "as");
}

TEST(LoaderValidator, RefusesUnknownKeys) {
  EXPECT_THAT(load_error(with_validator(validator(R"("issuer_url": "x")"))),
              HasSubstr("validators[0]: unknown key \"issuer_url\""));
}

TEST(LoaderValidator, RequiresTypeJwt) {
  EXPECT_EQ(load_error(raw_validator(R"("type": "opaque", "issuer": "i")")),
            "validators[0].type: must be \"jwt\"");
  EXPECT_EQ(load_error(raw_validator(R"("issuer": "i")")),
            "validators[0]: missing required key \"type\"");
}

TEST(LoaderValidator, RequiresAnIssuer) {
  EXPECT_EQ(load_error(raw_validator(R"("type": "jwt", "audience": ["a"], "algorithms": ["ES256"],
                                        "jwks": )" +
                                     shared_jwks())),
            "validators[0]: missing required key \"issuer\"");
}

TEST(LoaderValidator, RequiresAlgorithms) {
  const std::string base =
      R"("type": "jwt", "issuer": "i", "audience": ["a"], "jwks": )" + shared_jwks();
  EXPECT_EQ(load_error(raw_validator(base)),
            "validators[0].algorithms: must list the allowed algorithms");
  EXPECT_EQ(load_error(raw_validator(base + R"(, "algorithms": [])")),
            "validators[0].algorithms: must list the allowed algorithms");
  for (const char* name : {"none", "es256", "HS257", ""}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(load_error(raw_validator(base + R"(, "algorithms": ["ES256", ")" + name + "\"]")),
              "validators[0].algorithms[1]: unknown algorithm \"" + std::string(name) + "\"");
  }
}

TEST(LoaderValidator, RequiresAnAudience) {
  EXPECT_EQ(load_error(raw_validator(R"("type": "jwt", "issuer": "i", "audience": [],
                                        "algorithms": ["ES256"], "jwks": )" +
                                     shared_jwks())),
            "validators[0].audience: must list at least one audience");
}

TEST(LoaderValidator, RequiresExactlyOneKeySource) {
  const std::string expected =
      "validators[0]: give exactly one of \"jwks\", \"jwks_file\", \"jwks_uri\" and "
      "\"discovery\"";
  EXPECT_EQ(load_error(with_validator(validator(R"("jwks_file": "keys.json")"))), expected);
  EXPECT_EQ(load_error(with_validator(validator(R"("jwks_uri": "https://idp.example/k")"))),
            expected);
  EXPECT_EQ(load_error(with_validator(validator(R"("discovery": true)"))), expected);
  EXPECT_EQ(load_error(with_validator(validator("", R"("typ": "at+jwt")"))), expected);
}

// What can be checked before any fetch (the fetches themselves are in
// tests/keysource).
TEST(LoaderValidator, ChecksFetchOptionsBeforeFetching) {
  EXPECT_EQ(load_error(with_validator(validator(R"("ca_file": "ca.pem")"))),
            "validators[0].ca_file: applies only to jwks_uri and discovery");
  EXPECT_THAT(load_error(with_validator(validator("", R"("jwks_uri": "http://idp.example/k")"))),
              StartsWith("validators[0].jwks_uri: URL http://idp.example/k is not https"));
  EXPECT_THAT(load_error(with_validator(validator(R"("allow_http_loopback": true)",
                                                  R"("jwks_uri": "http://idp.example/k")"))),
              StartsWith("validators[0].jwks_uri: URL http://idp.example/k is not https"));
  EXPECT_EQ(load_error(with_validator(validator("", R"("discovery": false)"))),
            "validators[0].discovery: must be true (or left out)");
  EXPECT_EQ(load_error(with_validator(
                validator(R"("fetch_timeout_ms": 5)", R"("jwks_uri": "https://idp.example/k")"))),
            "validators[0].fetch_timeout_ms: must be an integer from 100 to 60000");
  EXPECT_EQ(load_error(with_validator(validator(R"("max_response_bytes": 10)",
                                                R"("jwks_uri": "https://idp.example/k")"))),
            "validators[0].max_response_bytes: must be an integer from 1024 to 16777216");
  EXPECT_EQ(load_error(with_validator(validator(R"("refresh": {"min_seconds": 60})"))),
            "validators[0].refresh: applies only to jwks_uri and discovery");
  const std::string remote = R"("jwks_uri": "https://idp.example/k")";
  EXPECT_EQ(load_error(with_validator(validator(R"("refresh": 60)", remote))),
            "validators[0].refresh: must be an object");
  EXPECT_THAT(load_error(with_validator(validator(R"("refresh": {"min": 1})", remote))),
              StartsWith("validators[0].refresh: unknown key \"min\""));
  EXPECT_EQ(load_error(with_validator(validator(R"("refresh": {"min_seconds": 0})", remote))),
            "validators[0].refresh.min_seconds: must be an integer from 1 to 604800");
  EXPECT_EQ(
      load_error(with_validator(
          validator(R"("refresh": {"unknown_kid_min_interval_seconds": 0})", remote))),
      "validators[0].refresh.unknown_kid_min_interval_seconds: must be an integer from 1 to 86400");
  EXPECT_EQ(load_error(with_validator(
                validator(R"("refresh": {"min_seconds": 600, "max_seconds": 60})", remote))),
            "validators[0].refresh: min_seconds (600) exceeds max_seconds (60)");
  // A max_seconds under the default min_seconds (60) is refused as well.
  EXPECT_EQ(load_error(with_validator(validator(R"("refresh": {"max_seconds": 30})", remote))),
            "validators[0].refresh: min_seconds (60) exceeds max_seconds (30)");
}

TEST(LoaderValidator, RefusesABadInlineJwks) {
  EXPECT_THAT(load_error(with_validator(validator("", R"("jwks": {"keys": [{"kty": "XX"}]})"))),
              StartsWith("validators[0].jwks: "));
  EXPECT_THAT(load_error(with_validator(validator("", R"("jwks": {"keys": []})"))),
              StartsWith("validators[0].jwks: "));
  EXPECT_EQ(load_error(with_validator(validator("", R"("jwks": "keys")"))),
            "validators[0].jwks: must be a JWK Set object");
}

TEST(LoaderValidator, ChecksTheOptionalSettings) {
  EXPECT_EQ(load_error(with_validator(validator(R"("typ": null, "clock_skew_seconds": 0,
                                                  "max_token_bytes": 64,
                                                  "require": ["exp", "auth_time"])"))),
            "loaded");
  EXPECT_EQ(load_error(with_validator(validator(R"("clock_skew_seconds": -1)"))),
            "validators[0].clock_skew_seconds: must be an integer from 0 to 86400");
  EXPECT_EQ(load_error(with_validator(validator(R"("max_token_bytes": 0)"))),
            "validators[0].max_token_bytes: must be an integer from 64 to 1048576");
  EXPECT_EQ(load_error(with_validator(validator(R"("typ": "")"))),
            "validators[0].typ: must be a media type string or null");
}

// A temporary folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "stepup-policy-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, const std::string& contents) const {
    std::filesystem::create_directories((path_ / name).parent_path());
    std::ofstream out(path_ / name, std::ios::binary);
    out << contents;
  }

 private:
  std::filesystem::path path_;
};

TEST(LoaderValidator, ResolvesARelativeJwksFileAgainstTheDocumentsFolder) {
  const TempDir dir;
  dir.write("conf/keys/as.jwks.json", shared_jwks());
  const std::string json = with_validator(validator("", R"("jwks_file": "keys/as.jwks.json")"));
  dir.write("conf/policy.json", json);

  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> from_file =
      config::load_policy_file((dir.path() / "conf" / "policy.json").string());
  ASSERT_TRUE(from_file.ok()) << from_file.status().message();
  ASSERT_TRUE((*from_file)->verifier.has_value());
  EXPECT_TRUE(
      (*from_file)
          ->verifier
          ->verify_at(stepup::testing::valid_token(Algorithm::kES256), stepup::testing::kTestNow)
          .ok());

  EXPECT_EQ(load_error(json, (dir.path() / "conf").string()), "loaded");
  // Against another folder the file is not there, and the message names it.
  EXPECT_EQ(load_error(json, dir.path().string()), "validators[0].jwks_file: cannot read file " +
                                                       (dir.path() / "keys/as.jwks.json").string() +
                                                       ": No such file or directory");
}

TEST(LoaderValidator, UsesAnAbsoluteJwksFileAsItIs) {
  const TempDir dir;
  dir.write("as.jwks.json", shared_jwks());
  const std::string absolute = (dir.path() / "as.jwks.json").string();
  EXPECT_EQ(load_error(with_validator(validator("", R"("jwks_file": ")" + absolute + "\"")),
                       "/nonexistent"),
            "loaded");
}

TEST(LoaderValidator, RefusesAMissingOrBadJwksFileNamingIt) {
  const TempDir dir;
  dir.write("bad.jwks.json", R"({"keys": [{"kty": "EC"}]})");
  EXPECT_EQ(load_error(with_validator(validator("", R"("jwks_file": "missing.json")")),
                       dir.path().string()),
            "validators[0].jwks_file: cannot read file " + (dir.path() / "missing.json").string() +
                ": No such file or directory");
  EXPECT_THAT(
      load_error(with_validator(validator("", R"("jwks_file": "bad.jwks.json")")),
                 dir.path().string()),
      StartsWith("validators[0].jwks_file: " + (dir.path() / "bad.jwks.json").string() + ": "));
  EXPECT_EQ(load_error(with_validator(validator("", R"("jwks_file": "")"))),
            "validators[0].jwks_file: must be a file name");
}

TEST(LoaderValidator, NamesTheIndexOfTheFailingValidator) {
  const std::string json = document(R"({"name": "root", "rules": []})",
                                    R"("validators": [)" + validator() + R"(, {"type": "jwt"}])");
  EXPECT_EQ(load_error(json), "validators[1]: missing required key \"issuer\"");
}

TEST(LoaderValidator, RefusesTwoValidatorsForOneIssuer) {
  const std::string json = document(R"({"name": "root", "rules": []})",
                                    R"("validators": [)" + validator() + ", " + validator() + "]");
  EXPECT_THAT(load_error(json), StartsWith("validators[1]: "));
  EXPECT_THAT(load_error(json), HasSubstr("issuer"));
}

// --- Endpoints --------------------------------------------------------------

std::string with_endpoints(const std::string& endpoints) {
  return document_with_rule(kRule, R"("endpoints": )" + endpoints);
}

TEST(LoaderEndpoint, RefusesABadBasePath) {
  EXPECT_EQ(load_error(with_endpoints(R"([{"service": "root", "base_path": "/"}])")), "loaded");
  for (const char* base :
       {"\"payments\"", "\"/payments/\"", "\"/p?x=1\"", "\"/p#f\"", "\"\"", "1"}) {
    SCOPED_TRACE(base);
    const std::string error = load_error(
        with_endpoints(R"([{"service": "a", "base_path": "/a"}, {"service": "b", "base_path": )" +
                       std::string(base) + "}]"));
    EXPECT_THAT(error, StartsWith("endpoints[1].base_path: must"));
  }
}

TEST(LoaderEndpoint, RefusesADuplicateBasePath) {
  EXPECT_EQ(load_error(with_endpoints(R"([{"service": "a", "base_path": "/a"},
                                          {"service": "b", "base_path": "/b"},
                                          {"service": "c", "base_path": "/a"}])")),
            "endpoints[2].base_path: repeats \"/a\"");
}

TEST(LoaderEndpoint, RefusesUnknownKeysAndMissingMembers) {
  EXPECT_THAT(load_error(with_endpoints(R"([{"service": "a", "base_path": "/a", "host": "x"}])")),
              HasSubstr("endpoints[0]: unknown key \"host\""));
  EXPECT_EQ(load_error(with_endpoints(R"([{"base_path": "/a"}])")),
            "endpoints[0]: missing required key \"service\"");
  EXPECT_EQ(load_error(with_endpoints(R"([{"service": "", "base_path": "/a"}])")),
            "endpoints[0].service: must not be empty");
  EXPECT_EQ(load_error(with_endpoints(R"({})")), "endpoints: must be a list");
}

}  // namespace
}  // namespace stepup::policy_test

namespace stepup::policy_test {
namespace {

// --- Bounds on what the loader reads -----------------------------------------

// Only regular files are read, and only up to a size: a device or a FIFO
// could block or never end.
TEST(LoaderBounds, ReadsOnlyRegularFilesOfBoundedSize) {
  EXPECT_THAT(load_error(with_validator(validator("", R"("jwks_file": "/dev/zero")"))),
              HasSubstr("validators[0].jwks_file: cannot read file /dev/zero: it is not a "
                        "regular file"));
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> device =
      config::load_policy_file("/dev/zero");
  ASSERT_FALSE(device.ok());
  EXPECT_THAT(device.status().message(), HasSubstr("not a regular file"));

  const TempDir dir;
  dir.write("big.jwks.json", std::string(config::kMaxJwksFileBytes + 1, ' '));
  EXPECT_THAT(load_error(with_validator(validator("", R"("jwks_file": "big.jwks.json")")),
                         dir.path().string()),
              HasSubstr("is larger than " + std::to_string(config::kMaxJwksFileBytes) + " bytes"));
  dir.write("big-policy.json", std::string(config::kMaxPolicyFileBytes + 1, ' '));
  absl::StatusOr<std::shared_ptr<const policy::PolicyDocument>> big =
      config::load_policy_file((dir.path() / "big-policy.json").string());
  ASSERT_FALSE(big.ok());
  EXPECT_THAT(big.status().message(), HasSubstr("is larger than"));
}

TEST(LoaderBounds, RefusesABasePathThatIsNotNormalized) {
  for (const char* base :
       {"/pay/../payments", "//payments", "/payments/./x", "/%70ayments", "/a//b"}) {
    const std::string json =
        document(R"({"name": "root", "rules": [)" + std::string(kRule) + "]}",
                 std::string(R"("endpoints": [{"service": "s", "base_path": ")") + base + "\"}]");
    EXPECT_THAT(load_error(json), StartsWith("endpoints[0].base_path: must be normalized")) << base;
  }
}

TEST(LoaderBounds, RefusesAnEmptyAudience) {
  for (const char* audience : {R"([""])", R"(["https://api.example.com", ""])", R"("")"}) {
    const std::string members =
        R"("type": "jwt", "issuer": "https://as.example.com", "audience": )" +
        std::string(audience) + R"(, "algorithms": ["ES256"], "jwks": )" + shared_jwks();
    EXPECT_THAT(load_error(raw_validator(members)), StartsWith("validators[0].audience"))
        << audience;
    EXPECT_THAT(load_error(raw_validator(members)), HasSubstr("must not be empty")) << audience;
  }
}

// Many endpoints and acr levels load (their repeats are found with a set,
// not by comparing each with all before it), and a repeat is still named.
TEST(LoaderBounds, ManyEndpointsAndLevelsLoadAndRepeatsAreNamed) {
  std::string endpoints = R"("endpoints": [)";
  std::string levels = R"("acr_levels": [)";
  for (int i = 0; i < 20000; ++i) {
    if (i > 0) {
      endpoints += ", ";
      levels += ", ";
    }
    endpoints += R"({"service": "s", "base_path": "/p)" + std::to_string(i) + "\"}";
    levels += "\"urn:l" + std::to_string(i) + "\"";
  }
  const std::string policy = R"({"name": "root", "rules": [)" + std::string(kRule) + "]}";
  EXPECT_EQ(load_error(document(policy, endpoints + "], " + levels + "]")), "loaded");
  EXPECT_EQ(load_error(document(policy, endpoints + R"(, {"service": "t", "base_path": "/p7"}])")),
            "endpoints[20000].base_path: repeats \"/p7\"");
  EXPECT_EQ(load_error(document(policy, levels + R"(, "urn:l19999"])")),
            "acr_levels[20000]: repeats \"urn:l19999\"");
}

}  // namespace
}  // namespace stepup::policy_test

namespace stepup::policy_test {
namespace {

// Names and a denied-reason's detail make up Decision::reason, which hosts
// log: a control character there could split a log line.
TEST(LoaderReason, RefusesControlCharactersInNamesAndDetail) {
  EXPECT_EQ(load_error(document(R"({"name": "a\nb", "rules": [)" + std::string(kRule) + "]}")),
            "policy.name: must not hold control characters");
  EXPECT_EQ(load_error(document_with_rule(R"({"name": "r\u007f", "effect": "permit"})")),
            "policy.rules[0].name: must not hold control characters");
  EXPECT_THAT(load_error(denied(R"({"detail": "line\r\nSet-Cookie: x"})")),
              HasSubstr("detail: must be a string without control characters"));
  EXPECT_THAT(load_error(denied(R"({"detail": "tab\tin detail"})")),
              HasSubstr("without control characters"));
}

}  // namespace
}  // namespace stepup::policy_test
