// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The decision log through the engine: what a record holds, the drop rules,
// masking, the allow-lists, options refused with a clear error, and a
// property test that no token, signature or secret ever reaches the log.
#include "stepup/decision_log.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_test_util.h"
#include "stepup/metrics.h"

namespace stepup::engine_test {
namespace {

const std::string kHashKey(40, 'k');

// HMAC-SHA-256 of `data` under `key`, in lower-case hex: what the log must
// write for a hashed field, computed here independently of lib/decisionlog.
std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &length) == nullptr) {
    return "(HMAC failed)";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[mac[i] >> 4];
    hex += kHex[mac[i] & 15];
  }
  return hex;
}

absl::StatusOr<Engine> engine_with_log(DecisionLogOptions log) {
  return Engine::create(
      {.policy = PolicyText{document(kPostNeedsHwkPolicy)}, .decision_log = std::move(log)});
}

// Runs `requests` through an engine logging to a sink, closes the log (by
// destroying the engine) and returns the records and the last metrics.
struct Logged {
  std::vector<std::string> records;
  MetricsSnapshot metrics;
};
Logged run_logged(DecisionLogOptions log, const std::vector<TestRequest>& requests) {
  auto sink = std::make_shared<CollectingSink>();
  log.sink = sink;
  Logged out;
  {
    absl::StatusOr<Engine> engine = engine_with_log(std::move(log));
    EXPECT_TRUE(engine.ok()) << engine.status();
    if (!engine.ok()) return out;
    for (const TestRequest& request : requests)
      decide(*engine, request);
    out.metrics = engine->metrics();
  }
  out.records = sink->records();
  return out;
}

