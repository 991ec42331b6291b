// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "peer_libjwt.h"

#include <jwt.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace stepup::bench {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
struct MallocDeleter {
  void operator()(char* p) const { std::free(p); }
};

// The algorithms libjwt 1.10 implements that the benchmark uses; JWT_ALG_INVAL otherwise.
jwt_alg_t to_libjwt_alg(std::string_view alg) {
  if (alg == "RS256") return JWT_ALG_RS256;
  if (alg == "ES256") return JWT_ALG_ES256;
  if (alg == "HS256") return JWT_ALG_HS256;
  return JWT_ALG_INVAL;  // PS256 and EdDSA do not exist in 1.10.
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool read_hex4(std::string_view s, size_t& i, uint32_t& value) {
  if (s.size() - i < 4) return false;
  value = 0;
  for (int k = 0; k < 4; ++k) {
    const int h = hex_value(s[i++]);
    if (h < 0) return false;
    value = (value << 4) | static_cast<uint32_t>(h);
  }
  return true;
}

// Reads the JSON string starting at s[i] == '"' into `out`; leaves i after the closing quote.
bool read_json_string(std::string_view s, size_t& i, std::string& out) {
  out.clear();
  ++i;  // Opening quote.
  while (i < s.size()) {
    const char c = s[i++];
    if (c == '"') return true;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (i >= s.size()) return false;
    switch (s[i++]) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        uint32_t cp = 0;
        if (!read_hex4(s, i, cp)) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // A surrogate pair spells one code point.
          uint32_t low = 0;
          if (s.substr(i, 2) != "\\u") return false;
          i += 2;
          if (!read_hex4(s, i, low) || low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return false;
        }
        append_utf8(cp, out);
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

void skip_space(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    ++i;
}

// True if `json` (what jwt_get_grants_json returns for an array) is an array of strings
// one of which equals `needle`. Anything else, including non-string elements, is false:
// RFC 7519 §4.1.3 makes aud a string or an array of strings.
bool json_string_array_contains(std::string_view json, std::string_view needle) {
  size_t i = 0;
  skip_space(json, i);
  if (i >= json.size() || json[i++] != '[') return false;
  skip_space(json, i);
  if (i < json.size() && json[i] == ']') return false;  // Empty: contains nothing.
  bool found = false;
  std::string element;
  while (i < json.size()) {
    if (json[i] != '"' || !read_json_string(json, i, element)) return false;
    found = found || element == needle;
    skip_space(json, i);
    if (i >= json.size()) return false;
    if (json[i] == ']') {
      ++i;
      skip_space(json, i);
      return found && i == json.size();
    }
    if (json[i++] != ',') return false;
    skip_space(json, i);
  }
  return false;
}

}  // namespace

// By value, like CppjwtPeer (which keeps `alg`), so that the benchmark can template over both.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
LibjwtPeer::LibjwtPeer(std::string alg, std::string key, std::string issuer, std::string audience)
    : key_(std::move(key)), issuer_(std::move(issuer)), audience_(std::move(audience)) {
  const jwt_alg_t a = to_libjwt_alg(alg);
  alg_ = static_cast<int>(a);
  supported_ = a != JWT_ALG_INVAL;
}

bool LibjwtPeer::validate(std::string_view token, int64_t now_seconds) const {
  // jwt_decode takes key_len as an int and treats an empty key as "do not verify".
  if (!supported_ || key_.empty() || key_.size() > INT32_MAX) return false;
  // jwt_decode reads a C string: an embedded NUL would let it verify a prefix only.
  if (token.find('\0') != std::string_view::npos) return false;
  thread_local std::string c_token;
  c_token.assign(token);

  jwt_t* raw = nullptr;
  const int rc =
      jwt_decode(&raw, c_token.c_str(), reinterpret_cast<const unsigned char*>(key_.data()),
                 static_cast<int>(key_.size()));
  std::unique_ptr<jwt_t, JwtDeleter> jwt(raw);
  if (rc != 0 || jwt == nullptr) return false;
  // jwt_decode verified with the header's alg; only the configured one may count.
  if (jwt_get_alg(jwt.get()) != static_cast<jwt_alg_t>(alg_)) return false;

  errno = 0;
  const long exp = jwt_get_grant_int(jwt.get(), "exp");
  if (errno != 0 || static_cast<int64_t>(exp) <= now_seconds) return false;

  const char* iss = jwt_get_grant(jwt.get(), "iss");
  if (iss == nullptr || issuer_ != iss) return false;

  if (const char* aud = jwt_get_grant(jwt.get(), "aud")) return audience_ == aud;
  // Not a string: the array form needs the serialized JSON (the API has no array getter).
  std::unique_ptr<char, MallocDeleter> aud_json(jwt_get_grants_json(jwt.get(), "aud"));
  return aud_json != nullptr && json_string_array_contains(aud_json.get(), audience_);
}

}  // namespace stepup::bench
