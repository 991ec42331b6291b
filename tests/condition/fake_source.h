// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TESTS_CONDITION_FAKE_SOURCE_H_
#define STEPUP_TESTS_CONDITION_FAKE_SOURCE_H_

#include <deque>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <utility>

#include "attributes/attribute_path.h"
#include "attributes/value.h"
#include "condition/condition.h"
#include "stepup/json_value.h"

namespace stepup::condition {

// gtest prints Tri values by name.
inline void PrintTo(Tri value, std::ostream* out) {
  *out << to_string(value);
}

// Attributes keyed by AttributePath::text. It owns the strings and JSON
// values its Values point into, so they outlive every evaluation.
class FakeSource final : public attributes::AttributeSource {
 public:
  FakeSource() = default;
  // Values point into the owned storage, which a copy would not share.
  FakeSource(const FakeSource&) = delete;
  FakeSource& operator=(const FakeSource&) = delete;

  FakeSource& set(std::string path, attributes::Value value) {
    values_[std::move(path)] = value;
    return *this;
  }
  FakeSource& set_int(std::string path, int64_t value) {
    return set(std::move(path), attributes::Value::integer(value));
  }
  FakeSource& set_bool(std::string path, bool value) {
    return set(std::move(path), attributes::Value::boolean(value));
  }
  FakeSource& set_string(std::string path, std::string value) {
    strings_.push_back(std::move(value));
    return set(std::move(path), attributes::Value::string(strings_.back()));
  }
  FakeSource& set_words(std::string path, std::string text) {
    strings_.push_back(std::move(text));
    return set(std::move(path), attributes::Value::words(strings_.back()));
  }
  // Read as the claim mapper does: Value::json (arrays become lists).
  FakeSource& set_json(std::string path, JsonValue value) {
    json_.push_back(std::move(value));
    return set(std::move(path), attributes::Value::json(json_.back()));
  }

  attributes::Value get(const attributes::AttributePath& path) const override {
    const auto found = values_.find(path.text);
    return found == values_.end() ? attributes::Value::absent() : found->second;
  }

 private:
  std::map<std::string, attributes::Value, std::less<>> values_;
  std::deque<std::string> strings_;
  std::deque<JsonValue> json_;
};

}  // namespace stepup::condition

#endif  // STEPUP_TESTS_CONDITION_FAKE_SOURCE_H_
