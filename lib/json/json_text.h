// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_JSON_JSON_TEXT_H_
#define STEPUP_LIB_JSON_JSON_TEXT_H_

#include <string>
#include <string_view>

#include "json/json_ref.h"

namespace stepup::json_internal {

// `text` as a JSON string literal, with quotes. Control characters become
// \uXXXX escapes; a byte that does not start well-formed UTF-8 becomes
// U+FFFD, so that any request data makes valid JSON text.
std::string json_quote(std::string_view text);
// The same, appended to `out`.
void append_json_quoted(std::string& out, std::string_view text);

// A JSON value as compact JSON text.
std::string to_json_text(JsonRef value);

}  // namespace stepup::json_internal

#endif  // STEPUP_LIB_JSON_JSON_TEXT_H_
