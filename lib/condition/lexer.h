// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONDITION_LEXER_H_
#define STEPUP_LIB_CONDITION_LEXER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "condition/condition.h"

namespace stepup::condition {

enum class TokenKind {
  kEnd,
  kIdentifier,  // Also `true`, `false`, `in`, `contains`: the parser tells them apart.
  kString,
  kInteger,
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kDot,
  kNot,
  kAnd,
  kOr,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::size_t offset = 0;     // Byte offset of the token's first character.
  std::string_view text;      // As written (strings with their quotes).
  std::string string_value;   // kString: the text with escapes resolved.
  int64_t integer_value = 0;  // kInteger, sign included.
};

// Splits a condition into tokens on demand, so that the first error reported
// is the leftmost one whether it is lexical or grammatical.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // Reads the next token into `token`; returns the error instead if the text
  // there is not a token.
  std::optional<CompileError> next(Token& token);

 private:
  std::optional<CompileError> read_string(Token& token);
  std::optional<CompileError> read_integer(Token& token);

  std::string_view text_;
  std::size_t pos_ = 0;
};

// Identifier characters: ALPHA or '_' first, then also DIGIT and '-' (so
// that a header name such as x-request-id is one path segment).
bool is_identifier_start(char c);
bool is_identifier_char(char c);

// `message` at byte `offset` of the condition.
CompileError error_at(std::size_t offset, std::string message);

}  // namespace stepup::condition

#endif  // STEPUP_LIB_CONDITION_LEXER_H_
