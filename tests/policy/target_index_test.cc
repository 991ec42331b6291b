// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// policy::TargetIndex, directly (its candidates are a sorted superset of the
// matching items) and through the engine: a decision evaluated through the
// indexes equals the one of --explain, which walks every child and rule.
#include "policy/target_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "json/strict_json.h"
#include "policy/glob.h"
#include "policy/policy.h"
#include "policy_test_support.h"
#include "stepup/decision.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"
#include "stepup/request.h"

namespace stepup::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::IsSupersetOf;

Glob glob(std::string_view pattern) {
  absl::StatusOr<Glob> compiled = Glob::compile(pattern);
  EXPECT_TRUE(compiled.ok()) << pattern;
  return *std::move(compiled);
}

Target target(std::vector<std::string> services, std::vector<std::string> actions,
              std::vector<std::string_view> paths) {
  Target result;
  result.services = std::move(services);
  result.actions = std::move(actions);
  for (std::string_view pattern : paths)
    result.paths.push_back(glob(pattern));
  return result;
}

IndexKeys keys(std::optional<std::string_view> service, std::string_view action,
               std::string_view resource_path) {
  return {.has_service = service.has_value(),
          .service = service.value_or(""),
          .action = action,
          .first_segment = TargetIndex::first_segment(resource_path)};
}

std::vector<uint32_t> candidates(const TargetIndex& index, const IndexKeys& request_keys) {
  std::vector<uint32_t> out;
  index.candidates(request_keys, out);
  return out;
}

TEST(TargetIndexFirstSegment, IsTheTextBeforeTheFirstSlash) {
  EXPECT_EQ(TargetIndex::first_segment("transfers/7"), "transfers");
  EXPECT_EQ(TargetIndex::first_segment("transfers"), "transfers");
  EXPECT_EQ(TargetIndex::first_segment(""), "");
  EXPECT_EQ(TargetIndex::first_segment("/x"), "");
  EXPECT_EQ(TargetIndex::first_segment("a/"), "a");
}

TEST(TargetIndexCandidates, AnEmptyIndexHasNone) {
  const TargetIndex index;
  EXPECT_THAT(candidates(index, keys("pay", "inbound-GET", "x")), ::testing::IsEmpty());
  EXPECT_THAT(candidates(index, keys(std::nullopt, "inbound-GET", "")), ::testing::IsEmpty());
}

TEST(TargetIndexCandidates, OpenDimensionsMatchEveryRequest) {
  TargetIndex index;
  index.add(0, target({}, {}, {}));                             // No target at all.
  index.add(1, target({"pay"}, {}, {}));                        // Only a service.
  index.add(2, target({}, {"inbound-GET"}, {}));                // Only an action.
  index.add(3, target({}, {}, {"transfers/**"}));               // Only a path.
  index.add(4, target({"acct"}, {"inbound-POST"}, {"users"}));  // Matches none below.
  EXPECT_THAT(candidates(index, keys("pay", "inbound-GET", "transfers/7")),
              IsSupersetOf({0u, 1u, 2u, 3u}));
  EXPECT_THAT(candidates(index, keys("pay", "inbound-PUT", "items")), IsSupersetOf({0u, 1u}));
  EXPECT_THAT(candidates(index, keys(std::nullopt, "inbound-GET", "")), IsSupersetOf({0u, 2u}));
  // Item 4 fails every dimension: whichever one the index walks leaves it out.
  for (const IndexKeys& request_keys :
       {keys("pay", "inbound-GET", "transfers/7"), keys(std::nullopt, "inbound-GET", ""),
        keys("pay", "inbound-PUT", "items")}) {
    const std::vector<uint32_t> found = candidates(index, request_keys);
    EXPECT_EQ(std::count(found.begin(), found.end(), 4u), 0);
  }
}

TEST(TargetIndexCandidates, AnItemIsListedUnderEachValueItNamesOnce) {
  TargetIndex index;
  index.add(0, target({"pay", "acct", "pay"}, {"inbound-GET", "inbound-POST"},
                      {"transfers/**", "users/*", "transfers/*/x"}));
  for (const IndexKeys& request_keys :
       {keys("pay", "inbound-GET", "transfers/7"), keys("acct", "inbound-POST", "users/1"),
        keys("pay", "inbound-POST", "transfers")}) {
    EXPECT_THAT(candidates(index, request_keys), ElementsAre(0u));
  }
  // Another service, action and first segment: not listed anywhere.
  EXPECT_THAT(candidates(index, keys("adm", "inbound-PUT", "items")), ::testing::IsEmpty());
  // No service at all, for a target that names services.
  EXPECT_THAT(candidates(index, keys(std::nullopt, "inbound-PUT", "items")), ::testing::IsEmpty());
}

