// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// A differential test of whole decisions: the engine, through its public API
// only (stepup/engine.h), against a small reference evaluator written here
// from docs/spec.md (§2 documents and conditions, §3 attributes, §4 decision,
// §5 challenge syntax) and docs/choices.md, over random policy documents and
// random requests. The reference shares no code with lib/: it has its own
// document model, condition evaluator, glob matcher, path normalizer,
// combining algorithms, challenge merging and header formatting, each kept as
// plain as possible so that it is obviously right.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine_test_util.h"
#include "stepup/decision.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"
#include "stepup/request.h"
#include "support/token_minter.h"

namespace stepup::engine_test {
namespace {

// 800 documents of 50 requests: 40,000 decisions (about 2 s in RelWithDebInfo).
constexpr int kDocuments = 800;
constexpr int kRequestsPerDocument = 50;
constexpr uint64_t kSeed = 20260214;
// Items a document may have in all, so that three levels of 12 stay small.
constexpr int kItemBudget = 220;

const std::vector<std::string> kLevels = {"urn:example:pwd", "urn:example:mfa", "urn:example:hwk"};

struct EndpointModel {
  std::string service = {};
  std::string base_path = {};
};

// Nested base paths, so that the longest match matters.
const std::vector<EndpointModel> kEndpoints = {
    {"payments", "/payments"}, {"accounts", "/accounts"}, {"payments-v2", "/payments/v2"}};
constexpr const char* kEndpointsJson =
    R"([{"service": "payments", "base_path": "/payments"},)"
    R"( {"service": "accounts", "base_path": "/accounts"},)"
    R"( {"service": "payments-v2", "base_path": "/payments/v2"}])";

// A seeded generator whose draws do not depend on the standard library's
// distributions (mt19937_64's output is fixed by the standard).
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  // A number in [0, n).
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }
  bool chance(std::size_t percent) { return below(100) < percent; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }
  // A random subset (order kept), never empty.
  std::vector<std::string> subset(const std::vector<std::string>& items) {
    std::vector<std::string> out;
    while (out.empty()) {
      for (const std::string& item : items) {
        if (chance(40)) out.push_back(item);
      }
    }
    return out;
  }

 private:
  std::mt19937_64 engine_;
};

// --- JSON text, written the same way for the model and for the engine's values.

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string quote_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ",";
    out += quote(items[i]);
  }
  return out + "]";
}

// Compact JSON of an engine value: what the statement payloads are compared by.
std::string canonical(const JsonValue& value) {
  switch (value.kind()) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return value.as_bool() ? "true" : "false";
    case JsonValue::Kind::kInteger:
      return std::to_string(value.as_integer());
    case JsonValue::Kind::kDouble: {
      std::ostringstream out;
      out << value.as_double();
      return out.str();
    }
    case JsonValue::Kind::kString:
      return quote(value.as_string());
    case JsonValue::Kind::kArray: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.items().size(); ++i) {
        if (i > 0) out += ",";
        out += canonical(value.items()[i]);
      }
      return out + "]";
    }
    case JsonValue::Kind::kObject: {
      std::string out = "{";
      for (std::size_t i = 0; i < value.members().size(); ++i) {
        if (i > 0) out += ",";
        out += quote(value.members()[i].name) + ":" + canonical(value.members()[i].value);
      }
      return out + "}";
    }
  }
  return "?";
}

// --- The reference's model of a document -------------------------------------

enum class Result { kPermit, kDeny, kNotApplicable, kIndeterminate };
enum class Tri { kFalse, kTrue, kError };

const char* result_name(Result result) {
  switch (result) {
    case Result::kPermit:
      return "permit";
    case Result::kDeny:
      return "deny";
    case Result::kNotApplicable:
      return "not-applicable";
    case Result::kIndeterminate:
      return "indeterminate";
  }
  return "?";
}

// A payload member: an integer, a string or a list of strings.
struct PayloadValue {
  enum class Kind { kInteger, kString, kStrings };
  Kind kind = Kind::kString;
  int64_t integer = 0;
  std::string text = {};
  std::vector<std::string> strings = {};

  std::string json() const {
    switch (kind) {
      case Kind::kInteger:
        return std::to_string(integer);
      case Kind::kString:
        return quote(text);
      case Kind::kStrings:
        return quote_list(strings);
    }
    return "?";
  }
};

struct StatementModel {
  std::string code = {};
  std::optional<std::string> name = {};
  std::optional<std::string> applies_to = {};  // As written; nullopt: the default.
  std::optional<bool> obligatory = {};
  std::optional<std::vector<std::pair<std::string, PayloadValue>>> payload = {};

  // SPEC §2: auth-challenge and denied-reason default to deny.
  std::string effective_applies_to() const { return applies_to.value_or("deny"); }
  bool joins(Result result) const {
    const std::string a = effective_applies_to();
    if (result == Result::kPermit) return a == "permit" || a == "permit-or-deny";
    if (result == Result::kDeny) return a == "deny" || a == "permit-or-deny";
    return false;
  }
  const PayloadValue* find(std::string_view key) const {
    if (!payload) return nullptr;
    for (const auto& [member, value] : *payload) {
      if (member == key) return &value;
    }
    return nullptr;
  }
  std::string payload_json() const {
    std::string out = "{";
    if (payload) {
      for (std::size_t i = 0; i < payload->size(); ++i) {
        if (i > 0) out += ",";
        out += quote((*payload)[i].first) + ":" + (*payload)[i].second.json();
      }
    }
    return out + "}";
  }
  std::string json() const {
    std::string out = "{\"code\": " + quote(code);
    if (name) out += ", \"name\": " + quote(*name);
    if (applies_to) out += ", \"applies_to\": " + quote(*applies_to);
    if (obligatory) out += std::string(", \"obligatory\": ") + (*obligatory ? "true" : "false");
    if (payload) out += ", \"payload\": " + payload_json();
    return out + "}";
  }
};

// A condition of the small grammar this test generates (SPEC §2 Conditions).
struct Condition {
  enum class Kind {
    kAge,         // authentication_age <op> number
    kTime,        // authentication_time <op> number
    kAcrAtLeast,  // acr_at_least('<text>')
    kScopeIn,     // '<text>' in HttpRequest.AccessToken.scope
    kHasSub,      // has(HttpRequest.AccessToken.sub)
    kHeader,      // HttpRequest.RequestHeaders.x-a <op> '<text>'
    kLiteral,     // true / false
    kNot,
    kAnd,
    kOr,
  };
  Kind kind = Kind::kLiteral;
  std::string op = {};
  int64_t number = 0;
  std::string text = {};
  bool value = false;
  bool double_quotes = false;  // How string literals are written.
  bool extra_parens = false;   // Parentheses the precedence does not need.
  std::vector<Condition> operands = {};
};

// Precedence, lowest first (SPEC: ||, &&, !, comparisons and calls).
int precedence(const Condition& c) {
  switch (c.kind) {
    case Condition::Kind::kOr:
      return 1;
    case Condition::Kind::kAnd:
      return 2;
    case Condition::Kind::kNot:
      return 3;
    default:
      return 4;
  }
}

std::string literal(const Condition& c, const std::string& text) {
  return c.double_quotes ? "\"" + text + "\"" : "'" + text + "'";
}

std::string print(const Condition& c, int min_precedence) {
  std::string out;
  switch (c.kind) {
    case Condition::Kind::kAge:
      out = "authentication_age " + c.op + " " + std::to_string(c.number);
      break;
    case Condition::Kind::kTime:
      out = "authentication_time " + c.op + " " + std::to_string(c.number);
      break;
    case Condition::Kind::kAcrAtLeast:
      out = "acr_at_least(" + literal(c, c.text) + ")";
      break;
    case Condition::Kind::kScopeIn:
      out = literal(c, c.text) + " in HttpRequest.AccessToken.scope";
      break;
    case Condition::Kind::kHasSub:
      out = "has(HttpRequest.AccessToken.sub)";
      break;
    case Condition::Kind::kHeader:
      out = "HttpRequest.RequestHeaders.x-a " + c.op + " " + literal(c, c.text);
      break;
    case Condition::Kind::kLiteral:
      out = c.value ? "true" : "false";
      break;
    case Condition::Kind::kNot:
      // `!x > 1` is `!(x > 1)`: a comparison needs no parentheses here.
      out = "!" + print(c.operands[0], 3);
      break;
    case Condition::Kind::kAnd:
    case Condition::Kind::kOr: {
      const bool is_and = c.kind == Condition::Kind::kAnd;
      for (std::size_t i = 0; i < c.operands.size(); ++i) {
        if (i > 0) out += is_and ? " && " : " || ";
        out += print(c.operands[i], is_and ? 3 : 2);
      }
      break;
    }
  }
  if (c.extra_parens || precedence(c) < min_precedence) return "(" + out + ")";
  return out;
}

