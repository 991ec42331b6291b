// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "challenge/client_internal.h"
#include "common/ascii.h"

namespace stepup::challenge_internal {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

void append_hex_byte(std::string* out, char c) {
  const auto byte = static_cast<unsigned char>(c);
  out->push_back(kHexDigits[byte >> 4]);
  out->push_back(kHexDigits[byte & 0x0F]);
}

}  // namespace

bool is_token68_char(char c) {
  return common::is_unreserved(c) || c == '+' || c == '/';
}

std::optional<int64_t> parse_non_negative_int64(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (!common::is_ascii_digit(c)) return std::nullopt;
    const int digit = c - '0';
    if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::string form_urlencode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (common::is_unreserved(c)) {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      append_hex_byte(&out, c);
    }
  }
  return out;
}

std::string printable(std::string_view text, std::size_t max_bytes) {
  std::string out;
  const std::size_t shown = text.size() > max_bytes ? max_bytes : text.size();
  for (std::size_t i = 0; i < shown; ++i) {
    if (common::is_ctl(text[i])) {
      out += "\\x";
      append_hex_byte(&out, text[i]);
    } else {
      out.push_back(text[i]);
    }
  }
  if (shown < text.size()) out += "...";
  return out;
}

}  // namespace stepup::challenge_internal
