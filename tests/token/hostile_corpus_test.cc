// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The hostile-input corpus of tests/hostile/ (tokens.json, written once by
// make_corpus.py with fixed test-only keys): malformed and forged tokens from
// RFC 8725 and from public bug reports of other JWT libraries, Authorization
// headers, and JWK Sets that must not load. Each case names the exact refusal
// it must get, so a check that starts refusing for the wrong reason (or not
// at all) fails here. Every token goes through a TokenVerifier and, except
// for the configurations an engine cannot express, through an Engine twice
// (the second time from its token cache).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json/strict_json.h"
#include "stepup/algorithm.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"
#include "stepup/key_set.h"
#include "stepup/token_error.h"
#include "stepup/token_verifier.h"
#include "support/files.h"

namespace stepup {
namespace {

using ::testing::HasSubstr;

// Far deeper than the manifest nests (5 levels).
constexpr int kManifestMaxDepth = 16;
// The smallest number of token cases the corpus must hold: a generator that
// silently dropped cases would fail here.
constexpr std::size_t kMinTokenCases = 80;
// The engine accepts max_token_bytes up to this (SPEC §2 loader range).
constexpr std::size_t kEngineMaxTokenBytes = 1 << 20;

std::string hostile_path(const std::string& relative) {
  return std::string(STEPUP_TEST_HOSTILE_DIR) + "/" + relative;
}

std::optional<TokenError> token_error_from_name(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(TokenError::kTokenInactive); ++i) {
    if (token_error_name(static_cast<TokenError>(i)) == name) return static_cast<TokenError>(i);
  }
  return std::nullopt;
}

std::string string_member(const JsonValue& object, std::string_view name) {
  const JsonValue* value = object.find(name);
  EXPECT_TRUE(value != nullptr && value->is_string()) << "missing string member " << name;
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

std::vector<std::string> string_list(const JsonValue& object, std::string_view name) {
  std::vector<std::string> out;
  const JsonValue* value = object.find(name);
  EXPECT_TRUE(value != nullptr && value->is_array()) << "missing list " << name;
  if (value == nullptr) return out;
  for (const JsonValue& item : value->items())
    out.emplace_back(item.as_string());
  return out;
}

// JSON string literal for configuration text built here (ASCII input only).
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string json_string_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items)
    out += (out.size() > 1 ? "," : "") + json_string(item);
  return out + "]";
}

// One validator configuration of the manifest.
struct Config {
  std::string jwks_file;  // Relative to tests/hostile/.
  std::string issuer;
  std::vector<std::string> audience;
  std::vector<std::string> algorithms;
  std::string typ;
  int64_t clock_skew_seconds = 0;
  std::size_t max_token_bytes = 0;
  std::vector<std::string> require;
};

struct TokenCase {
  std::string name;
  std::string config;
  std::string token;
  TokenError expect = TokenError::kOk;
  std::string why;
  std::string ref;
};

struct AuthorizationCase {
  std::string name;
  std::optional<std::string> authorization;
  TokenError expect = TokenError::kOk;
  std::string token;  // The token it must yield, for the accepted forms.
  std::string why;
  std::string ref;
};

struct JwksCase {
  std::string name;
  std::string jwks;
  std::string expect_error;
  std::string why;
  std::string ref;
};

struct Corpus {
  int64_t now = 0;
  std::map<std::string, Config> configs;
  std::vector<TokenCase> tokens;
  std::vector<AuthorizationCase> authorization;
  std::vector<JwksCase> jwks;
};

TokenError expected_error(const JsonValue& entry, const std::string& name) {
  const std::string expect = string_member(entry, "expect");
  const std::optional<TokenError> error = token_error_from_name(expect);
  EXPECT_TRUE(error.has_value()) << name << ": unknown TokenError name " << expect;
  return error.value_or(TokenError::kOk);
}

