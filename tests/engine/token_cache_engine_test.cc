// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// The verified-token cache through the public Engine API: an engine with the
// cache answers exactly as one without it, at any time and in any order; a
// reload forgets what the old keys accepted; a reused Decision holds exactly
// what a fresh one would; tiny or disabled caches still decide correctly.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "attributes/request_attributes.h"
#include "engine_test_util.h"
#include "json/json_text.h"
#include "stepup/clock.h"
#include "support/token_minter.h"

namespace stepup::engine_test {
namespace {

using testing::TestKey;

// The first field in which `actual` differs from `expected`, or "" when
// they are identical (including statements' payloads and explanations).
std::string difference(const Decision& expected, const Decision& actual) {
  auto differs = [](const char* field, const auto& e, const auto& a) {
    return e == a ? std::string() : std::string(field);
  };
  std::string field;
  if (field = differs("result", expected.result, actual.result); !field.empty()) return field;
  if (field = differs("authorized", expected.authorized, actual.authorized); !field.empty()) {
    return field;
  }
  if (field = differs("status", expected.status, actual.status); !field.empty()) return field;
  if (expected.www_authenticate != actual.www_authenticate) {
    return "www_authenticate: " + expected.www_authenticate + " vs " + actual.www_authenticate;
  }
  if (expected.error != actual.error) return "error: " + expected.error + " vs " + actual.error;
  if (expected.reason != actual.reason)
    return "reason: " + expected.reason + " vs " + actual.reason;
  if (expected.token_error != actual.token_error) {
    return "token_error: " + std::string(token_error_name(expected.token_error)) + " vs " +
           std::string(token_error_name(actual.token_error));
  }
  if (expected.determining_rule != actual.determining_rule) return "determining_rule";
  if (expected.statements.size() != actual.statements.size()) return "statements.size()";
  for (std::size_t i = 0; i < expected.statements.size(); ++i) {
    const Statement& e = expected.statements[i];
    const Statement& a = actual.statements[i];
    if (e.code != a.code || e.name != a.name || e.applies_to != a.applies_to ||
        e.obligatory != a.obligatory ||
        json_internal::to_json_text(e.payload) != json_internal::to_json_text(a.payload)) {
      return "statements[" + std::to_string(i) + "]";
    }
  }
  if ((expected.explanation == nullptr) != (actual.explanation == nullptr)) return "explanation";
  if (expected.explanation != nullptr) {
    if (expected.explanation->attributes != actual.explanation->attributes) {
      return "explanation.attributes";
    }
    const std::vector<TraceEntry>& e = expected.explanation->trace;
    const std::vector<TraceEntry>& a = actual.explanation->trace;
    if (e.size() != a.size()) return "explanation.trace.size()";
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (e[i].path != a[i].path || e[i].what != a[i].what || e[i].outcome != a[i].outcome) {
        return "explanation.trace[" + std::to_string(i) + "]";
      }
    }
  }
  // Whatever the fields above missed.
  if (expected.to_json() != actual.to_json()) return "to_json()";
  return "";
}

Engine make_engine(std::string policy_json, TokenCacheOptions cache, const Clock* clock = nullptr) {
  absl::StatusOr<Engine> engine = Engine::create(
      {.policy = PolicyText{std::move(policy_json)}, .clock = clock, .token_cache = cache});
  if (!engine.ok()) throw std::runtime_error("Engine::create: " + engine.status().ToString());
  return *std::move(engine);
}

constexpr TokenCacheOptions kNoCache = {.enabled = false};

// {"keys": [...]} of the public keys given.
std::string jwks_of(const std::vector<const TestKey*>& keys) {
  std::string out = "{\"keys\": [";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out += ", ";
    out += keys[i]->public_jwk();
  }
  return out + "]}";
}

// "Bearer " + a token of `claims_json` signed by `key` with kid `kid`.
std::string bearer_of(const TestKey& key, std::string_view claims_json, std::string_view kid,
                      bool with_typ = true) {
  std::string header = "{\"alg\":\"" + std::string(algorithm_name(key.algorithm())) +
                       "\",\"kid\":\"" + std::string(kid) + "\"";
  if (with_typ) header += ",\"typ\":\"at+jwt\"";
  return "Bearer " + key.mint(header + "}", claims_json);
}

std::string bearer_of(const TestKey& key, std::string_view claims_json) {
  return bearer_of(key, claims_json, key.kid());
}

