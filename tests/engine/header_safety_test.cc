// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// A property test of SPEC §5's promise about produced headers: no policy
// content and no request content can put a CR, LF, '"' (other than the
// challenge's own delimiters), '\', a control byte or a non-ASCII byte into
// Decision::www_authenticate. Hostile strings (every byte, CRLF, quotes,
// backslashes, UTF-8 and invalid UTF-8, very long strings) go everywhere they
// could travel; each document is either refused at load with an error, or
// every decision's header is printable ASCII that the library's own client
// parser reads back with clean values, and every Decision::to_json() is
// valid JSON.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine_test_util.h"
#include "stepup/challenge_client.h"
#include "stepup/decision.h"
#include "stepup/engine.h"
#include "stepup/json_value.h"
#include "stepup/request.h"
#include "support/token_minter.h"

namespace stepup::engine_test {
namespace {

constexpr uint64_t kSeed = 9470;
// Random hostile strings on top of the fixed ones and the 256 single bytes.
constexpr int kRandomStrings = 150;
// Requests with hostile content against the benign document.
constexpr int kHostileRequests = 4000;

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }
  bool chance(std::size_t percent) { return below(100) < percent; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

// --- Hostile strings --------------------------------------------------------------

std::vector<std::string> fixed_hostile_strings() {
  using namespace std::string_literals;
  return {
      "",
      "\r\n",
      "a\r\nSet-Cookie: session=evil",
      "\r\n\r\nHTTP/1.1 200 OK",
      "\n",
      "\r",
      "\"",
      "a\"b",
      "x\", error=\"evil",
      "\\",
      "a\\\"b",
      "\\\\\"",
      "\x7f",
      "\t",
      "a\tb",
      "\0"s,
      "a\0b"s,
      "\x01\x1f",
      "caf\xC3\xA9",             // UTF-8 é
      "\xE2\x80\xA8",            // U+2028
      "\xEF\xBB\xBF",            // BOM
      "\xF0\x9F\x94\x91",        // U+1F511
      "\xC3",                    // truncated sequence
      "\xFF\xFE",                // never valid
      "\xC0\xAF",                // overlong '/'
      "\xED\xA0\x80",            // UTF-8-encoded surrogate
      "\x80",                    // lone continuation byte
      std::string(10000, 'a'),   // long, safe
      std::string(100000, 'b'),  // very long, safe
      std::string(9999, 'a') + "\r\n",
      std::string(5000, '"'),
      "safe-value",
      "with space",
      "a, b=c",
      "realm=x",
      "Bearer x",
      "=",
      ",",
      ";",
      "%0D%0A",
      "\\u0022",
      "'",
      "x' || true || 'y",
      "urn:example:mfa",
      "300",
      "-1",
  };
}

std::vector<std::string> hostile_strings(Rng& rng) {
  std::vector<std::string> out = fixed_hostile_strings();
  for (int byte = 0; byte < 256; ++byte)
    out.push_back(std::string("x") + static_cast<char>(byte) + "y");
  const std::vector<std::string> pieces = {"\r",   "\n",   "\r\n", "\"", "\\",   ",",
                                           "=",    " ",    "a",    "Z",  "\x7f", "\xC3\xA9",
                                           "\xC3", "\xFF", "\t",   "'",  "\x00"};
  for (int i = 0; i < kRandomStrings; ++i) {
    std::string s;
    const std::size_t length = 1 + rng.below(24);
    for (std::size_t j = 0; j < length; ++j) {
      if (rng.chance(50)) {
        s += static_cast<char>(rng.below(256));
      } else {
        const std::string& piece = rng.pick(pieces);
        s += piece.empty() ? std::string(1, '\0') : piece;
      }
    }
    out.push_back(s);
  }
  return out;
}

// A header value the SPEC lets through: printable ASCII without '"' or '\'.
bool header_safe(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7E || c == '"' || c == '\\') return false;
  }
  return true;
}

bool token_safe(std::string_view text) {
  return !text.empty() && header_safe(text) && text.find(' ') == std::string_view::npos;
}

// --- JSON text -------------------------------------------------------------------

// A JSON string literal of `text`, bytes >= 0x80 as they are (so invalid UTF-8
// reaches the loader), or, with `escape_all`, every byte outside printable
// ASCII as \u00XX (valid JSON whose value has non-ASCII code points).
std::string json_string(std::string_view text, bool escape_all) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || (escape_all && byte >= 0x7F)) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// A strict RFC 8259 checker, UTF-8 included: what a client's JSON parser
// must be able to read. Independent of the library's parser.
class JsonChecker {
 public:
  explicit JsonChecker(std::string_view text) : text_(text) {}

