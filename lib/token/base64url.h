// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_BASE64URL_H_
#define STEPUP_LIB_TOKEN_BASE64URL_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace stepup::token_internal {

// The decoded size of `encoded_size` base64url characters (no padding).
constexpr std::size_t base64url_decoded_size(std::size_t encoded_size) {
  return encoded_size / 4 * 3 + (encoded_size % 4 == 0 ? 0 : encoded_size % 4 - 1);
}

// Decodes canonical unpadded base64url (RFC 7515 §2, RFC 4648 §5): only
// A-Z a-z 0-9 - _, no `=`, no whitespace, a length that is not 1 mod 4, and
// zero unused bits in the last character, so every byte string has exactly
// one accepted encoding. Writes base64url_decoded_size(in.size()) bytes to
// `out`. Returns false on any violation (then `out` holds garbage).
bool decode_base64url(std::string_view in, unsigned char* out);

// Convenience: decodes into a string; false on any violation.
bool decode_base64url(std::string_view in, std::string& out);

// Encodes without padding.
std::string encode_base64url(std::string_view bytes);

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_BASE64URL_H_
