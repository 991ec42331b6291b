// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "condition/lexer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace stepup::condition {
namespace {

std::vector<Token> lex(std::string_view text) {
  Lexer lexer(text);
  std::vector<Token> tokens;
  while (true) {
    Token token;
    if (const auto error = lexer.next(token)) {
      ADD_FAILURE() << error->format(text);
      return tokens;
    }
    tokens.push_back(token);
    if (token.kind == TokenKind::kEnd) return tokens;
  }
}

TEST(Lexer, Operators) {
  const std::vector<Token> tokens = lex("( ) [ ] , . ! && || == != < <= > >=");
  const std::vector<TokenKind> expected = {
      TokenKind::kLeftParen,    TokenKind::kRightParen, TokenKind::kLeftBracket,
      TokenKind::kRightBracket, TokenKind::kComma,      TokenKind::kDot,
      TokenKind::kNot,          TokenKind::kAnd,        TokenKind::kOr,
      TokenKind::kEqual,        TokenKind::kNotEqual,   TokenKind::kLess,
      TokenKind::kLessEqual,    TokenKind::kGreater,    TokenKind::kGreaterEqual,
      TokenKind::kEnd};
  ASSERT_EQ(tokens.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(tokens[i].kind, expected[i]) << i;
  }
  EXPECT_EQ(tokens[7].offset, 14u);
  EXPECT_EQ(tokens[7].text, "&&");
  EXPECT_EQ(tokens.back().offset, 35u);
}

TEST(Lexer, NoSpacesNeeded) {
  const std::vector<Token> tokens = lex("!a<=-1&&b!=c");
  ASSERT_EQ(tokens.size(), 9u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kNot);
  EXPECT_EQ(tokens[1].text, "a");
  EXPECT_EQ(tokens[2].kind, TokenKind::kLessEqual);
  EXPECT_EQ(tokens[3].kind, TokenKind::kInteger);
  EXPECT_EQ(tokens[3].integer_value, -1);
  EXPECT_EQ(tokens[4].kind, TokenKind::kAnd);
  EXPECT_EQ(tokens[6].kind, TokenKind::kNotEqual);
  EXPECT_EQ(tokens[7].text, "c");
}

TEST(Lexer, Identifiers) {
  const std::vector<Token> tokens = lex("_a x-request-id A9_b- in\ttrue\ncontains");
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_EQ(tokens[0].text, "_a");
  EXPECT_EQ(tokens[1].text, "x-request-id");
  EXPECT_EQ(tokens[2].text, "A9_b-");
  EXPECT_EQ(tokens[3].text, "in");
  EXPECT_EQ(tokens[4].text, "true");
  EXPECT_EQ(tokens[5].text, "contains");
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(tokens[i].kind, TokenKind::kIdentifier);
  EXPECT_EQ(tokens[5].offset, 30u);
}

TEST(Lexer, Integers) {
  const std::vector<Token> tokens = lex("0 42 -7 9223372036854775807 -9223372036854775808");
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(tokens[0].integer_value, 0);
  EXPECT_EQ(tokens[1].integer_value, 42);
  EXPECT_EQ(tokens[2].integer_value, -7);
  EXPECT_EQ(tokens[2].text, "-7");
  EXPECT_EQ(tokens[3].integer_value, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(tokens[4].integer_value, std::numeric_limits<int64_t>::min());
}

TEST(Lexer, Strings) {
  const std::vector<Token> tokens = lex(R"('a"b' "a'b" 'it\'s' "q\"q" '\\' '' "é")");
  ASSERT_EQ(tokens.size(), 8u);
  EXPECT_EQ(tokens[0].string_value, "a\"b");
  EXPECT_EQ(tokens[0].text, "'a\"b'");
  EXPECT_EQ(tokens[1].string_value, "a'b");
  EXPECT_EQ(tokens[2].string_value, "it's");
  EXPECT_EQ(tokens[2].text, R"('it\'s')");
  EXPECT_EQ(tokens[3].string_value, "q\"q");
  EXPECT_EQ(tokens[4].string_value, "\\");
  EXPECT_EQ(tokens[5].string_value, "");
  EXPECT_EQ(tokens[6].string_value, "\xC3\xA9");
  for (int i = 0; i < 7; ++i)
    EXPECT_EQ(tokens[i].kind, TokenKind::kString);
}

TEST(Lexer, ReportsTheFirstBadToken) {
  Lexer lexer("a @");
  Token token;
  EXPECT_FALSE(lexer.next(token).has_value());
  const auto error = lexer.next(token);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->column, 3);
  EXPECT_EQ(error->message, "unexpected character '@'");
}

}  // namespace
}  // namespace stepup::condition