struct TargetModel {
  std::vector<std::string> services = {};
  std::vector<std::string> actions = {};
  std::vector<std::string> paths = {};
  std::optional<Condition> condition = {};

  std::string json() const {
    std::vector<std::string> members;
    if (!services.empty()) members.push_back("\"service\": " + quote_list(services));
    if (!actions.empty()) members.push_back("\"action\": " + quote_list(actions));
    if (!paths.empty()) members.push_back("\"path\": " + quote_list(paths));
    if (condition) members.push_back("\"condition\": " + quote(print(*condition, 0)));
    std::string out = "{";
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i > 0) out += ", ";
      out += members[i];
    }
    return out + "}";
  }
};

struct RuleModel {
  std::string name = {};
  std::string effect = {};
  std::optional<Condition> condition = {};
  std::optional<TargetModel> target = {};
  std::optional<bool> disabled = {};
  std::vector<StatementModel> statements = {};
};

struct NodeModel {
  std::string name = {};
  bool is_set = false;
  std::vector<NodeModel> children = {};
  std::vector<RuleModel> rules = {};
  std::optional<std::string> combining = {};  // nullopt: first-applicable.
  std::optional<TargetModel> target = {};
  std::optional<bool> disabled = {};
  std::optional<std::string> description = {};
  std::vector<StatementModel> statements = {};
};

std::string statements_json(const std::vector<StatementModel>& statements) {
  std::string out = "[";
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (i > 0) out += ", ";
    out += statements[i].json();
  }
  return out + "]";
}

std::string rule_json(const RuleModel& rule) {
  std::string out = "{\"name\": " + quote(rule.name) + ", \"effect\": " + quote(rule.effect);
  if (rule.condition) out += ", \"condition\": " + quote(print(*rule.condition, 0));
  if (rule.target) out += ", \"target\": " + rule.target->json();
  if (rule.disabled) out += std::string(", \"disabled\": ") + (*rule.disabled ? "true" : "false");
  if (!rule.statements.empty()) out += ", \"statements\": " + statements_json(rule.statements);
  return out + "}";
}

std::string node_json(const NodeModel& node) {
  std::string out = "{\"name\": " + quote(node.name);
  if (node.description) out += ", \"description\": " + quote(*node.description);
  if (node.combining) out += ", \"combining\": " + quote(*node.combining);
  if (node.target) out += ", \"target\": " + node.target->json();
  if (node.disabled) out += std::string(", \"disabled\": ") + (*node.disabled ? "true" : "false");
  if (!node.statements.empty()) out += ", \"statements\": " + statements_json(node.statements);
  if (node.is_set) {
    out += ", \"children\": [";
    for (std::size_t i = 0; i < node.children.size(); ++i) {
      if (i > 0) out += ", ";
      out += node_json(node.children[i]);
    }
  } else {
    out += ", \"rules\": [";
    for (std::size_t i = 0; i < node.rules.size(); ++i) {
      if (i > 0) out += ", ";
      out += rule_json(node.rules[i]);
    }
  }
  return out + "]}";
}

struct DocumentModel {
  std::optional<std::string> realm = {};
  // The validator takes DPoP (algorithms kDpopAlgs) and the document names
  // kResource: every challenge ends with resource_metadata.
  bool dpop = false;
  NodeModel root = {};
  int indexed_nodes = 0;  // Nodes with 8 or more items (the engine indexes those).
};

// --- Random documents ----------------------------------------------------------

const std::vector<std::string> kServices = {"payments", "accounts", "payments-v2"};
const std::vector<std::string> kActions = {"inbound-GET", "inbound-POST", "inbound-PUT",
                                           "inbound-DELETE"};
const std::vector<std::string> kGlobs = {"a/**", "a/*",  "b",     "**",     "*/x",
                                         "a",    "b/**", "x/*/c", "*.json", "v*"};
const std::vector<std::string> kCombinings = {"deny-overrides",     "permit-overrides",
                                              "first-applicable",   "only-one-applicable",
                                              "deny-unless-permit", "permit-unless-deny"};
const std::vector<std::string> kEffects = {"permit", "deny", "permit-else-deny",
                                           "deny-else-permit"};
const std::vector<std::string> kComparisons = {"==", "!=", "<", "<=", ">", ">="};
const std::vector<std::string> kScopeWords = {"read", "write", "admin", "x"};
const std::vector<std::string> kOtherAcrs = {"urn:other", "urn:x"};

class DocumentGenerator {
 public:
  explicit DocumentGenerator(Rng& rng) : rng_(rng) {}

  DocumentModel generate() {
    DocumentModel document;
    budget_ = kItemBudget;
    indexed_ = 0;
    const std::size_t realm = rng_.below(10);
    if (realm < 7) {
      document.realm = kRealm;
    } else if (realm < 9) {
      document.realm = "r";
    }
    document.dpop = rng_.chance(25);
    document.root = node("root", 0);
    document.indexed_nodes = indexed_;
    return document;
  }

  Condition condition(int depth) {
    Condition c;
    c.double_quotes = rng_.chance(30);
    c.extra_parens = rng_.chance(10);
    const std::size_t kind = depth >= 2 ? rng_.below(7) : rng_.below(11);
    switch (kind) {
      case 0:
        c.kind = Condition::Kind::kAge;
        c.op = rng_.pick(kComparisons);
        c.number = static_cast<int64_t>(rng_.pick(std::vector<int>{0, 30, 60, 120, 300, 600}));
        break;
      case 1:
        c.kind = Condition::Kind::kTime;
        c.op = rng_.pick(kComparisons);
        c.number = kNow - static_cast<int64_t>(rng_.below(4)) * 200;
        break;
      case 2:
        c.kind = Condition::Kind::kAcrAtLeast;
        c.text = rng_.pick(kLevels);
        break;
      case 3:
        c.kind = Condition::Kind::kScopeIn;
        c.text = rng_.pick(kScopeWords);
        break;
      case 4:
        c.kind = Condition::Kind::kHasSub;
        break;
      case 5:
        c.kind = Condition::Kind::kHeader;
        c.op = rng_.chance(80) ? "==" : "!=";
        c.text = rng_.chance(50) ? "1" : "0";
        break;
      case 6:
        c.kind = Condition::Kind::kLiteral;
        c.value = rng_.chance(50);
        break;
      case 7:
      case 8:
        c.kind = Condition::Kind::kNot;
        c.operands.push_back(condition(depth + 1));
        break;
      case 9:
      case 10: {
        c.kind = rng_.chance(50) ? Condition::Kind::kAnd : Condition::Kind::kOr;
        const std::size_t count = 2 + rng_.below(2);
        for (std::size_t i = 0; i < count; ++i)
          c.operands.push_back(condition(depth + 1));
        break;
      }
    }
    return c;
  }

 private:
  // 1 to 12 items, often enough 8 or more for the engine's index.
  std::size_t item_count() {
    const std::size_t roll = rng_.below(100);
    std::size_t count = roll < 55   ? 1 + rng_.below(4)
                        : roll < 78 ? 5 + rng_.below(3)
                                    : 8 + rng_.below(5);
    if (static_cast<int>(count) > budget_) count = std::max(1, budget_);
    budget_ -= static_cast<int>(count);
    return count;
  }

  std::optional<TargetModel> target(int percent) {
    if (!rng_.chance(percent)) return std::nullopt;
    TargetModel t;
    // At least one key, so that the target means something.
    while (t.services.empty() && t.actions.empty() && t.paths.empty() && !t.condition) {
      if (rng_.chance(40)) t.services = rng_.subset(kServices);
      if (rng_.chance(45)) t.actions = rng_.subset(kActions);
      if (rng_.chance(45)) {
        t.paths.push_back(rng_.pick(kGlobs));
        if (rng_.chance(30)) {
          const std::string more = rng_.pick(kGlobs);
          if (more != t.paths[0]) t.paths.push_back(more);
        }
      }
      if (rng_.chance(12)) t.condition = condition(1);
    }
    return t;
  }

