// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "attributes/path_normalizer.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace stepup::attributes
