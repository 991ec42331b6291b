// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_COMMON_ASCII_H_
#define STEPUP_LIB_COMMON_ASCII_H_

#include <string>
#include <string_view>

namespace stepup::common {

// Character classes, in ASCII only (never the locale's).
constexpr bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

constexpr bool is_ascii_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

constexpr bool is_ascii_alnum(char c) {
  return is_ascii_alpha(c) || is_ascii_digit(c);
}

// RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
constexpr bool is_unreserved(char c) {
  return is_ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 5234 §B.1 CTL: 0x00-0x1F and DEL.
constexpr bool is_ctl(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7F;
}

// Whether `text` holds a CTL anywhere.
inline bool has_ctl(std::string_view text) {
  for (const char c : text) {
    if (is_ctl(c)) return true;
  }
  return false;
}

// The value of a hexadecimal digit (either case), or -1.
constexpr int hex_digit_value(char c) {
  if (is_ascii_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ASCII-only case folding: HTTP names, schemes and media types are
// case-insensitive in ASCII only, and locale-dependent tolower() must not
// decide what a header means.
constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

inline bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

inline std::string to_ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = ascii_lower(c);
  return out;
}

// RFC 9110 §5.6.2 tchar.
constexpr bool is_tchar(char c) {
  return is_ascii_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace stepup::common

#endif  // STEPUP_LIB_COMMON_ASCII_H_
