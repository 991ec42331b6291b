// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Fuzzes the client-side WWW-Authenticate parser: the input's lines are the
// header fields of one response.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "stepup/challenge_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    fields.push_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  const std::vector<stepup::Challenge> challenges = stepup::parse_www_authenticate(fields);
  for (const stepup::Challenge& challenge : challenges) {
    for (char c : challenge.scheme)
      FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
    for (const auto& [name, value] : challenge.params) {
      for (char c : name)
        FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
      FUZZ_CHECK(challenge.param(name) != nullptr);
    }
    FUZZ_CHECK(challenge.valid == challenge.error.empty());
    FUZZ_CHECK(challenge.token68.empty() || challenge.params.empty());
  }
  (void)stepup::classify(challenges);
  if (const auto requirement = stepup::find_step_up(challenges)) {
    if (requirement->max_age) FUZZ_CHECK(*requirement->max_age >= 0);
    const std::string parameters = stepup::authorization_request_parameters(*requirement);
    for (char c : parameters) {
      FUZZ_CHECK(std::isalnum(static_cast<unsigned char>(c)) || c == '%' || c == '&' || c == '=' ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == '+');
    }
  }
  return 0;
}