  // Empty when valid; else what is wrong and where.
  std::string check() {
    skip_space();
    if (!value(0)) return error_.empty() ? at("bad value") : error_;
    skip_space();
    if (pos_ != text_.size()) return at("trailing bytes");
    return "";
  }

 private:
  std::string at(const std::string& what) {
    error_ = what + " at byte " + std::to_string(pos_);
    return error_;
  }
  bool fail(const std::string& what) {
    at(what);
    return false;
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("bad literal");
    pos_ += word.size();
    return true;
  }
  bool value(int depth) {
    if (depth > 64) return fail("too deep");
    if (pos_ >= text_.size()) return fail("unexpected end");
    switch (text_[pos_]) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }
  bool object(int depth) {
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') return ++pos_, true;
    while (true) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a member name");
      if (!string()) return false;
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return fail("expected ':'");
      ++pos_;
      skip_space();
      if (!value(depth + 1)) return false;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') return ++pos_, true;
      return fail("expected ',' or '}'");
    }
  }
  bool array(int depth) {
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') return ++pos_, true;
    while (true) {
      skip_space();
      if (!value(depth + 1)) return false;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') return ++pos_, true;
      return fail("expected ',' or ']'");
    }
  }
  bool digits() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
      ++pos_;
    return pos_ > start;
  }
  bool number() {
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return fail("bad number");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return fail("bad fraction");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return fail("bad exponent");
    }
    return true;
  }
  int hex4() {
    if (pos_ + 4 > text_.size()) return -1;
    int value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_ + i];
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    pos_ += 4;
    return value;
  }
  bool string() {
    ++pos_;
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') return ++pos_, true;
      if (c < 0x20) return fail("raw control byte in a string");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= text_.size()) return fail("unfinished escape");
        const char e = text_[pos_++];
        if (e == 'u') {
          const int unit = hex4();
          if (unit < 0) return fail("bad \\u escape");
          // Surrogates only in pairs: a lone one is not a character.
          if (unit >= 0xDC00 && unit <= 0xDFFF) return fail("lone low surrogate");
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") return fail("lone high surrogate");
            pos_ += 2;
            const int low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) return fail("high surrogate without low");
          }
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return fail("bad escape");
        }
        continue;
      }
      if (c < 0x80) {
        ++pos_;
        continue;
      }
      // UTF-8: no overlongs, no surrogates, nothing above U+10FFFF.
      std::size_t length = 0;
      uint32_t code = 0;
      if (c >= 0xC2 && c <= 0xDF) {
        length = 2, code = c & 0x1F;
      } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3, code = c & 0x0F;
      } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4, code = c & 0x07;
      } else {
        return fail("invalid UTF-8 lead byte");
      }
      if (pos_ + length > text_.size()) return fail("truncated UTF-8");
      for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text_[pos_ + i]);
        if ((next & 0xC0) != 0x80) return fail("invalid UTF-8 continuation");
        code = (code << 6) | (next & 0x3F);
      }
      if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || code > 0x10FFFF ||
          (code >= 0xD800 && code <= 0xDFFF)) {
        return fail("invalid UTF-8 sequence");
      }
      pos_ += length;
    }
    return fail("unterminated string");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

// --- The document and where hostile content goes -----------------------------------

enum class Slot {
  kRealm,
  kIssuer,
  kService,
  kBasePath,
  kAcrLevel,  // In acr_levels and as an auth-challenge's min_acr.
  kChallengeDescription,
  kAcrValue,
  kMaxAgeString,
  kMaxAgeRaw,  // Raw JSON text, not a string: numbers and other values.
  kDeniedError,
  kDeniedMessage,
  kDeniedScope,
  kDeniedDetail,
  kPolicyName,
  kRuleName,
  kStatementName,
  kDescription,
  kCustomCode,
  kCustomKey,
  kCustomValue,
  kGlob,
  kAction,
  kConditionLiteral,
};

constexpr Slot kAllSlots[] = {
    Slot::kRealm,         Slot::kIssuer,          Slot::kService,
    Slot::kBasePath,      Slot::kAcrLevel,        Slot::kChallengeDescription,
    Slot::kAcrValue,      Slot::kMaxAgeString,    Slot::kMaxAgeRaw,
    Slot::kDeniedError,   Slot::kDeniedMessage,   Slot::kDeniedScope,
    Slot::kDeniedDetail,  Slot::kPolicyName,      Slot::kRuleName,
    Slot::kStatementName, Slot::kDescription,     Slot::kCustomCode,
    Slot::kCustomKey,     Slot::kCustomValue,     Slot::kGlob,
    Slot::kAction,        Slot::kConditionLiteral};