TEST(TargetIndexCandidates, GlobsWithAStarInTheFirstSegmentMatchAnyFirstSegment) {
  // Fillers open in service and action make the path dimension the narrowest
  // one, so it is the one walked; item 10 must still be found through it.
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"*", "zzz"}, {"*/x", "zzz/x"},  {"a*/x", "abc/x"},   {"*b", "zb"},
      {"**", ""},   {"**/x", "q/r/x"}, {"a*b/**", "axb/1"}, {"**", "zzz/y"},
  };
  for (const auto& [pattern, resource_path] : cases) {
    ASSERT_TRUE(glob(pattern).matches(resource_path)) << pattern;
    TargetIndex index;
    for (uint32_t i = 0; i < 10; ++i)
      index.add(i, target({}, {}, {"other/**"}));
    index.add(10, target({"pay"}, {"inbound-GET"}, {"literal/**", pattern}));
    EXPECT_THAT(candidates(index, keys("pay", "inbound-GET", resource_path)), ElementsAre(10u))
        << pattern << " for " << resource_path;
  }
  // With literal first segments only, another first segment is not listed.
  TargetIndex index;
  for (uint32_t i = 0; i < 10; ++i)
    index.add(i, target({}, {}, {"other/**"}));
  index.add(10, target({"pay"}, {"inbound-GET"}, {"literal/**", "lit/*"}));
  EXPECT_THAT(candidates(index, keys("pay", "inbound-GET", "literal/7")), ElementsAre(10u));
  EXPECT_THAT(candidates(index, keys("pay", "inbound-GET", "lit/7")), ElementsAre(10u));
  EXPECT_THAT(candidates(index, keys("pay", "inbound-GET", "zzz/x")), ::testing::IsEmpty());
  EXPECT_THAT(candidates(index, keys("pay", "inbound-GET", "lite")), ::testing::IsEmpty());
}

TEST(TargetIndexCandidates, AppendsInIncreasingOrderAfterWhatIsThere) {
  TargetIndex index;
  for (uint32_t i = 0; i < 20; ++i) {
    if (i % 3 == 0) index.add(i, target({}, {}, {}));
    if (i % 3 == 1) index.add(i, target({"pay"}, {"inbound-GET"}, {"transfers/**"}));
    // i % 3 == 2: not added (a disabled item).
  }
  std::vector<uint32_t> out = {99, 7};
  index.candidates(keys("pay", "inbound-GET", "transfers/7"), out);
  EXPECT_THAT(out,
              ElementsAre(99u, 7u, 0u, 1u, 3u, 4u, 6u, 7u, 9u, 10u, 12u, 13u, 15u, 16u, 18u, 19u));
}

// From the index's documented rules: the item is listed under each value its
// target names in a dimension, or as "any" when the target leaves it open
// (for paths: no globs, or one whose first segment has a '*').
struct DimensionVerdicts {
  bool service, action, segment;
};

DimensionVerdicts listed_for(const Target& item, const IndexKeys& request_keys) {
  auto names = [](const std::vector<std::string>& values, std::string_view value) {
    return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
  };
  bool segment = item.paths.empty();
  for (const Glob& path : item.paths) {
    const std::string_view first = TargetIndex::first_segment(path.pattern());
    segment |= first.find('*') != std::string_view::npos || first == request_keys.first_segment;
  }
  return {.service = item.services.empty() ||
                     (request_keys.has_service && names(item.services, request_keys.service)),
          .action = names(item.actions, request_keys.action),
          .segment = segment};
}

// Whether the item's target (without its condition) matches the request.
bool target_matches(const Target& item, const IndexKeys& request_keys,
                    std::string_view resource_path) {
  auto names = [](const std::vector<std::string>& values, std::string_view value) {
    return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
  };
  const bool path = item.paths.empty() ||
                    std::any_of(item.paths.begin(), item.paths.end(),
                                [&](const Glob& each) { return each.matches(resource_path); });
  return (item.services.empty() ||
          (request_keys.has_service && names(item.services, request_keys.service))) &&
         names(item.actions, request_keys.action) && path;
}

