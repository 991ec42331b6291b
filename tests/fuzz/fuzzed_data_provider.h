// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// libFuzzer's FuzzedDataProvider where the compiler has it (clang with the
// libFuzzer headers), otherwise a stand-in with the subset the fuzz targets
// use. The stand-in must consume input exactly as the original does, so that
// the replay build (any compiler, such as gcc without libclang-rt-dev) turns
// a corpus file into the same calls as the libFuzzer build does:
//   - integers are read from the end of the input, one byte at a time, most
//     significant first, only as many bytes as the range needs, and reduced
//     modulo the range's size;
//   - strings and byte runs are read from the front;
//   - ConsumeRandomLengthString takes bytes until `max_length`, the end of
//     the input, or a backslash followed by anything but a backslash (both
//     consumed); "\\" gives one backslash.
#ifndef STEPUP_TESTS_FUZZ_FUZZED_DATA_PROVIDER_H_
#define STEPUP_TESTS_FUZZ_FUZZED_DATA_PROVIDER_H_

#if __has_include(<fuzzer/FuzzedDataProvider.h>) && !defined(STEPUP_FUZZ_OWN_DATA_PROVIDER)
#include <fuzzer/FuzzedDataProvider.h>
#else

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <type_traits>

class FuzzedDataProvider {
 public:
  FuzzedDataProvider(const uint8_t* data, std::size_t size) : data_(data), remaining_(size) {}
  FuzzedDataProvider(const FuzzedDataProvider&) = delete;
  FuzzedDataProvider& operator=(const FuzzedDataProvider&) = delete;

  std::size_t remaining_bytes() const { return remaining_; }

  std::string ConsumeBytesAsString(std::size_t num_bytes) {
    num_bytes = std::min(num_bytes, remaining_);
    std::string result(reinterpret_cast<const char*>(data_), num_bytes);
    advance(num_bytes);
    return result;
  }

  std::string ConsumeRemainingBytesAsString() { return ConsumeBytesAsString(remaining_); }

  std::string ConsumeRandomLengthString(std::size_t max_length) {
    std::string result;
    for (std::size_t i = 0; i < max_length && remaining_ != 0; ++i) {
      char next = static_cast<char>(data_[0]);
      advance(1);
      if (next == '\\' && remaining_ != 0) {
        next = static_cast<char>(data_[0]);
        advance(1);
        if (next != '\\') break;
      }
      result += next;
    }
    return result;
  }

  template <typename T>
  T ConsumeIntegral() {
    return ConsumeIntegralInRange(std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  }

  template <typename T>
  T ConsumeIntegralInRange(T min, T max) {
    static_assert(std::is_integral_v<T> && sizeof(T) <= sizeof(uint64_t));
    if (min > max) std::abort();
    const uint64_t range = static_cast<uint64_t>(max) - static_cast<uint64_t>(min);
    uint64_t result = 0;
    std::size_t offset = 0;
    while (offset < sizeof(T) * CHAR_BIT && (range >> offset) > 0 && remaining_ != 0) {
      --remaining_;
      result = (result << CHAR_BIT) | data_[remaining_];
      offset += CHAR_BIT;
    }
    if (range != std::numeric_limits<uint64_t>::max()) result %= range + 1;
    return static_cast<T>(static_cast<uint64_t>(min) + result);
  }

  bool ConsumeBool() { return (ConsumeIntegral<uint8_t>() & 1) != 0; }

  template <typename T, std::size_t size>
  T PickValueInArray(const T (&array)[size]) {
    static_assert(size > 0);
    return array[ConsumeIntegralInRange<std::size_t>(0, size - 1)];
  }

 private:
  void advance(std::size_t num_bytes) {
    data_ += num_bytes;
    remaining_ -= num_bytes;
  }

  const uint8_t* data_;
  std::size_t remaining_;
};

#endif  // __has_include(<fuzzer/FuzzedDataProvider.h>)

#endif  // STEPUP_TESTS_FUZZ_FUZZED_DATA_PROVIDER_H_
