// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// attributes::EndpointIndex (hash lookups by prefix, or a scan for a few
// endpoints) against match_endpoint(), the plain scan it replaces.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "attributes/endpoint.h"

namespace stepup::attributes {
namespace {

// Every base path of one to three segments over {a, b, ab}, and "/": 40 in
// all, many of them prefixes of others (as strings and as paths).
std::vector<std::string> base_path_pool() {
  std::vector<std::string> pool = {"/"};
  std::vector<std::string> layer = {""};
  for (int depth = 1; depth <= 3; ++depth) {
    std::vector<std::string> next;
    for (const std::string& prefix : layer) {
      for (const char* segment : {"a", "b", "ab"})
        next.push_back(prefix + "/" + segment);
    }
    pool.insert(pool.end(), next.begin(), next.end());
    layer = std::move(next);
  }
  return pool;
}

std::string describe(const std::vector<Endpoint>& endpoints) {
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    out << (i ? ", " : "") << endpoints[i].service << "=" << endpoints[i].base_path;
  }
  out << "]";
  return out.str();
}

// An empty string when both matches agree, else what differs.
std::string difference(const EndpointMatch& expected, const EndpointMatch& actual) {
  std::ostringstream out;
  if ((expected.endpoint == nullptr) != (actual.endpoint == nullptr)) {
    out << "endpoint " << (expected.endpoint ? expected.endpoint->base_path : "none") << " vs "
        << (actual.endpoint ? actual.endpoint->base_path : "none") << "; ";
  } else if (expected.endpoint != nullptr &&
             (expected.endpoint->service != actual.endpoint->service ||
              expected.endpoint->base_path != actual.endpoint->base_path)) {
    out << "endpoint " << expected.endpoint->service << "=" << expected.endpoint->base_path
        << " vs " << actual.endpoint->service << "=" << actual.endpoint->base_path << "; ";
  }
  if (expected.resource_path != actual.resource_path) {
    out << "resource_path \"" << expected.resource_path << "\" vs \"" << actual.resource_path
        << "\"";
  }
  return out.str();
}

// Random paths over segments that hit base paths, miss them by a character,
// or are empty (leading, trailing and doubled '/'), with or without a
// leading '/'.
std::string random_path(std::mt19937_64& rng) {
  static const char* const kSegments[] = {"a", "b", "ab", "abc", "c", ""};
  const int segments = std::uniform_int_distribution<int>(0, 5)(rng);
  std::string path = std::uniform_int_distribution<int>(0, 4)(rng) == 0 ? "" : "/";
  for (int i = 0; i < segments; ++i) {
    if (i > 0) path += '/';
    path += kSegments[std::uniform_int_distribution<int>(0, 5)(rng)];
  }
  return path;
}

const char* const kFixedPaths[] = {"",      "/",     "//",     "//a",    "/a/",       "/a/b/",
                                   "/ab/c", "a",     "a/b",    "ab",     "/a//b",     "/abc",
                                   "/a/bc", "/b/a/", "/ab/ab", "/a/b/c", "/a/b/c/d/e"};

TEST(EndpointIndex, AgreesWithMatchEndpointOnRandomEndpointSets) {
  const std::vector<std::string> pool = base_path_pool();
  ASSERT_EQ(pool.size(), 40u);
  std::mt19937_64 rng(0x5e9d01);
  int disagreements = 0;
  int matched = 0, unmatched = 0;
  std::vector<int> sizes_seen(31, 0);
  for (int set = 0; set < 3000; ++set) {
    // 0 to 30 endpoints with distinct base paths; services may repeat.
    std::vector<std::string> shuffled = pool;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const std::size_t count = std::uniform_int_distribution<std::size_t>(0, 30)(rng);
    ++sizes_seen[count];
    std::vector<Endpoint> endpoints;
    for (std::size_t i = 0; i < count; ++i) {
      endpoints.push_back(
          {"s" + std::to_string(std::uniform_int_distribution<int>(0, 4)(rng)), shuffled[i]});
    }
    const EndpointIndex index(endpoints);
    std::vector<std::string> paths(std::begin(kFixedPaths), std::end(kFixedPaths));
    for (int i = 0; i < 40; ++i)
      paths.push_back(random_path(rng));
    for (const std::string& path : paths) {
      const EndpointMatch expected = match_endpoint(endpoints, path);
      const EndpointMatch actual = index.match(path);
      (expected.endpoint != nullptr ? matched : unmatched) += 1;
      // The index holds its own copy: never a pointer into `endpoints`.
      if (actual.endpoint != nullptr) {
        EXPECT_FALSE(actual.endpoint >= endpoints.data() &&
                     actual.endpoint < endpoints.data() + endpoints.size());
      }
      const std::string diff = difference(expected, actual);
      if (!diff.empty() && ++disagreements <= 20) {
        ADD_FAILURE() << "path \"" << path << "\" endpoints " << describe(endpoints) << ": "
                      << diff;
      }
    }
  }
  EXPECT_EQ(disagreements, 0);
  // Both the scan (<= 8) and the hashed lookups (> 8) ran, and both answers.
  EXPECT_GT(sizes_seen[0], 0);
  EXPECT_GT(sizes_seen[8], 0);
  EXPECT_GT(sizes_seen[9], 0);
  EXPECT_GT(sizes_seen[30], 0);
  EXPECT_GT(matched, 10000);
  EXPECT_GT(unmatched, 10000);
}

TEST(EndpointIndex, PrefersTheLongestBasePathOnEachSideOfTheScanLimit) {
  for (std::size_t extra : {0u, 20u}) {
    std::vector<Endpoint> endpoints = {
        {"root", "/"}, {"a", "/a"}, {"ab", "/a/b"}, {"abc", "/a/b/c"}};
    // Unrelated endpoints push the count over the scan limit.
    for (std::size_t i = 0; i < extra; ++i)
      endpoints.push_back({"x", "/x" + std::to_string(i)});
    const EndpointIndex index(endpoints);
    const std::pair<const char*, const char*> cases[] = {
        {"/a/b/c/d", "abc"}, {"/a/b/c", "abc"}, {"/a/b/cd", "ab"},
        {"/a/b/", "ab"},     {"/ab", "root"},   {"/", "root"},
    };
    for (const auto& [path, service] : cases) {
      const EndpointMatch match = index.match(path);
      ASSERT_NE(match.endpoint, nullptr) << path;
      EXPECT_EQ(match.endpoint->service, service) << path << " with " << endpoints.size();
    }
    EXPECT_EQ(index.match("/a/b/c/d").resource_path, "d");
    EXPECT_EQ(index.match("/a/b/").resource_path, "");
    EXPECT_EQ(index.match("/ab/x").resource_path, "ab/x");
    // No leading '/': not even "/" matches.
    EXPECT_EQ(index.match("a/b").endpoint, nullptr);
    EXPECT_EQ(index.match("a/b").resource_path, "a/b");
    EXPECT_EQ(index.match("").endpoint, nullptr);
  }
}

TEST(EndpointIndex, CopiesKeepTheirOwnEndpoints) {
  std::vector<Endpoint> endpoints;
  for (int i = 0; i < 12; ++i)
    endpoints.push_back({"s" + std::to_string(i), "/p" + std::to_string(i)});
  EndpointIndex copy;
  {
    const EndpointIndex original(endpoints);
    copy = original;
  }
  endpoints.clear();  // Neither the vector nor the original index is needed.
  const EndpointMatch match = copy.match("/p11/x");
  ASSERT_NE(match.endpoint, nullptr);
  EXPECT_EQ(match.endpoint->service, "s11");
  EXPECT_EQ(match.endpoint->base_path, "/p11");
  EXPECT_EQ(match.resource_path, "x");
}

}  // namespace
}  // namespace stepup::attributes