  std::optional<bool> disabled() {
    const std::size_t roll = rng_.below(100);
    if (roll < 7) return true;
    if (roll < 12) return false;
    return std::nullopt;
  }

  StatementModel statement() {
    StatementModel s;
    if (rng_.chance(70)) s.name = "s" + std::to_string(next_statement_++);
    const std::size_t obligatory = rng_.below(10);
    if (obligatory < 2) s.obligatory = true;
    if (obligatory == 2) s.obligatory = false;
    const std::size_t kind = rng_.below(100);
    std::vector<std::pair<std::string, PayloadValue>> payload;
    if (kind < 45) {
      s.code = "auth-challenge";
      if (rng_.chance(35))
        s.applies_to =
            rng_.pick(std::vector<std::string>{"deny", "deny", "permit-or-deny", "permit"});
      const std::size_t shape = rng_.below(5);
      if (shape == 0 || shape == 3) {
        payload.push_back({"min_acr", {.text = rng_.pick(kLevels)}});
      }
      if (shape == 1 || shape == 4) {
        std::vector<std::string> pool = kLevels;
        pool.insert(pool.end(), kOtherAcrs.begin(), kOtherAcrs.end());
        std::vector<std::string> values = rng_.subset(pool);
        // Preference order is the writer's: shuffle a little.
        if (values.size() > 1 && rng_.chance(50)) std::swap(values.front(), values.back());
        payload.push_back(
            {"acr_values", {.kind = PayloadValue::Kind::kStrings, .strings = values}});
      }
      if (shape >= 2) {
        payload.push_back({"max_age",
                           {.kind = PayloadValue::Kind::kInteger,
                            .integer = rng_.pick(std::vector<int64_t>{0, 5, 60, 300, 900})}});
      }
      if (rng_.chance(20)) {
        payload.push_back(
            {"error_description",
             {.text = rng_.pick(std::vector<std::string>{"Step up please", "Need more"})}});
      }
      // Member order is the writer's; the engine keeps it.
      if (payload.size() > 1 && rng_.chance(50)) std::swap(payload.front(), payload.back());
      s.payload = payload;
    } else if (kind < 75) {
      s.code = "denied-reason";
      if (rng_.chance(25))
        s.applies_to = rng_.pick(std::vector<std::string>{"deny", "permit-or-deny", "permit"});
      if (rng_.chance(50)) {
        payload.push_back({"status",
                           {.kind = PayloadValue::Kind::kInteger,
                            .integer = rng_.pick(std::vector<int64_t>{400, 401, 403, 429, 451})}});
      }
      if (rng_.chance(60)) {
        payload.push_back(
            {"message", {.text = rng_.pick(std::vector<std::string>{"no access", "go away"})}});
      }
      if (rng_.chance(30)) payload.push_back({"detail", {.text = "for the operator"}});
      if (rng_.chance(40)) {
        payload.push_back(
            {"error",
             {.text = rng_.pick(std::vector<std::string>{"insufficient_scope", "access_denied"})}});
        if (rng_.chance(50)) {
          payload.push_back(
              {"scope",
               {.text = rng_.pick(std::vector<std::string>{"payments:write admin", "read"})}});
        }
      }
      if (rng_.chance(85)) s.payload = payload;
    } else {
      s.code = rng_.pick(std::vector<std::string>{"audit", "log-this", "notify"});
      s.applies_to = rng_.pick(std::vector<std::string>{"deny", "permit", "permit-or-deny"});
      const std::size_t shape = rng_.below(3);
      if (shape == 0) payload.push_back({"level", {.text = "high"}});
      if (shape == 1) {
        payload.push_back({"n", {.kind = PayloadValue::Kind::kInteger, .integer = 3}});
        payload.push_back({"tags", {.kind = PayloadValue::Kind::kStrings, .strings = {"a", "b"}}});
      }
      if (shape != 2 || rng_.chance(50)) s.payload = payload;
    }
    return s;
  }

  std::vector<StatementModel> statements(int none_percent) {
    std::vector<StatementModel> out;
    if (rng_.chance(none_percent)) return out;
    const std::size_t count = 1 + rng_.below(3);
    for (std::size_t i = 0; i < count; ++i)
      out.push_back(statement());
    return out;
  }

  RuleModel rule(std::string name) {
    RuleModel r;
    r.name = std::move(name);
    r.effect = rng_.pick(kEffects);
    if (rng_.chance(65)) r.condition = condition(0);
    r.target = target(30);
    r.disabled = disabled();
    r.statements = statements(45);
    return r;
  }

  NodeModel node(std::string name, int depth) {
    NodeModel n;
    n.name = std::move(name);
    // Policy sets at depths 0 to 2, policies down to depth 3.
    n.is_set = depth < 3 && budget_ > 4 && rng_.chance(depth == 0 ? 75 : depth == 1 ? 50 : 30);
    if (rng_.chance(85)) n.combining = rng_.pick(kCombinings);
    // The root too may have a target, now and then (and rarely be disabled).
    n.target = target(depth > 0 ? 45 : 10);
    if (depth > 0 || rng_.chance(10)) n.disabled = disabled();
    if (rng_.chance(10)) n.description = "about " + n.name;
    n.statements = statements(80);
    const std::size_t count = item_count();
    if (count >= 8) ++indexed_;
    for (std::size_t i = 0; i < count; ++i) {
      // Names are unique among siblings; some have spaces.
      const std::string prefix = rng_.chance(20) ? "item " : "";
      if (n.is_set) {
        n.children.push_back(node(prefix + "p" + std::to_string(i), depth + 1));
      } else {
        n.rules.push_back(rule(prefix + "r" + std::to_string(i)));
      }
    }
    return n;
  }

  Rng& rng_;
  int budget_ = 0;
  int indexed_ = 0;
  int next_statement_ = 0;
};

// --- The reference's model of a request ----------------------------------------

enum class Credentials {
  kNone,         // No Authorization header, no validated claims.
  kClaims,       // Request::validated_claims.
  kToken,        // A real signed token in the Authorization header.
  kInactive,     // Validated claims with "active": false.
  kMalformed,    // An Authorization header that is not Bearer.
  kDpop,         // A token bound to a key, under DPoP with a good proof (DPoP documents).
  kBoundBearer,  // The same bound token under Bearer (DPoP documents).
};

const char* credentials_name(Credentials credentials) {
  switch (credentials) {
    case Credentials::kNone:
      return "none";
    case Credentials::kClaims:
      return "validated_claims";
    case Credentials::kToken:
      return "signed token";
    case Credentials::kInactive:
      return "validated_claims, inactive";
    case Credentials::kMalformed:
      return "malformed Authorization";
    case Credentials::kDpop:
      return "DPoP token and proof";
    case Credentials::kBoundBearer:
      return "bound token as Bearer";
  }
  return "?";
}

struct ClaimsModel {
  std::optional<std::string> sub = {};
  std::optional<std::string> acr = {};
  std::optional<int64_t> auth_time = {};
  std::optional<std::string> scope = {};

  // The claims as members (order fixed), after `prefix` members.
  std::string json(const std::string& prefix = "") const {
    std::string out = "{" + prefix;
    auto add = [&out](const std::string& member) {
      if (out.size() > 1) out += ",";
      out += member;
    };
    if (sub) add("\"sub\":" + quote(*sub));
    if (acr) add("\"acr\":" + quote(*acr));
    if (auth_time) add("\"auth_time\":" + std::to_string(*auth_time));
    if (scope) add("\"scope\":" + quote(*scope));
    return out + "}";
  }

  JsonValue value(bool inactive) const {
    std::vector<JsonMember> members;
    if (inactive) members.push_back({"active", JsonValue::boolean(false)});
    if (sub) members.push_back({"sub", JsonValue::string(*sub)});
    if (acr) members.push_back({"acr", JsonValue::string(*acr)});
    if (auth_time) members.push_back({"auth_time", JsonValue::integer(*auth_time)});
    if (scope) members.push_back({"scope", JsonValue::string(*scope)});
    return JsonValue::object(std::move(members));
  }
};

