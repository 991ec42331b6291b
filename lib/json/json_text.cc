// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "json/json_text.h"

#include <charconv>
#include <cstdio>

namespace stepup::json_internal {
namespace {

// The length of the well-formed UTF-8 sequence at `text[i]` (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // The second byte's range.
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

void append_json_quoted(std::string& out, std::string_view text) {
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    // Printable ASCII other than the quote and the backslash goes over as a run.
    std::size_t run = i;
    while (run < text.size()) {
      const auto byte = static_cast<unsigned char>(text[run]);
      if (byte < 0x20 || byte >= 0x7F || byte == '"' || byte == '\\') break;
      ++run;
    }
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", byte);
      out += escape;
    } else if (const std::size_t length = utf8_sequence_length(text, i); length > 0) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    } else {
      out += "\\ufffd";
    }
    ++i;
  }
  out += '"';
}

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_quoted(out, text);
  return out;
}

std::string to_json_text(json_internal::JsonRef value) {
  switch (value.kind()) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return value.as_bool() ? "true" : "false";
    case JsonValue::Kind::kInteger:
      return std::to_string(value.as_integer());
    case JsonValue::Kind::kDouble: {
      // Shortest round-trip form, independent of the C locale.
      char buffer[32];
      const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value.as_double());
      return error == std::errc() ? std::string(buffer, end) : std::string("null");
    }
    case JsonValue::Kind::kString:
      return json_quote(value.as_string());
    case JsonValue::Kind::kArray: {
      std::string out = "[";
      value.for_each_item([&out](json_internal::JsonRef item) {
        if (out.size() > 1) out += ",";
        out += to_json_text(item);
        return true;
      });
      return out + "]";
    }
    case JsonValue::Kind::kObject: {
      std::string out = "{";
      value.for_each_member([&out](std::string_view name, json_internal::JsonRef member) {
        if (out.size() > 1) out += ",";
        out += json_quote(name) + ":" + to_json_text(member);
        return true;
      });
      return out + "}";
    }
  }
  return "null";
}

}  // namespace stepup::json_internal