// A token is given whole ("token") or as parts ("token_parts": {"text"} or
// {"repeat", "count"}), so that megabyte tokens stay small in the manifest.
std::string assemble_token(const JsonValue& entry) {
  if (const JsonValue* token = entry.find("token")) return std::string(token->as_string());
  std::string out;
  const JsonValue* parts = entry.find("token_parts");
  EXPECT_TRUE(parts != nullptr && parts->is_array());
  if (parts == nullptr) return out;
  for (const JsonValue& part : parts->items()) {
    if (const JsonValue* text = part.find("text")) {
      out += text->as_string();
    } else {
      const JsonValue* repeat = part.find("repeat");
      const JsonValue* count = part.find("count");
      EXPECT_TRUE(repeat != nullptr && count != nullptr && count->is_integer());
      if (repeat == nullptr || count == nullptr) continue;
      for (int64_t i = 0; i < count->as_integer(); ++i)
        out += repeat->as_string();
    }
  }
  return out;
}

Corpus load_corpus() {
  Corpus corpus;
  const std::string text = testing::read_file(hostile_path("tokens.json"));
  JsonValue root;
  const json_internal::JsonParseResult parsed =
      json_internal::parse_json_object(text, kManifestMaxDepth, root);
  EXPECT_EQ(parsed.error, json_internal::JsonError::kOk) << "tokens.json: " << parsed.where;
  if (parsed.error != json_internal::JsonError::kOk) return corpus;
  corpus.now = root.find("now")->as_integer();
  for (const JsonMember& member : root.find("configs")->members()) {
    const JsonValue& value = member.value;
    Config config;
    config.jwks_file = string_member(value, "jwks_file");
    config.issuer = string_member(value, "issuer");
    config.audience = string_list(value, "audience");
    config.algorithms = string_list(value, "algorithms");
    config.typ = string_member(value, "typ");
    config.clock_skew_seconds = value.find("clock_skew_seconds")->as_integer();
    config.max_token_bytes = static_cast<std::size_t>(value.find("max_token_bytes")->as_integer());
    config.require = string_list(value, "require");
    corpus.configs.emplace(member.name, std::move(config));
  }
  for (const JsonValue& entry : root.find("tokens")->items()) {
    TokenCase c;
    c.name = string_member(entry, "name");
    c.config = string_member(entry, "config");
    c.token = assemble_token(entry);
    c.expect = expected_error(entry, c.name);
    c.why = string_member(entry, "why");
    c.ref = string_member(entry, "ref");
    corpus.tokens.push_back(std::move(c));
  }
  for (const JsonValue& entry : root.find("authorization")->items()) {
    AuthorizationCase c;
    c.name = string_member(entry, "name");
    const JsonValue* value = entry.find("authorization");
    if (value != nullptr && value->is_string()) c.authorization = std::string(value->as_string());
    c.expect = expected_error(entry, c.name);
    if (const JsonValue* token = entry.find("token")) c.token = std::string(token->as_string());
    c.why = string_member(entry, "why");
    c.ref = string_member(entry, "ref");
    corpus.authorization.push_back(std::move(c));
  }
  for (const JsonValue& entry : root.find("jwks")->items()) {
    JwksCase c;
    c.name = string_member(entry, "name");
    c.jwks = string_member(entry, "jwks");
    c.expect_error = string_member(entry, "expect_error");
    c.why = string_member(entry, "why");
    c.ref = string_member(entry, "ref");
    corpus.jwks.push_back(std::move(c));
  }
  return corpus;
}

const Corpus& corpus() {
  static const Corpus* const loaded = new Corpus(load_corpus());
  return *loaded;
}

ValidatorOptions validator_for(const Config& config) {
  ValidatorOptions validator;
  validator.name = "hostile";
  validator.issuer = config.issuer;
  validator.audience = config.audience;
  for (const std::string& name : config.algorithms) {
    const std::optional<Algorithm> algorithm = algorithm_from_name(name);
    EXPECT_TRUE(algorithm.has_value()) << name;
    if (algorithm) validator.algorithms.push_back(*algorithm);
  }
  validator.typ = config.typ;
  validator.clock_skew_seconds = config.clock_skew_seconds;
  validator.max_token_bytes = config.max_token_bytes;
  validator.required_claims = config.require;
  absl::StatusOr<KeySet> keys =
      KeySet::from_jwks(testing::read_file(hostile_path(config.jwks_file)));
  EXPECT_TRUE(keys.ok()) << config.jwks_file << ": " << keys.status();
  if (keys.ok()) validator.keys = *std::move(keys);
  return validator;
}

