// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/challenge_client.h"

namespace stepup {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

std::vector<Challenge> parse(std::string_view field) {
  return parse_www_authenticate({field});
}

// Checks one valid challenge exactly.
void expect_challenge(const Challenge& c, std::string_view scheme, const Params& params,
                      std::string_view token68 = "") {
  EXPECT_TRUE(c.valid) << c.error;
  EXPECT_EQ(c.error, "");
  EXPECT_EQ(c.scheme, scheme);
  EXPECT_EQ(c.token68, token68);
  EXPECT_EQ(c.params, params);
}

// Checks one invalid challenge: its scheme, the params parsed before the
// error, and the error text.
void expect_invalid(const Challenge& c, std::string_view scheme, const Params& params,
                    std::string_view error) {
  EXPECT_FALSE(c.valid);
  EXPECT_EQ(c.scheme, scheme);
  EXPECT_EQ(c.params, params);
  EXPECT_EQ(c.error, error);
}

TEST(ParseWwwAuthenticate, Rfc6750Examples) {
  auto challenges = parse(R"(Bearer realm="example")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "bearer", {{"realm", "example"}});

  challenges = parse(
      R"(Bearer realm="example", error="invalid_token", error_description="The access token expired")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "bearer",
                   {{"realm", "example"},
                    {"error", "invalid_token"},
                    {"error_description", "The access token expired"}});
}

TEST(ParseWwwAuthenticate, Rfc9470Examples) {
  auto challenges = parse(
      R"(Bearer error="insufficient_user_authentication", )"
      R"(error_description="A different authentication level is required", acr_values="myACR")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "bearer",
                   {{"error", "insufficient_user_authentication"},
                    {"error_description", "A different authentication level is required"},
                    {"acr_values", "myACR"}});

  challenges = parse(R"(Bearer error="insufficient_user_authentication", )"
                     R"(error_description="More recent authentication is required", max_age="5")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "bearer",
                   {{"error", "insufficient_user_authentication"},
                    {"error_description", "More recent authentication is required"},
                    {"max_age", "5"}});
}

TEST(ParseWwwAuthenticate, TwoChallengesInOneField) {
  const auto challenges = parse(R"(Bearer realm="a", Basic realm="b")");
  ASSERT_EQ(challenges.size(), 2u);
  expect_challenge(challenges[0], "bearer", {{"realm", "a"}});
  expect_challenge(challenges[1], "basic", {{"realm", "b"}});
}

TEST(ParseWwwAuthenticate, Rfc9110NewauthExample) {
  const auto challenges =
      parse(R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple")");
  ASSERT_EQ(challenges.size(), 2u);
  expect_challenge(challenges[0], "newauth",
                   {{"realm", "apps"}, {"type", "1"}, {"title", "Login to \"apps\""}});
  expect_challenge(challenges[1], "basic", {{"realm", "simple"}});
}

TEST(ParseWwwAuthenticate, SeveralFieldsKeepTheirOrder) {
  const auto challenges = parse_www_authenticate(
      {R"(Bearer realm="a")", R"(Basic realm="b", Negotiate)", "", R"(DPoP algs="ES256")"});
  ASSERT_EQ(challenges.size(), 4u);
  expect_challenge(challenges[0], "bearer", {{"realm", "a"}});
  expect_challenge(challenges[1], "basic", {{"realm", "b"}});
  expect_challenge(challenges[2], "negotiate", {});
  expect_challenge(challenges[3], "dpop", {{"algs", "ES256"}});
}

TEST(ParseWwwAuthenticate, FieldsAreParsedSeparately) {
  // An auth-param cannot continue a challenge from the previous field.
  const auto challenges = parse_www_authenticate({R"(Bearer realm="a")", R"(error="x")"});
  ASSERT_EQ(challenges.size(), 2u);
  expect_challenge(challenges[0], "bearer", {{"realm", "a"}});
  expect_invalid(challenges[1], "", {},
                 "field 1, offset 0: auth-param 'error' before any auth-scheme");
}

TEST(ParseWwwAuthenticate, Token68) {
  auto challenges = parse("Basic dXNlcjpwYXNz");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "basic", {}, "dXNlcjpwYXNz");

  challenges = parse("Negotiate abc==");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "negotiate", {}, "abc==");