// A base64url character of the signature changed: still canonical, no
// longer a valid signature.
std::string with_bad_signature(std::string authorization) {
  const std::size_t at = authorization.rfind('.') + 10;
  authorization[at] = authorization[at] == 'A' ? 'B' : 'A';
  return authorization;
}

// --- an engine with the cache answers as one without it -------------------------------

// The step-up policy of SPEC §2, so that a decision also depends on the
// claims (acr) and on the time (authentication_age).
constexpr const char* kStepUpPolicy = R"json({
  "name": "api", "combining": "deny-unless-permit",
  "children": [
    { "name": "step-up", "combining": "first-applicable",
      "rules": [
        { "name": "strong", "effect": "deny", "condition": "!acr_at_least('urn:example:mfa')",
          "statements": [ { "code": "auth-challenge",
                            "payload": { "min_acr": "urn:example:mfa" } } ] },
        { "name": "fresh", "effect": "deny", "condition": "authentication_age > 300",
          "statements": [ { "code": "auth-challenge", "payload": { "max_age": 300 } } ] },
        { "name": "known", "effect": "permit",
          "condition": "has(HttpRequest.AccessToken.sub)" } ] } ] })json";

constexpr const char* kPartnerIssuer = "https://partner.example.com";

struct Differential {
  std::string document;
  // Name, Authorization header (nullopt: none).
  std::vector<std::pair<std::string, std::optional<std::string>>> cases;
};

// Tokens that succeed and fail at every stage, under two validators: the
// test issuer (six algorithms, 60 s of skew, a size limit that one valid
// token reaches exactly) and a partner (no skew, no typ, 1024 bytes).
Differential differential_cases() {
  const TestKey& es256 = TestKey::shared(Algorithm::kES256);
  const std::vector<Algorithm> algorithms = {Algorithm::kRS256, Algorithm::kPS256,
                                             Algorithm::kES256, Algorithm::kES384,
                                             Algorithm::kEdDSA, Algorithm::kHS256};
  static const TestKey partner = TestKey::generate(Algorithm::kES256, "partner-key");
  Differential out;
  auto add = [&out](std::string name, std::optional<std::string> authorization) {
    out.cases.emplace_back(std::move(name), std::move(authorization));
  };
  for (Algorithm algorithm : algorithms) {
    add(std::string(algorithm_name(algorithm)), bearer_of(TestKey::shared(algorithm), claims()));
  }
  const std::string valid = bearer_of(es256, claims());
  add("acr pwd", bearer_of(es256, claims({{"acr", "\"urn:example:pwd\""}})));
  add("no auth_time", bearer_of(es256, claims({{"auth_time", ""}})));
  add("expired", bearer_of(es256, claims({{"exp", std::to_string(kNow - 100)}})));
  add("nbf", bearer_of(es256, claims({{"nbf", std::to_string(kNow + 300)}})));
  add("iat in the future", bearer_of(es256, claims({{"iat", std::to_string(kNow + 200)}})));
  add("auth_time in the future",
      bearer_of(es256, claims({{"auth_time", std::to_string(kNow + 100)}})));
  add("wrong audience", bearer_of(es256, claims({{"aud", "\"https://other.example.com\""}})));
  add("wrong issuer", bearer_of(es256, claims({{"iss", "\"https://evil.example.com\""}})));
  add("unknown kid", bearer_of(es256, claims(), "nope"));
  add("bad signature", with_bad_signature(valid));
  add("alg not allowed", bearer_of(TestKey::shared(Algorithm::kES512), claims()));
  add("no typ", bearer_of(es256, claims(), es256.kid(), /*with_typ=*/false));
  add("padded", valid + "=");
  add("lower-case scheme", "bearer " + valid.substr(7));
  add("trailing bad character", valid + "!");
  add("malformed characters", "Bearer a+b=c!");
  add("b64token garbage", "Bearer a+b/c==");
  add("three empty-ish segments", "Bearer a.b.c");
  add("basic", "Basic dXNlcjpwYXNz");
  add("no credentials", std::nullopt);

  // One valid token exactly at the size limit, one just over it.
  const std::string at_limit =
      bearer_of(es256, claims({{"pad", "\"" + std::string(2000, 'p') + "\""}}));
  const std::size_t limit = at_limit.size() - 7;
  add("at max_token_bytes", at_limit);
  add("over max_token_bytes",
      bearer_of(es256, claims({{"pad", "\"" + std::string(2003, 'p') + "\""}})));
  add("over max_token_bytes, bad characters", "Bearer " + std::string(limit + 10, '!'));

  const std::string partner_claims =
      std::string("{\"iss\":\"") + kPartnerIssuer + "\",\"aud\":\"" + testing::kTestAudience +
      "\",\"sub\":\"bob\",\"acr\":\"urn:example:hwk\",\"exp\":" + std::to_string(kNow + 300) +
      ",\"auth_time\":" + std::to_string(kNow - 10);
  add("partner", bearer_of(partner, partner_claims + "}", partner.kid(), false));
  add("partner over its own limit",
      bearer_of(partner, partner_claims + ",\"pad\":\"" + std::string(1100, 'p') + "\"}",
                partner.kid(), false));

  std::vector<const TestKey*> keys;
  for (Algorithm algorithm : algorithms)
    keys.push_back(&TestKey::shared(algorithm));
  keys.push_back(&TestKey::shared(Algorithm::kES512));
  std::string algorithm_names;
  for (Algorithm algorithm : algorithms) {
    if (!algorithm_names.empty()) algorithm_names += ", ";
    algorithm_names += "\"" + std::string(algorithm_name(algorithm)) + "\"";
  }
  out.document = std::string("{\"stepup\": 1, \"realm\": \"") + kRealm +
                 "\", \"validators\": [{\"name\": \"test-as\", \"type\": \"jwt\", \"issuer\": \"" +
                 testing::kTestIssuer + "\", \"audience\": [\"" + testing::kTestAudience +
                 "\"], \"algorithms\": [" + algorithm_names +
                 "], \"max_token_bytes\": " + std::to_string(limit) +
                 ", \"jwks\": " + jwks_of(keys) + "}, {\"name\": \"partner\", \"type\": \"jwt\"," +
                 " \"issuer\": \"" + kPartnerIssuer + "\", \"audience\": [\"" +
                 testing::kTestAudience +
                 "\"], \"algorithms\": [\"ES256\"], \"typ\": null, \"clock_skew_seconds\": 0,"
                 " \"max_token_bytes\": 1024, \"jwks\": " +
                 partner.jwks() +
                 "}], \"acr_levels\": [\"urn:example:pwd\", \"urn:example:mfa\", "
                 "\"urn:example:hwk\"], \"policy\": " +
                 kStepUpPolicy + "}";
  return out;
}