std::map<std::string, TokenVerifier> make_verifiers() {
  std::map<std::string, TokenVerifier> verifiers;
  for (const auto& [name, config] : corpus().configs) {
    TokenVerifierOptions options;
    options.validators.push_back(validator_for(config));
    absl::StatusOr<TokenVerifier> verifier = TokenVerifier::create(std::move(options));
    EXPECT_TRUE(verifier.ok()) << name << ": " << verifier.status();
    if (verifier.ok()) verifiers.emplace(name, *std::move(verifier));
  }
  return verifiers;
}

// A policy document that permits every request, with one validator built
// from `config`; its keys come from the same JWKS file.
std::string engine_document(const Config& config) {
  return R"({"stepup": 1, "realm": "hostile", "validators": [{"name": "hostile", "type": "jwt",)"
         R"( "issuer": )" +
         json_string(config.issuer) + R"(, "audience": )" + json_string_list(config.audience) +
         R"(, "algorithms": )" + json_string_list(config.algorithms) + R"(, "jwks_file": )" +
         json_string(config.jwks_file) + R"(, "typ": )" + json_string(config.typ) +
         R"(, "clock_skew_seconds": )" + std::to_string(config.clock_skew_seconds) +
         R"(, "max_token_bytes": )" + std::to_string(config.max_token_bytes) + R"(, "require": )" +
         json_string_list(config.require) +
         R"(}], "policy": {"name": "root", "rules": [{"name": "yes", "effect": "permit"}]}})";
}

std::string describe(const TokenCase& c) {
  return c.name + " [" + c.config + "] (" + c.why + "; " + c.ref + ")";
}

TEST(HostileCorpus, EveryTokenGetsExactlyItsRefusal) {
  const std::map<std::string, TokenVerifier> verifiers = make_verifiers();
  ASSERT_EQ(verifiers.size(), corpus().configs.size());
  ASSERT_GE(corpus().tokens.size(), kMinTokenCases);
  int checked = 0;
  // Twice, the second time backwards: a thread's remembered headers and
  // reused buffers must never carry one token's verdict over to another.
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t n = 0; n < corpus().tokens.size(); ++n) {
      const TokenCase& c = corpus().tokens[pass == 0 ? n : corpus().tokens.size() - 1 - n];
      const auto verifier = verifiers.find(c.config);
      ASSERT_NE(verifier, verifiers.end()) << "unknown config in " << c.name;
      const TokenResult result = verifier->second.verify_at(c.token, corpus().now);
      EXPECT_EQ(token_error_name(result.error), token_error_name(c.expect)) << describe(c);
      if (c.expect != TokenError::kOk) {
        EXPECT_TRUE(result.claims.payload().members().empty())
            << c.name << ": a refused token exposes no claims";
        EXPECT_TRUE(result.validator.empty()) << c.name;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2 * static_cast<int>(corpus().tokens.size()));
}