TEST(TargetIndexCandidates, RandomTargetsGiveASortedSupersetOfTheMatches) {
  static const char* const kServices[] = {"pay", "acct", "adm", "ops"};
  static const char* const kActions[] = {"inbound-GET", "inbound-POST", "inbound-PUT"};
  static const char* const kGlobs[] = {"transfers/**", "transfers/*", "transfers", "users",
                                       "users/*/x",    "*/x",         "**",        "*",
                                       "t*/**",        "**/7",        "items/**",  "a"};
  static const char* const kResourcePaths[] = {
      "",  "transfers", "transfers/7", "transfers/7/x", "users",      "users/1/x",  "items/7",
      "a", "a/x",       "zzz",         "t/7",           "/transfers", "transfers/", "x/7"};
  std::mt19937_64 rng(0x7a26e7);
  auto uniform = [&rng](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(rng);
  };
  auto some = [&](const auto& pool, int max) {
    std::vector<std::string> out;
    const int count = uniform(0, 1) == 0 ? 0 : uniform(1, max);
    for (int i = 0; i < count; ++i)
      out.emplace_back(pool[uniform(0, static_cast<int>(std::size(pool)) - 1)]);
    return out;
  };
  int failures = 0;
  std::size_t total_candidates = 0, total_added = 0;
  for (int round = 0; round < 3000 && failures < 10; ++round) {
    TargetIndex index;
    std::vector<Target> items;
    std::vector<bool> added;
    const int count = uniform(0, 40);
    for (int i = 0; i < count; ++i) {
      Target item;
      item.services = some(kServices, 3);
      item.actions = some(kActions, 2);
      for (const std::string& pattern : some(kGlobs, 3))
        item.paths.push_back(glob(pattern));
      added.push_back(uniform(0, 9) != 0);  // Some left out, as disabled items are.
      if (added.back()) index.add(static_cast<uint32_t>(i), item);
      total_added += added.back() ? 1 : 0;
      items.push_back(std::move(item));
    }
    for (int request = 0; request < 20; ++request) {
      const int service = uniform(-1, 3);
      const std::string_view resource_path =
          kResourcePaths[uniform(0, static_cast<int>(std::size(kResourcePaths)) - 1)];
      const IndexKeys request_keys =
          keys(service < 0 ? std::nullopt : std::optional<std::string_view>(kServices[service]),
               kActions[uniform(0, 2)], resource_path);
      const std::vector<uint32_t> found = candidates(index, request_keys);
      total_candidates += found.size();
      std::ostringstream problem;
      for (std::size_t i = 1; i < found.size(); ++i) {
        if (found[i - 1] >= found[i]) problem << "not increasing at " << i << "; ";
      }
      for (uint32_t each : found) {
        if (each >= items.size() || !added[each]) problem << each << " was never added; ";
      }
      for (std::size_t i = 0; i < items.size(); ++i) {
        const bool listed = std::find(found.begin(), found.end(), i) != found.end();
        if (added[i] && target_matches(items[i], request_keys, resource_path) && !listed) {
          problem << i << " matches but is missing; ";
        }
        const DimensionVerdicts verdicts = listed_for(items[i], request_keys);
        if (listed && !verdicts.service && !verdicts.action && !verdicts.segment) {
          problem << i << " fails every dimension but is listed; ";
        }
      }
      if (!problem.str().empty()) {
        ++failures;
        std::ostringstream description;
        for (std::size_t i = 0; i < items.size(); ++i) {
          description << "\n  " << i << (added[i] ? "" : " (not added)") << ": services [";
          for (const std::string& s : items[i].services)
            description << s << " ";
          description << "] actions [";
          for (const std::string& a : items[i].actions)
            description << a << " ";
          description << "] paths [";
          for (const Glob& g : items[i].paths)
            description << g.pattern() << " ";
          description << "]";
        }
        ADD_FAILURE() << problem.str() << "\nrequest service "
                      << (request_keys.has_service ? request_keys.service : "(none)") << " action "
                      << request_keys.action << " resource path \"" << resource_path << "\""
                      << description.str();
      }
    }
  }
  EXPECT_EQ(failures, 0);
  // The index narrows: far fewer candidates than items over all requests.
  EXPECT_LT(total_candidates, total_added * 20 * 3 / 4);
}

