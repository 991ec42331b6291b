// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// policy::Glob: what it refuses and what it matches (SPEC §2 targets).
#include "policy/glob.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

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

// The reference below is written from glob.h's documented semantics alone, so
// that the fast paths (literal, "<literal>/**", "**") and the general matcher
// are all checked against the same independent answer.

// Splits on '/'; "" has no segments, and every '/' separates two segments (so
// "/a" is {"", "a"} and "a/" is {"a", ""}).
std::vector<std::string> reference_split(std::string_view text) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) {
      parts.emplace_back(text.substr(start));
      return parts;
    }
    parts.emplace_back(text.substr(start, slash - start));
    start = slash + 1;
  }
}

// `*` matches any run of characters (segments hold no '/').
bool reference_segment(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern.front() == '*') {
    for (std::size_t skip = 0; skip <= text.size(); ++skip) {
      if (reference_segment(pattern.substr(1), text.substr(skip))) return true;
    }
    return false;
  }
  return !text.empty() && text.front() == pattern.front() &&
         reference_segment(pattern.substr(1), text.substr(1));
}

bool reference_segments(const std::vector<std::string>& pattern, std::size_t pi,
                        const std::vector<std::string>& path, std::size_t si) {
  if (pi == pattern.size()) return si == path.size();
  if (pattern[pi] == "**") {
    // None, or one more path segment (of any content, empty included).
    return reference_segments(pattern, pi + 1, path, si) ||
           (si < path.size() && reference_segments(pattern, pi, path, si + 1));
  }
  // An empty path segment is matched only by `**`.
  return si < path.size() && !path[si].empty() && reference_segment(pattern[pi], path[si]) &&
         reference_segments(pattern, pi + 1, path, si + 1);
}

bool reference_matches(std::string_view pattern, std::string_view path) {
  return reference_segments(reference_split(pattern), 0, reference_split(path), 0);
}

TEST(GlobReference, AgreesWithHandWrittenCases) {
  // Guards the reference itself, so that agreement below means something.
  EXPECT_TRUE(reference_matches("transfers/**", "transfers"));
  EXPECT_TRUE(reference_matches("transfers/**", "transfers/"));
  EXPECT_FALSE(reference_matches("transfers/**", "transfersx"));
  EXPECT_TRUE(reference_matches("**", ""));
  EXPECT_TRUE(reference_matches("**", "//"));
  EXPECT_FALSE(reference_matches("*", ""));
  EXPECT_FALSE(reference_matches("a/*", "a/"));
  EXPECT_FALSE(reference_matches("a", "/a"));
  EXPECT_TRUE(reference_matches("a*b", "ab"));
  EXPECT_FALSE(reference_matches("a*b", "a/b"));
}

// Every pattern of up to `max_segments` segments drawn from `alphabet`.
std::vector<std::string> all_patterns(const std::vector<std::string>& alphabet, int max_segments) {
  std::vector<std::string> out, layer = {""};
  for (int length = 1; length <= max_segments; ++length) {
    std::vector<std::string> next;
    for (const std::string& prefix : layer) {
      for (const std::string& segment : alphabet) {
        next.push_back(prefix.empty() ? segment : prefix + "/" + segment);
      }
    }
    out.insert(out.end(), next.begin(), next.end());
    layer = std::move(next);
  }
  return out;
}

// Every string over `chars` of length 0 to `max_length`.
std::vector<std::string> all_strings(std::string_view chars, int max_length) {
  std::vector<std::string> out = {""};
  std::size_t begin = 0;
  for (int length = 1; length <= max_length; ++length) {
    const std::size_t end = out.size();
    for (std::size_t i = begin; i < end; ++i) {
      for (char c : chars)
        out.push_back(out[i] + c);
    }
    begin = end;
  }
  return out;
}

const std::vector<std::string> kPatternSegments = {"a", "b", "ab", "*", "a*", "*b", "**"};