std::string string_member(const JsonValue& object, std::string_view name) {
  const JsonValue* value = object.find(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "(absent)";
}

// `text` as a JSON string literal.
std::string quote(std::string text) {
  return JsonValue::string(std::move(text)).to_json();
}

bool is_hex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

TEST(DecisionLogTest, ARecordHoldsTheRequestTheDecisionAndTheTokensFields) {
  const Logged logged = run_logged(
      {.hash_key = kHashKey},
      {TestRequest("GET", "/payments/7?dry_run=1").authorization(bearer()).client_ip("192.0.2.7"),
       TestRequest("POST", "/payments/7").authorization(bearer())});
  ASSERT_EQ(logged.records.size(), 2u);
  const JsonValue permit = parse_object(logged.records[0]);
  EXPECT_EQ(string_member(permit, "method"), "GET");
  EXPECT_EQ(string_member(permit, "path"), "/payments/7") << "the query is left out by default";
  EXPECT_EQ(string_member(permit, "client_ip"), "192.0.2.7");
  EXPECT_EQ(string_member(permit, "credentials"), "bearer");
  EXPECT_EQ(string_member(permit, "result"), "permit");
  EXPECT_EQ(permit.find("status")->as_integer(), 200);
  EXPECT_EQ(permit.find("rule")->to_json(), R"(["root","signed in"])");
  EXPECT_EQ(permit.find("generation")->as_integer(), 1);
  EXPECT_EQ(permit.find("decided_at")->as_integer(), kNow);
  EXPECT_EQ(string_member(permit, "iss"), testing::kTestIssuer);
  EXPECT_EQ(string_member(permit, "acr"), "urn:example:mfa");
  const std::string id = string_member(permit, "decision_id");
  EXPECT_EQ(id.size(), 32u);
  EXPECT_TRUE(is_hex(id)) << id;
  const std::string sub = string_member(permit, "sub");
  EXPECT_EQ(sub, "hmac-sha256:" + hmac_sha256_hex(kHashKey, "alice"))
      << "the subject, keyed with the log's hash key";
  const std::string time = string_member(permit, "time");
  EXPECT_EQ(time.size(), 24u) << time;  // 2026-12-05T20:01:02.345Z
  EXPECT_EQ(time.back(), 'Z');

  const JsonValue step_up = parse_object(logged.records[1]);
  EXPECT_EQ(step_up.find("status")->as_integer(), 401);
  EXPECT_EQ(string_member(step_up, "error"), "insufficient_user_authentication");
  EXPECT_EQ(step_up.find("step_up")->to_json(), R"({"acr_values":["urn:example:hwk"]})");
  EXPECT_EQ(string_member(step_up, "sub"), sub) << "one subject, one hash";
  EXPECT_NE(string_member(step_up, "decision_id"), id);
}

TEST(DecisionLogTest, TheTokensAgeIsTheDecisionTimeLessAuthTime) {
  auto sink = std::make_shared<CollectingSink>();
  {
    absl::StatusOr<Engine> engine = engine_with_log({.sink = sink});
    ASSERT_TRUE(engine.ok()) << engine.status();
    decide(*engine, TestRequest("GET", "/x").authorization(bearer()), kNow);
  }
  ASSERT_EQ(sink->records().size(), 1u);
  const JsonValue record = parse_object(sink->records()[0]);
  EXPECT_EQ(record.find("decided_at")->as_integer(), kNow);
  EXPECT_EQ(record.find("auth_time")->as_integer(), kNow - 60);
  EXPECT_EQ(record.find("age")->as_integer(), 60);
}

TEST(DecisionLogTest, ARefusedTokenIsLoggedWithItsErrorAndNoClaims) {
  const Logged logged = run_logged(
      {}, {TestRequest("GET", "/x").authorization(bearer({{"exp", std::to_string(kNow - 120)}})),
           TestRequest("GET", "/x")});
  ASSERT_EQ(logged.records.size(), 2u);
  const JsonValue expired = parse_object(logged.records[0]);
  EXPECT_EQ(string_member(expired, "token_error"), "Expired");
  EXPECT_EQ(expired.find("iss"), nullptr);
  EXPECT_EQ(expired.find("sub"), nullptr);
  const JsonValue none = parse_object(logged.records[1]);
  EXPECT_EQ(string_member(none, "credentials"), "none");
  EXPECT_EQ(none.find("status")->as_integer(), 401);
}

TEST(DecisionLogTest, NonPermitsOnlyCountsTheLeftOutPermits) {
  std::vector<TestRequest> requests;
  for (int i = 0; i < 5; ++i)
    requests.push_back(TestRequest("GET", "/x").authorization(bearer()));
  for (int i = 0; i < 3; ++i)
    requests.push_back(TestRequest("POST", "/x").authorization(bearer()));
  const Logged logged = run_logged({.permit_sample_rate = 0.0}, requests);
  ASSERT_EQ(logged.records.size(), 3u);
  for (const std::string& record : logged.records)
    EXPECT_EQ(string_member(parse_object(record), "result"), "deny");
  EXPECT_EQ(logged.metrics.decision_log_filtered, 5u);
  EXPECT_TRUE(logged.metrics.decision_log_enabled);
  const std::string text = render_prometheus(logged.metrics);
  EXPECT_NE(text.find("stepup_decision_log_records_total{outcome=\"filtered\"} 5"),
            std::string::npos)
      << text;
}

TEST(DecisionLogTest, PermitsAreSampledAtTheGivenRate) {
  auto sink = std::make_shared<CollectingSink>();
  constexpr int kPermits = 4000;
  MetricsSnapshot metrics;
  {
    absl::StatusOr<Engine> engine = engine_with_log({.sink = sink, .permit_sample_rate = 0.25});
    ASSERT_TRUE(engine.ok()) << engine.status();
    const TestRequest request = TestRequest("GET", "/x").authorization(bearer());
    for (int i = 0; i < kPermits; ++i)
      decide(*engine, request);
    decide(*engine, TestRequest("POST", "/x").authorization(bearer()));
    metrics = engine->metrics();
  }
  const std::size_t logged = sink->records().size();
  // 1000 expected (a standard deviation of 27); the deny always.
  EXPECT_GT(logged, 800u);
  EXPECT_LT(logged, 1200u);
  EXPECT_EQ(metrics.decision_log_filtered + logged, static_cast<uint64_t>(kPermits) + 1);
}

TEST(DecisionLogTest, MasksDropHashOrKeepFields) {
  const Logged logged = run_logged(
      {.claims = {"scope", "aud"},
       .masks = {{"client_ip", LogFieldAction::kDrop},
                 {"path", LogFieldAction::kHash},
                 {"sub", LogFieldAction::kKeep},
                 {"claims.scope", LogFieldAction::kHash},
                 {"claims.aud", LogFieldAction::kDrop}},
       .hash_key = kHashKey},
      {TestRequest("GET", "/payments/7").authorization(bearer()).client_ip("192.0.2.7")});
  ASSERT_EQ(logged.records.size(), 1u);
  const JsonValue record = parse_object(logged.records[0]);
  EXPECT_EQ(record.find("client_ip"), nullptr);
  EXPECT_EQ(string_member(record, "sub"), "alice");
  const std::string path = string_member(record, "path");
  EXPECT_EQ(path.rfind("hmac-sha256:", 0), 0u) << path;
  EXPECT_EQ(logged.records[0].find("/payments/7"), std::string::npos);
  ASSERT_NE(record.find("claims"), nullptr) << logged.records[0];
  EXPECT_EQ(record.find("claims")->members().size(), 1u) << "aud dropped";
  EXPECT_EQ(string_member(*record.find("claims"), "scope").rfind("hmac-sha256:", 0), 0u);
  EXPECT_EQ(logged.records[0].find("read write"), std::string::npos);
}

TEST(DecisionLogTest, OnlyAllowListedHeadersAndClaimsAndNeverTheToken) {
  const std::string authorization = bearer();
  const std::string token = authorization.substr(7);
  const Logged logged = run_logged(
      {.claims = {"scope", "absent_claim"}, .headers = {"X-Request-Id", "x-copy"}, .query = true},
      {TestRequest("GET", "/x?a=1&access_token=" + token + "&b=2")
           .authorization(authorization)
           .header("x-request-id", "r-42")
           .header("X-Copy", "Bearer " + token)
           .header("X-Other", "not listed")});
  ASSERT_EQ(logged.records.size(), 1u);
  const std::string& line = logged.records[0];
  EXPECT_EQ(line.find(token), std::string::npos);
  EXPECT_EQ(line.find(token.substr(token.rfind('.') + 1)), std::string::npos);
  EXPECT_EQ(line.find("not listed"), std::string::npos);
  const JsonValue record = parse_object(line);
  const JsonValue* headers = record.find("headers");
  ASSERT_NE(headers, nullptr) << line;
  EXPECT_EQ(headers->members().size(), 2u);
  EXPECT_EQ(string_member(*headers, "x-request-id"), "r-42");
  EXPECT_EQ(string_member(*headers, "x-copy"), "(token)");
  const JsonValue* claims = record.find("claims");
  ASSERT_NE(claims, nullptr) << line;
  EXPECT_EQ(claims->members().size(), 1u);
  EXPECT_EQ(string_member(*claims, "scope"), "read write");
  EXPECT_EQ(string_member(record, "path"), "/x?a=1&access_token=(token)&b=2");
}

TEST(DecisionLogTest, CredentialsOfAnySchemeStayOutOfHeadersAndTheQuery) {
  const std::string token = bearer().substr(7);
  const std::string signature = token.substr(token.rfind('.') + 1);
  const Logged logged =
      run_logged({.headers = {"x-forwarded-authorization", "x-sig"}, .query = true},
                 {TestRequest("GET", "/x?Access_Token=" + token + "&b=1")
                      .authorization("DPoP " + token)
                      .header("X-Forwarded-Authorization", "DPoP " + token)
                      .header("X-Sig", signature),
                  TestRequest("GET", "/x?access%5Ftoken=" + token + ";token=" + token + "&keep=1")
                      .authorization("Bearer " + token + ", Basic dXNlcjpwYXNzd29yZA==")
                      .header("X-Sig", "dXNlcjpwYXNzd29yZA==")});
  ASSERT_EQ(logged.records.size(), 2u);
  for (const std::string& line : logged.records) {
    EXPECT_EQ(line.find(signature), std::string::npos) << line;
    EXPECT_EQ(line.find("dXNlcjpwYXNzd29yZA"), std::string::npos) << line;
  }
  const JsonValue dpop = parse_object(logged.records[0]);
  EXPECT_EQ(string_member(dpop, "path"), "/x?Access_Token=(token)&b=1");
  EXPECT_EQ(string_member(*dpop.find("headers"), "x-forwarded-authorization"), "(token)");
  EXPECT_EQ(string_member(*dpop.find("headers"), "x-sig"), "(token)");
  const JsonValue two = parse_object(logged.records[1]);
  EXPECT_EQ(string_member(two, "path"), "/x?access%5Ftoken=(token);token=(token)&keep=1");
  EXPECT_EQ(string_member(*two.find("headers"), "x-sig"), "(token)");
}

TEST(DecisionLogTest, BadOptionsAreRefusedNamingTheOption) {
  const auto error_of = [](DecisionLogOptions log) {
    if (log.file.empty() && log.sink == nullptr) log.sink = std::make_shared<CollectingSink>();
    absl::StatusOr<Engine> engine = engine_with_log(std::move(log));
    return engine.ok() ? std::string("ok") : std::string(engine.status().message());
  };
  EXPECT_EQ(error_of({.headers = {"x-a", "Authorization"}}),
            "decision_log.headers[1]: \"authorization\" carries credentials and is never logged");
  EXPECT_EQ(error_of({.headers = {"Cookie"}}).rfind("decision_log.headers[0]", 0), 0u);
  EXPECT_EQ(error_of({.headers = {"bad name"}}), "decision_log.headers[0]: not a header name");
  EXPECT_EQ(error_of({.masks = {{"client_id", LogFieldAction::kHash}, {"token", {}}}})
                .rfind("decision_log.masks[1]: unknown field \"token\"", 0),
            0u);
  EXPECT_EQ(error_of({.masks = {{"claims.email", LogFieldAction::kHash}}}),
            "decision_log.masks[0]: \"claims.email\" is not logged (add the claim to claims)");
  EXPECT_EQ(error_of({.claims = {"sub"}}), "decision_log.claims[0]: \"sub\" is logged already");
  EXPECT_EQ(error_of({.claims = {"scope", "scope"}}),
            "decision_log.claims[1]: \"scope\" is listed twice");
  EXPECT_EQ(error_of({.headers = {"X-A", "x-a"}}),
            "decision_log.headers[1]: \"x-a\" is listed twice");
  EXPECT_EQ(error_of({.permit_sample_rate = 1.5}),
            "decision_log.permit_sample_rate: must be from 0 to 1");
  EXPECT_EQ(error_of({.hash_key = "short"}), "decision_log.hash_key: shorter than 32 bytes");
  EXPECT_EQ(error_of({.file = "/x.jsonl", .sink = std::make_shared<CollectingSink>()}),
            "decision_log: give exactly one of file and sink");
  EXPECT_EQ(error_of({.file = "/nonexistent-dir/log.jsonl"})
                .rfind("decision log \"/nonexistent-dir/log.jsonl\": cannot open", 0),
            0u);
  EXPECT_EQ(error_of({.masks = {{"headers.X-Id", LogFieldAction::kHash}}}),
            "decision_log.masks[0]: \"headers.X-Id\" is not logged (add the header to headers)");
}

TEST(DecisionLogTest, AThrowingSinkLosesRecordsNotDecisions) {
  class ThrowingSink : public DecisionLogSink {
   public:
    void write(std::string_view) override { throw std::runtime_error("sink down"); }
  };
  MetricsSnapshot metrics;
  {
    absl::StatusOr<Engine> engine = engine_with_log({.sink = std::make_shared<ThrowingSink>()});
    ASSERT_TRUE(engine.ok());
    for (int i = 0; i < 10; ++i)
      EXPECT_EQ(decide(*engine, TestRequest("GET", "/x").authorization(bearer())).status, 200);
    // The writer's thread takes the records within a few milliseconds.
    for (int i = 0; i < 400 && engine->metrics().decision_log_lost < 10; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    metrics = engine->metrics();
  }
  EXPECT_EQ(metrics.decision_log_lost, 10u);
  EXPECT_EQ(metrics.decision_log_written, 0u);
}

// Random tokens, claims and allow-lists: whatever is listed, no line holds
// the token, its signature, or the hash key, and every line is strict JSON.
TEST(DecisionLogProperty, NoTokenSignatureOrSecretBytesInTheLog) {
  std::mt19937_64 random(20261205);
  const auto random_text = [&](std::size_t length) {
    static constexpr char kAlphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~ \"\\/\x01\xc3\xa9";
    std::string out;
    for (std::size_t i = 0; i < length; ++i)
      out += kAlphabet[random() % (sizeof kAlphabet - 1)];
    return out;
  };
  const std::vector<std::string> header_names = {"x-a", "x-b", "x-token-copy", "x-forwarded-for",
                                                 "x-forwarded-authorization"};
  const std::vector<std::string> claim_names = {"scope", "aud", "exp", "iat", "jti", "cnf", "x"};
  for (int round = 0; round < 40; ++round) {
    DecisionLogOptions log;
    log.hash_key = random_text(32 + random() % 16);
    log.query = random() % 2 == 0;
    for (const std::string& name : header_names) {
      if (random() % 2 == 0) log.headers.push_back(name);
    }
    for (const std::string& name : claim_names) {
      if (random() % 2 == 0) log.claims.push_back(name);
    }
    for (const std::string& name : log.claims) {
      if (random() % 3 == 0) log.masks.push_back({"claims." + name, LogFieldAction::kHash});
    }
    std::vector<TestRequest> requests;
    std::vector<std::string> tokens;
    for (int i = 0; i < 5; ++i) {
      ClaimOverrides overrides = {{"jti", quote(random_text(12))},
                                  {"x", quote(random_text(20))},
                                  {"sub", quote(random_text(8))}};
      if (random() % 4 == 0) overrides.push_back({"exp", std::to_string(kNow - 100)});
      if (random() % 4 == 0) overrides.push_back({"acr", "\"urn:example:hwk\""});
      std::string token = bearer(overrides).substr(7);
      if (random() % 5 == 0) token.back() = token.back() == 'A' ? 'B' : 'A';
      tokens.push_back(token);
      static const char* const kSchemes[] = {"Bearer ", "bearer ", "DPoP ", "Bearer x, Bearer "};
      const std::string authorization = kSchemes[random() % 4] + token;
      static const char* const kParameters[] = {
          "access_token=", "ACCESS_TOKEN=", "access%5ftoken=", "token=", "t="};
      TestRequest request(random() % 2 == 0 ? "GET" : "POST",
                          "/p/" + std::to_string(i) + "?" + kParameters[random() % 5] + token +
                              (random() % 2 == 0 ? "&" : ";") + "q=1");
      request.authorization(authorization)
          .header("X-A", random_text(10))
          .header("x-token-copy", "t=" + token)
          .header("x-b", token.substr(token.rfind('.') + 1))
          .header("X-Forwarded-Authorization", authorization)
          .client_ip("198.51.100." + std::to_string(i));
      requests.push_back(std::move(request));
    }
    const Logged logged = run_logged(log, requests);
    ASSERT_EQ(logged.records.size(), requests.size());
    for (const std::string& line : logged.records) {
      parse_object(line);  // Fails the test unless strict JSON.
      EXPECT_EQ(line.find(log.hash_key), std::string::npos);
      for (const std::string& token : tokens) {
        EXPECT_EQ(line.find(token), std::string::npos) << line;
        const std::string signature = token.substr(token.rfind('.') + 1);
        EXPECT_EQ(line.find(signature), std::string::npos) << line;
        const std::string header_and_payload = token.substr(0, token.rfind('.'));
        EXPECT_EQ(line.find(header_and_payload), std::string::npos) << line;
      }
    }
  }
}

}  // namespace
}  // namespace stepup::engine_test