struct RequestModel {
  std::string method = {};
  std::string path = {};
  std::vector<std::pair<std::string, std::string>> headers = {};
  Credentials credentials = Credentials::kNone;
  ClaimsModel claims = {};
  bool explain = false;

  std::string describe() const {
    std::string out = method + " " + path + "\n  headers:";
    for (const auto& [name, value] : headers)
      out += " [" + name + ": " + value + "]";
    out += std::string("\n  credentials: ") + credentials_name(credentials);
    if (credentials != Credentials::kNone && credentials != Credentials::kMalformed) {
      out += " " + claims.json();
    }
    if (explain) out += "\n  (decided with explain)";
    return out;
  }
};

RequestModel random_request(Rng& rng) {
  RequestModel r;
  r.method = rng.pick(std::vector<std::string>{"GET", "POST", "PUT", "DELETE", "PATCH", "get"});
  // The path: an endpoint's base path (or none), then a few segments.
  std::string path;
  const std::size_t base = rng.below(10);
  if (base < 3) {
    path = "/payments";
  } else if (base < 5) {
    path = "/accounts";
  } else if (base < 7) {
    path = "/payments/v2";
  } else if (base < 8) {
    path = "/paymentsx";
  } else if (base < 9) {
    path = "/other";
  }
  const std::vector<std::string> segments = {"a", "b", "x", "c", "v1", "f.json", "v2", "payments"};
  const std::size_t count = rng.below(4);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t odd = rng.below(100);
    // Now and then a segment the normalizer removes (choices.md).
    if (odd < 3) {
      path += "/.";
    } else if (odd < 6) {
      path += "/..";
    } else if (odd < 9) {
      path += "/";
    }
    std::string segment = rng.pick(segments);
    // Percent-encoded: unreserved bytes are decoded, '/' is not (choices.md).
    const std::size_t encoded = rng.below(100);
    if (encoded < 4 && segment[0] == 'a') segment = "%61" + segment.substr(1);
    if (encoded >= 4 && encoded < 6) segment = "%2E%2e";
    if (encoded >= 6 && encoded < 8) segment = "a%2Fx";
    if (encoded >= 8 && encoded < 10) segment = "%" + segment;  // Malformed: kept literally.
    path += "/" + segment;
  }
  if (rng.chance(10)) path += "/";
  if (path.empty()) path = "/";
  if (rng.chance(10)) path += rng.chance(50) ? "?q=1" : "?a=b/c&x=..";
  r.path = path;

  const std::size_t headers = rng.below(10);
  if (headers < 6) {
    r.headers.push_back(
        {rng.pick(std::vector<std::string>{"X-A", "x-a", "X-a"}), rng.chance(60) ? "1" : "0"});
  }
  if (rng.chance(30)) r.headers.push_back({"X-B", "1"});
  // A repeated header: the first wins (choices.md).
  if (headers < 2) r.headers.push_back({"x-A", rng.chance(50) ? "1" : "0"});

  const std::size_t credentials = rng.below(100);
  r.credentials = credentials < 15   ? Credentials::kNone
                  : credentials < 80 ? Credentials::kClaims
                  : credentials < 95 ? Credentials::kToken
                  : credentials < 98 ? Credentials::kInactive
                                     : Credentials::kMalformed;
  if (rng.chance(80)) r.claims.sub = "alice";
  const std::size_t acr = rng.below(10);
  if (acr < 7) {
    r.claims.acr = rng.pick(kLevels);
  } else if (acr < 8) {
    r.claims.acr = rng.pick(kOtherAcrs);
  }
  if (rng.chance(80)) {
    // Mostly in the past; a little in the future, within the clock skew.
    r.claims.auth_time = kNow - static_cast<int64_t>(rng.below(900)) + 40;
    // Validated claims are not range-checked by a token parser: an auth_time
    // outside 0..253402300799 counts as absent (choices.md).
    if (r.credentials == Credentials::kClaims && rng.chance(4)) {
      r.claims.auth_time = rng.chance(50) ? -1 : 253402300800;
    }
  }
  if (rng.chance(80)) {
    std::vector<std::string> words = rng.subset(kScopeWords);
    std::string scope;
    for (const std::string& word : words)
      scope += (scope.empty() ? "" : " ") + word;
    r.claims.scope = scope;
  }
  r.explain = rng.chance(10);
  return r;
}

// --- The reference evaluator ----------------------------------------------------

// What the request means as attributes (SPEC §3).
struct Attributes {
  std::string action = {};
  std::optional<std::string> service = {};
  std::string resource_path = {};
  std::optional<std::string> header_x_a = {};
  bool has_token = false;
  bool has_sub = false;
  std::optional<std::string> acr = {};
  std::optional<int64_t> auth_time = {};
  std::optional<std::vector<std::string>> scope = {};
};

bool unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// choices.md: percent-encoded unreserved bytes decoded (others and malformed
// escapes kept as written), runs of '/' merged, '.' and '..' removed (never
// above the root); a trailing '.' or '..' leaves a trailing '/'.
std::string normalize(const std::string& raw) {
  std::string path;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size() && hex_digit(raw[i + 1]) >= 0 &&
        hex_digit(raw[i + 2]) >= 0) {
      const char decoded = static_cast<char>(hex_digit(raw[i + 1]) * 16 + hex_digit(raw[i + 2]));
      if (unreserved(decoded)) {
        path += decoded;
        i += 2;
        continue;
      }
    }
    path += raw[i];
  }
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (true) {
    const std::size_t slash = path.find('/', start);
    parts.push_back(
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::vector<std::string> out;
  bool trailing = false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    const std::string& part = parts[i];
    if (part == "." || part == ".." || part.empty()) {
      if (part == ".." && !out.empty()) out.pop_back();
      if (last) trailing = true;
      continue;
    }
    out.push_back(part);
  }
  std::string result = "/";
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i > 0) result += "/";
    result += out[i];
  }
  if (trailing && !out.empty()) result += "/";
  return result;
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

Attributes attributes_of(const RequestModel& request) {
  Attributes a;
  a.action = "inbound-" + request.method;
  const std::string path = normalize(request.path.substr(0, request.path.find('?')));
  std::size_t longest = 0;
  for (const EndpointModel& endpoint : kEndpoints) {
    const std::string& base = endpoint.base_path;
    const bool matches =
        path == base || (path.size() > base.size() && path.compare(0, base.size(), base) == 0 &&
                         path[base.size()] == '/');
    if (matches && base.size() > longest) {
      longest = base.size();
      a.service = endpoint.service;
      a.resource_path = path.substr(std::min(path.size(), base.size() + 1));
    }
  }
  if (!a.service) a.resource_path = path.substr(1);
  for (const auto& [name, value] : request.headers) {
    if (lower(name) == "x-a") {
      a.header_x_a = value;
      break;
    }
  }
  if (request.credentials == Credentials::kClaims || request.credentials == Credentials::kToken ||
      request.credentials == Credentials::kDpop) {
    a.has_token = true;
    a.has_sub = request.claims.sub.has_value();
    a.acr = request.claims.acr;
    if (request.claims.auth_time && *request.claims.auth_time >= 0 &&
        *request.claims.auth_time <= 253402300799) {
      a.auth_time = request.claims.auth_time;
    }
    if (request.claims.scope) {
      std::vector<std::string> words;
      std::istringstream in(*request.claims.scope);
      for (std::string word; in >> word;)
        words.push_back(word);
      a.scope = words;
    }
  }
  return a;
}

bool compare(int64_t left, const std::string& op, int64_t right) {
  if (op == "==") return left == right;
  if (op == "!=") return left != right;
  if (op == "<") return left < right;
  if (op == "<=") return left <= right;
  if (op == ">") return left > right;
  return left >= right;
}

Tri of(bool value) {
  return value ? Tri::kTrue : Tri::kFalse;
}

