// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/base64url.h"

#include <array>
#include <cstdint>

namespace stepup::token_internal {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr uint8_t kInvalid = 0xff;

constexpr std::array<uint8_t, 256> make_decode_table() {
  std::array<uint8_t, 256> table{};
  for (auto& entry : table)
    entry = kInvalid;
  for (uint8_t i = 0; i < 64; ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}

constexpr std::array<uint8_t, 256> kDecode = make_decode_table();

}  // namespace

bool decode_base64url(std::string_view in, unsigned char* out) {
  const std::size_t size = in.size();
  if (size % 4 == 1) return false;
  const auto* src = reinterpret_cast<const unsigned char*>(in.data());
  std::size_t i = 0;
  // Whole quanta first; OR-ing the table values detects any invalid byte once.
  for (; i + 4 <= size; i += 4) {
    const uint8_t a = kDecode[src[i]], b = kDecode[src[i + 1]], c = kDecode[src[i + 2]],
                  d = kDecode[src[i + 3]];
    if ((a | b | c | d) & 0xc0) return false;
    const uint32_t quantum = (uint32_t{a} << 18) | (uint32_t{b} << 12) | (uint32_t{c} << 6) | d;
    *out++ = static_cast<unsigned char>(quantum >> 16);
    *out++ = static_cast<unsigned char>(quantum >> 8);
    *out++ = static_cast<unsigned char>(quantum);
  }
  const std::size_t rest = size - i;
  if (rest == 2) {
    const uint8_t a = kDecode[src[i]], b = kDecode[src[i + 1]];
    if ((a | b) & 0xc0) return false;
    if (b & 0x0f) return false;  // Non-zero unused bits: a second encoding of the same byte.
    *out++ = static_cast<unsigned char>((a << 2) | (b >> 4));
  } else if (rest == 3) {
    const uint8_t a = kDecode[src[i]], b = kDecode[src[i + 1]], c = kDecode[src[i + 2]];
    if ((a | b | c) & 0xc0) return false;
    if (c & 0x03) return false;
    *out++ = static_cast<unsigned char>((a << 2) | (b >> 4));
    *out++ = static_cast<unsigned char>(((b & 0x0f) << 4) | (c >> 2));
  }
  return true;
}

bool decode_base64url(std::string_view in, std::string& out) {
  out.resize(base64url_decoded_size(in.size()));
  return decode_base64url(in, reinterpret_cast<unsigned char*>(out.data()));
}

std::string encode_base64url(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  const auto* src = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t quantum = (uint32_t{src[i]} << 16) | (uint32_t{src[i + 1]} << 8) | src[i + 2];
    out += kAlphabet[(quantum >> 18) & 63];
    out += kAlphabet[(quantum >> 12) & 63];
    out += kAlphabet[(quantum >> 6) & 63];
    out += kAlphabet[quantum & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    out += kAlphabet[src[i] >> 2];
    out += kAlphabet[(src[i] & 3) << 4];
  } else if (rest == 2) {
    out += kAlphabet[src[i] >> 2];
    out += kAlphabet[((src[i] & 3) << 4) | (src[i + 1] >> 4)];
    out += kAlphabet[(src[i + 1] & 15) << 2];
  }
  return out;
}

}  // namespace stepup::token_internal