  // '/' and '+' are token68 characters but not tchars.
  challenges = parse(R"(Basic a/b+c=, Negotiate abc=  ,Bearer realm="x")");
  ASSERT_EQ(challenges.size(), 3u);
  expect_challenge(challenges[0], "basic", {}, "a/b+c=");
  expect_challenge(challenges[1], "negotiate", {}, "abc=");
  expect_challenge(challenges[2], "bearer", {{"realm", "x"}});
}

TEST(ParseWwwAuthenticate, TrailingEqualsMakesAToken68NotAParamWithoutValue) {
  // `token68 = 1*tchar68 *"="`: `realm=` is a token68 by the grammar.
  auto challenges = parse("Bearer realm=");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "bearer", {}, "realm=");

  // ...so an auth-param cannot follow it.
  challenges = parse(R"(Bearer error=, realm="a")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {},
                 "field 0, offset 15: auth-param 'realm' after a token68");
}

TEST(ParseWwwAuthenticate, Token68CannotBeFollowedByMore) {
  auto challenges = parse("Negotiate abc== def");
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_EQ(challenges[0].token68, "abc==");
  EXPECT_FALSE(challenges[0].valid);
  EXPECT_EQ(challenges[0].error, "field 0, offset 16: expected ',' or the end of the field");

  challenges = parse("Basic a=b=");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "basic", {{"a", "b"}},
                 "field 0, offset 9: expected ',' or the end of the field");
}

TEST(ParseWwwAuthenticate, QuotedPairsAreUnescaped) {
  const auto challenges = parse(R"(Newauth title="a \"b\" c", path="a\\b", x="\q", e="")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "newauth",
                   {{"title", "a \"b\" c"}, {"path", "a\\b"}, {"x", "q"}, {"e", ""}});
}

TEST(ParseWwwAuthenticate, QuotedStringKeepsTabsAndNonAscii) {
  const auto challenges = parse("Bearer realm=\"a\tb\", name=\"caf\xc3\xa9\"");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "bearer", {{"realm", "a\tb"}, {"name", "caf\xc3\xa9"}});
}

TEST(ParseWwwAuthenticate, NamesAndSchemeAreCaseInsensitiveValuesAreNot) {
  const auto challenges = parse(R"(BEARER Realm="Example", ERROR=Invalid_Token)");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "bearer", {{"realm", "Example"}, {"error", "Invalid_Token"}});
  ASSERT_NE(challenges[0].param("REALM"), nullptr);
  EXPECT_EQ(*challenges[0].param("REALM"), "Example");
  ASSERT_NE(challenges[0].param("error"), nullptr);
  EXPECT_EQ(*challenges[0].param("error"), "Invalid_Token");
  EXPECT_EQ(challenges[0].param("scope"), nullptr);
}

TEST(ParseWwwAuthenticate, RepeatedParameterInvalidatesOnlyItsChallenge) {
  const auto challenges = parse(
      R"(Basic realm="x", Bearer realm="a", REALM="b", error="invalid_token", Newauth realm="c")");
  ASSERT_EQ(challenges.size(), 3u);
  expect_challenge(challenges[0], "basic", {{"realm", "x"}});
  expect_invalid(challenges[1], "bearer",
                 {{"realm", "a"}, {"realm", "b"}, {"error", "invalid_token"}},
                 "field 0, offset 35: auth-param 'realm' appears more than once");
  expect_challenge(challenges[2], "newauth", {{"realm", "c"}});
}

TEST(ParseWwwAuthenticate, WhitespaceVariants) {
  const Params expected = {{"realm", "a"}, {"error", "invalid_token"}, {"scope", "x y"}};
  for (const char* field : {
           R"(Bearer realm="a",error="invalid_token",scope="x y")",
           R"(Bearer realm = "a" , error= invalid_token ,scope ="x y")",
           "  Bearer   realm=\"a\" ,\t error=invalid_token\t,scope=\"x y\"  ",
           "Bearer\trealm=\"a\", error=invalid_token, scope=\"x y\"",
       }) {
    const auto challenges = parse(field);
    ASSERT_EQ(challenges.size(), 1u) << field;
    expect_challenge(challenges[0], "bearer", expected);
  }
}

