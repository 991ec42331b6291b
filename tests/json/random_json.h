// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TESTS_JSON_RANDOM_JSON_H_
#define STEPUP_TESTS_JSON_RANDOM_JSON_H_

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace stepup::json_internal {

// Random JSON text of bounded depth, over a few member names so that
// successive documents often reuse a member for a value of another kind.
class RandomJson {
 public:
  explicit RandomJson(uint64_t seed) : rng_(seed) {}

  std::string object(int depth) {
    std::vector<std::string> names = {"a", "b", "c", "d", "e", "kid", "alg", ""};
    std::shuffle(names.begin(), names.end(), rng_);
    const int count = uniform(0, depth > 2 ? 2 : 6);
    std::string text = "{";
    for (int i = 0; i < count; ++i) {
      if (i > 0) text += ",";
      text += "\"" + names[i] + "\":" + value(depth + 1);
    }
    return text + "}";
  }

 private:
  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }

  std::string value(int depth) {
    static const char* const kScalars[] = {"null",
                                           "true",
                                           "false",
                                           "0",
                                           "-7",
                                           "42",
                                           "9223372036854775807",
                                           "-9223372036854775808",
                                           "18446744073709551615",
                                           "1.5",
                                           "-0.0",
                                           "1e3",
                                           "\"\"",
                                           "\"s\"",
                                           "\"a string longer than the small-string buffer\"",
                                           R"("esc\n\u00e9\"")"};
    const int choice = uniform(0, depth >= 4 ? 0 : 3);
    if (choice == 1) return object(depth);
    if (choice == 2 || choice == 3) {
      std::string text = "[";
      const int count = uniform(0, 5);
      for (int i = 0; i < count; ++i) {
        if (i > 0) text += ",";
        text += value(depth + 1);
      }
      return text + "]";
    }
    return kScalars[uniform(0, std::size(kScalars) - 1)];
  }

  std::mt19937_64 rng_;
};

}  // namespace stepup::json_internal

#endif  // STEPUP_TESTS_JSON_RANDOM_JSON_H_