// SPEC §2: reading an absent attribute is an error; && and || short-circuit
// left to right; an error anywhere else propagates.
Tri evaluate(const Condition& c, const Attributes& a, int64_t now) {
  switch (c.kind) {
    case Condition::Kind::kAge:
      if (!a.auth_time) return Tri::kError;
      return of(compare(std::max<int64_t>(0, now - *a.auth_time), c.op, c.number));
    case Condition::Kind::kTime:
      if (!a.auth_time) return Tri::kError;
      return of(compare(*a.auth_time, c.op, c.number));
    case Condition::Kind::kAcrAtLeast: {
      if (!a.acr) return Tri::kError;
      const auto have = std::find(kLevels.begin(), kLevels.end(), *a.acr);
      const auto want = std::find(kLevels.begin(), kLevels.end(), c.text);
      // An acr not in the list is below every level.
      return of(have != kLevels.end() && have >= want);
    }
    case Condition::Kind::kScopeIn:
      if (!a.scope) return Tri::kError;
      return of(std::find(a.scope->begin(), a.scope->end(), c.text) != a.scope->end());
    case Condition::Kind::kHasSub:
      return of(a.has_sub);
    case Condition::Kind::kHeader:
      if (!a.header_x_a) return Tri::kError;
      return of((*a.header_x_a == c.text) == (c.op == "=="));
    case Condition::Kind::kLiteral:
      return of(c.value);
    case Condition::Kind::kNot: {
      const Tri inner = evaluate(c.operands[0], a, now);
      if (inner == Tri::kError) return Tri::kError;
      return inner == Tri::kTrue ? Tri::kFalse : Tri::kTrue;
    }
    case Condition::Kind::kAnd:
      for (const Condition& operand : c.operands) {
        const Tri t = evaluate(operand, a, now);
        if (t != Tri::kTrue) return t;
      }
      return Tri::kTrue;
    case Condition::Kind::kOr:
      for (const Condition& operand : c.operands) {
        const Tri t = evaluate(operand, a, now);
        if (t != Tri::kFalse) return t;
      }
      return Tri::kFalse;
  }
  return Tri::kError;
}

// `*` is any run of bytes within one segment.
bool wildcard(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '*') {
    for (std::size_t skip = 0; skip <= text.size(); ++skip) {
      if (wildcard(pattern.substr(1), text.substr(skip))) return true;
    }
    return false;
  }
  return !text.empty() && text[0] == pattern[0] && wildcard(pattern.substr(1), text.substr(1));
}

std::vector<std::string> split_segments(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = text.find('/', start);
    out.push_back(
        text.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return out;
    start = slash + 1;
  }
}

// SPEC §2 and choices.md: `*` one segment, `**` any number of segments
// (including none); an empty segment is matched only by `**`.
bool glob_matches(const std::vector<std::string>& glob, std::size_t g,
                  const std::vector<std::string>& path, std::size_t p) {
  if (g == glob.size()) return p == path.size();
  if (glob[g] == "**") {
    for (std::size_t next = p; next <= path.size(); ++next) {
      if (glob_matches(glob, g + 1, path, next)) return true;
    }
    return false;
  }
  if (p == path.size() || path[p].empty() || !wildcard(glob[g], path[p])) return false;
  return glob_matches(glob, g + 1, path, p + 1);
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

enum class Match { kMatch, kNoMatch, kError };

// SPEC §2: every key given must match; within a key, any value.
Match target_match(const std::optional<TargetModel>& target, const Attributes& a, int64_t now) {
  if (!target) return Match::kMatch;
  if (!target->services.empty() && (!a.service || !contains(target->services, *a.service))) {
    return Match::kNoMatch;
  }
  if (!target->actions.empty() && !contains(target->actions, a.action)) return Match::kNoMatch;
  if (!target->paths.empty()) {
    const std::vector<std::string> path = split_segments(a.resource_path);
    bool any = false;
    for (const std::string& glob : target->paths)
      any = any || glob_matches(split_segments(glob), 0, path, 0);
    if (!any) return Match::kNoMatch;
  }
  if (target->condition) {
    const Tri holds = evaluate(*target->condition, a, now);
    if (holds == Tri::kError) return Match::kError;
    if (holds == Tri::kFalse) return Match::kNoMatch;
  }
  return Match::kMatch;
}

// What a rule or node yields: its result, the path of the rule that
// determined it (if any), and the statements that joined along the way.
struct Outcome {
  Result result = Result::kNotApplicable;
  std::optional<std::vector<std::string>> determining = {};
  std::vector<const StatementModel*> statements = {};
};

void add_joining(const std::vector<StatementModel>& statements, Result result,
                 std::vector<const StatementModel*>& out) {
  for (const StatementModel& statement : statements) {
    if (statement.joins(result)) out.push_back(&statement);
  }
}

class Reference {
 public:
  Reference(const Attributes& attributes, int64_t now) : a_(attributes), now_(now) {}

  Outcome node(const NodeModel& n, std::vector<std::string> path) {
    path.push_back(n.name);
    if (n.disabled.value_or(false)) return {};
    switch (target_match(n.target, a_, now_)) {
      case Match::kNoMatch:
        return {};
      case Match::kError:
        return {Result::kIndeterminate, std::nullopt, {}};
      case Match::kMatch:
        break;
    }
    const std::string algorithm = n.combining.value_or("first-applicable");
    Outcome out;
    if (n.is_set) {
      out = combine(
          algorithm, n.children.size(), [&](std::size_t i) { return node(n.children[i], path); },
          [&](std::size_t i) { return applicable(n.children[i]); });
    } else {
      out = combine(
          algorithm, n.rules.size(), [&](std::size_t i) { return rule(n.rules[i], path); },
          [&](std::size_t i) { return applicable(n.rules[i]); });
    }
    // A node's own statements follow its children's.
    add_joining(n.statements, out.result, out.statements);
    return out;
  }

 private:
  Outcome rule(const RuleModel& r, std::vector<std::string> path) {
    path.push_back(r.name);
    if (r.disabled.value_or(false)) return {};
    switch (target_match(r.target, a_, now_)) {
      case Match::kNoMatch:
        return {};
      case Match::kError:
        return {Result::kIndeterminate, path, {}};
      case Match::kMatch:
        break;
    }
    const Tri holds = r.condition ? evaluate(*r.condition, a_, now_) : Tri::kTrue;
    if (holds == Tri::kError) return {Result::kIndeterminate, path, {}};
    const bool yes = holds == Tri::kTrue;
    Result result = Result::kNotApplicable;
    if (r.effect == "permit") result = yes ? Result::kPermit : Result::kNotApplicable;
    if (r.effect == "deny") result = yes ? Result::kDeny : Result::kNotApplicable;
    if (r.effect == "permit-else-deny") result = yes ? Result::kPermit : Result::kDeny;
    if (r.effect == "deny-else-permit") result = yes ? Result::kDeny : Result::kPermit;
    Outcome out{result, std::nullopt, {}};
    if (result != Result::kNotApplicable) out.determining = path;
    add_joining(r.statements, result, out.statements);
    return out;
  }

  // only-one-applicable looks at targets alone (choices.md).
  template <typename Item>
  Match applicable(const Item& item) {
    if (item.disabled.value_or(false)) return Match::kNoMatch;
    return target_match(item.target, a_, now_);
  }

  template <typename Evaluate, typename Applicable>
  Outcome combine(const std::string& algorithm, std::size_t count, Evaluate evaluate_item,
                  Applicable applicable_item) {
    std::vector<Outcome> evaluated;
    Result result = Result::kNotApplicable;
    if (algorithm == "first-applicable") {
      for (std::size_t i = 0; i < count; ++i) {
        evaluated.push_back(evaluate_item(i));
        if (evaluated.back().result != Result::kNotApplicable) {
          result = evaluated.back().result;
          break;
        }
      }
    } else if (algorithm == "only-one-applicable") {
      std::size_t applicable_count = 0;
      std::size_t chosen = 0;
      bool error = false;
      for (std::size_t i = 0; i < count && !error; ++i) {
        const Match m = applicable_item(i);
        if (m == Match::kError) error = true;
        if (m == Match::kMatch) {
          ++applicable_count;
          chosen = i;
        }
      }
      if (error || applicable_count > 1) {
        result = Result::kIndeterminate;
      } else if (applicable_count == 1) {
        evaluated.push_back(evaluate_item(chosen));
        result = evaluated.back().result;
      }
    } else {
      bool permit = false, deny = false, indeterminate = false;
      for (std::size_t i = 0; i < count; ++i) {
        evaluated.push_back(evaluate_item(i));
        permit = permit || evaluated.back().result == Result::kPermit;
        deny = deny || evaluated.back().result == Result::kDeny;
        indeterminate = indeterminate || evaluated.back().result == Result::kIndeterminate;
      }
      // XACML / PingAuthorize semantics (SPEC §2).
      if (algorithm == "deny-overrides") {
        result = deny            ? Result::kDeny
                 : indeterminate ? Result::kIndeterminate
                 : permit        ? Result::kPermit
                                 : Result::kNotApplicable;
      } else if (algorithm == "permit-overrides") {
        result = permit          ? Result::kPermit
                 : indeterminate ? Result::kIndeterminate
                 : deny          ? Result::kDeny
                                 : Result::kNotApplicable;
      } else if (algorithm == "deny-unless-permit") {
        result = permit ? Result::kPermit : Result::kDeny;
      } else {
        result = deny ? Result::kDeny : Result::kPermit;
      }
    }
    // choices.md: the determining rule is the first child's whose result is
    // the combined one; the statements are those of every such child, and
    // only for Permit or Deny (SPEC §2).
    Outcome out{result, std::nullopt, {}};
    bool found = false;
    for (const Outcome& child : evaluated) {
      if (child.result != result) continue;
      if (!found) out.determining = child.determining;
      found = true;
      if (result == Result::kPermit || result == Result::kDeny) {
        out.statements.insert(out.statements.end(), child.statements.begin(),
                              child.statements.end());
      }
    }
    return out;
  }

  const Attributes& a_;
  const int64_t now_;
};

// --- SPEC §4 and §5: the decision's HTTP form -----------------------------------

constexpr const char* kDpopAlgs = "ES256 EdDSA";
constexpr const char* kResourceMetadata =
    "https://api.example.com/.well-known/oauth-protected-resource";

// `Bearer` (or `DPoP`, then `algs`) and the parameters present, in the order
// given, then `resource_metadata` in a DPoP document (SPEC §5).
std::string challenge(const DocumentModel& document,
                      const std::vector<std::pair<std::string, std::string>>& params,
                      bool dpop_scheme = false) {
  std::vector<std::pair<std::string, std::string>> all;
  if (document.realm) all.push_back({"realm", *document.realm});
  for (const auto& param : params) {
    if (!param.second.empty()) all.push_back(param);
  }
  if (dpop_scheme) all.push_back({"algs", kDpopAlgs});
  if (document.dpop) all.push_back({"resource_metadata", kResourceMetadata});
  std::string out = dpop_scheme ? "DPoP" : "Bearer";
  for (std::size_t i = 0; i < all.size(); ++i)
    out += (i == 0 ? " " : ", ") + all[i].first + "=\"" + all[i].second + "\"";
  return out;
}

struct Expected {
  Result result = Result::kIndeterminate;
  int status = 403;
  std::string error = {};
  std::string www_authenticate = {};
  // For a refused token the description's wording is the engine's own: only
  // the challenge up to it is fixed.
  bool www_is_prefix = false;
  // The Authorization header or the token was refused (SPEC §4 steps 1 and 2).
  bool token_refused = false;
  std::vector<std::string> determining = {};
  std::vector<const StatementModel*> statements = {};
};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items)
    out += (out.empty() ? "" : " ") + item;
  return out;
}

