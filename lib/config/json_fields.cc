// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "config/json_fields.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>

namespace stepup::config {

absl::Status error_at(const std::string& path, const std::string& message) {
  return absl::InvalidArgumentError(path + ": " + message);
}

std::string member_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

absl::Status check_members(const JsonValue& object, const std::string& path,
                           std::initializer_list<std::string_view> allowed) {
  for (const JsonMember& member : object.members()) {
    if (std::find(allowed.begin(), allowed.end(), member.name) == allowed.end()) {
      std::string expected;
      for (std::string_view key : allowed)
        expected += (expected.empty() ? "" : ", ") + std::string(key);
      return error_at(path,
                      "unknown key \"" + member.name + "\" (expected one of: " + expected + ")");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> read_string(const JsonValue& object, std::string_view key,
                                        const std::string& path, bool required,
                                        std::string fallback) {
  const JsonValue* value = object.find(key);
  if (value == nullptr) {
    if (required) return error_at(path, "missing required key \"" + std::string(key) + "\"");
    return fallback;
  }
  if (!value->is_string()) return error_at(member_path(path, key), "must be a string");
  return std::string(value->as_string());
}

absl::StatusOr<bool> read_bool(const JsonValue& object, std::string_view key,
                               const std::string& path) {
  const JsonValue* value = object.find(key);
  if (value == nullptr) return false;
  if (!value->is_bool()) return error_at(member_path(path, key), "must be true or false");
  return value->as_bool();
}

absl::StatusOr<std::vector<std::string>> read_string_list(const JsonValue& object,
                                                          std::string_view key,
                                                          const std::string& path,
                                                          bool allow_single_string) {
  const JsonValue* value = object.find(key);
  const std::string here = member_path(path, key);
  std::vector<std::string> result;
  if (value == nullptr) return result;
  if (allow_single_string && value->is_string()) {
    result.emplace_back(value->as_string());
    return result;
  }
  if (!value->is_array()) return error_at(here, "must be a list of strings");
  for (std::size_t i = 0; i < value->items().size(); ++i) {
    const JsonValue& item = value->items()[i];
    if (!item.is_string()) return error_at(index_path(here, i), "must be a string");
    result.emplace_back(item.as_string());
  }
  return result;
}

std::optional<int64_t> as_int(const JsonValue* value) {
  if (value == nullptr || !value->is_integer()) return std::nullopt;
  return value->as_integer();
}

absl::StatusOr<std::string> read_file(const std::string& path, const std::string& where,
                                      std::size_t max_bytes) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (error) return error_at(where, "cannot read file " + path + ": " + error.message());
  if (status.type() == std::filesystem::file_type::directory) {
    return error_at(where, "cannot read file " + path + ": it is a directory");
  }
  if (status.type() != std::filesystem::file_type::regular) {
    return error_at(where, "cannot read file " + path + ": it is not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return error_at(where, "cannot read file " + path);
  // One byte more than allowed tells a file over the limit (also one that
  // grew since it was checked).
  std::string contents(max_bytes + 1, '\0');
  in.read(contents.data(), static_cast<std::streamsize>(contents.size()));
  if (in.bad()) return error_at(where, "error reading file " + path);
  contents.resize(static_cast<std::size_t>(in.gcount()));
  if (contents.size() > max_bytes) {
    return error_at(where,
                    "file " + path + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  return contents;
}

bool is_header_safe(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
}

bool is_space_free_header_safe(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c > 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
}

}  // namespace stepup::config
