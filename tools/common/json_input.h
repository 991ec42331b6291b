// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_COMMON_JSON_INPUT_H_
#define STEPUP_TOOLS_COMMON_JSON_INPUT_H_

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "stepup/json_value.h"

// How the programs stepup ships read JSON input (request bodies, request and
// case files), on the public JsonValue.
namespace stepup::tools {

// Why an input was refused: what is wrong, and where, as a JSON path such as
// `headers[2]` or `subject.properties.token` (empty for the input as a whole).
struct InputError {
  std::string message;
  std::string where;
};

// `base.name`, or `name` when `base` is empty.
std::string member_path(std::string_view base, std::string_view name);
// `base[index]`.
std::string item_path(std::string_view base, std::size_t index);

// "a string", "an object", ... for error messages.
std::string_view kind_name(JsonValue::Kind kind);

// Reads typed members of input objects, keeping the first error.
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
  // An error for the first member of `object` not in `allowed`.
  void only(const JsonValue& object, std::string_view path,
            std::initializer_list<std::string_view> allowed);

  // Records an error found by the caller (the first one wins).
  void fail(std::string message, std::string where);

  const std::optional<InputError>& error() const { return error_; }

 private:
  const JsonValue* get(const JsonValue& object, std::string_view path, std::string_view name,
                       JsonValue::Kind kind, bool required);

  std::optional<InputError> error_;
};

}  // namespace stepup::tools

#endif  // STEPUP_TOOLS_COMMON_JSON_INPUT_H_
