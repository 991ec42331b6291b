// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CONFIG_JSON_FIELDS_H_
#define STEPUP_LIB_CONFIG_JSON_FIELDS_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "stepup/json_value.h"

// How the configuration loader reads a policy document's objects: typed
// members, every error naming its JSON path (`validators[0].audience`).
namespace stepup::config {

// "<path>: <message>" as an InvalidArgument error.
absl::Status error_at(const std::string& path, const std::string& message);

// `parent.key`, or `key` at the top level.
std::string member_path(const std::string& parent, std::string_view key);
// `parent[index]`.
std::string index_path(const std::string& parent, std::size_t index);

// An error naming the first member of `object` that is not in `allowed`.
absl::Status check_members(const JsonValue& object, const std::string& path,
                           std::initializer_list<std::string_view> allowed);

// The string member `key`; when missing, an error if `required`, else
// `fallback`.
absl::StatusOr<std::string> read_string(const JsonValue& object, std::string_view key,
                                        const std::string& path, bool required,
                                        std::string fallback = "");
// The boolean member `key`; false when missing.
absl::StatusOr<bool> read_bool(const JsonValue& object, std::string_view key,
                               const std::string& path);
// The list of strings `key`, empty when missing; with
// `allow_single_string`, a lone string is a list of one.
absl::StatusOr<std::vector<std::string>> read_string_list(const JsonValue& object,
                                                          std::string_view key,
                                                          const std::string& path,
                                                          bool allow_single_string = false);
// The integer `value` points to, or nullopt (missing or not an integer).
std::optional<int64_t> as_int(const JsonValue* value);

// Whether `text` may stand inside a quoted header parameter (RFC 6750 §3):
// printable ASCII without '"' or '\'.
bool is_header_safe(std::string_view text);
// The same, non-empty and without spaces (an acr value, an error code).
bool is_space_free_header_safe(std::string_view text);

// Reads a regular file of at most `max_bytes` (a device, a FIFO or a
// directory could block or never end); errors are reported at `where`.
absl::StatusOr<std::string> read_file(const std::string& path, const std::string& where,
                                      std::size_t max_bytes);

}  // namespace stepup::config

#endif  // STEPUP_LIB_CONFIG_JSON_FIELDS_H_