TEST(TargetIndexLoading, NodesWithEightOrMoreItemsGetAnIndex) {
  auto rules = [](int count) {
    std::string json;
    for (int i = 0; i < count; ++i)
      json += (i ? "," : "") + std::string(R"({"name": "r)") + std::to_string(i) +
              R"(", "effect": "permit"})";
    return json;
  };
  for (int count : {1, 7, 8, 9, 30}) {
    const auto document = policy_test::must_load(
        policy_test::document(R"({"name": "root", "rules": [)" + rules(count) + "]}"));
    ASSERT_NE(document, nullptr);
    EXPECT_EQ(document->root.index != nullptr, count >= static_cast<int>(kIndexThreshold)) << count;
  }
}

// ---------------------------------------------------------------------------
// Through the engine: random documents and requests, each decided twice.

// Random policy documents over a few services, actions and paths. Each node
// or rule draws its target, effect, condition, statements and disabled flag.
class RandomPolicy {
 public:
  explicit RandomPolicy(uint64_t seed) : rng_(seed) {}

  // `sparse`: every node and rule has a target and rules only permit or deny
  // when their condition holds, so that nothing applying is common too.
  std::string document(bool sparse) {
    sparse_ = sparse;
    statement_count_ = 0;
    return R"({"stepup": 1, "realm": "api.example.com",)"
           R"( "endpoints": [{"service": "pay", "base_path": "/pay"},)"
           R"( {"service": "acct", "base_path": "/acct"},)"
           R"( {"service": "adm", "base_path": "/adm/x"}],)"
           R"( "acr_levels": ["urn:pwd", "urn:mfa", "urn:hwk"],)"
           R"( "policy": )" +
           policy_set("root", 0, uniform(8, 40)) + "}";
  }

 private:
  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  bool chance(int percent) { return uniform(0, 99) < percent; }
  template <typename T, std::size_t N>
  const T& pick(const T (&from)[N]) {
    return from[uniform(0, static_cast<int>(N) - 1)];
  }

  std::string condition() {
    static const char* const kConditions[] = {
        "HttpRequest.IPAddress == '10.0.0.1'",
        "has(HttpRequest.AccessToken.sub)",
        "HttpRequest.AccessToken.sub == 'alice'",
        "'write' in HttpRequest.AccessToken.scope",
        "has(HttpRequest.AccessToken.scope) && 'read' in HttpRequest.AccessToken.scope",
        "acr_at_least('urn:mfa')",
        "!acr_at_least('urn:pwd')",
        "HttpRequest.ResourcePath == 'transfers/7'",
        "starts_with(HttpRequest.ResourcePath, 'trans')",
        "HttpRequest.AccessToken.missing == 'x'",
        "action == 'inbound-GET'",
        "service == 'pay'",
    };
    return pick(kConditions);
  }

  std::string list(const char* const* pool, int pool_size, int max) {
    std::string json = "[";
    const int count = uniform(1, max);
    for (int i = 0; i < count; ++i) {
      json += (i ? ", \"" : "\"") + std::string(pool[uniform(0, pool_size - 1)]) + "\"";
    }
    return json + "]";
  }

