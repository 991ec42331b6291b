// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_COMMON_ASCII_H_
#define STEPUP_LIB_COMMON_ASCII_H_

#include <string>
#include <string_view>

namespace stepup::common {

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
inline bool is_tchar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace stepup::common

#endif  // STEPUP_LIB_COMMON_ASCII_H_