const char* slot_name(Slot slot) {
  switch (slot) {
    case Slot::kRealm:
      return "realm";
    case Slot::kIssuer:
      return "validator issuer";
    case Slot::kService:
      return "endpoint service";
    case Slot::kBasePath:
      return "endpoint base_path";
    case Slot::kAcrLevel:
      return "acr_levels item / min_acr";
    case Slot::kChallengeDescription:
      return "auth-challenge error_description";
    case Slot::kAcrValue:
      return "auth-challenge acr_values item";
    case Slot::kMaxAgeRaw:
      return "auth-challenge max_age as raw JSON";
    case Slot::kMaxAgeString:
      return "auth-challenge max_age as a string";
    case Slot::kDeniedError:
      return "denied-reason error";
    case Slot::kDeniedMessage:
      return "denied-reason message";
    case Slot::kDeniedScope:
      return "denied-reason scope";
    case Slot::kDeniedDetail:
      return "denied-reason detail";
    case Slot::kPolicyName:
      return "policy name";
    case Slot::kRuleName:
      return "rule name";
    case Slot::kStatementName:
      return "statement name";
    case Slot::kDescription:
      return "policy description";
    case Slot::kCustomCode:
      return "custom statement code";
    case Slot::kCustomKey:
      return "custom statement payload key";
    case Slot::kCustomValue:
      return "custom statement payload value";
    case Slot::kGlob:
      return "target path glob";
    case Slot::kAction:
      return "target action";
    case Slot::kConditionLiteral:
      return "condition string literal";
  }
  return "?";
}

// One document: every slot benign except (optionally) one hostile one.
struct Placement {
  std::optional<Slot> slot;
  std::string value;        // The hostile string, as the bytes it should stand for.
  bool escape_all = false;  // How it is written into the JSON text.
};

// The value a slot holds, as the bytes it stands for.
std::string slot_value(const Placement& p, Slot slot, std::string benign) {
  if (p.slot != slot) return benign;
  if (slot == Slot::kBasePath) return "/" + p.value;
  if (slot == Slot::kAction) return "inbound-" + p.value;
  return p.value;
}

