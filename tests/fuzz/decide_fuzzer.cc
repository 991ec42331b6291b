// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Fuzzes Engine::decide() as a host calls it: the input, read with
// FuzzedDataProvider, picks the method, a path (segments such as "..", "%2e",
// empty ones from "//", a query, a fragment, or raw bytes), headers, the
// client address, DecideOptions{explain, now} and an Authorization value:
// absent, raw bytes, "Bearer " + raw bytes, or one of the tokens minted at
// start-up (every claim set under every key) behind a chosen scheme prefix,
// mutated at a chosen position. The policy is SPEC §2's example with inline
// keys, plus nodes for denied-reason answers, merged challenges, headers,
// query parameters and the client address.
//
// Every decision is taken three times: by an engine without the token cache,
// and twice by one with a small cache (the second call usually a hit, into a
// Decision reused across inputs, as an allocation-free host does). All three
// must agree, and each must keep SPEC §4's mapping, carry a WWW-Authenticate
// that is safe and well formed (SPEC §5), and have a JSON form that parses.
//
// The keys are generated per process (only the HMAC secret is fixed), so a
// crash that depends on signature bytes may need the same token to
// reproduce; one in a header or payload reproduces from the input alone.
// tests/fuzz/make_decide_seeds.py writes the seed corpus in this layout.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "decision_checks.h"
#include "fuzz_check.h"
#include "fuzzed_data_provider.h"
#include "stepup/algorithm.h"
#include "stepup/challenge_client.h"
#include "stepup/clock.h"
#include "stepup/engine.h"
#include "stepup/token_error.h"
#include "stepup/token_verifier.h"
#include "support/token_minter.h"