  std::string target() {
    static const char* const kServices[] = {"pay", "acct", "adm", "none"};
    static const char* const kActions[] = {"inbound-GET", "inbound-POST", "inbound-DELETE"};
    static const char* const kGlobs[] = {"transfers/**", "transfers/*", "transfers", "users/**",
                                         "items/*/x",    "*/x",         "**",        "*",
                                         "t*/**",        "**/7",        "users"};
    std::string json = "{";
    auto add = [&json](const std::string& member) {
      json += (json.size() > 1 ? ", " : "") + member;
    };
    const int percent = sparse_ ? 70 : 50;
    if (chance(percent)) add(R"("service": )" + list(kServices, 4, 2));
    if (chance(percent)) add(R"("action": )" + list(kActions, 3, 2));
    if (chance(percent)) add(R"("path": )" + list(kGlobs, 11, 2));
    if (chance(15)) add(R"("condition": ")" + condition() + "\"");
    return json + "}";
  }

  std::string statements() {
    std::string json = "[";
    const int count = uniform(1, 2);
    for (int i = 0; i < count; ++i) {
      const std::string name = "\"st" + std::to_string(statement_count_++) + "\"";
      if (i > 0) json += ", ";
      switch (uniform(0, 4)) {
        case 0:
          json += R"({"code": "auth-challenge", "name": )" + name +
                  R"(, "payload": {"min_acr": "urn:mfa"}})";
          break;
        case 1:
          json += R"({"code": "auth-challenge", "name": )" + name + R"(, "payload": {"max_age": )" +
                  std::to_string(uniform(1, 9) * 100) + "}}";
          break;
        case 2:
          json += R"({"code": "denied-reason", "name": )" + name +
                  R"(, "payload": {"status": 403, "message": "no"}})";
          break;
        default: {
          static const char* const kAppliesTo[] = {"permit", "deny", "permit-or-deny"};
          json += R"({"code": "note", "name": )" + name + R"(, "applies_to": ")" +
                  pick(kAppliesTo) + "\"}";
          break;
        }
      }
    }
    return json + "]";
  }

  // The members every node and rule may have, after "name".
  std::string common() {
    std::string json;
    if (chance(10)) json += R"(, "disabled": true)";
    if (chance(sparse_ ? 100 : 60)) json += R"(, "target": )" + target();
    if (chance(30)) json += R"(, "statements": )" + statements();
    return json;
  }

  std::string combining() {
    static const char* const kCombining[] = {"deny-overrides",     "permit-overrides",
                                             "first-applicable",   "only-one-applicable",
                                             "deny-unless-permit", "permit-unless-deny"};
    return chance(15) ? "" : std::string(R"(, "combining": ")") + pick(kCombining) + "\"";
  }

  std::string rule(int i) {
    static const char* const kEffects[] = {"permit", "deny", "permit-else-deny",
                                           "deny-else-permit"};
    std::string json = R"({"name": "r)" + std::to_string(i) + R"(", "effect": ")" +
                       (sparse_ ? kEffects[uniform(0, 1)] : pick(kEffects)) + "\"";
    if (chance(70)) json += R"(, "condition": ")" + condition() + "\"";
    return json + common() + "}";
  }

  std::string policy(const std::string& name) {
    // Half of the policies have enough rules for an index of their own.
    const int rules = chance(50) ? uniform(8, 12) : uniform(1, 5);
    std::string json = R"({"name": ")" + name + "\"" + combining() + common() + R"(, "rules": [)";
    for (int i = 0; i < rules; ++i)
      json += (i ? ", " : "") + rule(i);
    return json + "]}";
  }

  std::string policy_set(const std::string& name, int depth, int children) {
    std::string json = R"({"name": ")" + name + "\"" + combining() +
                       (depth == 0 ? std::string() : common()) + R"(, "children": [)";
    for (int i = 0; i < children; ++i) {
      const std::string child = "n" + std::to_string(i);
      if (i > 0) json += ", ";
      json += depth == 0 && chance(15)
                  ? policy_set(child, depth + 1, chance(50) ? uniform(8, 10) : uniform(1, 4))
                  : policy(child);
    }
    return json + "]}";
  }

  std::mt19937_64 rng_;
  int statement_count_ = 0;
  bool sparse_ = false;
};

// One request, owning its data.
struct RandomRequest {
  std::string method;
  std::string path;
  std::string client_ip;
  std::optional<std::string> claims_json;  // nullopt: no credentials at all.
  JsonValue claims;

  Request request() const {
    Request request;
    request.method = method;
    request.path = path;
    request.client_ip = client_ip;
    if (claims_json) request.validated_claims = &claims;
    return request;
  }

  std::string describe() const {
    return method + " \"" + path + "\" from " + client_ip +
           (claims_json ? " with claims " + *claims_json : " without credentials");
  }
};

