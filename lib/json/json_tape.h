// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_JSON_JSON_TAPE_H_
#define STEPUP_LIB_JSON_JSON_TAPE_H_

#include <cstdint>
#include <cstring>
#include <string_view>

namespace stepup::json_internal {

// Private to lib/json: the layout JsonDocument leaves a parse in, read by
// JsonRef's inline accessors. Nothing outside lib/json names it.
// A parsed document as simdjson's DOM stores it (its documented tape
// format): one 64-bit word per value, the type in the top byte; strings live
// in `strings` as a 32-bit length, the bytes and a NUL.
struct JsonTape {
  const uint64_t* words = nullptr;
  const uint8_t* strings = nullptr;

  // The type of the value at `index` ('{', '[', '"', 'l', 'u', 'd', 't',
  // 'f', 'n').
  char type_at(uint32_t index) const { return static_cast<char>(words[index] >> 56); }
  // The string (or member name) at `index`.
  std::string_view string_at(uint32_t index) const {
    constexpr uint64_t kPayloadMask = 0x00FFFFFFFFFFFFFFu;  // Below the type byte.
    const uint8_t* at = strings + (words[index] & kPayloadMask);
    uint32_t size;
    std::memcpy(&size, at, sizeof size);
    return std::string_view(reinterpret_cast<const char*>(at + sizeof size), size);
  }
  // The index just past the value at `index`.
  uint32_t after(uint32_t index) const { return after(index, type_at(index)); }
  // The same, for a value whose type the caller has read.
  uint32_t after(uint32_t index, char type) const {
    switch (type) {
      case '{':
      case '[':
        return static_cast<uint32_t>(words[index]);  // Just past the closing bracket.
      case 'l':
      case 'u':
      case 'd':
        return index + 2;  // Numbers take a second word.
      default:
        return index + 1;
    }
  }
};

}  // namespace stepup::json_internal

#endif  // STEPUP_LIB_JSON_JSON_TAPE_H_