// SPEC §4 step 5: the merged step-up challenge.
std::string step_up_challenge(const DocumentModel& document,
                              const std::vector<const StatementModel*>& statements,
                              bool dpop_scheme = false) {
  std::vector<std::vector<std::string>> lists;
  std::optional<int64_t> max_age;
  std::string description;
  for (const StatementModel* s : statements) {
    if (s->code != "auth-challenge") continue;
    if (const PayloadValue* min_acr = s->find("min_acr")) {
      const auto from = std::find(kLevels.begin(), kLevels.end(), min_acr->text);
      lists.emplace_back(from, kLevels.end());  // Every level from it upward.
    }
    if (const PayloadValue* values = s->find("acr_values")) lists.push_back(values->strings);
    if (const PayloadValue* age = s->find("max_age")) {
      max_age = max_age ? std::min(*max_age, age->integer) : age->integer;
    }
    if (const PayloadValue* text = s->find("error_description")) {
      if (description.empty()) description = text->text;
    }
  }
  std::vector<std::string> acr_values;
  if (!lists.empty()) {
    for (const std::string& value : lists[0]) {
      bool everywhere = true;
      for (const std::vector<std::string>& list : lists)
        everywhere = everywhere && contains(list, value);
      if (everywhere) acr_values.push_back(value);
    }
    if (acr_values.empty()) acr_values = lists[0];
  }
  if (description.empty()) {
    description = acr_values.empty() ? "More recent authentication is required"
                                     : "A different authentication level is required";
  }
  return challenge(document,
                   {{"error", "insufficient_user_authentication"},
                    {"error_description", description},
                    {"acr_values", join(acr_values)},
                    {"max_age", max_age ? std::to_string(*max_age) : ""}},
                   dpop_scheme);
}

// A path whose percent-encoding is malformed (before any query) is no URI:
// no DPoP proof can name it (RFC 3986 §2.1, choices.md).
bool malformed_percent(std::string_view path) {
  path = path.substr(0, path.find_first_of("?#"));
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') continue;
    if (i + 2 >= path.size() || !hex(path[i + 1]) || !hex(path[i + 2])) return true;
    i += 2;
  }
  return false;
}

Expected expect(const DocumentModel& document, const RequestModel& request) {
  Expected e;
  if (request.credentials == Credentials::kMalformed) {
    // SPEC §4 step 1; the wording is choices.md's (and http_mapping_test's).
    e.status = 400;
    e.error = "invalid_request";
    e.token_refused = true;
    e.www_authenticate =
        challenge(document, {{"error", "invalid_request"},
                             {"error_description", "the Authorization scheme is not Bearer"}});
    return e;
  }
  if (request.credentials == Credentials::kInactive) {
    // SPEC §4 step 2: the policy is never consulted.
    e.status = 401;
    e.error = "invalid_token";
    e.token_refused = true;
    const std::string full =
        challenge(document, {{"error", "invalid_token"}, {"error_description", "\x01"}});
    e.www_authenticate = full.substr(0, full.find('\x01'));
    e.www_is_prefix = true;
    return e;
  }
  if (request.credentials == Credentials::kBoundBearer) {
    // RFC 9449 §7.2: a bound token is never a bearer token.
    e.status = 401;
    e.error = "invalid_token";
    e.token_refused = true;
    e.www_authenticate =
        challenge(document,
                  {{"error", "invalid_token"},
                   {"error_description", "a DPoP-bound token was presented as a Bearer token"}},
                  true);
    return e;
  }
  const bool dpop_scheme = request.credentials == Credentials::kDpop;
  if (dpop_scheme && malformed_percent(request.path)) {
    e.status = 401;
    e.error = "invalid_dpop_proof";
    e.token_refused = true;
    e.www_authenticate = challenge(document,
                                   {{"error", "invalid_dpop_proof"},
                                    {"error_description", "the DPoP proof is for another URI"}},
                                   true);
    return e;
  }
  const Attributes attributes = attributes_of(request);
  Outcome outcome = Reference(attributes, kNow).node(document.root, {});
  e.result = outcome.result;
  if (outcome.determining) e.determining = *outcome.determining;
  e.statements = outcome.statements;
  if (outcome.result == Result::kPermit) {
    e.status = 200;
    return e;
  }
  if (request.credentials == Credentials::kNone) {
    e.status = 401;
    e.www_authenticate = challenge(document, {});
    // A DPoP document offers DPoP too (docs/spec.md §4 step 5).
    if (document.dpop) e.www_authenticate += ", " + challenge(document, {}, true);
    return e;
  }
  if (outcome.result == Result::kDeny) {
    for (const StatementModel* s : outcome.statements) {
      if (s->code == "auth-challenge") {
        e.status = 401;
        e.error = "insufficient_user_authentication";
        e.www_authenticate = step_up_challenge(document, outcome.statements, dpop_scheme);
        return e;
      }
    }
    for (const StatementModel* s : outcome.statements) {
      if (s->code != "denied-reason") continue;
      // SPEC §4 step 6, the first denied-reason: "as it says".
      const PayloadValue* status = s->find("status");
      e.status = status ? static_cast<int>(status->integer) : 403;
      if (const PayloadValue* error = s->find("error")) {
        e.error = error->text;
        const PayloadValue* message = s->find("message");
        const PayloadValue* scope = s->find("scope");
        e.www_authenticate = challenge(document,
                                       {{"error", error->text},
                                        {"error_description", message ? message->text : ""},
                                        {"scope", scope ? scope->text : ""}},
                                       dpop_scheme);
      } else if (e.status == 401) {
        // choices.md: a 401 always carries a challenge (RFC 9110 §15.5.2).
        e.www_authenticate = challenge(document, {}, dpop_scheme);
      }
      return e;
    }
  }
  e.status = 403;
  return e;
}