TEST(HostileCorpus, TheEngineRefusesEveryTokenForTheSameReasonAlsoFromItsCache) {
  std::map<std::string, Engine> engines;
  for (const auto& [name, config] : corpus().configs) {
    if (config.max_token_bytes > kEngineMaxTokenBytes) continue;
    absl::StatusOr<Engine> engine =
        Engine::create({.policy = PolicyText{engine_document(config), STEPUP_TEST_HOSTILE_DIR}});
    ASSERT_TRUE(engine.ok()) << name << ": " << engine.status();
    engines.emplace(name, *std::move(engine));
  }
  const DecideOptions options{.now = corpus().now};
  int decided = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (const TokenCase& c : corpus().tokens) {
      const auto engine = engines.find(c.config);
      if (engine == engines.end()) continue;
      const std::string authorization = "Bearer " + c.token;
      // A token that cannot travel in a Bearer header (a space, a NUL, JSON
      // punctuation) is a malformed request before it is a bad token.
      const BearerToken bearer = parse_bearer_authorization(authorization);
      const TokenError expected = bearer.error != TokenError::kOk ? bearer.error : c.expect;
      const Request request{.method = "GET", .path = "/x", .authorization = authorization};
      const Decision decision = engine->second.decide(request, options);
      EXPECT_EQ(token_error_name(decision.token_error), token_error_name(expected))
          << "pass " << pass << ": " << describe(c);
      const int status = expected == TokenError::kOk ? 200 : is_request_error(expected) ? 400 : 401;
      EXPECT_EQ(decision.status, status) << "pass " << pass << ": " << describe(c);
      EXPECT_EQ(decision.authorized, expected == TokenError::kOk) << describe(c);
      ++decided;
    }
  }
  EXPECT_GE(decided, 2 * static_cast<int>(kMinTokenCases));
}

TEST(HostileCorpus, EveryAuthorizationHeaderGetsExactlyItsAnswer) {
  ASSERT_FALSE(corpus().authorization.empty());
  for (const AuthorizationCase& c : corpus().authorization) {
    const std::optional<std::string_view> value =
        c.authorization ? std::optional<std::string_view>(*c.authorization) : std::nullopt;
    const BearerToken bearer = parse_bearer_authorization(value);
    EXPECT_EQ(token_error_name(bearer.error), token_error_name(c.expect))
        << c.name << " (" << c.why << "; " << c.ref << ")";
    if (c.expect == TokenError::kOk) {
      EXPECT_EQ(bearer.token, c.token) << c.name;
    } else {
      EXPECT_TRUE(bearer.token.empty()) << c.name << ": a refused header yields no token";
    }
  }
}

TEST(HostileCorpus, EveryHostileKeySetIsRefusedAtLoadNamingTheProblem) {
  ASSERT_FALSE(corpus().jwks.empty());
  for (const JwksCase& c : corpus().jwks) {
    const absl::StatusOr<KeySet> keys = KeySet::from_jwks(c.jwks);
    ASSERT_FALSE(keys.ok()) << c.name << " loaded (" << c.why << "; " << c.ref << ")";
    EXPECT_EQ(keys.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(std::string(keys.status().message()), HasSubstr(c.expect_error))
        << c.name << " (" << c.why << "; " << c.ref << ")";
  }
}

TEST(HostileCorpus, CoversEveryRefusalAndDocumentsEveryCase) {
  std::set<TokenError> token_codes, header_codes;
  std::set<std::string> names;
  for (const TokenCase& c : corpus().tokens) {
    token_codes.insert(c.expect);
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate case " << c.name;
    EXPECT_FALSE(c.why.empty() || c.ref.empty()) << c.name;
  }
  for (const AuthorizationCase& c : corpus().authorization) {
    header_codes.insert(c.expect);
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate case " << c.name;
    EXPECT_FALSE(c.why.empty() || c.ref.empty()) << c.name;
  }
  for (const JwksCase& c : corpus().jwks) {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate case " << c.name;
    EXPECT_FALSE(c.why.empty() || c.ref.empty() || c.expect_error.empty()) << c.name;
  }
  // Every refusal a compact token can earn from a TokenVerifier has a case.
  for (int i = static_cast<int>(TokenError::kTokenTooLarge);
       i <= static_cast<int>(TokenError::kRequiredClaimMissing); ++i) {
    EXPECT_TRUE(token_codes.count(static_cast<TokenError>(i)))
        << "no token case expects " << token_error_name(static_cast<TokenError>(i));
  }
  for (TokenError code :
       {TokenError::kOk, TokenError::kAuthorizationMissing, TokenError::kAuthorizationNotBearer,
        TokenError::kAuthorizationMalformed}) {
    EXPECT_TRUE(header_codes.count(code))
        << "no Authorization case expects " << token_error_name(code);
  }
}

}  // namespace
}  // namespace stepup
