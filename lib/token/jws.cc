// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/jws.h"

#include <array>

#include "common/ascii.h"
#include "json/strict_json.h"
#include "token/base64url.h"

namespace stepup::token_internal {
namespace {

using json_internal::JsonError;

// Decodes a segment into `out` with simdjson's padding after it.
bool decode_padded(std::string_view segment, std::string& out, std::size_t& size) {
  size = base64url_decoded_size(segment.size());
  out.resize(size + json_internal::json_padding());
  return decode_base64url(segment, reinterpret_cast<unsigned char*>(out.data()));
}

TokenError read_header(const JsonValue& header, JoseHeader& out) {
  // An `enc` member marks a JWE (RFC 7516 §4.1.2) even in three segments.
  if (header.find("enc") != nullptr) return TokenError::kJweNotSupported;
  const JsonValue* alg = header.find("alg");
  if (alg == nullptr || !alg->is_string()) return TokenError::kAlgMissing;
  if (common::equals_ignoring_ascii_case(alg->as_string(), "none")) return TokenError::kAlgNone;
  const std::optional<Algorithm> algorithm = algorithm_from_name(alg->as_string());
  if (!algorithm) return TokenError::kAlgUnknown;
  out.algorithm = *algorithm;
  // stepup understands no extension header, so any `crit` is refused.
  if (header.find("crit") != nullptr) return TokenError::kCritUnsupported;
  // RFC 7797 unencoded payloads change what is signed: never accepted.
  if (header.find("b64") != nullptr) return TokenError::kHeaderMemberInvalid;
  if (const JsonValue* kid = header.find("kid")) {
    if (!kid->is_string()) return TokenError::kHeaderMemberInvalid;
    out.kid.assign(kid->as_string());
    out.has_kid = true;
  }
  if (const JsonValue* typ = header.find("typ")) {
    if (!typ->is_string()) return TokenError::kHeaderMemberInvalid;
    out.typ.assign(typ->as_string());
    out.has_typ = true;
  }
  if (const JsonValue* cty = header.find("cty")) {
    if (!cty->is_string()) return TokenError::kHeaderMemberInvalid;
    // RFC 7519 §5.2: "JWT" (any case, with or without the "application/"
    // prefix, RFC 7515 §4.1.10) announces a nested token as the payload.
    std::string_view media = cty->as_string();
    if (common::equals_ignoring_ascii_case(media.substr(0, 12), "application/")) {
      media.remove_prefix(12);
    }
    if (common::equals_ignoring_ascii_case(media, "JWT")) return TokenError::kNestedToken;
  }
  return TokenError::kOk;
}

// The JOSE headers this thread decoded last. Tokens of one issuer and key
// share their header byte for byte, and what a header yields depends only
// on its bytes, so a repeated header is neither decoded nor parsed again.
// (Only accepted headers are kept.)
class HeaderCache {
 public:
  bool find(std::string_view segment, JoseHeader& out) const {
    for (const Entry& entry : entries_) {
      if (!entry.segment.empty() && entry.segment == segment) {
        out = entry.header;  // Copy-assignment reuses the strings' storage.
        return true;
      }
    }
    return false;
  }

  void remember(std::string_view segment, const JoseHeader& header) {
    // Bounded in size, so that hostile headers cannot make it grow.
    if (segment.size() > kMaxSegmentBytes) return;
    Entry& entry = entries_[next_];
    next_ = (next_ + 1) % entries_.size();
    entry.segment.assign(segment);
    entry.header = header;
  }