TEST(TokenCacheEngine, AnswersExactlyAsAnEngineWithoutTheCache) {
  const Differential setup = differential_cases();
  ManualClock clock(kNow);
  const Engine cached = make_engine(setup.document, {}, &clock);
  const Engine uncached = make_engine(setup.document, kNoCache, &clock);

  // Every boundary of the tokens above, each side: skew 60 for the test
  // issuer (exp +660, iat -70, auth_time -120, nbf +240, ...), 0 for the
  // partner (auth_time -10, exp +300), and authentication_age crossing 300
  // at +241.
  const std::vector<int64_t> offsets = {-1000, -121, -120, -71, -70, -41, -40, -11, -10, 0,   39,
                                        40,    139,  140,  239, 240, 241, 299, 300, 659, 660, 5000};
  struct Ask {
    std::size_t token;
    int64_t now;
  };
  std::vector<Ask> asks;
  for (std::size_t token = 0; token < setup.cases.size(); ++token) {
    for (int64_t offset : offsets)
      asks.push_back({token, kNow + offset});
  }
  std::mt19937 random(20260101);
  int compared = 0;
  int mismatches = 0;
  for (int round = 0; round < 3; ++round) {
    // Each round in another order: a token is first seen (and cached) at
    // a different time each round.
    std::shuffle(asks.begin(), asks.end(), random);
    for (std::size_t i = 0; i < asks.size(); ++i) {
      const auto& [name, authorization] = setup.cases[asks[i].token];
      TestRequest request("POST", "/payments/transfers/7");
      if (authorization) request.authorization(*authorization);
      // Half through DecideOptions::now, half through the engines' clock.
      DecideOptions options;
      options.explain = i % 5 == 0;
      if (i % 2 == 0) {
        options.now = asks[i].now;
      } else {
        clock.set(asks[i].now);
      }
      const Decision expected = uncached.decide(request.view(), options);
      const Decision actual = cached.decide(request.view(), options);
      // The same token again at once: now certainly a hit.
      const Decision again = cached.decide(request.view(), options);
      ++compared;
      for (const Decision* d : {&actual, &again}) {
        const std::string diff = difference(expected, *d);
        if (!diff.empty() && ++mismatches <= 10) {
          ADD_FAILURE() << name << " at now" << (asks[i].now >= kNow ? "+" : "")
                        << asks[i].now - kNow << ": " << diff
                        << "\n  uncached: " << expected.to_json()
                        << "\n  cached:   " << d->to_json();
        }
      }
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << compared;

  // The reference answers what the cases are meant to test, so the
  // comparison above covers every branch.
  auto answer = [&](std::string_view name, int64_t offset) {
    for (const auto& [case_name, authorization] : setup.cases) {
      if (case_name != name) continue;
      TestRequest request("POST", "/payments/transfers/7");
      if (authorization) request.authorization(*authorization);
      return decide(cached, request, kNow + offset);
    }
    ADD_FAILURE() << "no case " << name;
    return Decision();
  };
  for (const char* name : {"RS256", "PS256", "ES256", "ES384", "EdDSA", "HS256",
                           "lower-case scheme", "at max_token_bytes", "partner"}) {
    EXPECT_EQ(answer(name, 0).status, 200) << name;
  }
  EXPECT_EQ(answer("ES256", 240).status, 200);
  EXPECT_EQ(answer("ES256", 241).error, "insufficient_user_authentication");
  EXPECT_EQ(answer("ES256", 241).statements.size(), 1u);
  EXPECT_EQ(answer("ES256", 659).error, "insufficient_user_authentication");
  EXPECT_EQ(answer("ES256", 660).token_error, TokenError::kExpired);
  EXPECT_EQ(answer("ES256", -70).status, 200);
  EXPECT_EQ(answer("ES256", -71).token_error, TokenError::kIatInFuture);
  EXPECT_EQ(answer("acr pwd", 0).error, "insufficient_user_authentication");
  EXPECT_EQ(answer("no auth_time", 0).status, 403);
  // An absent auth_time makes "fresh" indeterminate: no challenge.
  EXPECT_EQ(answer("no auth_time", 0).result, PolicyResult::kDeny);
  EXPECT_TRUE(answer("no auth_time", 0).www_authenticate.empty());
  EXPECT_EQ(answer("expired", -41).status, 200);
  EXPECT_EQ(answer("expired", -40).token_error, TokenError::kExpired);
  EXPECT_EQ(answer("nbf", 239).token_error, TokenError::kNotYetValid);
  EXPECT_EQ(answer("nbf", 240).status, 200);
  EXPECT_EQ(answer("iat in the future", 139).token_error, TokenError::kIatInFuture);
  EXPECT_EQ(answer("iat in the future", 140).status, 200);
  EXPECT_EQ(answer("auth_time in the future", 39).token_error, TokenError::kAuthTimeInFuture);
  EXPECT_EQ(answer("auth_time in the future", 40).status, 200);
  EXPECT_EQ(answer("wrong audience", 0).token_error, TokenError::kAudienceMismatch);
  EXPECT_EQ(answer("wrong issuer", 0).token_error, TokenError::kIssuerUnknown);
  EXPECT_EQ(answer("unknown kid", 0).token_error, TokenError::kKeyNotFound);
  EXPECT_EQ(answer("bad signature", 0).token_error, TokenError::kSignatureInvalid);
  EXPECT_EQ(answer("alg not allowed", 0).token_error, TokenError::kAlgNotAllowed);
  EXPECT_EQ(answer("no typ", 0).token_error, TokenError::kTypMismatch);
  EXPECT_EQ(answer("padded", 0).status, 401);
  for (const char* name : {"trailing bad character", "malformed characters", "basic",
                           "over max_token_bytes, bad characters"}) {
    EXPECT_EQ(answer(name, 0).status, 400) << name;
    EXPECT_EQ(answer(name, 0).error, "invalid_request") << name;
  }
  EXPECT_EQ(answer("b64token garbage", 0).status, 401);
  EXPECT_EQ(answer("b64token garbage", 0).error, "invalid_token");
  EXPECT_EQ(answer("three empty-ish segments", 0).status, 401);
  EXPECT_EQ(answer("no credentials", 0).www_authenticate, kBareChallenge);
  EXPECT_EQ(answer("over max_token_bytes", 0).token_error, TokenError::kTokenTooLarge);
  EXPECT_EQ(answer("partner over its own limit", 0).token_error, TokenError::kTokenTooLarge);
  EXPECT_EQ(answer("partner", -11).token_error, TokenError::kAuthTimeInFuture);
  EXPECT_EQ(answer("partner", -10).status, 200);
  EXPECT_EQ(answer("partner", 299).token_error, TokenError::kOk);
  EXPECT_EQ(answer("partner", 300).token_error, TokenError::kExpired);
}

// --- a reload forgets what the old keys accepted ------------------------------------

// Runs tasks on one long-lived thread, so that its per-thread state (its
// view of the engine and its cached tokens) survives from one task to the next.
class Worker {
 public:
  Worker() : thread_([this] { loop(); }) {}
  ~Worker() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  void run(std::function<void()> task) {
    std::unique_lock<std::mutex> lock(mutex_);
    task_ = std::move(task);
    wake_.notify_all();
    wake_.wait(lock, [this] { return task_ == nullptr; });
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait(lock, [this] { return stop_ || task_ != nullptr; });
      if (task_ == nullptr) return;
      task_();
      task_ = nullptr;
      wake_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::function<void()> task_;
  bool stop_ = false;
  std::thread thread_;  // Last: starts once the members above exist.
};

constexpr const char* kPermitAll =
    R"({"name": "root", "rules": [{"name": "yes", "effect": "permit"}]})";

// document(policy) with another JWKS or issuer in its validator.
std::string with_jwks(std::string json, const std::string& jwks) {
  const std::string shared = TestKey::shared(Algorithm::kES256).jwks();
  json.replace(json.find(shared), shared.size(), jwks);
  return json;
}
std::string with_issuer(std::string json, const std::string& issuer) {
  const std::string current = std::string("\"") + testing::kTestIssuer + "\"";
  json.replace(json.find(current), current.size(), "\"" + issuer + "\"");
  return json;
}

TEST(TokenCacheEngine, AReloadForgetsTokensTheOldKeysAccepted) {
  // Key B has the same kid as the shared key: only the signature tells the
  // two apart, so an answer carried over from before a reload would show.
  const TestKey key_b = TestKey::generate(Algorithm::kES256, "ES256-key");
  const std::string document_a = document(kPermitAll);
  const std::string document_b = with_jwks(document_a, key_b.jwks());
  const std::string document_other_issuer = with_issuer(document_a, "https://other-as.example.com");
  ManualClock clock(kNow);
  Engine engine = make_engine(document_a, {}, &clock);

  TestRequest token_a("GET", "/payments/x");
  token_a.authorization(bearer());
  TestRequest token_b("GET", "/payments/x");
  token_b.authorization(bearer_of(key_b, claims()));

  Worker worker;
  // Decides on this thread and on the worker, twice each (a miss, then a
  // hit), and checks every answer.
  auto expect = [&](const TestRequest& request, int status, TokenError error) {
    for (int i = 0; i < 2; ++i) {
      Decision here = engine.decide(request.view());
      Decision there;
      worker.run([&] { there = engine.decide(request.view()); });
      for (const Decision* d : {&here, &there}) {
        EXPECT_EQ(d->status, status);
        EXPECT_EQ(d->token_error, error);
        EXPECT_EQ(d->error, status == 401 ? "invalid_token" : "");
        EXPECT_EQ(d->authorized, status == 200);
      }
    }
  };

  SCOPED_TRACE("document A");
  expect(token_a, 200, TokenError::kOk);
  expect(token_b, 401, TokenError::kSignatureInvalid);
  {
    SCOPED_TRACE("document B");
    ASSERT_TRUE(engine.reload_json(document_b).ok());
    expect(token_a, 401, TokenError::kSignatureInvalid);
    expect(token_b, 200, TokenError::kOk);
  }
  {
    SCOPED_TRACE("another issuer");
    ASSERT_TRUE(engine.reload_json(document_other_issuer).ok());
    expect(token_a, 401, TokenError::kIssuerUnknown);
    expect(token_b, 401, TokenError::kIssuerUnknown);
  }
  {
    SCOPED_TRACE("document A again");
    ASSERT_TRUE(engine.reload_json(document_a).ok());
    expect(token_a, 200, TokenError::kOk);
    expect(token_b, 401, TokenError::kSignatureInvalid);
  }
  {
    SCOPED_TRACE("document B again, decided on this thread only, then on the worker");
    ASSERT_TRUE(engine.reload_json(document_b).ok());
    EXPECT_EQ(engine.decide(token_b.view()).status, 200);
    EXPECT_EQ(engine.decide(token_a.view()).token_error, TokenError::kSignatureInvalid);
    ASSERT_TRUE(engine.reload_json(document_a).ok());
    Decision there;
    worker.run([&] { there = engine.decide(token_b.view()); });
    EXPECT_EQ(there.token_error, TokenError::kSignatureInvalid);
    worker.run([&] { there = engine.decide(token_a.view()); });
    EXPECT_EQ(there.status, 200);
  }
  // The clock still counts after a reload: the cached token expires.
  clock.set(kNow + 660);
  expect(token_a, 401, TokenError::kExpired);
  expect(token_b, 401, TokenError::kSignatureInvalid);
}

// --- a reused Decision --------------------------------------------------------------

// One path per outcome, with determining rules of different lengths and
// statements with names, obligations and nested payloads.
constexpr const char* kReusePolicy = R"json({
  "name": "root", "combining": "first-applicable",
  "children": [
    { "name": "open", "target": { "path": ["open"] },
      "rules": [ { "name": "allow", "effect": "permit" } ] },
    { "name": "nested", "target": { "path": ["deep/**"] },
      "children": [
        { "name": "level two", "combining": "deny-overrides",
          "rules": [
            { "name": "need hwk", "effect": "deny",
              "statements": [
                { "code": "auth-challenge", "name": "hwk",
                  "payload": { "min_acr": "urn:example:hwk" } },
                { "code": "audit-log", "applies_to": "deny", "obligatory": true,
                  "payload": { "level": "high", "tags": ["a", "b"], "n": { "x": 1 } } } ] },
            { "name": "need fresh", "effect": "deny",
              "statements": [ { "code": "auth-challenge", "payload": { "max_age": 30 } } ] }
          ] } ] },
    { "name": "closed", "target": { "path": ["closed"] },
      "rules": [ { "name": "no", "effect": "deny",
                   "statements": [ { "code": "denied-reason",
                                     "payload": { "message": "closed",
                                                  "detail": "maintenance" } } ] } ] },
    { "name": "noted", "target": { "path": ["noted"] },
      "rules": [ { "name": "allow and note", "effect": "permit",
                   "statements": [ { "code": "audit-log", "applies_to": "permit",
                                     "payload": { "n": 1 } } ] } ] },
    { "name": "scoped", "target": { "path": ["scoped"] },
      "rules": [ { "name": "needs write", "effect": "deny",
                   "statements": [ { "code": "denied-reason",
                                     "payload": { "error": "insufficient_scope",
                                                  "message": "needs payments:write",
                                                  "scope": "payments:write" } } ] } ] }
  ] })json";

struct Outcome {
  std::string name;
  TestRequest request;
  bool explain = false;
};

std::vector<Outcome> reuse_outcomes() {
  const std::string valid = bearer();
  auto with = [](std::string path, std::optional<std::string> authorization) {
    TestRequest request("POST", "/payments/" + std::move(path));
    if (authorization) request.authorization(*authorization);
    return request;
  };
  std::vector<Outcome> out = {
      {"permit", with("open", valid)},
      {"permit, explained", with("open", valid), true},
      {"step-up", with("deep/x", valid)},
      {"step-up, explained", with("deep/x", valid), true},
      {"invalid token", with("deep/x", bearer({{"exp", std::to_string(kNow - 1000)}}))},
      {"invalid token, explained", with("open", bearer({{"aud", "\"x\""}})), true},
      {"malformed", with("open", "Bearer a+b=c!")},
      {"no credentials", with("deep/x", std::nullopt)},
      {"denied reason", with("closed", valid)},
      {"insufficient scope", with("scoped", valid)},
      {"permit with a statement", with("noted", valid)},
      {"not applicable", with("nowhere", valid)},
      {"inactive claims", with("open", std::nullopt)},
  };
  out.back().request.validated_claims(R"({"active": false, "sub": "alice"})");
  return out;
}

TEST(TokenCacheEngine, AReusedDecisionHoldsExactlyAFreshOne) {
  const Engine engine = create_engine(document(kReusePolicy));
  const std::vector<Outcome> outcomes = reuse_outcomes();
  std::vector<Decision> fresh;
  for (const Outcome& outcome : outcomes) {
    fresh.push_back(engine.decide(outcome.request.view(),
                                  DecideOptions{.explain = outcome.explain, .now = kNow}));
  }
  // The outcomes are the ones named.
  ASSERT_EQ(fresh[0].status, 200);
  ASSERT_EQ(fresh[2].status, 401);
  ASSERT_EQ(fresh[2].error, "insufficient_user_authentication");
  ASSERT_EQ(fresh[2].statements.size(), 3u);
  ASSERT_EQ(fresh[2].determining_rule.size(), 4u);
  ASSERT_EQ(fresh[4].error, "invalid_token");
  ASSERT_EQ(fresh[6].status, 400);
  ASSERT_EQ(fresh[7].www_authenticate, kBareChallenge);
  ASSERT_EQ(fresh[8].status, 403);
  ASSERT_EQ(fresh[8].statements.size(), 1u);
  ASSERT_EQ(fresh[9].error, "insufficient_scope");
  ASSERT_EQ(fresh[10].statements.size(), 1u);
  ASSERT_EQ(fresh[11].result, PolicyResult::kNotApplicable);
  ASSERT_TRUE(fresh[11].determining_rule.empty());
  ASSERT_EQ(fresh[12].token_error, TokenError::kTokenInactive);
  ASSERT_NE(fresh[1].explanation, nullptr);
  ASSERT_EQ(fresh[0].explanation, nullptr);

  // Every outcome after every other one, in one reused Decision.
  for (std::size_t first = 0; first < outcomes.size(); ++first) {
    for (std::size_t second = 0; second < outcomes.size(); ++second) {
      SCOPED_TRACE(outcomes[first].name + ", then " + outcomes[second].name);
      Decision reused;
      engine.decide(outcomes[first].request.view(),
                    DecideOptions{.explain = outcomes[first].explain, .now = kNow}, reused);
      ASSERT_EQ(difference(fresh[first], reused), "");
      engine.decide(outcomes[second].request.view(),
                    DecideOptions{.explain = outcomes[second].explain, .now = kNow}, reused);
      EXPECT_EQ(difference(fresh[second], reused), "") << reused.to_json();
      if (!outcomes[second].explain) {
        EXPECT_EQ(reused.explanation, nullptr);
      }
    }
  }

  // A long random walk through one Decision, starting from garbage.
  Decision reused;
  reused.result = PolicyResult::kPermit;
  reused.authorized = true;
  reused.status = 599;
  reused.www_authenticate = "junk";
  reused.error = "junk";
  reused.reason = "junk";
  reused.determining_rule = {"a", "b", "c", "d", "e", "f"};
  reused.statements.resize(7);
  reused.statements[3].code = "junk";
  reused.statements[3].obligatory = true;
  reused.token_error = TokenError::kExpired;
  reused.explanation = std::make_shared<Explanation>();
  std::mt19937 random(7);
  for (int step = 0; step < 200; ++step) {
    const std::size_t next = random() % outcomes.size();
    SCOPED_TRACE("step " + std::to_string(step) + ": " + outcomes[next].name);
    engine.decide(outcomes[next].request.view(),
                  DecideOptions{.explain = outcomes[next].explain, .now = kNow}, reused);
    ASSERT_EQ(difference(fresh[next], reused), "") << reused.to_json();
  }

  // The overload without options, too.
  const ManualClock clock(kNow);
  const Engine clocked = create_engine(document(kReusePolicy), &clock);
  Decision plain;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    SCOPED_TRACE(outcomes[i].name);
    clocked.decide(outcomes[i].request.view(), plain);
    Decision expected = clocked.decide(outcomes[i].request.view());
    EXPECT_EQ(difference(expected, plain), "");
    EXPECT_EQ(plain.explanation, nullptr);
  }
}