// The condition language's own string literal (single quotes, `\'` and `\\`).
std::string condition_literal(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

struct BuiltDocument {
  std::string json;
  std::string base_path;  // Where requests go.
  std::string method;     // A method whose action the targeted node names.
};

BuiltDocument build_document(const Placement& p) {
  auto s = [&p](Slot slot, const char* benign) {
    return json_string(slot_value(p, slot, benign), p.escape_all);
  };
  BuiltDocument built;
  built.base_path = slot_value(p, Slot::kBasePath, "/pay");
  built.method = p.slot == Slot::kAction ? p.value : "GET";
  const std::string max_age = p.slot == Slot::kMaxAgeString ? json_string(p.value, p.escape_all)
                              : p.slot == Slot::kMaxAgeRaw  ? p.value
                                                            : "300";
  std::string j = "{\"stepup\": 1, \"realm\": " + s(Slot::kRealm, kRealm);
  j += ", \"validators\": [{\"name\": \"test-as\", \"type\": \"jwt\", \"issuer\": " +
       s(Slot::kIssuer, testing::kTestIssuer) + ", \"audience\": [" +
       json_string(testing::kTestAudience, false) + "], \"algorithms\": [\"ES256\"], \"jwks\": " +
       testing::TestKey::shared(Algorithm::kES256).jwks() + "}]";
  j += ", \"endpoints\": [{\"service\": " + s(Slot::kService, "pay") +
       ", \"base_path\": " + json_string(built.base_path, p.escape_all) + "}]";
  // The hostile level is the strongest, so min_acr names it alone.
  j += ", \"acr_levels\": [\"urn:example:pwd\", \"urn:example:mfa\", " +
       s(Slot::kAcrLevel, "urn:example:hwk") + "]";
  j += ", \"policy\": {\"name\": " + s(Slot::kPolicyName, "root") +
       ", \"description\": " + s(Slot::kDescription, "the API") +
       ", \"combining\": \"first-applicable\", \"children\": [";
  // 1. A step-up challenge with min_acr, max_age and a description.
  j += "{\"name\": \"step-up\", \"target\": {\"path\": [\"challenge/**\"]}, \"rules\": "
       "[{\"name\": " +
       s(Slot::kRuleName, "need mfa") +
       ", \"effect\": \"deny\", \"statements\": [{\"code\": \"auth-challenge\", \"name\": " +
       s(Slot::kStatementName, "challenge") +
       ", \"payload\": {\"min_acr\": " + s(Slot::kAcrLevel, "urn:example:hwk") +
       ", \"max_age\": " + max_age +
       ", \"error_description\": " + s(Slot::kChallengeDescription, "Step up") + "}}]}]}";
  // 2. A step-up challenge with acr_values.
  j += ", {\"name\": \"acr\", \"target\": {\"path\": [\"acr/**\"]}, \"rules\": [{\"name\": \"r\", "
       "\"effect\": \"deny\", \"statements\": [{\"code\": \"auth-challenge\", \"payload\": "
       "{\"acr_values\": [" +
       s(Slot::kAcrValue, "urn:example:hwk") + "]}}]}]}";
  // 3. insufficient_scope with message and scope.
  j += ", {\"name\": \"scope\", \"target\": {\"path\": [\"scope/**\"]}, \"rules\": [{\"name\": "
       "\"r\", \"effect\": \"deny\", \"statements\": [{\"code\": \"denied-reason\", \"payload\": "
       "{\"status\": 403, \"error\": " +
       s(Slot::kDeniedError, "insufficient_scope") +
       ", \"message\": " + s(Slot::kDeniedMessage, "needs more scope") +
       ", \"scope\": " + s(Slot::kDeniedScope, "payments:write") +
       ", \"detail\": " + s(Slot::kDeniedDetail, "for the operator") + "}}]}]}";
  // 4. A 401 denied-reason without an error.
  j += ", {\"name\": \"unauthorized\", \"target\": {\"path\": [\"status401/**\"]}, \"rules\": "
       "[{\"name\": \"r\", \"effect\": \"deny\", \"statements\": [{\"code\": \"denied-reason\", "
       "\"payload\": {\"status\": 401, \"message\": " +
       s(Slot::kDeniedMessage, "log in") + "}}]}]}";
  // 5. A statement for the host only.
  j += ", {\"name\": \"custom\", \"target\": {\"path\": [\"custom/**\"]}, \"rules\": [{\"name\": "
       "\"r\", \"effect\": \"deny\", \"statements\": [{\"code\": " +
       s(Slot::kCustomCode, "audit") + ", \"applies_to\": \"deny\", \"payload\": {" +
       s(Slot::kCustomKey, "level") + ": " + s(Slot::kCustomValue, "high") + "}}]}]}";
  // 6. A target naming hostile service, action and path glob.
  j += ", {\"name\": \"targeted\", \"target\": {\"service\": [" + s(Slot::kService, "pay") +
       "], \"action\": [" + s(Slot::kAction, "inbound-GET") + "], \"path\": [" +
       s(Slot::kGlob, "hostile/**") +
       "]}, \"rules\": [{\"name\": \"r\", \"effect\": \"deny\", \"statements\": [{\"code\": "
       "\"auth-challenge\", \"payload\": {\"max_age\": 60}}]}]}";
  // 7. A condition comparing a header with a hostile literal.
  j += ", {\"name\": \"conditional\", \"target\": {\"condition\": " +
       json_string("has(HttpRequest.RequestHeaders.x-a) && HttpRequest.RequestHeaders.x-a == " +
                       condition_literal(slot_value(p, Slot::kConditionLiteral, "1")),
                   p.escape_all) +
       "}, \"rules\": [{\"name\": \"r\", \"effect\": \"deny\", \"statements\": [{\"code\": "
       "\"auth-challenge\", \"payload\": {\"max_age\": 5}}]}]}";
  // 8. Permit.
  j += ", {\"name\": \"open\", \"target\": {\"path\": [\"permit/**\"]}, \"rules\": [{\"name\": "
       "\"r\", \"effect\": \"permit\"}]}";
  // 9. Everything else: a challenge when acr is weak, Indeterminate without acr.
  j += ", {\"name\": \"rest\", \"rules\": [{\"name\": \"r\", \"effect\": \"deny\", \"condition\": "
       "\"!acr_at_least('urn:example:mfa') || 'admin' in HttpRequest.AccessToken.scope\", "
       "\"statements\": [{\"code\": \"auth-challenge\", \"payload\": {\"min_acr\": \"urn:example:"
       "pwd\", \"max_age\": 120}}]}]}";
  j += "]}}";
  built.json = std::move(j);
  return built;
}

// --- Requests ------------------------------------------------------------------------

struct HostileRequest {
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers = {};
  std::string client_ip = "198.51.100.4";
  std::optional<std::string> authorization = {};
  std::optional<JsonValue> claims = {};
  bool explain = false;
  std::string what = {};  // For failure messages.
};

JsonValue claims_value(const std::string& acr, const std::string& scope, const std::string& sub) {
  return JsonValue::object({{"sub", JsonValue::string(sub)},
                            {"acr", JsonValue::string(acr)},
                            {"auth_time", JsonValue::integer(kNow - 30)},
                            {"scope", JsonValue::string(scope)}});
}

// A signed token whose claims carry `acr` and `scope` (escaped as JSON must
// be; raw bytes >= 0x80 stay raw, so invalid UTF-8 reaches the token parser).
std::string signed_token(const std::string& acr, const std::string& scope, bool escape_all) {
  const std::string payload = "{\"iss\":" + json_string(testing::kTestIssuer, false) +
                              ",\"aud\":" + json_string(testing::kTestAudience, false) +
                              ",\"sub\":\"alice\",\"exp\":" + std::to_string(kNow + 600) +
                              ",\"iat\":" + std::to_string(kNow - 10) +
                              ",\"auth_time\":" + std::to_string(kNow - 30) +
                              ",\"acr\":" + json_string(acr, escape_all) +
                              ",\"scope\":" + json_string(scope, escape_all) + "}";
  return token(payload);
}

// The requests every loaded document gets: each branch of the policy, with
// and without credentials, and a refused token.
std::vector<HostileRequest> branch_requests(const BuiltDocument& built, const Placement& p) {
  std::vector<HostileRequest> out;
  const std::string hostile_tail = p.slot == Slot::kGlob ? p.value : "hostile/x";
  for (const std::string& branch :
       {std::string("challenge/1"), std::string("acr"), std::string("scope/x"),
        std::string("status401"), std::string("custom"), hostile_tail, std::string("permit"),
        std::string("rest")}) {
    HostileRequest r;
    r.method = built.method;
    r.path = built.base_path + "/" + branch;
    if (p.slot == Slot::kConditionLiteral) r.headers.push_back({"X-A", p.value});
    r.claims = claims_value("urn:example:pwd", "read", "alice");
    r.what = "valid claims, " + branch;
    out.push_back(r);
    r.claims.reset();
    r.explain = true;
    r.what = "no credentials, " + branch;
    out.push_back(r);
  }
  HostileRequest refused;
  refused.path = built.base_path + "/challenge/1";
  refused.authorization = "Bearer not.a.token";
  refused.what = "refused token";
  out.push_back(refused);
  HostileRequest malformed = refused;
  malformed.authorization = "Basic dXNlcjpwYXNz";
  malformed.what = "malformed Authorization";
  out.push_back(malformed);
  HostileRequest inactive = refused;
  inactive.authorization.reset();
  inactive.claims = JsonValue::object({{"active", JsonValue::boolean(false)}});
  inactive.what = "inactive claims";
  out.push_back(inactive);
  return out;
}

// A request carrying `h` in one place a client controls.
HostileRequest hostile_request(Rng& rng, const std::string& h, const std::string& base) {
  HostileRequest r;
  r.path = base + "/" +
           rng.pick(std::vector<std::string>{"challenge/1", "acr", "scope/x", "status401", "rest",
                                             "permit"});
  r.claims = claims_value("urn:example:pwd", "read", "alice");
  r.explain = rng.chance(50);
  switch (rng.below(14)) {
    case 0:
      r.method = h;
      r.what = "method";
      break;
    case 1:
      r.path += "/" + h;
      r.what = "path";
      break;
    case 2:
      r.path += "?q=" + h;
      r.what = "query";
      break;
    case 3:
      r.headers.push_back({"X-A", h});
      r.what = "header value";
      break;
    case 4:
      r.headers.push_back({h, "1"});
      r.what = "header name";
      break;
    case 5:
      r.client_ip = h;
      r.what = "client address";
      break;
    case 6:
      r.claims = claims_value(h, "read", "alice");
      r.what = "validated acr";
      break;
    case 7:
      r.claims = claims_value("urn:example:pwd", h, h);
      r.what = "validated scope and sub";
      break;
    case 8:
      r.claims.reset();
      r.authorization = h;
      r.what = "Authorization";
      break;
    case 9:
      r.claims.reset();
      r.authorization = "Bearer " + h;
      r.what = "Authorization Bearer";
      break;
    case 10:
      r.claims.reset();
      r.authorization = "Bearer " + signed_token(h, "read", rng.chance(50));
      r.what = "signed acr";
      break;
    case 11:
      r.claims.reset();
      r.authorization = "Bearer " + signed_token("urn:example:pwd", h, rng.chance(50));
      r.what = "signed scope";
      break;
    case 12:
      r.claims.reset();
      r.authorization = "Bearer " + signed_token("urn:example:pwd", "read", false) + h;
      r.what = "signed token with a tail";
      break;
    default:
      r.claims = JsonValue::object({{h, JsonValue::string(h)},
                                    {"acr", JsonValue::string("urn:example:pwd")},
                                    {"scope", JsonValue::array({JsonValue::string(h)})}});
      r.what = "claim name";
      break;
  }
  return r;
}

Decision run(const Engine& engine, const HostileRequest& r) {
  std::vector<Header> headers;
  for (const auto& [name, value] : r.headers)
    headers.push_back({name, value});
  Request request;
  request.method = r.method;
  request.path = r.path;
  request.headers = headers;
  request.client_ip = r.client_ip;
  if (r.authorization) request.authorization = *r.authorization;
  if (r.claims) request.validated_claims = &*r.claims;
  DecideOptions options;
  options.now = kNow;
  options.explain = r.explain;
  return engine.decide(request, options);
}

// --- The property ------------------------------------------------------------------

// The parameters SPEC §5 produces, in its order.
const std::vector<std::string> kParameterOrder = {"realm",      "error",   "error_description",
                                                  "acr_values", "max_age", "scope"};

// Why `decision` breaks the property; empty when it holds.
std::string violation(const Decision& decision) {
  const std::string& header = decision.www_authenticate;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto byte = static_cast<unsigned char>(header[i]);
    if (byte < 0x20 || byte > 0x7E) {
      return "byte " + std::to_string(byte) + " at " + std::to_string(i) + " of the header";
    }
  }
  if (const std::string json_error = JsonChecker(decision.to_json()).check(); !json_error.empty()) {
    return "to_json() is not JSON: " + json_error;
  }
  if (header.empty()) {
    if (decision.status == 401) return "a 401 without a challenge";
    if (!decision.error_description.empty() || !decision.scope.empty() || decision.step_up) {
      return "challenge data without a challenge";
    }
    return "";
  }
  const std::vector<Challenge> challenges = parse_www_authenticate({header});
  if (challenges.size() != 1) return std::to_string(challenges.size()) + " challenges";
  const Challenge& c = challenges[0];
  if (!c.valid) return "the client parser refuses it: " + c.error;
  if (c.scheme != "bearer" || !c.token68.empty()) return "not a Bearer challenge with parameters";
  // Formatted back, the parameters give the header again: nothing was
  // escaped or folded, and no value holds a '"' or '\'.
  std::string again = "Bearer";
  std::size_t order = 0;
  for (std::size_t i = 0; i < c.params.size(); ++i) {
    const auto& [name, value] = c.params[i];
    if (value.find('"') != std::string::npos || value.find('\\') != std::string::npos) {
      return "parameter " + name + " holds '\"' or '\\'";
    }
    while (order < kParameterOrder.size() && kParameterOrder[order] != name)
      ++order;
    if (order == kParameterOrder.size()) return "parameter " + name + " unknown or out of order";
    // SPEC §5: max_age is a non-negative integer.
    if (name == "max_age" &&
        (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)) {
      return "max_age is not a non-negative integer";
    }
    ++order;
    again += (i == 0 ? " " : ", ") + name + "=\"" + value + "\"";
  }
  if (again != header) return "the parsed parameters do not give the header back";
  // The challenge as data says what the header says.
  const std::string* description = c.param("error_description");
  if ((description != nullptr ? *description : "") != decision.error_description) {
    return "error_description differs from the header's";
  }
  const std::string* scope = c.param("scope");
  if ((scope != nullptr ? *scope : "") != decision.scope) return "scope differs from the header's";
  const std::optional<StepUpRequirement> step_up = find_step_up(challenges);
  if (step_up.has_value() != decision.step_up.has_value()) return "step_up differs in presence";
  if (step_up &&
      (step_up->acr_values != decision.step_up->acr_values ||
       step_up->max_age != decision.step_up->max_age || step_up->realm != decision.step_up->realm ||
       step_up->error_description != decision.step_up->error_description)) {
    return "step_up differs from the header's";
  }
  return "";
}

