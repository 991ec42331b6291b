// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/base64url.h"

#include <gtest/gtest.h>

#include <string>

namespace stepup::token_internal {
namespace {

bool decodes(std::string_view in, std::string& out) {
  return decode_base64url(in, out);
}

TEST(Base64Url, DecodesRfc4648TestVectorsWithoutPadding) {
  // RFC 4648 §10, with padding removed.
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},           {"Zg", "f"},          {"Zm8", "fo"},         {"Zm9v", "foo"},
      {"Zm9vYg", "foob"}, {"Zm9vYmE", "fooba"}, {"Zm9vYmFy", "foobar"}};
  for (const auto& [encoded, plain] : cases) {
    std::string out;
    ASSERT_TRUE(decodes(encoded, out)) << encoded;
    EXPECT_EQ(out, plain);
    EXPECT_EQ(encode_base64url(plain), encoded);
  }
}

TEST(Base64Url, UsesTheUrlAlphabet) {
  std::string out;
  ASSERT_TRUE(decodes("-_8", out));
  EXPECT_EQ(out, "\xfb\xff");
  EXPECT_EQ(encode_base64url("\xfb\xff"), "-_8");
}

TEST(Base64Url, RejectsStandardAlphabetPaddingAndWhitespace) {
  std::string out;
  EXPECT_FALSE(decodes("+/8", out));
  EXPECT_FALSE(decodes("Zg==", out));
  EXPECT_FALSE(decodes("Zg=", out));
  EXPECT_FALSE(decodes("Zm9v\n", out));
  EXPECT_FALSE(decodes("Zm 9v", out));
  EXPECT_FALSE(decodes(std::string_view("Zm\0v", 4), out));
}

TEST(Base64Url, RejectsImpossibleLength) {
  std::string out;
  EXPECT_FALSE(decodes("Z", out));
  EXPECT_FALSE(decodes("Zm9vY", out));
}

TEST(Base64Url, RejectsNonZeroTrailingBits) {
  // "Zg" is the only encoding of "f"; "Zh".."Zv" differ only in unused bits.
  std::string out;
  EXPECT_TRUE(decodes("Zg", out));
  EXPECT_FALSE(decodes("Zh", out));
  EXPECT_FALSE(decodes("Zv", out));
  EXPECT_TRUE(decodes("Zm8", out));
  EXPECT_FALSE(decodes("Zm9", out));
}

TEST(Base64Url, EveryByteStringHasExactlyOneEncoding) {
  // Exhaustive over all 1- and 2-character tails: exactly 2^8 (rest 2) and
  // 2^16 (rest 3) accepted spellings, one per byte string.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  int accepted2 = 0;
  for (char a : alphabet) {
    for (char b : alphabet) {
      std::string out;
      if (decodes(std::string{a, b}, out)) ++accepted2;
    }
  }
  EXPECT_EQ(accepted2, 256);
  int accepted3 = 0;
  for (char a : alphabet) {
    for (char b : alphabet) {
      for (char c : alphabet) {
        std::string out;
        if (decodes(std::string{a, b, c}, out)) ++accepted3;
      }
    }
  }
  EXPECT_EQ(accepted3, 65536);
}

TEST(Base64Url, RoundTripsAllByteValues) {
  std::string bytes;
  for (int i = 0; i < 256; ++i)
    bytes += static_cast<char>(i);
  for (std::size_t length = 0; length <= bytes.size(); length += 7) {
    const std::string encoded = encode_base64url(bytes.substr(0, length));
    std::string out;
    ASSERT_TRUE(decodes(encoded, out));
    EXPECT_EQ(out, bytes.substr(0, length));
  }
}

}  // namespace
}  // namespace stepup::token_internal