RandomRequest random_request(std::mt19937_64& rng) {
  static const char* const kMethods[] = {"GET", "POST", "DELETE", "PUT"};
  static const char* const kPaths[] = {"/pay/transfers/7",
                                       "/pay/transfers",
                                       "/pay",
                                       "/pay/",
                                       "/pay/users",
                                       "/acct/users/1",
                                       "/acct/transfers/7",
                                       "/adm/x/items/1/x",
                                       "/adm/x",
                                       "/adm/y/transfers",
                                       "/other/transfers/7",
                                       "/",
                                       "",
                                       "/pay//transfers/./7",
                                       "/pay/%74ransfers/7?x=1",
                                       "transfers/7",
                                       "/pay/tx/7",
                                       "/acct/items/z/x",
                                       "/pay/users/1/x",
                                       "/acct/transfers/x?q#f"};
  static const char* const kClaims[] = {
      R"({"sub": "alice", "scope": "read write", "acr": "urn:mfa"})",
      R"({"sub": "bob", "scope": "read", "acr": "urn:pwd"})",
      R"({"acr": "urn:hwk"})",
      R"({})",
  };
  auto uniform = [&rng](int high) { return std::uniform_int_distribution<int>(0, high)(rng); };
  RandomRequest request;
  request.method = kMethods[uniform(3)];
  request.path = kPaths[uniform(static_cast<int>(std::size(kPaths)) - 1)];
  request.client_ip = uniform(1) == 0 ? "10.0.0.1" : "10.0.0.2";
  const int claims = uniform(4);
  if (claims < 4) {
    request.claims_json = kClaims[claims];
    const json_internal::JsonParseResult parsed =
        json_internal::parse_json_object(*request.claims_json, 8, request.claims);
    EXPECT_EQ(parsed.error, json_internal::JsonError::kOk);
  }
  return request;
}

// Everything a Decision says except the explanation; empty when equal.
std::string difference(const Decision& indexed, const Decision& full) {
  std::ostringstream out;
  auto join = [](const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names)
      text += (text.empty() ? "" : "/") + name;
    return text;
  };
  auto statements = [](const Decision& decision) {
    std::string text;
    for (const Statement& statement : decision.statements)
      text += statement.code + ":" + statement.name + " ";
    return text;
  };
  if (indexed.result != full.result) {
    out << "result " << policy_result_name(indexed.result) << " vs "
        << policy_result_name(full.result) << "; ";
  }
  if (indexed.authorized != full.authorized) out << "authorized differs; ";
  if (indexed.status != full.status)
    out << "status " << indexed.status << " vs " << full.status << "; ";
  if (indexed.www_authenticate != full.www_authenticate) {
    out << "www_authenticate \"" << indexed.www_authenticate << "\" vs \"" << full.www_authenticate
        << "\"; ";
  }
  if (indexed.error != full.error) out << "error " << indexed.error << " vs " << full.error << "; ";
  if (indexed.reason != full.reason) {
    out << "reason \"" << indexed.reason << "\" vs \"" << full.reason << "\"; ";
  }
  if (indexed.determining_rule != full.determining_rule) {
    out << "determining_rule " << join(indexed.determining_rule) << " vs "
        << join(full.determining_rule) << "; ";
  }
  if (statements(indexed) != statements(full)) {
    out << "statements [" << statements(indexed) << "] vs [" << statements(full) << "]; ";
  }
  if (indexed.token_error != full.token_error) out << "token_error differs; ";
  return out.str();
}

TEST(TargetIndexEngine, IndexedDecisionsEqualFullWalksOfExplain) {
  RandomPolicy random_policy(0x1deed5);
  std::mt19937_64 rng(0x7e57);
  std::map<PolicyResult, int> results;
  int failures = 0, statements_seen = 0, determined = 0;
  for (int round = 0; round < 250 && failures < 5; ++round) {
    const std::string json = random_policy.document(round % 2 == 1);
    absl::StatusOr<Engine> engine = Engine::create({.policy = PolicyText{json}});
    ASSERT_TRUE(engine.ok()) << engine.status().message() << "\n" << json;
    for (int r = 0; r < 60 && failures < 5; ++r) {
      const RandomRequest request = random_request(rng);
      const Decision indexed = engine->decide(request.request());
      const Decision full = engine->decide(request.request(), {.explain = true});
      ASSERT_NE(full.explanation, nullptr);
      ++results[indexed.result];
      statements_seen += indexed.statements.empty() ? 0 : 1;
      determined += indexed.determining_rule.empty() ? 0 : 1;
      const std::string diff = difference(indexed, full);
      if (!diff.empty()) {
        ++failures;
        ADD_FAILURE() << diff << "\nrequest: " << request.describe() << "\ndocument: " << json;
      }
    }
  }
  EXPECT_EQ(failures, 0);
  // Every result occurs often, so agreement is not vacuous.
  for (PolicyResult result : {PolicyResult::kPermit, PolicyResult::kDeny,
                              PolicyResult::kNotApplicable, PolicyResult::kIndeterminate}) {
    EXPECT_GT(results[result], 500) << policy_result_name(result);
  }
  EXPECT_GT(statements_seen, 300);
  EXPECT_GT(determined, 300);
}

}  // namespace
}  // namespace stepup::policy
