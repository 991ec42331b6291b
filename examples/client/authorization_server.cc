// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "authorization_server.h"

#include <simdjson.h>

#include <cctype>

namespace stepup_client {

std::optional<Url> split_url(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::string_view scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const std::size_t path_start = url.find('/', scheme_end + 3);
  if (path_start == scheme_end + 3 || url.size() == scheme_end + 3) return std::nullopt;
  if (path_start == std::string_view::npos) return Url{std::string(url), "/"};
  return Url{std::string(url.substr(0, path_start)), std::string(url.substr(path_start))};
}

std::string form_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

httplib::Client make_client(const std::string& origin, int timeout_ms) {
  httplib::Client client(origin);
  const auto seconds = timeout_ms / 1000;
  const auto micros = (timeout_ms % 1000) * 1000;
  client.set_connection_timeout(seconds, micros);
  client.set_read_timeout(seconds, micros);
  client.set_write_timeout(seconds, micros);
  return client;
}

std::string token_endpoint(const std::string& as_url) {
  return (as_url.ends_with("/") ? as_url.substr(0, as_url.size() - 1) : as_url) + "/token";
}

TokenResult fetch_token(const std::string& as_url, const std::string& form, int timeout_ms,
                        const std::string& dpop_proof) {
  const std::optional<Url> url = split_url(as_url);
  if (!url) return {.token = std::nullopt, .error = "--as-url is not an http(s) URL"};
  httplib::Client client = make_client(url->origin, timeout_ms);
  const std::string path = (url->target == "/" ? std::string() : url->target) + "/token";
  httplib::Headers headers;
  if (!dpop_proof.empty()) headers.emplace("DPoP", dpop_proof);
  const httplib::Result result =
      client.Post(path, headers, form, "application/x-www-form-urlencoded");
  if (!result) {
    return {.token = std::nullopt,
            .error = "authorization server: " + httplib::to_string(result.error())};
  }
  if (result->status != 200) {
    return {.token = std::nullopt,
            .error = "authorization server answered " + std::to_string(result->status) + ": " +
                     result->body};
  }
  simdjson::dom::parser parser;
  std::string_view token;
  if (parser.parse(result->body)["access_token"].get(token) != simdjson::SUCCESS || token.empty()) {
    return {.token = std::nullopt, .error = "authorization server: no access_token in its answer"};
  }
  return {.token = std::string(token), .error = {}};
}

namespace {

std::optional<std::string> base64url_decode(std::string_view in) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : in) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '-') value = 62;
    if (c == '_') value = 63;
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace

TokenClaims read_claims(std::string_view jwt) {
  TokenClaims result;
  const std::size_t first = jwt.find('.');
  const std::size_t second = first == std::string_view::npos ? first : jwt.find('.', first + 1);
  if (second == std::string_view::npos) {
    result.error = "the new token is not a JWS compact token";
    return result;
  }
  const std::optional<std::string> payload =
      base64url_decode(jwt.substr(first + 1, second - first - 1));
  simdjson::dom::parser parser;
  simdjson::dom::object claims;
  if (!payload || parser.parse(*payload).get(claims) != simdjson::SUCCESS) {
    result.error = "the new token's payload is not a base64url JSON object";
    return result;
  }
  std::string_view acr;
  if (claims["acr"].get(acr) == simdjson::SUCCESS) result.acr = std::string(acr);
  int64_t auth_time = 0;
  if (claims["auth_time"].get(auth_time) == simdjson::SUCCESS) result.auth_time = auth_time;
  return result;
}

}  // namespace stepup_client
