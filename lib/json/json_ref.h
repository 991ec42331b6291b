// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_JSON_JSON_REF_H_
#define STEPUP_LIB_JSON_JSON_REF_H_

#include <cstdint>
#include <cstring>
#include <string_view>

#include "json/json_tape.h"
#include "stepup/json_value.h"

namespace stepup::json_internal {

class JsonDocument;

// The claims view: a read-only view of one JSON value, either a JsonValue or
// a value where the token's claims were parsed (JsonDocument), so that
// claims are read without a copy. The rest of the library reads JSON through
// this class only; how a parsed document is laid out stays in lib/json.
// Reads mirror JsonValue's: neutral values on the wrong kind. A default
// JsonRef is absent (no value). Small and cheap to copy; whatever it points
// into must outlive it.
class JsonRef {
 public:
  JsonRef() = default;
  // Implicit, so that code holding JsonValues passes them as they are.
  JsonRef(const JsonValue& value) : value_(&value), form_(Form::kValue) {}  // NOLINT
  // nullptr gives an absent reference.
  JsonRef(const JsonValue* value)  // NOLINT
      : value_(value), form_(value != nullptr ? Form::kValue : Form::kAbsent) {}

  bool present() const { return form_ != Form::kAbsent; }
  explicit operator bool() const { return present(); }

  JsonValue::Kind kind() const;
  bool is_bool() const { return kind() == JsonValue::Kind::kBool; }
  bool is_integer() const { return kind() == JsonValue::Kind::kInteger; }
  bool is_string() const { return kind() == JsonValue::Kind::kString; }
  bool is_array() const { return kind() == JsonValue::Kind::kArray; }
  bool is_object() const { return kind() == JsonValue::Kind::kObject; }

  bool as_bool() const;
  int64_t as_integer() const;
  double as_double() const;
  std::string_view as_string() const;

  // The member with this exact name (the first, should a host's claims
  // repeat one), or an absent reference (also when not an object).
  JsonRef find(std::string_view name) const;

  // Visits the items of an array in order; `visit(JsonRef)` returns false
  // to stop. Nothing for other kinds.
  template <typename F>
  void for_each_item(F&& visit) const;
  // Visits the members of an object in order, as `visit(name, JsonRef)`.
  template <typename F>
  void for_each_member(F&& visit) const;
  // Whether an array has no items (true for other kinds).
  bool empty_array() const;

  // Writes the value into `out`, reusing the storage `out` holds.
  void copy_to(JsonValue& out) const;

  // Whether both refer to the very same value (or both are absent).
  friend bool operator==(const JsonRef& a, const JsonRef& b) {
    if (a.form_ != b.form_) return false;
    if (a.form_ == Form::kValue) return a.value_ == b.value_;
    return a.form_ == Form::kAbsent || (a.tape_ == b.tape_ && a.index_ == b.index_);
  }

 private:
  friend class JsonDocument;  // Makes the references into a parse.
  enum class Form : uint8_t { kAbsent, kValue, kTape };
  JsonRef(const JsonTape& tape, uint32_t index) : tape_(&tape), index_(index), form_(Form::kTape) {}
  uint64_t word() const { return tape_->words[index_]; }
  char tape_type() const { return tape_->type_at(index_); }
  // The items or members of a container (saturated at 2^24 - 1).
  uint32_t tape_count() const { return static_cast<uint32_t>(word() >> 32) & 0xFFFFFFu; }
  // Only the members of the current form are set, none when absent (unions
  // copy as bytes), so that making an absent reference is one store.
  union {
    const JsonValue* value_;
    const JsonTape* tape_;
  };
  union {
    uint32_t index_;  // On the tape.
  };
  Form form_ = Form::kAbsent;
};

inline JsonValue::Kind JsonRef::kind() const {
  if (form_ == Form::kValue) return value_->kind();
  if (form_ == Form::kAbsent) return JsonValue::Kind::kNull;
  switch (tape_type()) {
    case '{':
      return JsonValue::Kind::kObject;
    case '[':
      return JsonValue::Kind::kArray;
    case '"':
      return JsonValue::Kind::kString;
    case 'l':
      return JsonValue::Kind::kInteger;
    case 'u':  // Beyond int64: a number, as JsonValue keeps it.
    case 'd':
      return JsonValue::Kind::kDouble;
    case 't':
    case 'f':
      return JsonValue::Kind::kBool;
    default:
      return JsonValue::Kind::kNull;
  }
}

inline bool JsonRef::as_bool() const {
  if (form_ == Form::kValue) return value_->as_bool();
  return form_ == Form::kTape && tape_type() == 't';
}

inline int64_t JsonRef::as_integer() const {
  if (form_ == Form::kValue) return value_->as_integer();
  if (form_ != Form::kTape || tape_type() != 'l') return 0;
  int64_t value;
  std::memcpy(&value, &tape_->words[index_ + 1], sizeof value);
  return value;
}

inline std::string_view JsonRef::as_string() const {
  if (form_ == Form::kValue) return value_->as_string();
  if (form_ != Form::kTape || tape_type() != '"') return std::string_view();
  return tape_->string_at(index_);
}

static_assert(sizeof(JsonRef) == 16, "JsonRef is passed by value everywhere");

template <typename F>
void JsonRef::for_each_item(F&& visit) const {
  if (form_ == Form::kValue) {
    for (const JsonValue& item : value_->items()) {
      if (!visit(JsonRef(item))) return;
    }
    return;
  }
  if (form_ != Form::kTape || tape_type() != '[') return;
  const uint32_t end = static_cast<uint32_t>(word()) - 1;  // The closing ']'.
  for (uint32_t at = index_ + 1; at < end; at = tape_->after(at)) {
    if (!visit(JsonRef(*tape_, at))) return;
  }
}

template <typename F>
void JsonRef::for_each_member(F&& visit) const {
  if (form_ == Form::kValue) {
    for (const JsonMember& member : value_->members()) {
      if (!visit(std::string_view(member.name), JsonRef(member.value))) return;
    }
    return;
  }
  if (form_ != Form::kTape || tape_type() != '{') return;
  const uint32_t end = static_cast<uint32_t>(word()) - 1;  // The closing '}'.
  for (uint32_t at = index_ + 1; at < end; at = tape_->after(at + 1)) {
    if (!visit(tape_->string_at(at), JsonRef(*tape_, at + 1))) return;
  }
}

}  // namespace stepup::json_internal

#endif  // STEPUP_LIB_JSON_JSON_REF_H_
