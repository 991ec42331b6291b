// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_JSON_STRICT_JSON_H_
#define STEPUP_LIB_JSON_STRICT_JSON_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "json/json_ref.h"
#include "stepup/json_value.h"

namespace simdjson::dom {
class parser;
}  // namespace simdjson::dom

namespace stepup::json_internal {

// Why a document was refused.
enum class JsonError {
  kOk,
  kSyntax,           // Not valid JSON, or not valid UTF-8 (RFC 8259 §8.1).
  kNotObject,        // Valid JSON whose top level is not an object.
  kDuplicateMember,  // An object repeats a member name (refused, RFC 8725 §3.6 spirit).
  kTooDeep,          // Arrays and objects nested deeper than the limit.
};

struct JsonParseResult {
  JsonError error = JsonError::kOk;
  // Where the error is, as a path such as `keys[1].kid`; empty for the top
  // level or for syntax errors. Only for trusted documents (configuration):
  // for tokens the caller must not show it, since it is attacker text.
  std::string where;
};

// The padding simdjson needs after the last byte of a buffer it reads.
std::size_t json_padding();

// A JSON object parsed strictly and read where the parser left it (through
// root(), without a copy). Each parse() replaces the document before it, and
// with it every JsonRef into it. Not thread-safe: one per thread.
class JsonDocument {
 public:
  JsonDocument();
  ~JsonDocument();
  JsonDocument(const JsonDocument&) = delete;
  JsonDocument& operator=(const JsonDocument&) = delete;

  // Parses as parse_json_object() below does: the whole document validated,
  // duplicates refused at every level, depth limited.
  JsonParseResult parse(const char* data, std::size_t size, std::size_t capacity, int max_depth);

  // The top-level object of the last parse, absent if it failed.
  JsonRef root() const { return parsed_ ? JsonRef(tape_, kRootIndex) : JsonRef(); }

 private:
  static constexpr uint32_t kRootIndex = 1;  // Word 0 of a tape marks its root.
  std::unique_ptr<simdjson::dom::parser> parser_;
  JsonTape tape_;
  bool parsed_ = false;
};

// Parses a JSON object strictly into `out`: one pass over every member,
// duplicates refused at every level, depth limited (the top-level object is
// depth 1). `data` must have `capacity >= size + json_padding()` readable
// bytes. Uses one parser per thread, so it is safe from many threads.
// `out` is written in place, reusing the storage it holds (so parsing into
// one value again and again does not allocate once warm); on any error it is
// left null.
JsonParseResult parse_json_object(const char* data, std::size_t size, std::size_t capacity,
                                  int max_depth, JsonValue& out);

// The same for text without padding (copies it once).
JsonParseResult parse_json_object(std::string_view text, int max_depth, JsonValue& out);

}  // namespace stepup::json_internal

#endif  // STEPUP_LIB_JSON_STRICT_JSON_H_