TEST(ParseWwwAuthenticate, EmptyListElementsAreIgnored) {
  auto challenges = parse(R"(, Bearer realm="a",, ,error="x" , ,Basic,)");
  ASSERT_EQ(challenges.size(), 2u);
  expect_challenge(challenges[0], "bearer", {{"realm", "a"}, {"error", "x"}});
  expect_challenge(challenges[1], "basic", {});

  for (const char* field : {"", " ", ",", " , ,\t,"}) {
    EXPECT_TRUE(parse(field).empty()) << '"' << field << '"';
  }
  EXPECT_TRUE(parse_www_authenticate({}).empty());
}

TEST(ParseWwwAuthenticate, SchemesWithoutParameters) {
  auto challenges = parse("Bearer");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "bearer", {});

  challenges = parse("Bearer , Basic ");
  ASSERT_EQ(challenges.size(), 2u);
  expect_challenge(challenges[0], "bearer", {});
  expect_challenge(challenges[1], "basic", {});

  // An auth-param after a comma belongs to the open challenge.
  challenges = parse(R"(Bearer, realm="a")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "bearer", {{"realm", "a"}});
}

TEST(ParseWwwAuthenticate, UnterminatedQuote) {
  auto challenges = parse(R"(Bearer realm="abc)");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {}, "field 0, offset 13: unterminated quoted-string");

  // A backslash cannot escape the end of the field.
  challenges = parse(R"(Bearer realm="a\)");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {}, "field 0, offset 13: unterminated quoted-string");

  // The quote swallows what would have been a second challenge.
  challenges = parse(R"(Basic realm="x", Bearer realm="a, Negotiate abc)");
  ASSERT_EQ(challenges.size(), 2u);
  expect_challenge(challenges[0], "basic", {{"realm", "x"}});
  expect_invalid(challenges[1], "bearer", {}, "field 0, offset 30: unterminated quoted-string");
}

TEST(ParseWwwAuthenticate, MissingValue) {
  auto challenges = parse(R"(Bearer realm="a", error=)");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {{"realm", "a"}},
                 "field 0, offset 24: auth-param 'error' has no value");

  challenges = parse(R"(Bearer realm="a", error= , scope="s")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {{"realm", "a"}},
                 "field 0, offset 25: auth-param 'error' has no value");

  challenges = parse(R"(Bearer realm="a", error=;)");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {{"realm", "a"}},
                 "field 0, offset 24: auth-param 'error' has no value");
}

TEST(ParseWwwAuthenticate, EqualsWithoutName) {
  auto challenges = parse(R"(="a")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "", {}, "field 0, offset 0: expected an auth-scheme or auth-param");

  challenges = parse(R"(Bearer realm="a", ="b", Basic realm="c")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {{"realm", "a"}},
                 "field 0, offset 18: expected an auth-scheme or auth-param");

  // With BWS, `Bearer ="b"` reads as the auth-param `Bearer="b"`, which needs
  // an open challenge: here there is none...
  challenges = parse(R"(Bearer ="b")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "", {},
                 "field 0, offset 0: auth-param 'Bearer' before any auth-scheme");
  // ...and here it belongs to Basic, as RFC 9110's grammar says.
  challenges = parse(R"(Basic realm="x", Bearer ="b")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_challenge(challenges[0], "basic", {{"realm", "x"}, {"bearer", "b"}});

  challenges = parse("Bearer ;");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {},
                 "field 0, offset 7: expected a token68 or auth-param after the auth-scheme");
}

TEST(ParseWwwAuthenticate, ControlCharacters) {
  auto challenges = parse("Bearer realm=\"a\x01\", error=\"x\"");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {},
                 "field 0, offset 15: control character in quoted-string");

  // Header injection attempt: CR LF inside a quoted-string.
  challenges = parse("Bearer realm=\"a\r\nSet-Cookie: x\"");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {},
                 "field 0, offset 15: control character in quoted-string");

  // Neither may a quoted-pair carry one.
  challenges = parse("Bearer realm=\"a\\\x7f\"");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {},
                 "field 0, offset 16: control character in quoted-string");

  // Outside quotes a control character is simply not part of the grammar.
  challenges = parse("Bearer realm=a\x01");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {{"realm", "a"}},
                 "field 0, offset 14: expected ',' or the end of the field");

  challenges = parse(std::string_view("Bearer realm=\"a\0\"", 17));
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {},
                 "field 0, offset 15: control character in quoted-string");
}

