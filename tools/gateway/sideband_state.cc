// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "gateway/sideband_state.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <vector>

namespace stepup::gateway {
namespace {

constexpr std::string_view kPrefix = "v1.";
constexpr std::string_view kKeyLabel = "stepup-gateway sideband state v1";
constexpr std::size_t kMaxStateBytes = 8192;

using Mac = std::array<unsigned char, 32>;

bool hmac_sha256(const unsigned char* key, std::size_t key_size, std::string_view data, Mac& out) {
  unsigned int size = 0;
  const bool ok = HMAC(EVP_sha256(), key, static_cast<int>(key_size),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
                       &size) != nullptr &&
                  size == out.size();
  if (!ok) ERR_clear_error();
  return ok;
}

std::string base64url(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> unbase64url(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string padded(text);
  for (char& c : padded) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    } else if (c == '+' || c == '/' || c == '=') {
      return std::nullopt;
    }
  }
  const std::size_t padding = (4 - padded.size() % 4) % 4;
  padded.append(padding, '=');
  std::string out(padded.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(padded.data()),
                                      static_cast<int>(padded.size()));
  if (written < 0) {
    ERR_clear_error();
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(written) - padding);
  // Only the canonical encoding of these bytes is accepted.
  if (base64url(reinterpret_cast<const unsigned char*>(out.data()), out.size()) != text) {
    return std::nullopt;
  }
  return out;
}

std::string_view without_query(std::string_view url) {
  return url.substr(0, url.find_first_of("?#"));
}

}  // namespace

SidebandStateSigner::SidebandStateSigner(std::string_view secret, std::chrono::seconds lifetime)
    : lifetime_(lifetime) {
  if (secret.empty()) return;
  has_key_ = hmac_sha256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                         kKeyLabel, key_);
}

std::string SidebandStateSigner::issue(std::string_view method, std::string_view url,
                                       int64_t now) const {
  const std::string payload =
      std::to_string(now) + "\n" + std::string(method) + "\n" + std::string(without_query(url));
  Mac mac{};
  if (!has_key_ || !hmac_sha256(key_.data(), key_.size(), payload, mac)) return {};
  return std::string(kPrefix) +
         base64url(reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) + "." +
         base64url(mac.data(), mac.size());
}

StateError SidebandStateSigner::check(std::string_view state,
                                      std::optional<std::string_view> method,
                                      std::optional<std::string_view> url, int64_t now) const {
  if (state.size() > kMaxStateBytes || !state.starts_with(kPrefix)) return StateError::kMalformed;
  state.remove_prefix(kPrefix.size());
  const std::size_t dot = state.find('.');
  if (dot == std::string_view::npos) return StateError::kMalformed;
  const std::optional<std::string> payload = unbase64url(state.substr(0, dot));
  const std::optional<std::string> mac = unbase64url(state.substr(dot + 1));
  if (!payload || !mac || mac->size() != Mac{}.size()) return StateError::kMalformed;
  Mac expected{};
  if (!has_key_ || !hmac_sha256(key_.data(), key_.size(), *payload, expected) ||
      CRYPTO_memcmp(expected.data(), mac->data(), expected.size()) != 0) {
    return StateError::kForged;
  }
  // Signed by us, so well-formed: "<issued-at>\n<method>\n<url>".
  const std::size_t first = payload->find('\n');
  const std::size_t second = payload->find('\n', first + 1);
  if (first == std::string::npos || second == std::string::npos) return StateError::kMalformed;
  int64_t issued_at = 0;
  const auto [end, parse_error] =
      std::from_chars(payload->data(), payload->data() + first, issued_at);
  if (parse_error != std::errc() || end != payload->data() + first) return StateError::kMalformed;
  if (now < issued_at - 60 || now - issued_at > lifetime_.count()) return StateError::kExpired;
  const std::string_view issued_method =
      std::string_view(*payload).substr(first + 1, second - first - 1);
  const std::string_view issued_url = std::string_view(*payload).substr(second + 1);
  if ((method && *method != issued_method) || (url && without_query(*url) != issued_url)) {
    return StateError::kOtherRequest;
  }
  return StateError::kOk;
}

std::string_view state_error_message(StateError error) {
  switch (error) {
    case StateError::kOk:
      return "";
    case StateError::kMalformed:
      return "is not a state this gateway issued";
    case StateError::kForged:
      return "does not verify: it was not issued under this gateway's shared secret";
    case StateError::kExpired:
      return "has expired";
    case StateError::kOtherRequest:
      return "was issued for another request (method or URL path differs)";
  }
  return "is invalid";
}

}  // namespace stepup::gateway