namespace {

using stepup::Algorithm;
using stepup::Decision;
using stepup::PolicyResult;
using stepup::TokenError;
using stepup::testing::TestKey;

constexpr int64_t kNow = 1'800'000'000;
constexpr std::string_view kRealm = "api.example.com";
constexpr std::string_view kIssuer = "https://as.example.com";
constexpr std::string_view kPartnerIssuer = "https://partner.example.com";
constexpr std::string_view kAudience = "https://api.example.com";
// Fixed, so that tokens of the partner issuer are the same in every process.
constexpr std::string_view kPartnerSecret = "stepup-fuzz-partner-secret-0123456789abcdef";

// The statuses the policy below can produce.
bool status_allowed(int status) {
  return status == 200 || status == 400 || status == 401 || status == 403 || status == 429;
}

const std::vector<std::string>& acr_levels() {
  static const std::vector<std::string> levels = {"urn:example:pwd", "urn:example:mfa",
                                                  "urn:example:hwk"};
  return levels;
}

// The keys of the first validator (the RSA algorithms share one key pair).
constexpr Algorithm kMainAlgorithms[] = {Algorithm::kRS256, Algorithm::kPS256, Algorithm::kES256,
                                         Algorithm::kEdDSA};

const TestKey& partner_key() {
  static const TestKey key =
      TestKey::hmac_with_secret(Algorithm::kHS256, std::string(kPartnerSecret), "partner-hs256");
  return key;
}

// Conditions of the document below that do not fit on one of its lines.
constexpr char kAdminsCondition[] =
    "'hwk' in authentication_methods || size(authentication_methods) > 1";
constexpr char kThrottledCondition[] =
    "has(HttpRequest.RequestHeaders.x-debug) && HttpRequest.RequestHeaders.x-debug == 'on'";
constexpr char kOfficeCondition[] =
    "starts_with(HttpRequest.IPAddress, '10.') && HttpRequest.QueryParameters.debug == '1'";
constexpr char kPartnerCondition[] =
    "HttpRequest.AccessToken.iss == 'https://partner.example.com' && "
    "ends_with(HttpRequest.ResourcePath, '.json')";

std::string policy_document() {
  std::string main_keys;
  for (const Algorithm algorithm : kMainAlgorithms) {
    if (!main_keys.empty()) main_keys += ",";
    main_keys += TestKey::shared(algorithm).public_jwk();
  }
  return R"json({
  "stepup": 1,
  "realm": "api.example.com",
  "validators": [
    { "name": "corporate-as", "type": "jwt", "issuer": "https://as.example.com",
      "audience": ["https://api.example.com"],
      "algorithms": ["RS256", "PS256", "ES256", "EdDSA"],
      "jwks": {"keys": [)json" +
         main_keys + R"json(]},
      "typ": "at+jwt", "clock_skew_seconds": 60 },
    { "name": "partner", "type": "jwt", "issuer": "https://partner.example.com",
      "audience": ["https://api.example.com", "https://partner.example.com"],
      "algorithms": ["HS256"], "jwks": )json" +
         partner_key().jwks() + R"json(,
      "typ": null, "clock_skew_seconds": 0, "max_token_bytes": 2048,
      "require": ["exp", "sub", "iat"] }
  ],
  "endpoints": [
    { "service": "payments", "base_path": "/payments" },
    { "service": "accounts", "base_path": "/accounts" },
    { "service": "exports", "base_path": "/payments/exports" }
  ],
  "acr_levels": ["urn:example:pwd", "urn:example:mfa", "urn:example:hwk"],
  "policy": {
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
        ] },
      { "name": "reads", "target": { "action": ["inbound-GET"] },
        "rules": [ { "name": "any valid token", "effect": "permit",
                     "condition": "has(HttpRequest.AccessToken.sub)" } ] },
      { "name": "exports need a hardware key, recently",
        "target": { "service": ["exports"] },
        "combining": "deny-overrides",
        "rules": [
          { "name": "hardware", "effect": "deny-else-permit",
            "condition": "!acr_at_least('urn:example:hwk')",
            "statements": [ { "code": "auth-challenge",
                              "payload": { "acr_values": ["urn:example:hwk"] } } ] },
          { "name": "recent", "effect": "deny",
            "condition": "authentication_age > 60",
            "statements": [ { "code": "auth-challenge",
                              "payload": { "max_age": 60,
                                           "error_description": "Please sign in again" } } ] }
        ] },
      { "name": "account admin", "target": { "service": ["accounts"],
                                             "action": ["inbound-DELETE", "inbound-PUT"] },
        "rules": [
          { "name": "admin scope", "effect": "deny",
            "condition": "!('accounts:admin' in HttpRequest.AccessToken.scope)",
            "statements": [ { "code": "denied-reason",
                              "payload": {
                                "status": 403, "error": "insufficient_scope",
                                "scope": "accounts:admin",
                                "message": "The accounts:admin scope is required" } } ] },
          { "name": "admins", "effect": "permit",
            "condition": ")json" +
         kAdminsCondition + R"json(" }
        ] },
      { "name": "throttled", "target": {
          "condition": ")json" +
         kThrottledCondition + R"json(" },
        "rules": [ { "name": "debug is rate limited", "effect": "deny",
                     "statements": [ { "code": "denied-reason",
                                       "payload": { "status": 429, "detail": "debug requests" } },
                                     { "code": "x-audit", "applies_to": "permit-or-deny",
                                       "payload": { "note": "debug" } } ] } ] },
      { "name": "internal", "target": { "action": ["inbound-POST", "inbound-PATCH"] },
        "combining": "permit-overrides",
        "rules": [
          { "name": "from the office", "effect": "permit",
            "condition": ")json" +
         kOfficeCondition + R"json(" },
          { "name": "partner", "effect": "permit",
            "condition": ")json" +
         kPartnerCondition + R"json(" }
        ] }
    ]
  }
})json";
}

