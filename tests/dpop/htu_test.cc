// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// htu normalization (RFC 9449 §4.3, RFC 3986 §6.2.2 and §6.2.3).
#include "dpop/htu.h"

#include <gtest/gtest.h>

namespace stepup::dpop {
namespace {

TEST(HtuTest, NormalizesWhatRfc3986CallsEquivalent) {
  EXPECT_EQ(normalized_htu("HTTPS://API.Example.COM/a/B"), "https://api.example.com/a/B");
  EXPECT_EQ(normalized_htu("https://api.example.com:443/x"), "https://api.example.com/x");
  EXPECT_EQ(normalized_htu("http://api.example.com:80/x"), "http://api.example.com/x");
  EXPECT_EQ(normalized_htu("https://api.example.com:8443/x"), "https://api.example.com:8443/x");
  EXPECT_EQ(normalized_htu("https://api.example.com"), "https://api.example.com/");
  EXPECT_EQ(normalized_htu("https://api.example.com/%7euser/%2f%2F"),
            "https://api.example.com/~user/%2F%2F");
  EXPECT_EQ(normalized_htu("https://[::1]:8443/x"), "https://[::1]:8443/x");
  EXPECT_EQ(normalized_htu("https://[::1]/x?q#f"), "https://[::1]/x");
  EXPECT_EQ(normalized_htu("https://%41pi.Example.com/%41"), "https://api.example.com/A")
      << "the host decoded, then lower-cased; the path's case kept";
}

TEST(HtuTest, RefusesWhatIsNotAnHttpUri) {
  EXPECT_EQ(normalized_htu("ftp://api.example.com/x"), std::nullopt);
  EXPECT_EQ(normalized_htu("/x"), std::nullopt);
  EXPECT_EQ(normalized_htu("https:///x"), std::nullopt);
  EXPECT_EQ(normalized_htu("https://user@api.example.com/x"), std::nullopt);
  EXPECT_EQ(normalized_htu("https://api.example.com:44a/x"), std::nullopt);
  EXPECT_EQ(normalized_htu("https://api.example.com/%zz"), std::nullopt);
  EXPECT_EQ(normalized_htu("https://api.example.com/%2"), std::nullopt);
  // Found by the dpop_proof fuzzer: an unclosed IPv6 literal normalized to
  // something that normalized again differently.
  EXPECT_EQ(normalized_htu("https://[::/b?q=1#f"), std::nullopt);
  EXPECT_EQ(normalized_htu("https://[]/b"), std::nullopt);
  EXPECT_EQ(normalized_htu("https://a]b/x"), std::nullopt);
  EXPECT_EQ(normalized_htu("https://[::1]x/x"), std::nullopt);
  EXPECT_EQ(normalized_htu("https://api.example.com:/x"), "https://api.example.com/x");
}

TEST(HtuTest, MatchesIgnoringQueryAndFragmentOnly) {
  EXPECT_TRUE(htu_matches("https://api.example.com/x", "https://API.example.com:443/x?a=1"));
  EXPECT_FALSE(htu_matches("https://api.example.com/x", "https://api.example.com/x/"));
  EXPECT_FALSE(htu_matches("https://api.example.com/x", "https://api.example.com/X"));
  EXPECT_FALSE(htu_matches("https://api.example.com/a/../x", "https://api.example.com/x"))
      << "dot segments are compared as spelled";
  EXPECT_FALSE(htu_matches("not a uri", "not a uri"));
}

}  // namespace
}  // namespace stepup::dpop
