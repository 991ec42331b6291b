// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Every load error, with its exact column and message.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "condition/condition.h"

namespace stepup::condition {
namespace {

const std::vector<std::string> kLevels = {"urn:example:pwd", "urn:example:mfa", "urn:example:hwk"};

// "c:<column>: <message>", or "compiled" when the text compiles.
std::string error_of(std::string_view text, const std::vector<std::string>* levels = &kLevels) {
  CompileOptions options;
  options.acr_levels = levels;
  auto result = compile_condition(text, options);
  if (const auto* error = std::get_if<CompileError>(&result)) return error->format("c");
  return "compiled";
}

TEST(CompileError, FormatsWithTheCallersPrefix) {
  const CompileError error{14, "expected ')'"};
  EXPECT_EQ(error.format("policy.children[0].rules[1].condition"),
            "policy.children[0].rules[1].condition:14: expected ')'");
}

TEST(CompileError, Strings) {
  EXPECT_EQ(error_of("service == 'abc"), "c:12: unterminated string");
  EXPECT_EQ(error_of("service == \"abc'"), "c:12: unterminated string");
  EXPECT_EQ(error_of("service == 'abc\\"), "c:12: unterminated string");
  EXPECT_EQ(error_of("service == 'abc\\'"), "c:12: unterminated string");
  EXPECT_EQ(error_of("service == 'a\\nb'"),
            "c:14: invalid escape \\n (only \\', \\\" and \\\\ are allowed)");
  EXPECT_EQ(error_of("service == 'a\\u0041'"),
            "c:14: invalid escape \\u (only \\', \\\" and \\\\ are allowed)");
}

TEST(CompileError, Integers) {
  EXPECT_EQ(error_of("authentication_age > 9223372036854775807"), "compiled");
  EXPECT_EQ(error_of("authentication_age > -9223372036854775808"), "compiled");
  EXPECT_EQ(error_of("authentication_age > 9223372036854775808"), "c:22: integer out of range");
  EXPECT_EQ(error_of("authentication_age > -9223372036854775809"), "c:22: integer out of range");
  EXPECT_EQ(error_of("authentication_age > 99999999999999999999999"), "c:22: integer out of range");
  EXPECT_EQ(error_of("authentication_age > 0300"), "c:22: integers cannot have leading zeros");
  EXPECT_EQ(error_of("authentication_age > 0"), "compiled");
  EXPECT_EQ(error_of("authentication_age > 1.5"), "c:22: only integers are supported");
  EXPECT_EQ(error_of("authentication_age > 12abc"), "c:22: invalid number");
  EXPECT_EQ(error_of("authentication_age > - 1"), "c:22: '-' must be followed by digits");
  EXPECT_EQ(error_of("authentication_age > 5 -3"), "c:24: unexpected '-3' after expression");
}

TEST(CompileError, Characters) {
  EXPECT_EQ(error_of("service = 'a'"), "c:9: unexpected '=' (use '==')");
  EXPECT_EQ(error_of("true & false"), "c:6: unexpected '&' (use '&&')");
  EXPECT_EQ(error_of("true | false"), "c:6: unexpected '|' (use '||')");
  EXPECT_EQ(error_of("true # false"), "c:6: unexpected character '#'");
  EXPECT_EQ(error_of("true && \xC3\xA9"), "c:9: unexpected byte 0xC3");
  EXPECT_EQ(error_of("true &&\x01true"), "c:8: unexpected byte 0x01");
}

TEST(CompileError, Grammar) {
  EXPECT_EQ(error_of(""), "c:1: empty condition");
  EXPECT_EQ(error_of("   "), "c:4: empty condition");
  EXPECT_EQ(error_of("(true"), "c:6: expected ')'");
  EXPECT_EQ(error_of("(true false)"), "c:7: expected ')'");
  EXPECT_EQ(error_of("authentication_age =="), "c:22: expected an operand");
  EXPECT_EQ(error_of("&& true"), "c:1: expected an operand");
  EXPECT_EQ(error_of("true && || false"), "c:9: expected an operand");
  EXPECT_EQ(error_of(")"), "c:1: expected an operand");
  EXPECT_EQ(error_of("()"), "c:2: expected an operand");
  EXPECT_EQ(error_of("in == 1"), "c:1: expected an operand");
  EXPECT_EQ(error_of("true false"), "c:6: unexpected 'false' after expression");
  EXPECT_EQ(error_of("true)"), "c:5: unexpected ')' after expression");
  EXPECT_EQ(error_of("true 'x'"), "c:6: unexpected 'x' after expression");
  EXPECT_EQ(error_of("true \"x\""), "c:6: unexpected \"x\" after expression");
  EXPECT_EQ(error_of("true " + std::string(40, 'a')),
            "c:6: unexpected '" + std::string(32, 'a') + "...' after expression");
  EXPECT_EQ(error_of("true == !false"),
            "c:9: expected an operand; put '!' and its operand in parentheses");
  EXPECT_EQ(error_of("true == (!false)"), "compiled");
}

TEST(CompileError, ComparisonsDoNotChain) {
  EXPECT_EQ(error_of("1 < 2 < 3"), "c:7: comparisons cannot be chained; add parentheses");
  EXPECT_EQ(error_of("1 == 1 == true"), "c:8: comparisons cannot be chained; add parentheses");
  EXPECT_EQ(error_of("'a' in 'abc' == true"),
            "c:14: comparisons cannot be chained; add parentheses");
  EXPECT_EQ(error_of("1 in [1] contains 1"),
            "c:10: comparisons cannot be chained; add parentheses");
  EXPECT_EQ(error_of("(1 < 2) == true"), "compiled");
}

TEST(CompileError, Lists) {
  EXPECT_EQ(error_of("1 in [1, 'a']"),
            "c:10: list items must all have one type: expected int, got string");
  EXPECT_EQ(error_of("1 in [1, true]"),
            "c:10: list items must all have one type: expected int, got bool");
  EXPECT_EQ(error_of("1 in [1,]"), "c:9: expected a list item");
  EXPECT_EQ(error_of("1 in [1 2]"), "c:9: expected ',' or ']'");
  EXPECT_EQ(error_of("1 in [1"), "c:8: expected ',' or ']'");
  EXPECT_EQ(error_of("1 in [,]"), "c:7: list items must be string, int or bool literals");
  EXPECT_EQ(error_of("1 in [authentication_age]"),
            "c:7: list items must be string, int or bool literals");
  EXPECT_EQ(error_of("1 in [[1]]"), "c:7: list items must be string, int or bool literals");
  EXPECT_EQ(error_of("1 in [(1)]"), "c:7: list items must be string, int or bool literals");
  EXPECT_EQ(error_of("1 in [-1, 2]"), "compiled");
  EXPECT_EQ(error_of("1 in []"), "compiled");
}

TEST(CompileError, Paths) {
  EXPECT_EQ(error_of("bar == 1"), "c:1: unknown attribute bar");
  EXPECT_EQ(error_of("true && HttpRequest.Nope == 1"), "c:9: unknown attribute HttpRequest.Nope");
  EXPECT_EQ(error_of("has(HttpRequest.AccessToken)"), "c:5: HttpRequest.AccessToken needs a claim");
  EXPECT_EQ(error_of("authentication_age.days > 1"),
            "c:1: attribute authentication_age has no members");
  EXPECT_EQ(error_of("HttpRequest. == 'x'"), "c:14: expected a name after '.'");
  EXPECT_EQ(error_of("HttpRequest.AccessToken.1 == 'x'"), "c:25: expected a name after '.'");
  EXPECT_EQ(error_of("HttpRequest.AccessToken[sub] == 'x'"),
            "c:25: expected a quoted name after '['");
  EXPECT_EQ(error_of("HttpRequest.AccessToken[''] == 'x'"), "c:25: empty member name");
  EXPECT_EQ(error_of("HttpRequest.AccessToken['sub' == 'x'"), "c:31: expected ']'");
}

TEST(CompileError, Functions) {
  EXPECT_EQ(error_of("foo(1)"), "c:1: unknown function foo");
  EXPECT_EQ(error_of("true && Has(service)"), "c:9: unknown function Has");
  EXPECT_EQ(error_of("has()"), "c:1: has() takes 1 argument, got 0");
  EXPECT_EQ(error_of("has(service, action)"), "c:1: has() takes 1 argument, got 2");
  EXPECT_EQ(error_of("starts_with('a')"), "c:1: starts_with() takes 2 arguments, got 1");
  EXPECT_EQ(error_of("ends_with('a', 'b', 'c')"), "c:1: ends_with() takes 2 arguments, got 3");
  EXPECT_EQ(error_of("starts_with('a' 'b')"), "c:17: expected ','");
  EXPECT_EQ(error_of("has(service"), "c:12: expected ')'");
  EXPECT_EQ(error_of("has(service,)"), "c:13: expected an operand");
  EXPECT_EQ(error_of("has('service')"), "c:5: has() needs an attribute path");
  EXPECT_EQ(error_of("has(service == 'a')"), "c:5: has() needs an attribute path");
  EXPECT_EQ(error_of("has((service))"), "compiled");
  EXPECT_EQ(error_of("size(true) == 1"), "c:6: size() needs a string or a list, got bool");
  EXPECT_EQ(error_of("size(authentication_age) == 1"),
            "c:6: size() needs a string or a list, got int");
  EXPECT_EQ(error_of("starts_with(1, 'a')"), "c:13: starts_with() needs strings, got int");
  EXPECT_EQ(error_of("ends_with('a', authentication_methods)"),
            "c:16: ends_with() needs strings, got list");
  EXPECT_EQ(error_of("size('a')"), "c:1: condition must be a boolean, got int");
}

TEST(CompileError, AcrAtLeast) {
  EXPECT_EQ(error_of("acr_at_least('urn:example:mfa')"), "compiled");
  EXPECT_EQ(error_of("acr_at_least('urn:example:mfa')", nullptr),
            "c:1: acr_at_least() needs acr_levels in the document");
  const std::vector<std::string> none;
  EXPECT_EQ(error_of("true && acr_at_least('urn:example:mfa')", &none),
            "c:9: acr_at_least() needs acr_levels in the document");
  EXPECT_EQ(error_of("acr_at_least('urn:example:otp')"),
            "c:14: 'urn:example:otp' is not one of acr_levels");
  EXPECT_EQ(error_of("acr_at_least(authentication_policy)"),
            "c:14: acr_at_least() needs a string literal");
  EXPECT_EQ(error_of("acr_at_least(1)"), "c:14: acr_at_least() needs a string literal");
  EXPECT_EQ(error_of("acr_at_least()"), "c:1: acr_at_least() takes 1 argument, got 0");
}

TEST(CompileError, StaticTypes) {
  EXPECT_EQ(error_of("authentication_age > 'x'"), "c:20: cannot compare int with string");
  EXPECT_EQ(error_of("service == 1"), "c:9: cannot compare string with int");
  EXPECT_EQ(error_of("HttpRequest.AccessToken.active == 'yes'"),
            "c:32: cannot compare bool with string");
  EXPECT_EQ(error_of("true < false"), "c:6: '<' needs integers or strings, got bool");
  EXPECT_EQ(error_of("1 >= true"), "c:3: '>=' needs integers or strings, got bool");
  EXPECT_EQ(error_of("HttpRequest.AccessToken.scope > 'a'"),
            "c:31: '>' needs integers or strings, got list");
  EXPECT_EQ(error_of("[1] == [1]"), "c:5: lists cannot be compared with '=='");
  EXPECT_EQ(error_of("authentication_methods != HttpRequest.AccessToken.amr"),
            "c:24: lists cannot be compared with '!='");
  EXPECT_EQ(error_of("!authentication_age"), "c:1: '!' needs a boolean operand, got int");
  EXPECT_EQ(error_of("!!'x'"), "c:2: '!' needs a boolean operand, got string");
  EXPECT_EQ(error_of("true && 1"), "c:9: '&&' needs boolean operands, got int");
  EXPECT_EQ(error_of("service || true"), "c:1: '||' needs boolean operands, got string");
  EXPECT_EQ(error_of("true || false || [true]"), "c:18: '||' needs boolean operands, got list");
  EXPECT_EQ(error_of("authentication_age"), "c:1: condition must be a boolean, got int");
  EXPECT_EQ(error_of("  (authentication_methods)"), "c:3: condition must be a boolean, got list");
}

TEST(CompileError, MembershipTypes) {
  EXPECT_EQ(error_of("'a' in 5"), "c:5: 'in' needs a list or a string on the right, got int");
  EXPECT_EQ(error_of("'a' in true"), "c:5: 'in' needs a list or a string on the right, got bool");
  EXPECT_EQ(error_of("authentication_age in 'abc'"),
            "c:20: 'in' on a string needs a string on the left, got int");
  EXPECT_EQ(error_of("1 in authentication_methods"),
            "c:3: cannot look for int in a list of string");
  EXPECT_EQ(error_of("'a' in [1, 2]"), "c:5: cannot look for string in a list of int");
  EXPECT_EQ(error_of("[1, 2] contains 'a'"), "c:8: cannot look for string in a list of int");
  EXPECT_EQ(error_of("[1] in [1]"), "c:5: 'in' needs a string, int or bool on the left, got list");
  EXPECT_EQ(error_of("[1] contains [1]"),
            "c:5: 'contains' needs a string, int or bool on the right, got list");
  EXPECT_EQ(error_of("'abc' contains 'b'"), "c:7: 'contains' needs a list on the left, got string");
  EXPECT_EQ(error_of("1 contains 1"), "c:3: 'contains' needs a list on the left, got int");
  // Dynamic operands are checked when the condition runs.
  EXPECT_EQ(error_of("1 in HttpRequest.AccessToken.groups"), "compiled");
  EXPECT_EQ(error_of("HttpRequest.AccessToken.level in ['a']"), "compiled");
  EXPECT_EQ(error_of("HttpRequest.AccessToken.level > 'a'"), "compiled");
  EXPECT_EQ(error_of("HttpRequest.AccessToken.flag"), "compiled");
  EXPECT_EQ(error_of("'a' in []"), "compiled");
}

TEST(CompileError, LengthLimit) {
  const std::string longest = "true" + std::string(kMaxConditionBytes - 4, ' ');
  EXPECT_EQ(error_of(longest), "compiled");
  EXPECT_EQ(error_of(longest + " "), "c:4097: condition is longer than 4096 bytes");
}

TEST(CompileError, NestingLimit) {
  const auto parens = [](int depth) {
    return std::string(depth, '(') + "true" + std::string(depth, ')');
  };
  EXPECT_EQ(error_of(parens(kMaxNestingDepth)), "compiled");
  EXPECT_EQ(error_of(parens(kMaxNestingDepth + 1)),
            "c:65: expression nested too deeply (more than 64 levels)");
  EXPECT_EQ(error_of(std::string(kMaxNestingDepth, '!') + "true"), "compiled");
  EXPECT_EQ(error_of(std::string(kMaxNestingDepth + 1, '!') + "true"),
            "c:65: expression nested too deeply (more than 64 levels)");
  // A function call's parentheses count too.
  const std::string call = "size('a') == 1";
  EXPECT_EQ(error_of(std::string(kMaxNestingDepth - 1, '(') + call +
                     std::string(kMaxNestingDepth - 1, ')')),
            "compiled");
  EXPECT_EQ(
      error_of(std::string(kMaxNestingDepth, '(') + call + std::string(kMaxNestingDepth, ')')),
      "c:69: expression nested too deeply (more than 64 levels)");
  // Mixed: 32 '!' then 33 parentheses.
  EXPECT_EQ(error_of(std::string(32, '!') + std::string(33, '(') + "true" + std::string(33, ')')),
            "c:65: expression nested too deeply (more than 64 levels)");
  // Siblings do not add up: only depth counts.
  std::string wide = parens(kMaxNestingDepth);
  for (int i = 0; i < 10; ++i)
    wide += " && " + parens(kMaxNestingDepth);
  EXPECT_EQ(error_of(wide), "compiled");
}

TEST(CompileError, LongFlatChainsAreFine) {
  std::string chain = "true";
  while (chain.size() + 8 < kMaxConditionBytes)
    chain += " && true";
  EXPECT_EQ(error_of(chain), "compiled");
}

}  // namespace
}  // namespace stepup::condition