std::string printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : text.substr(0, 300)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F && c != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  if (text.size() > 300) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

// For slots whose value reaches a header: the parameter it must appear in
// verbatim when the document loads, and whether spaces are allowed in it.
struct HeaderSlot {
  Slot slot;
  std::string branch;     // Which request shows it.
  std::string parameter;  // Which parameter of the challenge holds it.
  bool spaces;
};

const std::vector<HeaderSlot> kHeaderSlots = {
    {Slot::kRealm, "challenge/1", "realm", true},
    {Slot::kChallengeDescription, "challenge/1", "error_description", true},
    {Slot::kAcrLevel, "challenge/1", "acr_values", false},
    {Slot::kAcrValue, "acr", "acr_values", false},
    {Slot::kDeniedError, "scope/x", "error", false},
    {Slot::kDeniedMessage, "scope/x", "error_description", true},
    {Slot::kDeniedScope, "scope/x", "scope", true},
};

struct Tally {
  int documents = 0;
  int refused = 0;
  int decisions = 0;
  int with_header = 0;
  int failures = 0;
};

void check_decision(const Decision& decision, const std::string& context, Tally& tally) {
  ++tally.decisions;
  if (!decision.www_authenticate.empty()) ++tally.with_header;
  const std::string why = violation(decision);
  if (why.empty()) return;
  if (++tally.failures <= 10) {
    ADD_FAILURE() << why << "\n  www_authenticate: " << printable(decision.www_authenticate)
                  << "\n  to_json: " << printable(decision.to_json()) << "\n"
                  << context;
  }
}

