// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// policy::Glob: what it refuses and what it matches (SPEC §2 targets).
#include "policy/glob.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace stepup::policy {
namespace {

using ::testing::HasSubstr;

std::string refusal(std::string_view pattern) {
  absl::StatusOr<Glob> glob = Glob::compile(pattern);
  return glob.ok() ? "compiled" : std::string(glob.status().message());
}

bool matches(std::string_view pattern, std::string_view path) {
  absl::StatusOr<Glob> glob = Glob::compile(pattern);
  EXPECT_TRUE(glob.ok()) << pattern << ": " << glob.status().message();
  return glob.ok() && glob->matches(path);
}

TEST(GlobCompile, RefusesAnEmptyPattern) {
  EXPECT_EQ(refusal(""), "empty path glob");
}

TEST(GlobCompile, RefusesALeadingSlash) {
  EXPECT_THAT(refusal("/transfers"), HasSubstr("must not start with '/'"));
  EXPECT_THAT(refusal("/"), HasSubstr("must not start with '/'"));
}

TEST(GlobCompile, RefusesEmptySegments) {
  EXPECT_EQ(refusal("a//b"), "path glob has an empty segment");
  EXPECT_EQ(refusal("a/"), "path glob has an empty segment");
  EXPECT_EQ(refusal("**/"), "path glob has an empty segment");
}

TEST(GlobCompile, RefusesDoubleStarMixedIntoASegment) {
  EXPECT_EQ(refusal("a**"), "'**' must be a whole segment of the path glob");
  EXPECT_EQ(refusal("**a"), "'**' must be a whole segment of the path glob");
  EXPECT_EQ(refusal("x/a**b/y"), "'**' must be a whole segment of the path glob");
  EXPECT_EQ(refusal("***"), "'**' must be a whole segment of the path glob");
}

TEST(GlobCompile, RefusesMoreThanFourDoubleStars) {
  EXPECT_EQ(refusal("**/a/**/b/**/c/**"), "compiled");
  EXPECT_EQ(refusal("**/a/**/b/**/c/**/d/**"), "path glob has more than 4 '**' segments");
  EXPECT_EQ(refusal("**/**/**/**/**"), "path glob has more than 4 '**' segments");
}

TEST(GlobCompile, KeepsThePattern) {
  absl::StatusOr<Glob> glob = Glob::compile("transfers/**");
  ASSERT_TRUE(glob.ok());
  EXPECT_EQ(glob->pattern(), "transfers/**");
}

TEST(GlobMatch, LiteralSegmentsMatchExactly) {
  EXPECT_TRUE(matches("transfers", "transfers"));
  EXPECT_FALSE(matches("transfers", "transfer"));
  EXPECT_FALSE(matches("transfers", "transfersx"));
  EXPECT_FALSE(matches("transfers", "Transfers"));
  EXPECT_FALSE(matches("transfers", "transfers/7"));
  EXPECT_FALSE(matches("transfers", ""));
  EXPECT_TRUE(matches("a/b/c", "a/b/c"));
  EXPECT_FALSE(matches("a/b/c", "a/b"));
  // Characters special elsewhere are literal here.
  EXPECT_TRUE(matches("a.b?c[d]", "a.b?c[d]"));
  EXPECT_FALSE(matches("a.b", "aXb"));
  EXPECT_FALSE(matches("a?", "ab"));
}

TEST(GlobMatch, StarMatchesExactlyOneSegment) {
  EXPECT_TRUE(matches("*", "a"));
  EXPECT_FALSE(matches("*", ""));
  EXPECT_FALSE(matches("*", "a/b"));
  EXPECT_TRUE(matches("transfers/*", "transfers/7"));
  EXPECT_FALSE(matches("transfers/*", "transfers"));
  EXPECT_FALSE(matches("transfers/*", "transfers/7/items"));
  EXPECT_TRUE(matches("*/items", "7/items"));
  EXPECT_FALSE(matches("*/items", "items"));
  EXPECT_TRUE(matches("*/*", "a/b"));
  EXPECT_FALSE(matches("*/*", "a/b/c"));
}

TEST(GlobMatch, StarInsideASegmentMatchesAnyRunWithoutSlash) {
  EXPECT_TRUE(matches("*.json", "a.json"));
  EXPECT_TRUE(matches("*.json", "a.b.json"));
  EXPECT_FALSE(matches("*.json", "a.jsonx"));
  EXPECT_FALSE(matches("*.json", "a/b.json"));
  EXPECT_FALSE(matches("*.json", "a.txt"));
  EXPECT_TRUE(matches("v*", "v1"));
  EXPECT_TRUE(matches("v*", "v"));
  EXPECT_FALSE(matches("v*", "w1"));
  EXPECT_TRUE(matches("report-*-final", "report-2026-final"));
  EXPECT_FALSE(matches("report-*-final", "report-2026-draft"));
  EXPECT_TRUE(matches("files/*.json", "files/x.json"));
  EXPECT_FALSE(matches("files/*.json", "files/sub/x.json"));
}

TEST(GlobMatch, StarBacktracksWithinASegment) {
  EXPECT_TRUE(matches("a*b*c", "abc"));
  EXPECT_TRUE(matches("a*b*c", "aXbYbZc"));
  EXPECT_TRUE(matches("a*bc", "abcbc"));
  EXPECT_FALSE(matches("a*b*c", "acb"));
  EXPECT_FALSE(matches("a*b*c", "aXbYcZ"));
  EXPECT_TRUE(matches("*a*", "bab"));
  EXPECT_FALSE(matches("*a*", "bbb"));
}

TEST(GlobMatch, DoubleStarMatchesAnyNumberOfSegmentsIncludingNone) {
  EXPECT_TRUE(matches("**", ""));
  EXPECT_TRUE(matches("**", "a"));
  EXPECT_TRUE(matches("**", "a/b/c"));
  EXPECT_TRUE(matches("transfers/**", "transfers"));
  EXPECT_TRUE(matches("transfers/**", "transfers/7"));
  EXPECT_TRUE(matches("transfers/**", "transfers/7/items/1"));
  EXPECT_FALSE(matches("transfers/**", "transfersx"));
  EXPECT_FALSE(matches("transfers/**", "transfersx/7"));
  EXPECT_FALSE(matches("transfers/**", "other/transfers/7"));
  EXPECT_FALSE(matches("transfers/**", ""));
  EXPECT_TRUE(matches("**/items", "items"));
  EXPECT_TRUE(matches("**/items", "a/b/items"));
  EXPECT_FALSE(matches("**/items", "a/b/items/c"));
  EXPECT_TRUE(matches("a/**/b", "a/b"));
  EXPECT_TRUE(matches("a/**/b", "a/x/b"));
  EXPECT_TRUE(matches("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(matches("a/**/b", "a/x/c"));
  EXPECT_FALSE(matches("a/**/b", "a"));
  EXPECT_TRUE(matches("**/*.json", "a.json"));
  EXPECT_TRUE(matches("**/*.json", "x/y/a.json"));
  EXPECT_FALSE(matches("**/*.json", "x/y/a.json/z"));
  EXPECT_TRUE(matches("a/**/**/b", "a/b"));
  EXPECT_TRUE(matches("a/**/**/b", "a/x/y/z/b"));
  EXPECT_TRUE(matches("a/**/b/**/c", "a/b/c"));
  EXPECT_TRUE(matches("a/**/b/**/c", "a/1/b/2/3/c"));
  EXPECT_FALSE(matches("a/**/b/**/c", "a/1/c/2/b"));
}

TEST(GlobMatch, DeepPathsAgainstFourDoubleStarsFinish) {
  std::string deep;
  for (int i = 0; i < 64; ++i)
    deep += "a/";
  deep += "z";
  EXPECT_FALSE(matches("**/b/**/b/**/b/**/c", deep));
  EXPECT_TRUE(matches("**/a/**/a/**/a/**/z", deep));
}

}  // namespace
}  // namespace stepup::policy