TEST(GlobMatchProperty, ExhaustiveShortPatternsAndPathsAgreeWithReference) {
  // Every pattern of 1 to 3 segments against every path of up to 5
  // characters over {a, b, c, /}: leading, trailing and doubled '/' included.
  const std::vector<std::string> patterns = all_patterns(kPatternSegments, 3);
  const std::vector<std::string> paths = all_strings("abc/", 5);
  int disagreements = 0;
  for (const std::string& pattern : patterns) {
    absl::StatusOr<Glob> glob = Glob::compile(pattern);
    ASSERT_TRUE(glob.ok()) << pattern << ": " << glob.status().message();
    for (const std::string& path : paths) {
      const bool expected = reference_matches(pattern, path);
      if (glob->matches(path) != expected && ++disagreements <= 20) {
        ADD_FAILURE() << "pattern \"" << pattern << "\" path \"" << path << "\": expected "
                      << expected;
      }
    }
  }
  EXPECT_EQ(disagreements, 0);
}

// A random pattern, weighted towards the shapes with fast paths.
std::string random_pattern(std::mt19937_64& rng) {
  const std::vector<std::string> literals = {"a", "b", "ab"};
  auto pick = [&rng](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
  };
  const int segments = std::uniform_int_distribution<int>(1, 5)(rng);
  std::string pattern;
  auto append = [&pattern](const std::string& segment) {
    pattern += pattern.empty() ? segment : "/" + segment;
  };
  switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
    case 0:  // Literal: string equality.
      for (int i = 0; i < segments; ++i)
        append(pick(literals));
      return pattern;
    case 1:  // "<literal>/**": prefix test.
      for (int i = 0; i < segments; ++i)
        append(pick(literals));
      append("**");
      return pattern;
    case 2:  // Near the prefix shape, but general: "<literal>/*" or "<literal>/**/<x>".
      for (int i = 0; i < segments; ++i)
        append(pick(literals));
      append(std::uniform_int_distribution<int>(0, 1)(rng) == 0 ? "*" : "**/" + pick(literals));
      return pattern;
    case 3:
      return "**";
    default: {  // General: at most four `**`.
      int double_stars = 0;
      for (int i = 0; i < segments; ++i) {
        std::string segment = pick(kPatternSegments);
        if (segment == "**" && ++double_stars > 4) segment = "*";
        append(segment);
      }
      return pattern;
    }
  }
}

// A random path of segments {a, b, ab, abc, ""}: empty segments give leading,
// trailing and doubled '/'.
std::string random_path(std::mt19937_64& rng) {
  static const std::vector<std::string> kPathSegments = {"a", "b", "ab", "abc", ""};
  const int segments = std::uniform_int_distribution<int>(0, 6)(rng);
  std::string path;
  for (int i = 0; i < segments; ++i) {
    if (i > 0) path += '/';
    path += kPathSegments[std::uniform_int_distribution<std::size_t>(0, 4)(rng)];
  }
  return path;
}

TEST(GlobMatchProperty, RandomPatternsAndPathsAgreeWithReference) {
  std::mt19937_64 rng(20260115);
  int disagreements = 0, matched = 0;
  constexpr int kCases = 200000;
  for (int i = 0; i < kCases; ++i) {
    const std::string pattern = random_pattern(rng);
    absl::StatusOr<Glob> glob = Glob::compile(pattern);
    ASSERT_TRUE(glob.ok()) << pattern << ": " << glob.status().message();
    // Derive some paths from the pattern itself, so that matches are common.
    std::string path = random_path(rng);
    if (i % 3 == 0) {
      path = pattern;
      for (std::size_t at = path.find('*'); at != std::string::npos; at = path.find('*')) {
        path.replace(at, 1, i % 2 == 0 ? "" : "b");
      }
      if (i % 5 == 0) path += "/" + random_path(rng);
    }
    const bool expected = reference_matches(pattern, path);
    matched += expected ? 1 : 0;
    if (glob->matches(path) != expected && ++disagreements <= 20) {
      ADD_FAILURE() << "pattern \"" << pattern << "\" path \"" << path << "\": expected "
                    << expected;
    }
  }
  EXPECT_EQ(disagreements, 0);
  // Both answers are common, so agreement is not vacuous.
  EXPECT_GT(matched, kCases / 10);
  EXPECT_LT(matched, kCases - kCases / 10);
}

}  // namespace
}  // namespace stepup::policy