std::string request_context(const HostileRequest& r) {
  std::string out = "  request (" + r.what + "): " + printable(r.method) + " " + printable(r.path) +
                    (r.explain ? " (explain)" : "");
  for (const auto& [name, value] : r.headers)
    out += "\n    header " + printable(name) + ": " + printable(value);
  if (r.authorization) out += "\n    Authorization: " + printable(*r.authorization);
  if (r.claims) out += "\n    validated claims given";
  out += "\n    client address: " + printable(r.client_ip);
  return out;
}

// One document with `p`, then every branch request against it.
void check_placement(const Placement& p, Tally& tally) {
  const BuiltDocument built = build_document(p);
  const std::string where = std::string("  hostile ") + slot_name(*p.slot) + " = " +
                            printable(p.value) + (p.escape_all ? " (\\u-escaped)" : " (raw)");
  ++tally.documents;
  EngineOptions options;
  options.policy = PolicyText{built.json};
  absl::StatusOr<Engine> engine = Engine::create(std::move(options));
  if (!engine.ok()) {
    ++tally.refused;
    EXPECT_FALSE(engine.status().message().empty()) << where;
    return;
  }
  // SPEC §5: a value that would need a '"', '\', control character or
  // non-ASCII byte is refused when the policy loads.
  if (p.slot == Slot::kMaxAgeString) {
    ADD_FAILURE() << "a string max_age was accepted (SPEC §5: a non-negative integer)\n" << where;
  }
  const std::vector<HostileRequest> requests = branch_requests(built, p);
  std::map<std::string, Decision> by_branch;
  for (const HostileRequest& r : requests) {
    const Decision decision = run(*engine, r);
    check_decision(decision,
                   where + "\n" + request_context(r) + "\n  document: " + printable(built.json),
                   tally);
    by_branch.emplace(r.what, decision);
  }
  for (const HeaderSlot& h : kHeaderSlots) {
    if (p.slot != h.slot) continue;
    const bool safe = h.spaces ? header_safe(p.value) : token_safe(p.value);
    if (!safe) {
      ADD_FAILURE() << "the document loaded with a value that cannot go into a header\n" << where;
      continue;
    }
    // Accepted, so it must reach its parameter unchanged (not dropped).
    if (p.value.empty()) continue;
    const Decision& d = by_branch.at("valid claims, " + h.branch);
    const std::vector<Challenge> parsed = parse_www_authenticate({d.www_authenticate});
    const std::string* value = parsed.size() == 1 ? parsed[0].param(h.parameter) : nullptr;
    EXPECT_TRUE(value != nullptr && *value == p.value)
        << "expected " << h.parameter
        << " to be the accepted value\n  www_authenticate: " << printable(d.www_authenticate)
        << "\n"
        << where;
  }
}

