// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "condition/lexer.h"

#include <cstdio>
#include <limits>

#include "common/ascii.h"

namespace stepup::condition {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Printable ASCII as itself, anything else as its byte value, so that
// messages stay readable and valid UTF-8.
std::string unexpected_char_message(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return std::string("unexpected character '") + c + "'";
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "unexpected byte 0x%02X", byte);
  return buffer;
}

}  // namespace

bool is_identifier_start(char c) {
  return common::is_ascii_alpha(c) || c == '_';
}

bool is_identifier_char(char c) {
  return is_identifier_start(c) || common::is_ascii_digit(c) || c == '-';
}

CompileError error_at(std::size_t offset, std::string message) {
  return CompileError{static_cast<int>(offset) + 1, std::move(message)};
}

std::optional<CompileError> Lexer::next(Token& token) {
  while (pos_ < text_.size() && is_space(text_[pos_]))
    ++pos_;
  token = Token();
  token.offset = pos_;
  if (pos_ == text_.size()) {
    token.kind = TokenKind::kEnd;
    return std::nullopt;
  }
  const char c = text_[pos_];
  const char following = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
  auto single = [&](TokenKind kind, std::size_t length) -> std::optional<CompileError> {
    token.kind = kind;
    token.text = text_.substr(pos_, length);
    pos_ += length;
    return std::nullopt;
  };
  if (is_identifier_start(c)) {
    std::size_t end = pos_ + 1;
    while (end < text_.size() && is_identifier_char(text_[end]))
      ++end;
    return single(TokenKind::kIdentifier, end - pos_);
  }
  if (common::is_ascii_digit(c) || (c == '-' && common::is_ascii_digit(following)))
    return read_integer(token);
  switch (c) {
    case '\'':
    case '"':
      return read_string(token);
    case '(':
      return single(TokenKind::kLeftParen, 1);
    case ')':
      return single(TokenKind::kRightParen, 1);
    case '[':
      return single(TokenKind::kLeftBracket, 1);
    case ']':
      return single(TokenKind::kRightBracket, 1);
    case ',':
      return single(TokenKind::kComma, 1);
    case '.':
      return single(TokenKind::kDot, 1);
    case '!':
      if (following == '=') return single(TokenKind::kNotEqual, 2);
      return single(TokenKind::kNot, 1);
    case '&':
      if (following == '&') return single(TokenKind::kAnd, 2);
      return error_at(pos_, "unexpected '&' (use '&&')");
    case '|':
      if (following == '|') return single(TokenKind::kOr, 2);
      return error_at(pos_, "unexpected '|' (use '||')");
    case '=':
      if (following == '=') return single(TokenKind::kEqual, 2);
      return error_at(pos_, "unexpected '=' (use '==')");
    case '<':
      if (following == '=') return single(TokenKind::kLessEqual, 2);
      return single(TokenKind::kLess, 1);
    case '>':
      if (following == '=') return single(TokenKind::kGreaterEqual, 2);
      return single(TokenKind::kGreater, 1);
    case '-':
      return error_at(pos_, "'-' must be followed by digits");
    default:
      return error_at(pos_, unexpected_char_message(c));
  }
}

std::optional<CompileError> Lexer::read_string(Token& token) {
  const std::size_t start = pos_;
  const char quote = text_[pos_];
  std::size_t i = pos_ + 1;
  std::string value;
  while (true) {
    if (i >= text_.size()) return error_at(start, "unterminated string");
    const char c = text_[i];
    if (c == quote) break;
    if (c == '\\') {
      if (i + 1 >= text_.size()) return error_at(start, "unterminated string");
      const char escaped = text_[i + 1];
      if (escaped != '\'' && escaped != '"' && escaped != '\\') {
        return error_at(i, "invalid escape \\" + std::string(1, escaped) +
                               " (only \\', \\\" and \\\\ are allowed)");
      }
      value += escaped;
      i += 2;
      continue;
    }
    value += c;
    ++i;
  }
  token.kind = TokenKind::kString;
  token.text = text_.substr(start, i + 1 - start);
  token.string_value = std::move(value);
  pos_ = i + 1;
  return std::nullopt;
}

std::optional<CompileError> Lexer::read_integer(Token& token) {
  const std::size_t start = pos_;
  const bool negative = text_[pos_] == '-';
  std::size_t i = negative ? pos_ + 1 : pos_;
  const std::size_t digits_start = i;
  // The magnitude is accumulated unsigned so that INT64_MIN, whose magnitude
  // exceeds INT64_MAX, is still accepted.
  const uint64_t limit =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  uint64_t magnitude = 0;
  bool overflow = false;
  for (; i < text_.size() && common::is_ascii_digit(text_[i]); ++i) {
    const auto digit = static_cast<uint64_t>(text_[i] - '0');
    if (magnitude > (limit - digit) / 10) overflow = true;
    if (!overflow) magnitude = magnitude * 10 + digit;
  }
  if (i - digits_start > 1 && text_[digits_start] == '0') {
    return error_at(start, "integers cannot have leading zeros");
  }
  if (i < text_.size() && text_[i] == '.' && i + 1 < text_.size() &&
      common::is_ascii_digit(text_[i + 1])) {
    return error_at(start, "only integers are supported");
  }
  if (i < text_.size() && is_identifier_start(text_[i])) {
    return error_at(start, "invalid number");
  }
  if (overflow) return error_at(start, "integer out of range");
  token.kind = TokenKind::kInteger;
  token.text = text_.substr(start, i - start);
  token.integer_value =
      negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  pos_ = i;
  return std::nullopt;
}

}  // namespace stepup::condition
