// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "dpop/htu.h"

#include "common/ascii.h"

namespace stepup::dpop {
namespace {

bool is_unreserved(char c) {
  return common::is_ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Appends `text` with its percent-encodings normalized (and, for a host,
// every other character in lower case); false when one is malformed.
bool append_normalized_percent(std::string& out, std::string_view text, bool lower = false) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += lower ? common::ascii_lower(text[i]) : text[i];
      continue;
    }
    if (i + 2 >= text.size()) return false;
    const int high = common::hex_digit_value(text[i + 1]);
    const int low = common::hex_digit_value(text[i + 2]);
    if (high < 0 || low < 0) return false;
    const char decoded = static_cast<char>(high * 16 + low);
    if (is_unreserved(decoded)) {
      out += lower ? common::ascii_lower(decoded) : decoded;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[high];
      out += kHex[low];
    }
    i += 2;
  }
  return true;
}

}  // namespace

std::optional<std::string> normalized_htu(std::string_view uri) {
  const std::size_t end = uri.find_first_of("?#");
  if (end != std::string_view::npos) uri = uri.substr(0, end);
  const std::size_t colon = uri.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string scheme = common::to_ascii_lower(uri.substr(0, colon));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const std::string_view rest = uri.substr(colon + 3);
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  const std::string_view path =
      slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  // The port follows the last colon outside an IPv6 literal's brackets.
  std::string_view host = authority;
  std::string_view port;
  const std::size_t bracket = authority.rfind(']');
  const std::size_t port_colon = authority.rfind(':');
  if (port_colon != std::string_view::npos &&
      (bracket == std::string_view::npos || port_colon > bracket)) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
    for (char c : port) {
      if (!common::is_ascii_digit(c)) return std::nullopt;
    }
  }
  if (host.empty()) return std::nullopt;
  // An IPv6 literal is bracketed whole; any other host has no bracket or
  // colon left (so that normalizing twice changes nothing).
  const bool literal = host.front() == '[';
  const std::string_view inside = literal ? host.substr(1, host.size() - 1) : host;
  if (literal && (host.size() < 3 || host.back() != ']')) return std::nullopt;
  if (literal ? inside.substr(0, inside.size() - 1).find_first_of("[]") != std::string_view::npos
              : inside.find_first_of("[]:") != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out = scheme + "://";
  if (!append_normalized_percent(out, host, /*lower=*/true)) return std::nullopt;
  if (!port.empty() &&
      !((scheme == "https" && port == "443") || (scheme == "http" && port == "80"))) {
    out += ':';
    out += port;
  }
  if (!append_normalized_percent(out, path)) return std::nullopt;
  return out;
}

bool htu_matches(std::string_view htu, std::string_view request_uri) {
  const std::optional<std::string> a = normalized_htu(htu);
  const std::optional<std::string> b = normalized_htu(request_uri);
  return a && b && *a == *b;
}

}  // namespace stepup::dpop
