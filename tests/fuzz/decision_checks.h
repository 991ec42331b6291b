// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Checks shared by the fuzz targets that see decisions and the answers built
// from them (decide, sideband, authzen): header values are safe to send, a
// produced WWW-Authenticate is exactly what SPEC §5 allows, produced JSON
// parses with the library's strict reader.
#ifndef STEPUP_TESTS_FUZZ_DECISION_CHECKS_H_
#define STEPUP_TESTS_FUZZ_DECISION_CHECKS_H_

#include <cstddef>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.h"
#include "json/strict_json.h"
#include "stepup/challenge_client.h"
#include "stepup/json_value.h"

namespace stepup::fuzz {

// Deep enough for anything the service writes back (its inputs nest at most
// 32 deep, and it wraps them in at most two more levels).
inline constexpr int kCheckDepth = 64;

// Visible ASCII and space only: no CR or LF (response splitting), no other
// control byte, nothing at or above 0x7f.
inline bool header_safe(std::string_view value) {
  for (const char c : value) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// `text` must be a JSON object (valid UTF-8, no duplicate names); returns it.
inline JsonValue parse_object_or_die(std::string_view text) {
  JsonValue value;
  const json_internal::JsonParseResult result =
      json_internal::parse_json_object(text, kCheckDepth, value);
  if (result.error != json_internal::JsonError::kOk) {
    std::fprintf(stderr, "not a JSON object (error %d at '%s'): %.*s\n",
                 static_cast<int>(result.error), result.where.c_str(),
                 static_cast<int>(text.size()), text.data());
  }
  FUZZ_CHECK(result.error == json_internal::JsonError::kOk);
  FUZZ_CHECK(value.is_object());
  return value;
}

// Equal as JSON: same structure, member order and strings; numbers by value
// (a writer may print 1.0 as 1).
inline bool json_equal(const JsonValue& a, const JsonValue& b) {
  // The same compact text: equal values, object members in the same order
  // (stricter than JsonValue's ==, which ignores member order).
  return a.to_json() == b.to_json();
}

// A WWW-Authenticate value the engine produced (SPEC §5): one valid Bearer
// (or DPoP) challenge in auth-param form, every value a quoted-string without
// quoted-pairs (so the only double quotes are the delimiters), each name once
// and in the order realm, error, error_description, acr_values, max_age,
// scope, with the given realm and error (none when `error` is empty).
// Returns the challenge, for further checks by the caller.
inline Challenge check_www_authenticate(std::string_view value, std::string_view realm,
                                        std::string_view error) {
  FUZZ_CHECK(header_safe(value));
  FUZZ_CHECK(value.find('\\') == std::string_view::npos);
  // DPoP's scheme answers a token that came under DPoP (RFC 9449 §7.1).
  FUZZ_CHECK(value.rfind("Bearer", 0) == 0 || value.rfind("DPoP", 0) == 0);
  std::vector<Challenge> challenges = parse_www_authenticate({value});
  FUZZ_CHECK(challenges.size() == 1);
  Challenge& challenge = challenges.front();
  FUZZ_CHECK(challenge.valid);
  FUZZ_CHECK(challenge.scheme == "bearer" || challenge.scheme == "dpop");
  FUZZ_CHECK(challenge.token68.empty());
  std::size_t quotes = 0;
  for (const char c : value)
    quotes += c == '"' ? 1 : 0;
  FUZZ_CHECK(quotes == 2 * challenge.params.size());

  static constexpr std::string_view kOrder[] = {"realm",      "error",   "error_description",
                                                "acr_values", "max_age", "scope"};
  std::size_t next = 0;
  for (const auto& [name, param_value] : challenge.params) {
    while (next < std::size(kOrder) && kOrder[next] != name)
      ++next;
    FUZZ_CHECK(next < std::size(kOrder));  // Known, unrepeated, in order.
    ++next;
    FUZZ_CHECK(header_safe(param_value));
  }
  const std::string* realm_param = challenge.param("realm");
  FUZZ_CHECK(realm_param != nullptr && *realm_param == realm);
  const std::string* error_param = challenge.param("error");
  if (error.empty()) {
    FUZZ_CHECK(error_param == nullptr);
  } else {
    FUZZ_CHECK(error_param != nullptr && *error_param == error);
  }
  if (const std::string* max_age = challenge.param("max_age")) {
    FUZZ_CHECK(!max_age->empty() && max_age->size() <= 18);
    for (const char c : *max_age)
      FUZZ_CHECK(c >= '0' && c <= '9');
  }
  return std::move(challenge);
}

}  // namespace stepup::fuzz

#endif  // STEPUP_TESTS_FUZZ_DECISION_CHECKS_H_
