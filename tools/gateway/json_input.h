// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_JSON_INPUT_H_
#define STEPUP_TOOLS_GATEWAY_JSON_INPUT_H_

#include <optional>
#include <string_view>

#include "common/json_input.h"
#include "stepup/json_value.h"

namespace stepup::gateway {

using tools::FieldReader;
using tools::InputError;
using tools::item_path;
using tools::kind_name;
using tools::member_path;

// How deep request bodies may nest (the top-level object is depth 1).
inline constexpr int kMaxBodyDepth = 32;

// Parses a request body strictly (stepup's JSON reader: valid UTF-8, no
// duplicate member names at any level, bounded depth) into `out`, which must
// be a JSON object. Returns the error, if any.
std::optional<InputError> parse_body(std::string_view body, JsonValue& out);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_JSON_INPUT_H_
