// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "json/json_ref.h"

#include <string>
#include <vector>

namespace stepup::json_internal {

// Writes a JsonValue in place, keeping what storage it can: a member or item
// whose kind repeats reuses its string or vector.
struct JsonBuilder {
  static void clear_containers(JsonValue& out) {
    out.items_.clear();
    out.members_.clear();
  }
  static void set_null(JsonValue& out) {
    clear_containers(out);
    out.kind_ = JsonValue::Kind::kNull;
  }
  static void set_bool(JsonValue& out, bool value) {
    clear_containers(out);
    out.kind_ = JsonValue::Kind::kBool;
    out.bool_ = value;
  }
  static void set_integer(JsonValue& out, int64_t value) {
    clear_containers(out);
    out.kind_ = JsonValue::Kind::kInteger;
    out.integer_ = value;
  }
  static void set_double(JsonValue& out, double value) {
    clear_containers(out);
    out.kind_ = JsonValue::Kind::kDouble;
    out.double_ = value;
  }
  static void set_string(JsonValue& out, std::string_view value) {
    clear_containers(out);
    out.kind_ = JsonValue::Kind::kString;
    out.string_.assign(value);
  }
  static std::vector<JsonMember>& begin_object(JsonValue& out, std::size_t size) {
    out.items_.clear();
    out.string_.clear();
    out.kind_ = JsonValue::Kind::kObject;
    out.members_.resize(size);
    return out.members_;
  }
  static std::vector<JsonValue>& begin_array(JsonValue& out, std::size_t size) {
    out.members_.clear();
    out.string_.clear();
    out.kind_ = JsonValue::Kind::kArray;
    out.items_.resize(size);
    return out.items_;
  }
};

double JsonRef::as_double() const {
  if (form_ == Form::kValue) return value_->as_double();
  if (form_ != Form::kTape) return 0;
  const uint64_t bits = tape_->words[index_ + 1];
  switch (tape_type()) {
    case 'l': {
      int64_t value;
      std::memcpy(&value, &bits, sizeof value);
      return static_cast<double>(value);
    }
    case 'u':
      return static_cast<double>(bits);
    case 'd': {
      double value;
      std::memcpy(&value, &bits, sizeof value);
      return value;
    }
    default:
      return 0;
  }
}

JsonRef JsonRef::find(std::string_view name) const {
  if (form_ == Form::kValue) return JsonRef(value_->find(name));
  if (form_ != Form::kTape || tape_type() != '{') return JsonRef();
  const uint32_t end = static_cast<uint32_t>(word()) - 1;
  for (uint32_t at = index_ + 1; at < end; at = tape_->after(at + 1)) {
    // Sizes and first bytes rule out most names without a call to memcmp.
    const std::string_view key = tape_->string_at(at);
    if (key.size() == name.size() && (key.empty() || key[0] == name[0]) && key == name) {
      return JsonRef(*tape_, at + 1);
    }
  }
  return JsonRef();
}

bool JsonRef::empty_array() const {
  if (form_ == Form::kValue) return value_->items().empty();
  // An empty array's closing bracket follows at once.
  return form_ != Form::kTape || tape_type() != '[' || static_cast<uint32_t>(word()) == index_ + 2;
}

void JsonRef::copy_to(JsonValue& out) const {
  if (form_ == Form::kValue) {
    out = *value_;
    return;
  }
  switch (kind()) {
    case JsonValue::Kind::kNull:
      JsonBuilder::set_null(out);
      return;
    case JsonValue::Kind::kBool:
      JsonBuilder::set_bool(out, as_bool());
      return;
    case JsonValue::Kind::kInteger:
      JsonBuilder::set_integer(out, as_integer());
      return;
    case JsonValue::Kind::kDouble:
      JsonBuilder::set_double(out, as_double());
      return;
    case JsonValue::Kind::kString:
      JsonBuilder::set_string(out, as_string());
      return;
    case JsonValue::Kind::kArray: {
      // The tape's count saturates for huge containers: grow, then trim.
      std::vector<JsonValue>& items = JsonBuilder::begin_array(out, tape_count());
      std::size_t i = 0;
      for_each_item([&](JsonRef item) {
        if (i == items.size()) items.emplace_back();
        item.copy_to(items[i++]);
        return true;
      });
      items.resize(i);
      return;
    }
    case JsonValue::Kind::kObject: {
      std::vector<JsonMember>& members = JsonBuilder::begin_object(out, tape_count());
      std::size_t i = 0;
      for_each_member([&](std::string_view name, JsonRef value) {
        if (i == members.size()) members.emplace_back();
        JsonMember& member = members[i++];
        member.name.assign(name);
        value.copy_to(member.value);
        return true;
      });
      members.resize(i);
      return;
    }
  }
}

}  // namespace stepup::json_internal