// Claim sets of the minted tokens: what each is for.
std::vector<std::string> claim_sets(std::string_view issuer) {
  const std::string common = "\"iss\":\"" + std::string(issuer) + "\",\"aud\":\"" +
                             std::string(kAudience) + "\",\"exp\":" + std::to_string(kNow + 600) +
                             ",\"iat\":" + std::to_string(kNow - 10);
  const std::string ago60 = std::to_string(kNow - 60);
  return {
      // Permitted for transfers.
      "{" + common + ",\"sub\":\"alice\",\"acr\":\"urn:example:mfa\",\"auth_time\":" + ago60 +
          ",\"scope\":\"payments:write accounts:read\"}",
      // acr too weak: an acr_values challenge.
      "{" + common + ",\"sub\":\"bob\",\"acr\":\"urn:example:pwd\",\"auth_time\":" + ago60 +
          ",\"scope\":\"payments:write\"}",
      // Strong but stale: a max_age challenge.
      "{" + common + ",\"sub\":\"carol\",\"acr\":\"urn:example:mfa\",\"auth_time\":" +
          std::to_string(kNow - 3600) + ",\"scp\":[\"payments:write\"]}",
      // No acr, no auth_time: never a step-up challenge.
      "{" + common + ",\"sub\":\"dave\",\"scope\":\"read\"}",
      // Hardware key, admin scope, amr, nbf; a list audience.
      "{\"iss\":\"" + std::string(issuer) + "\",\"aud\":[\"https://other.example.com\",\"" +
          std::string(kAudience) + "\"],\"exp\":" + std::to_string(kNow + 60) +
          ",\"nbf\":" + std::to_string(kNow - 5) + ",\"iat\":" + std::to_string(kNow - 5) +
          ",\"sub\":\"erin\",\"acr\":\"urn:example:hwk\",\"auth_time\":" +
          std::to_string(kNow - 10) +
          ",\"amr\":[\"hwk\",\"pwd\"],\"scope\":\"accounts:admin payments:write\"}",
  };
}

// Every claim set under every key of both validators, minted once.
const std::vector<std::string>& tokens() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> out;
    for (const Algorithm algorithm : kMainAlgorithms) {
      const TestKey& key = TestKey::shared(algorithm);
      const std::string header = "{\"alg\":\"" + std::string(stepup::algorithm_name(algorithm)) +
                                 "\",\"kid\":\"" + key.kid() + "\",\"typ\":\"at+jwt\"}";
      for (const std::string& claims : claim_sets(kIssuer))
        out.push_back(key.mint(header, claims));
    }
    for (const std::string& claims : claim_sets(kPartnerIssuer)) {
      out.push_back(partner_key().mint(R"({"alg":"HS256","kid":"partner-hs256"})", claims));
    }
    return out;
  }();
  return all;
}

const stepup::Clock& fixed_clock() {
  static const stepup::ManualClock* const instance = new stepup::ManualClock(kNow);
  return *instance;
}

const stepup::Engine& make_engine(bool cache) {
  stepup::EngineOptions options;
  options.policy = stepup::PolicyText{policy_document(), "/nonexistent-stepup-dir"};
  options.clock = &fixed_clock();
  options.token_cache.enabled = cache;
  // Small, so that long runs also evict.
  options.token_cache.max_entries = 64;
  options.token_cache.max_refused_entries = 64;
  absl::StatusOr<stepup::Engine> engine = stepup::Engine::create(std::move(options));
  if (!engine.ok()) {
    std::fprintf(stderr, "policy refused: %s\n", engine.status().ToString().c_str());
    std::abort();
  }
  return *new stepup::Engine(*std::move(engine));
}

const stepup::Engine& uncached_engine() {
  static const stepup::Engine& engine = make_engine(false);
  return engine;
}

const stepup::Engine& cached_engine() {
  static const stepup::Engine& engine = make_engine(true);
  return engine;
}

bool verbose() {
  static const bool value = std::getenv("STEPUP_FUZZ_VERBOSE") != nullptr;
  return value;
}

// `text` on one line for the verbose log: bytes outside printable ASCII as
// \xNN.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c >= 0x20 && c < 0x7f) {
      out += c;
    } else {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned char>(c));
      out += escape;
    }
  }
  return out;
}

// A request that owns its strings.
struct FuzzRequest {
  std::string method;
  std::string path;
  std::optional<std::string> authorization;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string client_ip;
  stepup::DecideOptions options;
};

// One choice among `count` (the input's integers come from its end).
uint32_t pick(FuzzedDataProvider& in, uint32_t count) {
  return in.ConsumeIntegralInRange<uint32_t>(0, count - 1);
}

// One of `choices`, or (for the index just past them) raw bytes.
template <std::size_t N>
std::string pick_or_raw(FuzzedDataProvider& in, const std::string_view (&choices)[N],
                        std::size_t max_raw) {
  const uint32_t index = pick(in, N + 1);
  if (index == N) return in.ConsumeRandomLengthString(max_raw);
  return std::string(choices[index]);
}

constexpr std::string_view kMethods[] = {"GET",  "POST",    "PUT", "DELETE", "PATCH",
                                         "HEAD", "OPTIONS", "get", "",       "POST "};