// --- Running the engine -----------------------------------------------------------

PolicyResult to_policy_result(Result result) {
  switch (result) {
    case Result::kPermit:
      return PolicyResult::kPermit;
    case Result::kDeny:
      return PolicyResult::kDeny;
    case Result::kNotApplicable:
      return PolicyResult::kNotApplicable;
    case Result::kIndeterminate:
      return PolicyResult::kIndeterminate;
  }
  return PolicyResult::kIndeterminate;
}

AppliesTo to_applies_to(const std::string& applies_to) {
  if (applies_to == "permit") return AppliesTo::kPermit;
  if (applies_to == "permit-or-deny") return AppliesTo::kPermitOrDeny;
  return AppliesTo::kDeny;
}

// RFC 7638 for the proof key (the shared ES256 test key): its required
// members in name order, hashed.
std::string proof_key_thumbprint() {
  const JsonValue jwk =
      parse_object(testing::TestKey::shared(Algorithm::kES256).public_jwk(false, false));
  const std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" +
                                std::string(jwk.find("x")->as_string()) + R"(","y":")" +
                                std::string(jwk.find("y")->as_string()) + R"("})";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), digest);
  return testing::base64url(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

// A proof for the request (a new jti each time, RFC 9449 §4.2), naming the
// resource's origin and the request target as a client would.
std::string dpop_proof(const std::string& method, const std::string& path,
                       const std::string& access_token) {
  static int next_jti = 0;
  const testing::TestKey& key = testing::TestKey::shared(Algorithm::kES256);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(access_token.data()), access_token.size(), digest);
  const std::string header =
      R"({"typ":"dpop+jwt","alg":"ES256","jwk":)" + key.public_jwk(false, false) + "}";
  const std::string payload =
      R"({"jti":"d)" + std::to_string(++next_jti) + R"(","htm":)" + quote(method) + R"(,"htu":)" +
      quote("https://api.example.com" + path) + R"(,"iat":)" + std::to_string(kNow) +
      R"(,"ath":")" +
      testing::base64url(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest)) +
      R"("})";
  return key.mint(header, payload);
}

// With `reused`, through the overload that writes into a Decision kept from
// earlier calls, so that nothing of an earlier answer may linger in it.
Decision run(const Engine& engine, const RequestModel& model, Decision* reused) {
  std::vector<Header> headers;
  for (const auto& [name, value] : model.headers)
    headers.push_back({name, value});
  Request request;
  request.method = model.method;
  request.path = model.path;
  request.headers = headers;
  request.client_ip = "203.0.113.7";
  std::string authorization;
  std::string proof;
  std::optional<JsonValue> claims;
  switch (model.credentials) {
    case Credentials::kNone:
      break;
    case Credentials::kClaims:
    case Credentials::kInactive:
      claims = model.claims.value(model.credentials == Credentials::kInactive);
      request.validated_claims = &*claims;
      break;
    case Credentials::kToken: {
      const std::string registered =
          "\"iss\":" + quote(testing::kTestIssuer) + ",\"aud\":" + quote(testing::kTestAudience) +
          ",\"exp\":" + std::to_string(kNow + 600) + ",\"iat\":" + std::to_string(kNow - 10);
      authorization = "Bearer " + token(model.claims.json(registered));
      request.authorization = authorization;
      break;
    }
    case Credentials::kMalformed:
      authorization = "Basic dXNlcjpwYXNz";
      request.authorization = authorization;
      break;
    case Credentials::kDpop:
    case Credentials::kBoundBearer: {
      const std::string registered =
          "\"iss\":" + quote(testing::kTestIssuer) + ",\"aud\":" + quote(testing::kTestAudience) +
          ",\"exp\":" + std::to_string(kNow + 600) + ",\"iat\":" + std::to_string(kNow - 10) +
          ",\"cnf\":{\"jkt\":" + quote(proof_key_thumbprint()) + "}";
      const std::string bound = token(model.claims.json(registered));
      if (model.credentials == Credentials::kBoundBearer) {
        authorization = "Bearer " + bound;
      } else {
        authorization = "DPoP " + bound;
        proof = dpop_proof(model.method, model.path, bound);
        headers.push_back({"DPoP", proof});
        request.headers = headers;
      }
      request.authorization = authorization;
      break;
    }
  }
  DecideOptions options;
  options.now = kNow;
  options.explain = model.explain;
  if (reused == nullptr) return engine.decide(request, options);
  engine.decide(request, options, *reused);
  return *reused;
}

std::string path_text(const std::vector<std::string>& path) {
  std::string out = "[";
  for (std::size_t i = 0; i < path.size(); ++i)
    out += (i > 0 ? ", " : "") + quote(path[i]);
  return out + "]";
}

std::string statement_text(const std::string& code, const std::string& name, AppliesTo applies_to,
                           bool obligatory, const std::string& payload) {
  const char* applies = applies_to == AppliesTo::kPermit ? "permit"
                        : applies_to == AppliesTo::kDeny ? "deny"
                                                         : "permit-or-deny";
  return code + " name=" + quote(name) + " applies_to=" + applies +
         (obligatory ? " obligatory" : "") + " payload=" + payload;
}

// Every difference between the reference's answer and the engine's; empty
// when they agree.
std::string differences(const Expected& e, const Decision& d) {
  std::ostringstream out;
  if (d.result != to_policy_result(e.result)) {
    out << "  result: expected " << result_name(e.result) << ", engine "
        << policy_result_name(d.result) << "\n";
  }
  if (d.authorized != (e.result == Result::kPermit && e.status == 200)) {
    out << "  authorized: engine " << d.authorized << "\n";
  }
  if (d.status != e.status) {
    out << "  status: expected " << e.status << ", engine " << d.status << "\n";
  }
  if (d.error != e.error) {
    out << "  error: expected " << quote(e.error) << ", engine " << quote(d.error) << "\n";
  }
  const bool www_ok = e.www_is_prefix
                          ? d.www_authenticate.rfind(e.www_authenticate, 0) == 0 &&
                                d.www_authenticate.size() > e.www_authenticate.size() + 1 &&
                                d.www_authenticate.back() == '"'
                          : d.www_authenticate == e.www_authenticate;
  if (!www_ok) {
    out << "  www_authenticate: expected " << (e.www_is_prefix ? "a value starting with " : "")
        << quote(e.www_authenticate) << "\n                    engine   "
        << quote(d.www_authenticate) << "\n";
  }
  if (d.determining_rule != e.determining) {
    out << "  determining_rule: expected " << path_text(e.determining) << ", engine "
        << path_text(d.determining_rule) << "\n";
  }
  std::vector<std::string> expected_statements;
  for (const StatementModel* s : e.statements) {
    expected_statements.push_back(statement_text(s->code, s->name.value_or(""),
                                                 to_applies_to(s->effective_applies_to()),
                                                 s->obligatory.value_or(false), s->payload_json()));
  }
  std::vector<std::string> actual_statements;
  for (const Statement& s : d.statements) {
    actual_statements.push_back(
        statement_text(s.code, s.name, s.applies_to, s.obligatory, canonical(s.payload)));
  }
  if (expected_statements != actual_statements) {
    out << "  statements: expected\n";
    for (const std::string& s : expected_statements)
      out << "    " << s << "\n";
    out << "  engine\n";
    for (const std::string& s : actual_statements)
      out << "    " << s << "\n";
  }
  if ((d.token_error != TokenError::kOk) != e.token_refused) {
    out << "  token_error: engine " << token_error_name(d.token_error) << "\n";
  }
  return out.str();
}

// --- The test -------------------------------------------------------------------

