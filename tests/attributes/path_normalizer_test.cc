// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/path_normalizer.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace stepup::attributes {
namespace {

TEST(PathNormalizer, LeavesNormalPathsAlone) {
  for (const char* path : {"/", "/payments", "/payments/transfers/7", "/a/b/", "/a.b/c..d/.e"}) {
    EXPECT_TRUE(is_normalized_path(path)) << path;
    EXPECT_EQ(normalize_path(path), path);
  }
}

TEST(PathNormalizer, MergesSlashesAndRemovesDotSegments) {
  const std::pair<const char*, const char*> cases[] = {
      {"//payments/transfers/7", "/payments/transfers/7"},
      {"/payments//transfers/7", "/payments/transfers/7"},
      {"/payments/./transfers/7", "/payments/transfers/7"},
      {"/payments/x/../transfers/7", "/payments/transfers/7"},
      {"/../../payments/transfers", "/payments/transfers"},
      {"/payments/transfers/.", "/payments/transfers/"},
      {"/payments/transfers/..", "/payments/"},
      {"/..", "/"},
      {"/./", "/"},
  };
  for (const auto& [raw, normal] : cases) {
    EXPECT_FALSE(is_normalized_path(raw)) << raw;
    EXPECT_EQ(normalize_path(raw), normal) << raw;
  }
}

TEST(PathNormalizer, DecodesOnlyUnreservedEscapes) {
  EXPECT_EQ(normalize_path("/payments/%74ransfers/7"), "/payments/transfers/7");
  EXPECT_EQ(normalize_path("/%2E%2E/payments"), "/payments");  // Encoded dots are dots.
  EXPECT_EQ(normalize_path("/a%2Fb/c"), "/a%2Fb/c");           // An encoded '/' is not a separator.
  EXPECT_EQ(normalize_path("/a%20b"), "/a%20b");
  EXPECT_EQ(normalize_path("/a%zz/b%4"), "/a%zz/b%4");  // Malformed escapes stay literal.
}

// The reference below is written from scan_request_path()'s contract: the
// path ends at the first '?' or '#', and it is normalized unless it holds a
// '%', a "//", or a "." or ".." segment.
struct ReferenceScan {
  std::string_view path;
  bool normalized;
};

ReferenceScan reference_scan(std::string_view target) {
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  bool normalized =
      path.find('%') == std::string_view::npos && path.find("//") == std::string_view::npos;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    const std::string_view segment = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment == "." || segment == "..") normalized = false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return {path, normalized};
}

// Checks scan_request_path() and is_normalized_path() on one target; returns
// false (after reporting) on a disagreement.
bool agrees_with_reference(std::string_view target) {
  const ReferenceScan expected = reference_scan(target);
  const ScannedPath actual = scan_request_path(target);
  bool ok = true;
  if (actual.path != expected.path || actual.normalized != expected.normalized) {
    ADD_FAILURE() << "scan_request_path(\"" << target << "\") = {\"" << actual.path << "\", "
                  << actual.normalized << "}, expected {\"" << expected.path << "\", "
                  << expected.normalized << "}";
    ok = false;
  }
  // scan_request_path() must return a view into the target, not a copy.
  if (actual.path.data() != target.data()) {
    ADD_FAILURE() << "scan_request_path(\"" << target << "\") does not point into the target";
    ok = false;
  }
  const bool expected_is_normalized =
      target.find_first_of("?#") == std::string_view::npos && expected.normalized;
  if (is_normalized_path(target) != expected_is_normalized) {
    ADD_FAILURE() << "is_normalized_path(\"" << target << "\") should be "
                  << expected_is_normalized;
    ok = false;
  }
  // What is_normalized_path() accepts, normalize_path() leaves alone.
  if (expected_is_normalized && normalize_path(target) != target) {
    ADD_FAILURE() << "is_normalized_path(\"" << target << "\") but normalize_path() gives \""
                  << normalize_path(target) << "\"";
    ok = false;
  }
  return ok;
}

TEST(ScanRequestPath, ReferenceAgreesWithHandWrittenCases) {
  EXPECT_TRUE(reference_scan("/a/b/").normalized);
  EXPECT_TRUE(reference_scan("/.a/a./...").normalized);
  EXPECT_FALSE(reference_scan("/a/./b").normalized);
  EXPECT_FALSE(reference_scan("..").normalized);
  EXPECT_FALSE(reference_scan("//").normalized);
  EXPECT_FALSE(reference_scan("/a%").normalized);
  EXPECT_TRUE(reference_scan("/a?//..%").normalized);
  EXPECT_EQ(reference_scan("/a#b?c").path, "/a");
}

TEST(ScanRequestPath, ExhaustiveShortTargetsAgreeWithReference) {
  // Every target of up to 8 characters over {/, ., a, %, ?, #}: 2 015 539.
  constexpr std::string_view kAlphabet = "/.a%?#";
  constexpr int kMaxLength = 8;
  int failures = 0;
  std::string target;
  std::vector<int> digits;
  for (int length = 0; length <= kMaxLength && failures < 20; ++length) {
    digits.assign(length, 0);
    target.assign(length, kAlphabet[0]);
    while (failures < 20) {
      if (!agrees_with_reference(target)) ++failures;
      // The next target of this length, as an odometer.
      int position = length - 1;
      while (position >= 0 && digits[position] == static_cast<int>(kAlphabet.size()) - 1) {
        digits[position] = 0;
        target[position] = kAlphabet[0];
        --position;
      }
      if (position < 0) break;
      target[position] = kAlphabet[++digits[position]];
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(ScanRequestPath, RandomLongerTargetsAgreeWithReference) {
  // Up to 12 characters, and path-like pieces so that "." and ".." segments
  // appear between other segments.
  static const char* const kPieces[] = {"/", ".", "..", "a", "%", "?", "#", "/.", "/..", "./"};
  std::mt19937_64 rng(0xa11ce);
  int failures = 0;
  for (int i = 0; i < 200000 && failures < 20; ++i) {
    std::string target;
    const int pieces = std::uniform_int_distribution<int>(0, 8)(rng);
    for (int p = 0; p < pieces; ++p)
      target += kPieces[std::uniform_int_distribution<int>(0, 9)(rng)];
    if (target.size() > 12) target.resize(12);
    if (!agrees_with_reference(target)) ++failures;
  }
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace stepup::attributes