constexpr std::string_view kBases[] = {
    "",           "/payments", "/accounts",  "/payments/transfers", "/other",
    "//payments", "/Payments", "/payments/", "/payments/exports"};
constexpr std::string_view kSeparators[] = {"/", "//", "/./", "/../", "\\"};
constexpr std::string_view kSegments[] = {
    "transfers", "7",   "..", ".",  "",     "%2e%2e",  "%2E",         "%2f",      "%252e", "a%00b",
    "%",         "%zz", "*",  "**", "data", "exports", "report.json", "\xc3\xa9", "a b",   ";x=1"};
constexpr std::string_view kQueryParts[] = {"x", "debug", "1", "a%20b", "+",
                                            "%", "=",     "",  "%3D",   "debug%00"};
constexpr std::string_view kHeaderNames[] = {"Accept",        "X-Debug", "x-debug", "X-Request-Id",
                                             "Authorization", "Host",    "",        "X-DEBUG "};
constexpr std::string_view kHeaderValues[] = {"on", "42", "application/json", "", "ON", "on\r\n"};
constexpr std::string_view kClientIps[] = {"", "10.0.0.7", "192.0.2.1", "2001:db8::1", "10."};
constexpr std::string_view kSchemes[] = {"Bearer ",  "bearer ", "BEARER ", "Bearer  ",
                                         "Bearer\t", "Basic ",  "",        " Bearer "};

std::string read_path(FuzzedDataProvider& in) {
  if (pick(in, 4) == 0) return in.ConsumeRandomLengthString(512);
  std::string path = std::string(kBases[pick(in, std::size(kBases))]);
  const uint32_t segments = pick(in, 7);
  for (uint32_t i = 0; i < segments; ++i) {
    path += kSeparators[pick(in, std::size(kSeparators))];
    path += pick_or_raw(in, kSegments, 32);
  }
  if (in.ConsumeBool()) {
    path += '?';
    const uint32_t pairs = pick(in, 5);
    for (uint32_t i = 0; i < pairs; ++i) {
      if (i > 0) path += pick(in, 2) == 0 ? '&' : ';';
      path += pick_or_raw(in, kQueryParts, 16);
      path += '=';
      path += pick_or_raw(in, kQueryParts, 16);
    }
  }
  if (pick(in, 8) == 0) path += "#" + in.ConsumeRandomLengthString(16);
  return path;
}

// A minted token, changed at a chosen place.
std::string mutated_token(FuzzedDataProvider& in) {
  const std::vector<std::string>& all = tokens();
  std::string token = all[pick(in, static_cast<uint32_t>(all.size()))];
  const std::size_t position = in.ConsumeIntegralInRange<std::size_t>(0, token.size());
  switch (pick(in, 7)) {
    case 0:  // Unchanged.
      break;
    case 1:  // One byte changed.
      if (position < token.size())
        token[position] = static_cast<char>(in.ConsumeIntegral<uint8_t>());
      break;
    case 2:  // Bytes inserted.
      token.insert(position, in.ConsumeRandomLengthString(64));
      break;
    case 3:  // Bytes removed.
      token.erase(position, in.ConsumeIntegralInRange<std::size_t>(1, 64));
      break;
    case 4:  // Truncated.
      token.resize(position);
      break;
    case 5:  // A segment added or the signature swapped for another token's.
      if (in.ConsumeBool()) {
        token += "." + in.ConsumeRandomLengthString(16);
      } else {
        const std::string& other = all[pick(in, static_cast<uint32_t>(all.size()))];
        token = token.substr(0, token.rfind('.')) + other.substr(other.rfind('.'));
      }
      break;
    default:  // One base64url character for another (keeps the token well formed).
      if (position < token.size() && token[position] != '.') {
        static constexpr std::string_view kAlphabet =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        token[position] = kAlphabet[pick(in, static_cast<uint32_t>(kAlphabet.size()))];
      }
      break;
  }
  return token;
}

std::optional<std::string> read_authorization(FuzzedDataProvider& in) {
  switch (pick(in, 6)) {
    case 0:
      return std::nullopt;
    case 1:
      return in.ConsumeRandomLengthString(1024);
    case 2:
      return "Bearer " + in.ConsumeRandomLengthString(1024);
    case 3: {  // Two credentials, as a repeated header field combines.
      std::string first = mutated_token(in);
      return "Bearer " + first + ", Bearer " + mutated_token(in);
    }
    default: {
      std::string scheme(kSchemes[pick(in, std::size(kSchemes))]);
      return scheme + mutated_token(in);
    }
  }
}