TEST(ParseWwwAuthenticate, MissingCommaBetweenParams) {
  const auto challenges =
      parse(R"(Bearer realm="a" error="insufficient_user_authentication" acr_values="x")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {{"realm", "a"}},
                 "field 0, offset 17: expected ',' or the end of the field");
}

TEST(ParseWwwAuthenticate, SchemeMustBeFollowedBySpace) {
  const auto challenges = parse(R"(Bearer"x")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {},
                 "field 0, offset 6: expected a space after the auth-scheme");
}

TEST(ParseWwwAuthenticate, SyntaxErrorEndsOnlyItsField) {
  const auto challenges =
      parse_www_authenticate({R"(Basic realm="x", Bearer realm="a" junk, Newauth realm="n")",
                              R"(Bearer error="invalid_token")"});
  ASSERT_EQ(challenges.size(), 3u);
  expect_challenge(challenges[0], "basic", {{"realm", "x"}});
  expect_invalid(challenges[1], "bearer", {{"realm", "a"}},
                 "field 0, offset 34: expected ',' or the end of the field");
  // Newauth, after the error in field 0, is dropped; field 1 still parses.
  expect_challenge(challenges[2], "bearer", {{"error", "invalid_token"}});
}

TEST(ParseWwwAuthenticate, DuplicateThenSyntaxErrorKeepsBothReasons) {
  const auto challenges = parse(R"(Bearer a=1, A=2, b=")");
  ASSERT_EQ(challenges.size(), 1u);
  expect_invalid(challenges[0], "bearer", {{"a", "1"}, {"a", "2"}},
                 "field 0, offset 12: auth-param 'a' appears more than once; "
                 "field 0, offset 19: unterminated quoted-string");
}

// Every output keeps the documented invariants, whatever the input.
void expect_invariants(const std::vector<Challenge>& challenges, const std::string& input) {
  const auto has_upper = [](const std::string& text) {
    return text.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos;
  };
  for (const Challenge& c : challenges) {
    EXPECT_EQ(c.valid, c.error.empty()) << input;
    EXPECT_TRUE(c.token68.empty() || c.params.empty()) << input;
    EXPECT_FALSE(has_upper(c.scheme)) << input;
    EXPECT_TRUE(!c.valid || !c.scheme.empty()) << input;
    std::set<std::string> names;
    for (const auto& [name, value] : c.params) {
      EXPECT_FALSE(name.empty()) << input;
      EXPECT_FALSE(has_upper(name)) << input;
      EXPECT_TRUE(names.insert(name).second || !c.valid) << input;
    }
  }
}

TEST(ParseWwwAuthenticate, RandomInputNeverBreaksInvariants) {
  // Deterministic: a small alphabet that hits every branch of the grammar.
  constexpr std::string_view kAlphabet = "aB= ,\"\\\t\x01/+=\xff";
  uint32_t seed = 12345;
  for (int round = 0; round < 20000; ++round) {
    std::string input;
    seed = seed * 1664525u + 1013904223u;
    const std::size_t length = (seed >> 16) % 24;
    for (std::size_t i = 0; i < length; ++i) {
      seed = seed * 1664525u + 1013904223u;
      input.push_back(kAlphabet[(seed >> 16) % kAlphabet.size()]);
    }
    expect_invariants(parse(input), input);
  }
}

TEST(ParseWwwAuthenticate, LargeInputsStayLinear) {
  // Many distinct parameters: repeats are found with a set, not by rescanning.
  std::string many = "Bearer ";
  for (int i = 0; i < 100000; ++i)
    many += "p" + std::to_string(i) + "=v, ";
  auto challenges = parse(many);
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_TRUE(challenges[0].valid) << challenges[0].error;
  EXPECT_EQ(challenges[0].params.size(), 100000u);

  // Many schemes.
  std::string schemes;
  for (int i = 0; i < 100000; ++i)
    schemes += "S, ";
  EXPECT_EQ(parse(schemes).size(), 100000u);

  // A long unterminated quoted-string full of escapes.
  const std::string escapes = "Bearer realm=\"" + std::string(200000, '\\');
  challenges = parse(escapes);
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_FALSE(challenges[0].valid);
}

}  // namespace
}  // namespace stepup
