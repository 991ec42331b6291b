// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_JSON_INPUT_H_
#define STEPUP_TOOLS_GATEWAY_JSON_INPUT_H_

#include <optional>
#include <string>
#include <string_view>

#include "stepup/json_value.h"

namespace stepup::gateway {

// Why a request body was refused (a 400 answer): what is wrong, and where, as
// a JSON path such as `headers[2]` or `subject.properties.token` (empty for
// the body as a whole).
struct InputError {
  std::string message;
  std::string where;
};

// How deep request bodies may nest (the top-level object is depth 1).
inline constexpr int kMaxBodyDepth = 32;

// Parses a request body strictly (stepup's JSON reader: valid UTF-8, no
// duplicate member names at any level, bounded depth) into `out`, which must
// be a JSON object. Returns the error, if any.
std::optional<InputError> parse_body(std::string_view body, JsonValue& out);

// `base.name`, or `name` when `base` is empty.
std::string member_path(std::string_view base, std::string_view name);
// `base[index]`.
std::string item_path(std::string_view base, std::size_t index);

// Reads typed members of request objects, keeping the first error.
//
//   FieldReader fields;
//   const JsonValue* url = fields.required(body, "", "url", JsonValue::Kind::kString);
//   if (fields.error()) return *fields.error();
class FieldReader {
 public:
  // The member `name` of `object` (found at JSON path `path`); nullptr and an
  // error when it is missing or not of `kind`. Nothing is read after an error.
  const JsonValue* required(const JsonValue& object, std::string_view path, std::string_view name,
                            JsonValue::Kind kind);
  // The same, but a missing member is no error (nullptr). `null` counts as
  // missing.
  const JsonValue* optional(const JsonValue& object, std::string_view path, std::string_view name,
                            JsonValue::Kind kind);

  // Records an error found by the caller (the first one wins).
  void fail(std::string message, std::string where);

  const std::optional<InputError>& error() const { return error_; }

 private:
  const JsonValue* get(const JsonValue& object, std::string_view path, std::string_view name,
                       JsonValue::Kind kind, bool required);

  std::optional<InputError> error_;
};

// "a string", "an object", ... for error messages.
std::string_view kind_name(JsonValue::Kind kind);

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_JSON_INPUT_H_