TEST(TokenCacheEngine, ExplanationIsResetWhenTheNextCallDoesNotAsk) {
  const Engine engine = create_engine(document(kReusePolicy));
  const std::vector<Outcome> outcomes = reuse_outcomes();
  for (const Outcome& outcome : outcomes) {
    SCOPED_TRACE(outcome.name);
    Decision reused;
    engine.decide(outcomes[1].request.view(), DecideOptions{.explain = true, .now = kNow}, reused);
    ASSERT_NE(reused.explanation, nullptr);
    engine.decide(outcome.request.view(), DecideOptions{.now = kNow}, reused);
    EXPECT_EQ(reused.explanation, nullptr);
  }
}

// --- options ------------------------------------------------------------------------

TEST(TokenCacheEngine, DisabledCacheStillDecidesCorrectly) {
  ManualClock clock(kNow);
  const Engine engine = make_engine(document(kPermitAll), kNoCache, &clock);
  TestRequest valid("GET", "/payments/x");
  valid.authorization(bearer());
  TestRequest not_yet("GET", "/payments/x");
  not_yet.authorization(bearer({{"nbf", std::to_string(kNow + 100)}}));
  TestRequest bad("GET", "/payments/x");
  bad.authorization(with_bad_signature(bearer()));
  TestRequest malformed("GET", "/payments/x");
  malformed.authorization("Bearer a+b=c!");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(engine.decide(valid.view()).status, 200);
    EXPECT_EQ(engine.decide(not_yet.view()).token_error, TokenError::kNotYetValid);
    EXPECT_EQ(engine.decide(bad.view()).token_error, TokenError::kSignatureInvalid);
    EXPECT_EQ(engine.decide(malformed.view()).status, 400);
  }
  clock.set(kNow + 40);
  EXPECT_EQ(engine.decide(not_yet.view()).status, 200);
  clock.set(kNow + 660);
  EXPECT_EQ(engine.decide(valid.view()).token_error, TokenError::kExpired);
  EXPECT_EQ(engine.decide(not_yet.view()).token_error, TokenError::kExpired);
  clock.set(kNow + 659);
  EXPECT_EQ(engine.decide(valid.view()).status, 200);
  // The claims of each token, not of the one before it.
  const Engine explained = make_engine(document(kPermitAll), kNoCache, &clock);
  for (const char* sub : {"\"alice\"", "\"bob\"", "\"alice\""}) {
    TestRequest request("GET", "/payments/x");
    request.authorization(bearer({{"sub", sub}}));
    const Decision d = decide(explained, request, kNow, /*explain=*/true);
    EXPECT_EQ(explained_attribute(d, "HttpRequest.AccessToken.sub"), sub);
  }
}

