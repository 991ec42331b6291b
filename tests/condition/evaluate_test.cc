// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Evaluation semantics: every operator and function, true, false and error.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "compile_for_test.h"
#include "condition/condition.h"
#include "fake_source.h"
#include "stepup/json_value.h"

namespace stepup::condition {
namespace {

// A request with a token carrying the usual claims and a few odd ones.
void fill_full_source(FakeSource& source) {
  source.set_int("authentication_age", 120)
      .set_int("authentication_time", 1700000000)
      .set_string("authentication_policy", "urn:example:mfa")
      .set_json("authentication_methods",
                JsonValue::array({JsonValue::string("pwd"), JsonValue::string("otp")}))
      .set_string("action", "inbound-POST")
      .set_string("service", "payments")
      .set_string("HttpRequest.ResourcePath", "transfers/42")
      .set_string("HttpRequest.RequestHeaders.x-request-id", "abc")
      .set_words("HttpRequest.AccessToken.scope", "payments:read  payments:write")
      .set_bool("HttpRequest.AccessToken.active", true)
      .set_json("HttpRequest.AccessToken.sub", JsonValue::string("alice"))
      .set_json("HttpRequest.AccessToken.level", JsonValue::integer(3))
      .set_json("HttpRequest.AccessToken.verified", JsonValue::boolean(true))
      .set_json("HttpRequest.AccessToken.groups",
                JsonValue::array({JsonValue::string("admin"), JsonValue::null(),
                                  JsonValue::array({JsonValue::string("nested")}),
                                  JsonValue::string("ops"), JsonValue::integer(7),
                                  JsonValue::boolean(false)}))
      .set_json("HttpRequest.AccessToken.nothing", JsonValue::null())
      .set_json("HttpRequest.AccessToken.ratio", JsonValue::number(0.5))
      .set_json("HttpRequest.AccessToken.address.country", JsonValue::string("FR"))
      .set_json("HttpRequest.AccessToken[\"https://x/claim\"]", JsonValue::string("yes"))
      .set_json("HttpRequest.AccessToken[\"a\\\"b\"]", JsonValue::string("quoted"))
      .set_json("HttpRequest.AccessToken.empty", JsonValue::string(""));
}

const FakeSource& full_source() {
  static const FakeSource* const kSource = [] {
    auto* source = new FakeSource();
    fill_full_source(*source);
    return source;
  }();
  return *kSource;
}

Tri run(std::string_view text, const FakeSource& source = full_source()) {
  return compile(text).evaluate(source);
}

TEST(Evaluate, Literals) {
  EXPECT_EQ(run("true"), Tri::kTrue);
  EXPECT_EQ(run("false"), Tri::kFalse);
  EXPECT_EQ(run("1 == 1"), Tri::kTrue);
  EXPECT_EQ(run("'a' == \"a\""), Tri::kTrue);
  EXPECT_EQ(run("-5 < 0"), Tri::kTrue);
  EXPECT_EQ(run("-9223372036854775808 < 9223372036854775807"), Tri::kTrue);
  EXPECT_EQ(run("-9223372036854775808 == -9223372036854775808"), Tri::kTrue);
  EXPECT_EQ(run("9223372036854775807 > 9223372036854775806"), Tri::kTrue);
}

TEST(Evaluate, StringEscapes) {
  EXPECT_EQ(run("'it\\'s' == \"it's\""), Tri::kTrue);
  EXPECT_EQ(run("\"a\\\"b\" == 'a\"b'"), Tri::kTrue);
  EXPECT_EQ(run("size('\\\\') == 1"), Tri::kTrue);
  EXPECT_EQ(run("size('\\'') == 1"), Tri::kTrue);
  EXPECT_EQ(run("size('a\\\\b') == 3"), Tri::kTrue);
  EXPECT_EQ(run("'\\'' == \"\\\\'\""), Tri::kFalse);
}

TEST(Evaluate, IntegerComparisons) {
  EXPECT_EQ(run("authentication_age == 120"), Tri::kTrue);
  EXPECT_EQ(run("authentication_age == 121"), Tri::kFalse);
  EXPECT_EQ(run("authentication_age != 121"), Tri::kTrue);
  EXPECT_EQ(run("authentication_age != 120"), Tri::kFalse);
  EXPECT_EQ(run("authentication_age < 121"), Tri::kTrue);
  EXPECT_EQ(run("authentication_age < 120"), Tri::kFalse);
  EXPECT_EQ(run("authentication_age <= 120"), Tri::kTrue);
  EXPECT_EQ(run("authentication_age <= 119"), Tri::kFalse);
  EXPECT_EQ(run("authentication_age > 119"), Tri::kTrue);
  EXPECT_EQ(run("authentication_age > 120"), Tri::kFalse);
  EXPECT_EQ(run("authentication_age >= 120"), Tri::kTrue);
  EXPECT_EQ(run("authentication_age >= 121"), Tri::kFalse);
  EXPECT_EQ(run("authentication_age > -1"), Tri::kTrue);
}

TEST(Evaluate, StringComparisons) {
  EXPECT_EQ(run("service == 'payments'"), Tri::kTrue);
  EXPECT_EQ(run("service == 'Payments'"), Tri::kFalse);
  EXPECT_EQ(run("service != 'accounts'"), Tri::kTrue);
  EXPECT_EQ(run("'abc' < 'abd'"), Tri::kTrue);
  EXPECT_EQ(run("'ab' < 'abc'"), Tri::kTrue);
  EXPECT_EQ(run("'abc' <= 'abc'"), Tri::kTrue);
  EXPECT_EQ(run("'abc' > 'abc'"), Tri::kFalse);
  EXPECT_EQ(run("'abc' >= 'abd'"), Tri::kFalse);
  // Byte-wise: upper case sorts before lower case, and bytes above 0x7F
  // (UTF-8) after ASCII, as unsigned bytes.
  EXPECT_EQ(run("'B' < 'a'"), Tri::kTrue);
  EXPECT_EQ(run("'\xC3\xA9' > 'z'"), Tri::kTrue);
}

TEST(Evaluate, BoolEquality) {
  EXPECT_EQ(run("true == true"), Tri::kTrue);
  EXPECT_EQ(run("true == false"), Tri::kFalse);
  EXPECT_EQ(run("true != false"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken.active == true"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken.verified != true"), Tri::kFalse);
}

TEST(Evaluate, Not) {
  EXPECT_EQ(run("!false"), Tri::kTrue);
  EXPECT_EQ(run("!true"), Tri::kFalse);
  EXPECT_EQ(run("!!true"), Tri::kTrue);
  EXPECT_EQ(run("!HttpRequest.AccessToken.verified"), Tri::kFalse);
  EXPECT_EQ(run("!HttpRequest.AccessToken.sub"), Tri::kError);
  EXPECT_EQ(run("!HttpRequest.AccessToken.missing"), Tri::kError);
  EXPECT_EQ(run("!(authentication_age > 1000)"), Tri::kTrue);
}

TEST(Evaluate, AndOr) {
  EXPECT_EQ(run("true && true"), Tri::kTrue);
  EXPECT_EQ(run("true && false"), Tri::kFalse);
  EXPECT_EQ(run("false && true"), Tri::kFalse);
  EXPECT_EQ(run("false || false"), Tri::kFalse);
  EXPECT_EQ(run("false || true"), Tri::kTrue);
  EXPECT_EQ(run("true || false"), Tri::kTrue);
  EXPECT_EQ(run("true && true && true && false"), Tri::kFalse);
  EXPECT_EQ(run("true && true && true && true"), Tri::kTrue);
  EXPECT_EQ(run("false || false || false || true"), Tri::kTrue);
  EXPECT_EQ(run("false || false || false || false"), Tri::kFalse);
}

TEST(Evaluate, ShortCircuit) {
  const std::string missing = "HttpRequest.AccessToken.missing";
  EXPECT_EQ(run("false && " + missing), Tri::kFalse);
  EXPECT_EQ(run("true || " + missing), Tri::kTrue);
  EXPECT_EQ(run("true && " + missing), Tri::kError);
  EXPECT_EQ(run("false || " + missing), Tri::kError);
  EXPECT_EQ(run(missing + " && false"), Tri::kError);
  EXPECT_EQ(run(missing + " || true"), Tri::kError);
  EXPECT_EQ(run("true && true && false && " + missing), Tri::kFalse);
  EXPECT_EQ(run("false || false || true || " + missing), Tri::kTrue);
  EXPECT_EQ(run("true && true && " + missing + " && false"), Tri::kError);
  EXPECT_EQ(run("false || " + missing + " || true"), Tri::kError);
  // Run-time type errors in a skipped operand do not count either.
  EXPECT_EQ(run("false && HttpRequest.AccessToken.sub > 1"), Tri::kFalse);
  EXPECT_EQ(run("true && HttpRequest.AccessToken.sub > 1"), Tri::kError);

  FakeSource no_age;
  EXPECT_EQ(run("has(authentication_age) && authentication_age > 1", no_age), Tri::kFalse);
  EXPECT_EQ(run("authentication_age > 1 && has(authentication_age)", no_age), Tri::kError);
  EXPECT_EQ(run("!has(authentication_age) || authentication_age > 1", no_age), Tri::kTrue);
  EXPECT_EQ(run("has(authentication_age) && authentication_age > 1"), Tri::kTrue);
}

TEST(Evaluate, Precedence) {
  // && binds tighter than ||.
  EXPECT_EQ(run("true || false && false"), Tri::kTrue);
  EXPECT_EQ(run("false && false || true"), Tri::kTrue);
  // ! binds tighter than && and ||.
  EXPECT_EQ(run("!true && false"), Tri::kFalse);
  EXPECT_EQ(run("!true || true"), Tri::kTrue);
  EXPECT_EQ(run("!false && false"), Tri::kFalse);
  // ...and looser than comparisons: `!a == b` is `!(a == b)`, which is why
  // `!authentication_age == 120` type-checks (and is false).
  EXPECT_EQ(run("!authentication_age == 120"), Tri::kFalse);
  EXPECT_EQ(run("!authentication_age == 121"), Tri::kTrue);
  EXPECT_EQ(run("!'pwd' in authentication_methods"), Tri::kFalse);
  // Comparisons and `in` bind tighter than && and ||.
  EXPECT_EQ(run("'a' in ['a'] && 'b' in ['c']"), Tri::kFalse);
  EXPECT_EQ(run("1 == 2 || 2 == 2"), Tri::kTrue);
  // Parentheses override.
  EXPECT_EQ(run("(true || false) && false"), Tri::kFalse);
  EXPECT_EQ(run("!(true && false)"), Tri::kTrue);
  EXPECT_EQ(run("(1 < 2) == true"), Tri::kTrue);
  EXPECT_EQ(run("true == (1 < 2)"), Tri::kTrue);
  EXPECT_EQ(run("false == (!true)"), Tri::kTrue);
}

TEST(Evaluate, InList) {
  EXPECT_EQ(run("'payments:write' in HttpRequest.AccessToken.scope"), Tri::kTrue);
  EXPECT_EQ(run("'payments' in HttpRequest.AccessToken.scope"), Tri::kFalse);
  EXPECT_EQ(run("'' in HttpRequest.AccessToken.scope"), Tri::kFalse);
  EXPECT_EQ(run("'otp' in authentication_methods"), Tri::kTrue);
  EXPECT_EQ(run("'hwk' in authentication_methods"), Tri::kFalse);
  EXPECT_EQ(run("3 in [1, 2, 3]"), Tri::kTrue);
  EXPECT_EQ(run("4 in [1, 2, 3]"), Tri::kFalse);
  EXPECT_EQ(run("-2 in [1, -2]"), Tri::kTrue);
  EXPECT_EQ(run("true in [false]"), Tri::kFalse);
  EXPECT_EQ(run("false in [true, false]"), Tri::kTrue);
  EXPECT_EQ(run("service in ['accounts', 'payments']"), Tri::kTrue);
  EXPECT_EQ(run("service in ['accounts']"), Tri::kFalse);
  EXPECT_EQ(run("'a' in []"), Tri::kFalse);
}

TEST(Evaluate, InDynamicList) {
  // Items of other kinds (null, nested arrays, ints, bools) just don't match.
  EXPECT_EQ(run("'admin' in HttpRequest.AccessToken.groups"), Tri::kTrue);
  EXPECT_EQ(run("'ops' in HttpRequest.AccessToken.groups"), Tri::kTrue);
  EXPECT_EQ(run("7 in HttpRequest.AccessToken.groups"), Tri::kTrue);
  EXPECT_EQ(run("false in HttpRequest.AccessToken.groups"), Tri::kTrue);
  EXPECT_EQ(run("8 in HttpRequest.AccessToken.groups"), Tri::kFalse);
  EXPECT_EQ(run("true in HttpRequest.AccessToken.groups"), Tri::kFalse);
  EXPECT_EQ(run("'nested' in HttpRequest.AccessToken.groups"), Tri::kFalse);
  EXPECT_EQ(run("HttpRequest.AccessToken.groups contains 'ops'"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken.groups contains 'dev'"), Tri::kFalse);
  // Dynamic needles.
  EXPECT_EQ(run("HttpRequest.AccessToken.sub in ['bob', 'alice']"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken.sub in ['bob']"), Tri::kFalse);
  EXPECT_EQ(run("HttpRequest.AccessToken.level in ['3']"), Tri::kFalse);
  EXPECT_EQ(run("HttpRequest.AccessToken.level in [3]"), Tri::kTrue);
}

TEST(Evaluate, InString) {
  EXPECT_EQ(run("'bc' in 'abc'"), Tri::kTrue);
  EXPECT_EQ(run("'x' in 'abc'"), Tri::kFalse);
  EXPECT_EQ(run("'' in 'abc'"), Tri::kTrue);
  EXPECT_EQ(run("'abcd' in 'abc'"), Tri::kFalse);
  EXPECT_EQ(run("'transfers/' in HttpRequest.ResourcePath"), Tri::kTrue);
  EXPECT_EQ(run("'li' in HttpRequest.AccessToken.sub"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken.sub in 'malice'"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken.sub in 'bob'"), Tri::kFalse);
}

TEST(Evaluate, Contains) {
  EXPECT_EQ(run("HttpRequest.AccessToken.scope contains 'payments:read'"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken.scope contains 'admin'"), Tri::kFalse);
  EXPECT_EQ(run("authentication_methods contains 'pwd'"), Tri::kTrue);
  EXPECT_EQ(run("[1, 2] contains 2"), Tri::kTrue);
  EXPECT_EQ(run("[1, 2] contains 3"), Tri::kFalse);
  EXPECT_EQ(run("['a'] contains service"), Tri::kFalse);
}

TEST(Evaluate, RunTimeTypeErrors) {
  // Dynamic claims pass the load-time check; a mismatch is an error when run.
  EXPECT_EQ(run("HttpRequest.AccessToken.sub > 3"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.sub == 3"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.sub != 3"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.level == 'x'"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.level < 'x'"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.verified < HttpRequest.AccessToken.verified"),
            Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.groups == 'x'"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.groups == HttpRequest.AccessToken.groups"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.groups > 1"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.groups in ['x']"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.groups in HttpRequest.AccessToken.groups"), Tri::kError);
  EXPECT_EQ(run("'a' in HttpRequest.AccessToken.level"), Tri::kError);
  EXPECT_EQ(run("3 in HttpRequest.AccessToken.sub"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.sub contains 'a'"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.sub"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.level"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.groups"), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.verified"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken.sub && true"), Tri::kError);
  EXPECT_EQ(run("false || HttpRequest.AccessToken.level"), Tri::kError);
  EXPECT_EQ(run("size(HttpRequest.AccessToken.level) == 1"), Tri::kError);
  EXPECT_EQ(run("starts_with(HttpRequest.AccessToken.level, '3')"), Tri::kError);
  EXPECT_EQ(run("ends_with('3', HttpRequest.AccessToken.groups)"), Tri::kError);
}

TEST(Evaluate, OtherValuesAreErrors) {
  // null and fractions are present, but of no condition type.
  for (const std::string claim :
       {"HttpRequest.AccessToken.nothing", "HttpRequest.AccessToken.ratio"}) {
    SCOPED_TRACE(claim);
    EXPECT_EQ(run(claim + " == 1"), Tri::kError);
    EXPECT_EQ(run(claim + " != 1"), Tri::kError);
    EXPECT_EQ(run(claim + " < 1"), Tri::kError);
    EXPECT_EQ(run(claim + " in [1]"), Tri::kError);
    EXPECT_EQ(run(claim + " in 'abc'"), Tri::kError);
    EXPECT_EQ(run("1 in " + claim), Tri::kError);
    EXPECT_EQ(run(claim + " contains 1"), Tri::kError);
    EXPECT_EQ(run("size(" + claim + ") == 0"), Tri::kError);
    EXPECT_EQ(run("!" + claim), Tri::kError);
    EXPECT_EQ(run(claim), Tri::kError);
    EXPECT_EQ(run("has(" + claim + ")"), Tri::kTrue);
  }
}

TEST(Evaluate, AbsentIsAnErrorEverywhereButHas) {
  const std::string m = "HttpRequest.AccessToken.missing";
  const std::vector<std::string> reads = {
      m,
      "!" + m,
      m + " && true",
      "true && " + m,
      m + " || false",
      "false || " + m,
      m + " == 1",
      "1 == " + m,
      m + " != 1",
      m + " < 1",
      m + " <= 1",
      m + " > 1",
      "1 >= " + m,
      m + " in [1]",
      m + " in 'abc'",
      "'a' in " + m,
      m + " contains 'a'",
      "['a'] contains " + m,
      "size(" + m + ") == 0",
      "starts_with(" + m + ", 'a')",
      "starts_with('a', " + m + ")",
      "ends_with(" + m + ", 'a')",
      "ends_with('a', " + m + ")",
      m + " == " + m,
  };
  for (const std::string& text : reads) {
    EXPECT_EQ(run(text), Tri::kError) << text;
  }
  EXPECT_EQ(run("has(" + m + ")"), Tri::kFalse);
  EXPECT_EQ(run("!has(" + m + ")"), Tri::kTrue);

  // The same with attributes of static type.
  FakeSource empty;
  EXPECT_EQ(run("authentication_age > 300", empty), Tri::kError);
  EXPECT_EQ(run("authentication_age <= 300", empty), Tri::kError);
  EXPECT_EQ(run("service == 'payments'", empty), Tri::kError);
  EXPECT_EQ(run("service != 'payments'", empty), Tri::kError);
  EXPECT_EQ(run("'pwd' in authentication_methods", empty), Tri::kError);
  EXPECT_EQ(run("'payments:write' in HttpRequest.AccessToken.scope", empty), Tri::kError);
  EXPECT_EQ(run("HttpRequest.AccessToken.active", empty), Tri::kError);
  EXPECT_EQ(run("size(service) == 0", empty), Tri::kError);
  EXPECT_EQ(run("acr_at_least('urn:example:pwd')", empty), Tri::kError);
  EXPECT_EQ(run("!acr_at_least('urn:example:pwd')", empty), Tri::kError);
  EXPECT_EQ(run("has(service)", empty), Tri::kFalse);
}

TEST(Evaluate, Size) {
  EXPECT_EQ(run("size('abc') == 3"), Tri::kTrue);
  EXPECT_EQ(run("size('') == 0"), Tri::kTrue);
  EXPECT_EQ(run("size('\xC3\xA9') == 2"), Tri::kTrue);  // Bytes, not characters.
  EXPECT_EQ(run("size(service) == 8"), Tri::kTrue);
  EXPECT_EQ(run("size(service) == 7"), Tri::kFalse);
  EXPECT_EQ(run("size(HttpRequest.AccessToken.scope) == 2"), Tri::kTrue);
  EXPECT_EQ(run("size(authentication_methods) == 2"), Tri::kTrue);
  EXPECT_EQ(run("size(HttpRequest.AccessToken.groups) == 6"), Tri::kTrue);
  EXPECT_EQ(run("size(HttpRequest.AccessToken.sub) == 5"), Tri::kTrue);
  EXPECT_EQ(run("size([1, 2, 3]) == 3"), Tri::kTrue);
  EXPECT_EQ(run("size([]) == 0"), Tri::kTrue);
  EXPECT_EQ(run("size(HttpRequest.AccessToken.empty) > 0"), Tri::kFalse);
}

TEST(Evaluate, StartsWithEndsWith) {
  EXPECT_EQ(run("starts_with(action, 'inbound-')"), Tri::kTrue);
  EXPECT_EQ(run("starts_with(action, 'POST')"), Tri::kFalse);
  EXPECT_EQ(run("ends_with(action, 'POST')"), Tri::kTrue);
  EXPECT_EQ(run("ends_with(action, 'inbound-')"), Tri::kFalse);
  EXPECT_EQ(run("starts_with('abc', '')"), Tri::kTrue);
  EXPECT_EQ(run("starts_with('ab', 'abc')"), Tri::kFalse);
  EXPECT_EQ(run("ends_with(HttpRequest.AccessToken.sub, 'ice')"), Tri::kTrue);
  EXPECT_EQ(run("starts_with(HttpRequest.AccessToken.sub, HttpRequest.AccessToken.empty)"),
            Tri::kTrue);
}

TEST(Evaluate, Has) {
  EXPECT_EQ(run("has(service)"), Tri::kTrue);
  EXPECT_EQ(run("has(HttpRequest.AccessToken.sub)"), Tri::kTrue);
  EXPECT_EQ(run("has(HttpRequest.AccessToken.empty)"), Tri::kTrue);
  EXPECT_EQ(run("has(HttpRequest.AccessToken.missing)"), Tri::kFalse);
  EXPECT_EQ(run("has(HttpRequest.AccessToken[\"https://x/claim\"])"), Tri::kTrue);
}

TEST(Evaluate, AcrAtLeast) {
  FakeSource source;
  source.set_string("authentication_policy", "urn:example:mfa");
  EXPECT_EQ(run("acr_at_least('urn:example:pwd')", source), Tri::kTrue);
  EXPECT_EQ(run("acr_at_least('urn:example:mfa')", source), Tri::kTrue);
  EXPECT_EQ(run("acr_at_least('urn:example:hwk')", source), Tri::kFalse);
  EXPECT_EQ(run("!acr_at_least('urn:example:hwk')", source), Tri::kTrue);

  source.set_string("authentication_policy", "urn:example:pwd");
  EXPECT_EQ(run("acr_at_least('urn:example:pwd')", source), Tri::kTrue);
  EXPECT_EQ(run("acr_at_least('urn:example:mfa')", source), Tri::kFalse);

  source.set_string("authentication_policy", "urn:example:hwk");
  EXPECT_EQ(run("acr_at_least('urn:example:hwk')", source), Tri::kTrue);

  // An acr the document does not list is below every level.
  source.set_string("authentication_policy", "urn:other");
  EXPECT_EQ(run("acr_at_least('urn:example:pwd')", source), Tri::kFalse);

  // A non-string acr cannot be ranked.
  source.set_int("authentication_policy", 2);
  EXPECT_EQ(run("acr_at_least('urn:example:pwd')", source), Tri::kError);

  FakeSource none;
  EXPECT_EQ(run("acr_at_least('urn:example:pwd')", none), Tri::kError);
}

TEST(Evaluate, SeedPolicyConditions) {
  // The conditions of SPEC §2's example document.
  FakeSource weak;
  weak.set_string("authentication_policy", "urn:example:pwd").set_int("authentication_age", 30);
  FakeSource strong_but_old;
  strong_but_old.set_string("authentication_policy", "urn:example:hwk")
      .set_int("authentication_age", 301);
  EXPECT_EQ(run("!acr_at_least('urn:example:mfa')", weak), Tri::kTrue);
  EXPECT_EQ(run("!acr_at_least('urn:example:mfa')", strong_but_old), Tri::kFalse);
  EXPECT_EQ(run("authentication_age > 300", weak), Tri::kFalse);
  EXPECT_EQ(run("authentication_age > 300", strong_but_old), Tri::kTrue);
  EXPECT_EQ(run("'payments:write' in HttpRequest.AccessToken.scope"), Tri::kTrue);
  EXPECT_EQ(run("has(HttpRequest.AccessToken.sub)"), Tri::kTrue);
}

TEST(Paths, BracketMembers) {
  EXPECT_EQ(run("HttpRequest.AccessToken[\"https://x/claim\"] == 'yes'"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken['https://x/claim'] == 'no'"), Tri::kFalse);
  EXPECT_EQ(run("HttpRequest.AccessToken[\"sub\"] == 'alice'"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken.[\"sub\"] == 'alice'"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest[\"AccessToken\"].address.country == 'FR'"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken['address'][\"country\"] == 'FR'"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken['a\\\"b'] == 'quoted'"), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest . AccessToken . sub == 'alice'"), Tri::kTrue);
}

TEST(Paths, TextIsCanonical) {
  // Names that are identifiers print with dots, others in brackets.
  const CompiledCondition condition = compile(
      "HttpRequest.AccessToken['https://x/claim'] == HttpRequest['AccessToken'].sub || "
      "has(HttpRequest.AccessToken['a\"b\\\\c'])");
  ASSERT_EQ(condition.attributes_read().size(), 3u);
  EXPECT_EQ(condition.attributes_read()[0].text, "HttpRequest.AccessToken[\"https://x/claim\"]");
  EXPECT_EQ(condition.attributes_read()[0].names, std::vector<std::string>{"https://x/claim"});
  EXPECT_EQ(condition.attributes_read()[1].text, "HttpRequest.AccessToken.sub");
  EXPECT_EQ(condition.attributes_read()[2].text, "HttpRequest.AccessToken[\"a\\\"b\\\\c\"]");
  EXPECT_EQ(condition.attributes_read()[2].names, std::vector<std::string>{"a\"b\\c"});
}

TEST(Paths, HeaderNamesWithDashes) {
  EXPECT_EQ(run("HttpRequest.RequestHeaders.x-request-id == 'abc'"), Tri::kTrue);
  const CompiledCondition condition = compile("has(HttpRequest.RequestHeaders.X-Request-Id)");
  ASSERT_EQ(condition.attributes_read().size(), 1u);
  EXPECT_EQ(condition.attributes_read()[0].id, attributes::AttributeId::kRequestHeader);
  EXPECT_EQ(condition.attributes_read()[0].names, std::vector<std::string>{"x-request-id"});
}

TEST(Paths, KeywordsAreNamesAfterADot) {
  FakeSource source;
  source.set_string("HttpRequest.QueryParameters.in", "x")
      .set_string("HttpRequest.AccessToken.true", "y");
  EXPECT_EQ(run("HttpRequest.QueryParameters.in == 'x'", source), Tri::kTrue);
  EXPECT_EQ(run("HttpRequest.AccessToken.true == 'y'", source), Tri::kTrue);
}

TEST(AttributesRead, OncePerPathInOrder) {
  const CompiledCondition condition = compile(
      "authentication_age > 1 && authentication_age < 5 && "
      "acr_at_least('urn:example:mfa') && has(service) && "
      "authentication_policy != 'x'");
  ASSERT_EQ(condition.attributes_read().size(), 3u);
  EXPECT_EQ(condition.attributes_read()[0].id, attributes::AttributeId::kAuthenticationAge);
  EXPECT_EQ(condition.attributes_read()[1].id, attributes::AttributeId::kAuthenticationPolicy);
  EXPECT_EQ(condition.attributes_read()[1].text, "authentication_policy");
  EXPECT_EQ(condition.attributes_read()[2].id, attributes::AttributeId::kService);
  EXPECT_TRUE(compile("1 == 1").attributes_read().empty());
}

TEST(AttributesRead, DefaultConditionAlwaysHolds) {
  const CompiledCondition none;
  EXPECT_EQ(none.evaluate(FakeSource()), Tri::kTrue);
  EXPECT_TRUE(none.attributes_read().empty());
  EXPECT_EQ(none.text(), "");
  EXPECT_EQ(compile("  true ").text(), "  true ");
}

TEST(Tri, Names) {
  EXPECT_EQ(to_string(Tri::kTrue), "true");
  EXPECT_EQ(to_string(Tri::kFalse), "false");
  EXPECT_EQ(to_string(Tri::kError), "error");
}

}  // namespace
}  // namespace stepup::condition
