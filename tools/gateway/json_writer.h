// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_GATEWAY_JSON_WRITER_H_
#define STEPUP_TOOLS_GATEWAY_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/json_value.h"

namespace stepup::gateway {

// Writes compact JSON text. Commas are placed automatically; the caller keeps
// the nesting balanced and calls key() before each member value.
//
//   JsonWriter json;
//   json.begin_object().key("decision").boolean(true).end_object();
//   json.text();  // {"decision":true}
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view value);
  JsonWriter& integer(int64_t value);
  JsonWriter& boolean(bool value);
  // A value given as a parsed JSON tree, written back as compact text.
  JsonWriter& value(const JsonValue& value);

  const std::string& text() const { return out_; }

 private:
  void before_value();

  std::string out_;
  // One entry per open object or array: true until its first element.
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace stepup::gateway

#endif  // STEPUP_TOOLS_GATEWAY_JSON_WRITER_H_