TEST(TokenCacheEngine, TinyCapacitiesStillDecideCorrectly) {
  // Many distinct tokens through caches that hold almost nothing: constant
  // eviction, and every answer still the right one.
  constexpr int kTokens = 150;
  struct Token {
    TestRequest request;
    bool good;
    int64_t valid_until;  // exp + 60 s of skew.
  };
  std::vector<Token> tokens;
  for (int i = 0; i < kTokens; ++i) {
    const bool good = i % 3 != 0;
    const int64_t exp = kNow + 100 + i;
    ClaimOverrides overrides = {{"sub", "\"user" + std::to_string(i) + "\""},
                                {"exp", std::to_string(exp)}};
    if (!good) overrides.emplace_back("aud", "\"https://other.example.com\"");
    TestRequest request("GET", "/payments/x");
    request.authorization(bearer(overrides));
    tokens.push_back({std::move(request), good, exp + 60});
  }
  const std::vector<TokenCacheOptions> options = {
      {.max_entries = 1, .max_refused_entries = 0},
      {.max_entries = 0, .max_refused_entries = 0},
      {.max_entries = 0, .max_refused_entries = 1},
  };
  std::mt19937 random(3);
  for (const TokenCacheOptions& cache : options) {
    SCOPED_TRACE(std::to_string(cache.max_entries) + "/" +
                 std::to_string(cache.max_refused_entries));
    ManualClock clock(kNow);
    const Engine engine = make_engine(document(kPermitAll), cache, &clock);
    std::vector<std::pair<int, int64_t>> asks;
    for (int i = 0; i < kTokens; ++i) {
      for (int64_t now : {kNow, tokens[i].valid_until - 1, tokens[i].valid_until}) {
        asks.emplace_back(i, now);
        asks.emplace_back(i, now);
      }
    }
    std::shuffle(asks.begin(), asks.end(), random);
    int wrong = 0;
    for (const auto& [i, now] : asks) {
      const Token& token = tokens[i];
      clock.set(now);
      const Decision d = engine.decide(token.request.view());
      const TokenError expected = !token.good                ? TokenError::kAudienceMismatch
                                  : now >= token.valid_until ? TokenError::kExpired
                                                             : TokenError::kOk;
      if (d.token_error != expected || d.status != (expected == TokenError::kOk ? 200 : 401)) {
        if (++wrong <= 5) {
          ADD_FAILURE() << "token " << i << " at " << now - kNow << ": " << d.to_json();
        }
      }
    }
    EXPECT_EQ(wrong, 0);
  }
}

}  // namespace
}  // namespace stepup::engine_test