// The checks themselves catch what they must, so that a pass means something.
TEST(HeaderSafetyChecks, CatchUnsafeHeadersAndInvalidJson) {
  Decision d;
  d.status = 401;
  d.www_authenticate = "Bearer realm=\"r\", error=\"invalid_token\"";
  EXPECT_EQ(violation(d), "");
  for (const char* bad : {
           "Bearer realm=\"r\"\r\nSet-Cookie: x=1",  // CRLF
           "Bearer realm=\"caf\xC3\xA9\"",           // non-ASCII
           "Bearer realm=\"a\\\"b\"",                // an escaped quote inside
           "Bearer realm=\"a\\b\"",                  // a quoted-pair
           "Bearer realm=\"a\", realm=\"b\"",        // repeated
           "Bearer error=\"e\", realm=\"r\"",        // out of order
           "Bearer evil=\"x\"",                      // unknown
           "Bearer realm=r",                         // not quoted
           "Bearer realm=\"r\", Basic x",            // two challenges
           "Bearer realm=\"a\tb\"",                  // control byte
           "Bearer max_age=\"-1\"",                  // not a non-negative integer
       }) {
    d.www_authenticate = bad;
    EXPECT_NE(violation(d), "") << printable(bad);
  }
  d.www_authenticate.clear();
  EXPECT_NE(violation(d), "");  // A 401 needs a challenge.

  EXPECT_EQ(JsonChecker(R"({"a": [1, -2.5e3, true, null, "\u00e9\ud83d\udd11"]})").check(), "");
  EXPECT_EQ(JsonChecker("\"caf\xC3\xA9\"").check(), "");
  for (const std::string& bad :
       {std::string("\"\xC3\""), std::string("\"\xFF\""), std::string("\"\xC0\xAF\""),
        std::string("\"\xED\xA0\x80\""), std::string("\"a\nb\""), std::string("\"\\ud800\""),
        std::string("\"\\udc00\""), std::string("{\"a\": 1,}"), std::string("\"\\x41\""),
        std::string("{\"a\" 1}"), std::string("[1] 2")}) {
    EXPECT_NE(JsonChecker(bad).check(), "") << printable(bad);
  }
}

