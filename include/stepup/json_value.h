// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_JSON_VALUE_H_
#define STEPUP_JSON_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stepup/export.h"

namespace stepup {

struct JsonMember;
class JsonValue;

// Why JsonValue::parse_object() refused a text, and where.
struct STEPUP_EXPORT JsonParseError {
  enum class Reason {
    kSyntax,           // Not valid JSON, or not valid UTF-8 (RFC 8259 §8.1).
    kNotObject,        // Valid JSON whose top level is not an object.
    kDuplicateMember,  // A member name appears twice in one object.
    kTooDeep,          // Arrays and objects nest deeper than allowed.
  };
  Reason reason = Reason::kSyntax;
  // The JSON path of the problem, such as `keys[1].kid`; empty for the text
  // as a whole (always for kSyntax and kNotObject).
  std::string where = {};

  // "duplicate key", "nests deeper than 32 levels", ... (without `where`).
  std::string message(int max_depth) const;
};

namespace json_internal {
struct JsonBuilder;
}  // namespace json_internal

// An immutable JSON value as read from a validated token: claims keep their
// JSON types, object members keep document order, and member names are unique
// (the parser refuses duplicates). Integers that fit in int64 are kInteger;
// every other number is kDouble.
// A `JsonValue` is safe for concurrent reads from many threads.
class STEPUP_EXPORT JsonValue {
 public:
  enum class Kind { kNull, kBool, kInteger, kDouble, kString, kArray, kObject };

  JsonValue() = default;
  static JsonValue null();
  static JsonValue boolean(bool value);
  static JsonValue integer(int64_t value);
  static JsonValue number(double value);
  static JsonValue string(std::string value);
  static JsonValue array(std::vector<JsonValue> items);
  static JsonValue object(std::vector<JsonMember> members);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_integer() const { return kind_ == Kind::kInteger; }
  bool is_number() const { return kind_ == Kind::kInteger || kind_ == Kind::kDouble; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  // Each accessor requires the matching kind; on another kind it returns a
  // neutral value (false, 0, empty) rather than failing.
  bool as_bool() const { return kind_ == Kind::kBool && bool_; }
  int64_t as_integer() const { return kind_ == Kind::kInteger ? integer_ : 0; }
  double as_double() const;
  std::string_view as_string() const;
  const std::vector<JsonValue>& items() const { return items_; }
  const std::vector<JsonMember>& members() const { return members_; }

  // The member with this exact name, or nullptr (also when not an object).
  const JsonValue* find(std::string_view name) const;

  // Parses `text` as one JSON object, as strictly as stepup reads tokens and
  // policy documents: RFC 8259 in valid UTF-8, unique member names at every
  // level, at most `max_depth` levels of arrays and objects (the top-level
  // object is level 1). On refusal: nullopt, and `*error` says why when
  // given.
  static std::optional<JsonValue> parse_object(std::string_view text, int max_depth,
                                               JsonParseError* error = nullptr);

  // Compact JSON text (no spaces); strings escaped as RFC 8259 requires
  // (control characters as \uXXXX), other characters as they are.
  std::string to_json() const;

  // JSON equality: the same kind (an integer and a double are equal when
  // their values are), strings and arrays element by element, objects with
  // the same names and equal values in any order.
  friend STEPUP_EXPORT bool operator==(const JsonValue& a, const JsonValue& b);

 private:
  friend struct json_internal::JsonBuilder;  // Fills values in place, reusing storage.
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  int64_t integer_ = 0;
  double double_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<JsonMember> members_;
};

struct JsonMember {
  std::string name;
  JsonValue value;
};

// Defined here, where JsonMember is complete (clang requires it).
inline JsonValue JsonValue::null() {
  return JsonValue();
}

}  // namespace stepup

#endif  // STEPUP_JSON_VALUE_H_