 private:
  static constexpr std::size_t kMaxSegmentBytes = 512;
  struct Entry {
    std::string segment;
    JoseHeader header;
  };
  std::array<Entry, 4> entries_;
  std::size_t next_ = 0;
};

HeaderCache& header_cache() {
  thread_local HeaderCache cache;
  return cache;
}

}  // namespace

TokenError parse_jws(std::string_view compact, ParsedJws& out) {
  const std::size_t first = compact.find('.');
  if (first == std::string_view::npos) return TokenError::kMalformedCompact;
  const std::size_t second = compact.find('.', first + 1);
  if (second == std::string_view::npos) return TokenError::kMalformedCompact;
  const std::size_t third = compact.find('.', second + 1);
  if (third != std::string_view::npos) {
    // JWE compact has exactly five segments (RFC 7516 §7.1).
    const std::size_t fourth = compact.find('.', third + 1);
    if (fourth != std::string_view::npos &&
        compact.find('.', fourth + 1) == std::string_view::npos) {
      return TokenError::kJweNotSupported;
    }
    return TokenError::kMalformedCompact;
  }
  const std::string_view header_segment = compact.substr(0, first);
  const std::string_view payload_segment = compact.substr(first + 1, second - first - 1);
  const std::string_view signature_segment = compact.substr(second + 1);
  // Empty header or payload segments are never access tokens. An empty
  // signature goes on, so the unsecured form (RFC 7519 §6) is named kAlgNone
  // and any other algorithm fails on the signature's length.
  if (header_segment.empty() || payload_segment.empty()) {
    return TokenError::kMalformedCompact;
  }

  out.signing_input = compact.substr(0, second);
  if (header_cache().find(header_segment, out.header)) {
    if (!decode_padded(payload_segment, out.payload, out.payload_size)) {
      return TokenError::kPayloadBase64Invalid;
    }
    if (!decode_base64url(signature_segment, out.signature)) {
      return TokenError::kSignatureBase64Invalid;
    }
    return TokenError::kOk;
  }

  std::string& header_bytes = out.header_bytes;
  std::size_t header_size = 0;
  if (!decode_padded(header_segment, header_bytes, header_size)) {
    return TokenError::kHeaderBase64Invalid;
  }
  if (!decode_padded(payload_segment, out.payload, out.payload_size)) {
    return TokenError::kPayloadBase64Invalid;
  }
  if (!decode_base64url(signature_segment, out.signature)) {
    return TokenError::kSignatureBase64Invalid;
  }

  JsonValue& header = out.header_json;
  const json_internal::JsonParseResult parsed = json_internal::parse_json_object(
      header_bytes.data(), header_size, header_bytes.size(), kMaxTokenJsonDepth, header);
  switch (parsed.error) {
    case JsonError::kOk:
      break;
    case JsonError::kSyntax:
      return TokenError::kHeaderNotJson;
    case JsonError::kNotObject:
      return TokenError::kHeaderNotObject;
    case JsonError::kDuplicateMember:
      return TokenError::kHeaderDuplicateMember;
    case JsonError::kTooDeep:
      return TokenError::kHeaderTooDeep;
  }
  out.header.has_kid = false;  // Reset in place, keeping the strings' storage.
  out.header.has_typ = false;
  out.header.kid.clear();
  out.header.typ.clear();
  const TokenError error = read_header(header, out.header);
  if (error == TokenError::kOk) header_cache().remember(header_segment, out.header);
  return error;
}

namespace {

TokenError claims_error(JsonError error) {
  switch (error) {
    case JsonError::kOk:
      return TokenError::kOk;
    case JsonError::kSyntax:
      return TokenError::kPayloadNotJson;
    case JsonError::kNotObject:
      return TokenError::kPayloadNotObject;
    case JsonError::kDuplicateMember:
      return TokenError::kPayloadDuplicateMember;
    case JsonError::kTooDeep:
      return TokenError::kPayloadTooDeep;
  }
  return TokenError::kPayloadNotJson;
}

}  // namespace

TokenError parse_claims(const ParsedJws& jws, json_internal::JsonDocument& document) {
  return claims_error(
      document.parse(jws.payload.data(), jws.payload_size, jws.payload.size(), kMaxTokenJsonDepth)
          .error);
}

TokenError parse_claims(const ParsedJws& jws, JsonValue& claims) {
  return claims_error(json_internal::parse_json_object(jws.payload.data(), jws.payload_size,
                                                       jws.payload.size(), kMaxTokenJsonDepth,
                                                       claims)
                          .error);
}

}  // namespace stepup::token_internal