TEST(HeaderSafety, HostilePolicyContentIsRefusedOrNeverReachesAHeader) {
  const auto start = std::chrono::steady_clock::now();
  Rng rng(kSeed);
  const std::vector<std::string> strings = hostile_strings(rng);
  const std::size_t fixed = fixed_hostile_strings().size();
  Tally tally;
  for (std::size_t i = 0; i < strings.size(); ++i) {
    for (const Slot slot : kAllSlots) {
      if (slot == Slot::kMaxAgeRaw) continue;  // Below: raw JSON, not strings.
      // The fixed strings go everywhere, written both ways; the others to a
      // few slots each, so the test stays quick.
      if (i >= fixed && !rng.chance(15)) continue;
      for (const bool escape_all : {false, true}) {
        if (i >= fixed && escape_all != rng.chance(50)) continue;
        check_placement({slot, strings[i], escape_all}, tally);
        if (tally.failures > 10) return;
      }
    }
  }
  // max_age written as other JSON values: a load error, or an integer.
  for (const char* raw : {"1e3", "300.0", "-1", "-0", "0", "9223372036854775807",
                          "9223372036854775808", "-9223372036854775809", "1e400", "true", "null",
                          "[300]", "{}", "0x10", "00300", "3E2", "300 ", "\"300\""}) {
    check_placement({Slot::kMaxAgeRaw, raw, false}, tally);
  }
  // Benign values load, so the other half of the property is exercised too.
  for (const Slot slot : kAllSlots) {
    // A string max_age is refused whatever it says; raw JSON is checked above.
    if (slot == Slot::kMaxAgeString || slot == Slot::kMaxAgeRaw) continue;
    Tally benign;
    check_placement({slot, "benign-value", false}, benign);
    EXPECT_EQ(benign.refused, 0) << slot_name(slot);
    tally.decisions += benign.decisions;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ header safety ] " << tally.documents << " documents (" << tally.refused
            << " refused at load), " << tally.decisions << " decisions, " << tally.with_header
            << " with a challenge, in " << seconds << " s\n";
  EXPECT_GE(tally.documents, 2000);
  EXPECT_GE(tally.decisions, 10000);
  EXPECT_GT(tally.documents - tally.refused, 300);
}

TEST(HeaderSafety, HostileRequestContentNeverReachesAHeader) {
  const auto start = std::chrono::steady_clock::now();
  Rng rng(kSeed + 1);
  const std::vector<std::string> strings = hostile_strings(rng);
  const BuiltDocument built = build_document({});
  const Engine engine = create_engine(built.json);
  Tally tally;
  std::map<std::string, int> statuses;
  int escaped_json = 0;
  for (int i = 0; i < kHostileRequests; ++i) {
    const std::string& h = strings[static_cast<std::size_t>(i) % strings.size()];
    const HostileRequest r = hostile_request(rng, h, built.base_path);
    const Decision decision = run(engine, r);
    ++statuses[std::to_string(decision.status) + " " + decision.error];
    // Evidence that hostile bytes reached to_json() and had to be escaped.
    if (r.explain && decision.to_json().find("\\u00") != std::string::npos) ++escaped_json;
    check_decision(decision, request_context(r), tally);
    if (tally.failures > 10) return;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ header safety ] " << tally.decisions << " hostile requests, " << tally.with_header
            << " with a challenge, " << escaped_json
            << " explained decisions with escapes in to_json(), in " << seconds << " s\n";
  EXPECT_GE(escaped_json, 200);
  for (const auto& [what, count] : statuses)
    std::cout << "[ header safety ]   " << what << ": " << count << "\n";
  // Every kind of answer that carries a challenge was reached.
  for (const char* what : {"400 invalid_request", "401 invalid_token",
                           "401 insufficient_user_authentication", "403 insufficient_scope"}) {
    EXPECT_GE(statuses[what], 20) << what;
  }
}

}  // namespace
}  // namespace stepup::engine_test