std::optional<int64_t> read_now(FuzzedDataProvider& in) {
  switch (pick(in, 4)) {
    case 0:
      return std::nullopt;  // The engine's clock: kNow.
    case 1:
      return kNow + in.ConsumeIntegralInRange<int64_t>(-7200, 7200);
    case 2:
      return in.ConsumeIntegralInRange<int64_t>(-(int64_t{1} << 40), int64_t{1} << 40);
    default:
      return in.ConsumeIntegral<int64_t>();
  }
}

FuzzRequest read_request(FuzzedDataProvider& in) {
  FuzzRequest request;
  request.method = pick_or_raw(in, kMethods, 16);
  request.path = read_path(in);
  const uint32_t headers = pick(in, 7);
  for (uint32_t i = 0; i < headers; ++i) {
    std::string name = pick_or_raw(in, kHeaderNames, 32);
    request.headers.emplace_back(std::move(name), pick_or_raw(in, kHeaderValues, 64));
  }
  request.client_ip = pick_or_raw(in, kClientIps, 64);
  request.authorization = read_authorization(in);
  request.options.explain = in.ConsumeBool();
  request.options.now = read_now(in);
  return request;
}

// SPEC §4 and §5 for one decision of `request`.
void check_decision(const Decision& decision, const FuzzRequest& request) {
  FUZZ_CHECK(decision.authorized == (decision.result == PolicyResult::kPermit));
  FUZZ_CHECK(decision.authorized == (decision.status == 200));
  FUZZ_CHECK(status_allowed(decision.status));
  FUZZ_CHECK(decision.explanation == nullptr || request.options.explain);
  FUZZ_CHECK(!stepup::token_error_name(decision.token_error).empty());

  // 1. and 2.: a refused Authorization value ends the decision before the
  // policy; which way it is refused follows from the bearer parser.
  if (!request.authorization) {
    FUZZ_CHECK(decision.token_error == TokenError::kOk);
  } else {
    // The engine takes the DPoP scheme as it takes Bearer (RFC 9449 §7.1):
    // the bearer parser judges such a value under the scheme Bearer.
    std::string value(*request.authorization);
    const std::size_t space = value.find(' ');
    const std::string scheme = value.substr(0, space);
    if (scheme.size() == 4 && (scheme[0] | 0x20) == 'd' && (scheme[1] | 0x20) == 'p' &&
        (scheme[2] | 0x20) == 'o' && (scheme[3] | 0x20) == 'p') {
      value.replace(0, 4, "Bearer");
    }
    const stepup::BearerToken bearer = stepup::parse_bearer_authorization(value);
    if (bearer.error != TokenError::kOk) {
      FUZZ_CHECK(stepup::is_request_error(bearer.error));
      FUZZ_CHECK(decision.token_error == bearer.error);
    }
  }
  if (decision.token_error != TokenError::kOk) {
    FUZZ_CHECK(decision.result == PolicyResult::kIndeterminate);
    FUZZ_CHECK(decision.statements.empty());
    FUZZ_CHECK(decision.determining_rule.empty());
    if (stepup::is_request_error(decision.token_error)) {
      FUZZ_CHECK(decision.status == 400 && decision.error == "invalid_request");
    } else {
      FUZZ_CHECK(decision.status == 401 && decision.error == "invalid_token");
    }
  }

  if (decision.status == 401) FUZZ_CHECK(!decision.www_authenticate.empty());
  if (!decision.www_authenticate.empty()) {
    const stepup::Challenge challenge =
        stepup::fuzz::check_www_authenticate(decision.www_authenticate, kRealm, decision.error);
    if (decision.error == "insufficient_user_authentication") {
      // 5.: a step-up challenge a client can act on, only for a valid token.
      FUZZ_CHECK(decision.status == 401 && decision.result == PolicyResult::kDeny);
      FUZZ_CHECK(request.authorization && decision.token_error == TokenError::kOk);
      const std::optional<stepup::StepUpRequirement> requirement =
          stepup::find_step_up({challenge});
      FUZZ_CHECK(requirement.has_value());
      FUZZ_CHECK(!requirement->acr_values.empty() || requirement->max_age.has_value());
      for (const std::string& acr : requirement->acr_values) {
        bool known = false;
        for (const std::string& level : acr_levels())
          known = known || acr == level;
        FUZZ_CHECK(known);
      }
      if (requirement->max_age)
        FUZZ_CHECK(*requirement->max_age == 60 || *requirement->max_age == 300);
    }
  }
  if (!request.authorization && decision.status == 401) {
    // 4.: no requirement is disclosed without credentials.
    FUZZ_CHECK(decision.www_authenticate == "Bearer realm=\"api.example.com\"");
    FUZZ_CHECK(decision.error.empty());
  }

  const std::string json = decision.to_json();
  const stepup::JsonValue parsed = stepup::fuzz::parse_object_or_die(json);
  const stepup::JsonValue* result = parsed.find("decision");
  FUZZ_CHECK(result != nullptr &&
             result->as_string() == stepup::policy_result_name(decision.result));
  const stepup::JsonValue* status = parsed.find("status");
  FUZZ_CHECK(status != nullptr && status->as_integer() == decision.status);
  const stepup::JsonValue* authorized = parsed.find("authorized");
  FUZZ_CHECK(authorized != nullptr && authorized->is_bool() &&
             authorized->as_bool() == decision.authorized);
}