// The reference itself, on hand-checked cases, so that a wrong reference does
// not pass for a wrong engine.
TEST(DifferentialReference, AgreesWithHandCheckedCases) {
  EXPECT_EQ(normalize("/payments//./x/../a"), "/payments/a");
  EXPECT_EQ(normalize("/payments/transfers/."), "/payments/transfers/");
  EXPECT_EQ(normalize("/payments/transfers/.."), "/payments/");
  EXPECT_EQ(normalize("/.."), "/");
  EXPECT_EQ(normalize("/a/b/"), "/a/b/");
  EXPECT_EQ(normalize("/payments/%74ransfers/7"), "/payments/transfers/7");
  EXPECT_EQ(normalize("/%2E%2E/payments"), "/payments");
  EXPECT_EQ(normalize("/a%2Fb/c"), "/a%2Fb/c");
  EXPECT_EQ(normalize("/a%zz/b%4"), "/a%zz/b%4");
  EXPECT_EQ(normalize("/a%6"), "/a%6");
  auto glob = [](const std::string& pattern, const std::string& path) {
    return glob_matches(split_segments(pattern), 0, split_segments(path), 0);
  };
  EXPECT_TRUE(glob("**", ""));
  EXPECT_FALSE(glob("*", ""));
  EXPECT_TRUE(glob("a/**", "a"));
  EXPECT_TRUE(glob("a/**", "a/"));
  EXPECT_FALSE(glob("a/*", "a/"));
  EXPECT_TRUE(glob("*/x", "b/x"));
  EXPECT_FALSE(glob("*/x", "x"));
  EXPECT_TRUE(glob("v*", "v"));
  EXPECT_TRUE(glob("*.json", "f.json"));
  EXPECT_FALSE(glob("a", "a/b"));

  RequestModel request{.method = "POST", .path = "/payments/v2/a?q=1"};
  Attributes a = attributes_of(request);
  EXPECT_EQ(a.service, "payments-v2");
  EXPECT_EQ(a.resource_path, "a");
  request.path = "/payments/v2x";
  EXPECT_EQ(attributes_of(request).resource_path, "v2x");
  request.path = "/paymentsx/a";
  EXPECT_FALSE(attributes_of(request).service.has_value());
  EXPECT_EQ(attributes_of(request).resource_path, "paymentsx/a");

  // Short-circuit and errors: absent auth_time.
  Condition missing{.kind = Condition::Kind::kAge, .op = ">", .number = 1};
  Condition yes{.kind = Condition::Kind::kLiteral, .value = true};
  Condition no{.kind = Condition::Kind::kLiteral, .value = false};
  EXPECT_EQ(evaluate({.kind = Condition::Kind::kAnd, .operands = {no, missing}}, a, kNow),
            Tri::kFalse);
  EXPECT_EQ(evaluate({.kind = Condition::Kind::kAnd, .operands = {missing, no}}, a, kNow),
            Tri::kError);
  EXPECT_EQ(evaluate({.kind = Condition::Kind::kOr, .operands = {yes, missing}}, a, kNow),
            Tri::kTrue);
  EXPECT_EQ(evaluate({.kind = Condition::Kind::kNot, .operands = {missing}}, a, kNow), Tri::kError);
  EXPECT_EQ(print({.kind = Condition::Kind::kNot,
                   .operands = {{.kind = Condition::Kind::kOr, .operands = {yes, no}}}},
                  0),
            "!(true || false)");

  // SPEC §4's example challenge.
  StatementModel min_acr{.code = "auth-challenge",
                         .payload = std::vector<std::pair<std::string, PayloadValue>>{
                             {"min_acr", {.text = "urn:example:mfa"}}}};
  StatementModel age{.code = "auth-challenge",
                     .payload = std::vector<std::pair<std::string, PayloadValue>>{
                         {"max_age", {.kind = PayloadValue::Kind::kInteger, .integer = 300}}}};
  DocumentModel document{.realm = kRealm};
  EXPECT_EQ(step_up_challenge(document, {&min_acr, &age}),
            "Bearer realm=\"api.example.com\", error=\"insufficient_user_authentication\", "
            "error_description=\"A different authentication level is required\", "
            "acr_values=\"urn:example:mfa urn:example:hwk\", max_age=\"300\"");
  EXPECT_EQ(step_up_challenge({}, {&age}),
            "Bearer error=\"insufficient_user_authentication\", "
            "error_description=\"More recent authentication is required\", max_age=\"300\"");
}

TEST(Differential, DecisionsMatchTheReference) {
  const auto start = std::chrono::steady_clock::now();
  Rng rng(kSeed);
  DocumentGenerator generator(rng);
  int decisions = 0;
  int mismatches = 0;
  int indexed_nodes = 0;
  std::map<std::string, int> seen;
  Decision reused;
  for (int document_index = 0; document_index < kDocuments; ++document_index) {
    const DocumentModel model = generator.generate();
    DocumentOptions options;
    options.realm = model.realm;
    options.endpoints = kEndpointsJson;
    if (model.dpop) {
      options.validator_extra = R"(, "dpop": {"algorithms": ["ES256", "EdDSA"]})";
      options.protected_resource = R"({"resource": "https://api.example.com"})";
    }
    const std::string json = document(node_json(model.root), options);
    EngineOptions engine_options;
    engine_options.policy = PolicyText{json};
    absl::StatusOr<Engine> engine = Engine::create(std::move(engine_options));
    ASSERT_TRUE(engine.ok()) << engine.status() << "\ndocument " << document_index << ":\n" << json;
    indexed_nodes += model.indexed_nodes;
    for (int i = 0; i < kRequestsPerDocument; ++i) {
      RequestModel request = random_request(rng);
      if (model.dpop && request.credentials == Credentials::kToken) {
        const std::size_t form = rng.below(3);
        if (form == 1) request.credentials = Credentials::kDpop;
        if (form == 2) request.credentials = Credentials::kBoundBearer;
      }
      const Expected expected = expect(model, request);
      const Decision decision = run(*engine, request, i % 2 == 1 ? &reused : nullptr);
      ++decisions;
      ++seen[std::string(policy_result_name(decision.result))];
      ++seen["status " + std::to_string(decision.status)];
      if (!decision.error.empty()) ++seen[decision.error];
      if (!decision.statements.empty()) ++seen["with statements"];
      if (decision.statements.size() >= 2) ++seen["with 2+ statements"];
      if (decision.www_authenticate.find("acr_values") != std::string::npos &&
          decision.www_authenticate.find("max_age") != std::string::npos) {
        ++seen["acr_values and max_age"];
      }
      if (decision.determining_rule.size() >= 4) ++seen["determined 3 levels down"];
      if (request.credentials == Credentials::kDpop && decision.status == 200)
        ++seen["DPoP permit"];
      if (decision.www_authenticate.rfind("DPoP ", 0) == 0 && decision.step_up) {
        ++seen["DPoP step-up"];
      }
      const std::string diff = differences(expected, decision);
      if (diff.empty()) continue;
      if (++mismatches <= 5) {
        ADD_FAILURE() << "document " << document_index << ", request " << i << ":\n"
                      << diff << "request: " << request.describe() << "\ndocument:\n"
                      << json;
      }
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(mismatches, 0) << "of " << decisions << " decisions";
  std::cout << "[ differential ] " << decisions << " decisions over " << kDocuments
            << " documents (" << indexed_nodes << " indexed nodes) in " << seconds << " s\n";
  for (const auto& [what, count] : seen)
    std::cout << "[ differential ]   " << what << ": " << count << "\n";

  // The generator must reach every outcome, or agreement proves little.
  EXPECT_GE(decisions, 20000);
  EXPECT_GE(indexed_nodes, 200);
  for (const char* what :
       {"permit", "deny", "not-applicable", "indeterminate", "status 200", "status 400",
        "status 401", "status 403", "insufficient_user_authentication", "insufficient_scope",
        "access_denied", "invalid_token", "with 2+ statements", "acr_values and max_age",
        "determined 3 levels down"}) {
    EXPECT_GE(seen[what], 50) << what;
  }
  // DPoP documents are a quarter, and DPoP tokens a third of their tokens.
  for (const char* what : {"DPoP permit", "DPoP step-up", "invalid_dpop_proof"})
    EXPECT_GE(seen[what], 10) << what;
  // A denied-reason's own status shows only where no challenge outranks it.
  for (const char* what : {"status 429", "status 451"})
    EXPECT_GE(seen[what], 1) << what;
}

}  // namespace
}  // namespace stepup::engine_test