bool same_statements(const Decision& a, const Decision& b) {
  if (a.statements.size() != b.statements.size()) return false;
  for (std::size_t i = 0; i < a.statements.size(); ++i) {
    const stepup::Statement& x = a.statements[i];
    const stepup::Statement& y = b.statements[i];
    if (x.code != y.code || x.name != y.name || x.applies_to != y.applies_to ||
        x.obligatory != y.obligatory || !stepup::fuzz::json_equal(x.payload, y.payload)) {
      return false;
    }
  }
  return true;
}

// The token cache must not change any answer (engine.h: "it answers exactly
// as a fresh validation would").
void check_same(const Decision& a, const Decision& b) {
  FUZZ_CHECK(a.result == b.result);
  FUZZ_CHECK(a.authorized == b.authorized);
  FUZZ_CHECK(a.status == b.status);
  FUZZ_CHECK(a.www_authenticate == b.www_authenticate);
  FUZZ_CHECK(a.error == b.error);
  FUZZ_CHECK(a.reason == b.reason);
  FUZZ_CHECK(a.token_error == b.token_error);
  FUZZ_CHECK(a.determining_rule == b.determining_rule);
  FUZZ_CHECK(same_statements(a, b));
  FUZZ_CHECK(a.to_json() == b.to_json());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const bool initialized = [] {
    (void)tokens();
    (void)uncached_engine();
    (void)cached_engine();
    return true;
  }();
  (void)initialized;
  // A Decision reused across inputs, as a host that keeps one per worker does.
  static Decision* const reused = new Decision();

  FuzzedDataProvider in(data, size);
  const FuzzRequest request = read_request(in);
  std::vector<stepup::Header> headers;
  for (const auto& [name, value] : request.headers)
    headers.push_back({name, value});
  stepup::Request view;
  view.method = request.method;
  view.path = request.path;
  if (request.authorization) view.authorization = *request.authorization;
  view.headers = headers;
  view.client_ip = request.client_ip;

  const Decision fresh = uncached_engine().decide(view, request.options);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  const Decision first = cached_engine().decide(view, request.options);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  cached_engine().decide(view, request.options, *reused);
  FUZZ_CHECK_OPENSSL_QUEUE_EMPTY();
  if (verbose()) {
    std::string line = printable(request.method) + " " + printable(request.path) + " auth=";
    line += request.authorization ? printable(request.authorization->substr(0, 40)) : "(none)";
    for (const auto& [name, value] : request.headers)
      line += " [" + printable(name) + ": " + printable(value) + "]";
    line += " ip=" + printable(request.client_ip);
    line += " now=" + (request.options.now ? std::to_string(*request.options.now) : "(clock)");
    line += request.options.explain ? " explain" : "";
    std::fprintf(stderr, "%s -> %s\n", line.c_str(), printable(fresh.to_json()).c_str());
  }
  check_decision(fresh, request);
  check_same(fresh, first);
  check_same(fresh, *reused);
  return 0;
}
