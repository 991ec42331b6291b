// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "support/test_identity_provider.h"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "stepup/json_value.h"

namespace stepup::testing {

TestIdentityProvider* IdentityProviderTest::idp_ = nullptr;

TestIdentityProvider::TestIdentityProvider() {
  char pattern[] = "/tmp/stepup-idp-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return;
  }
  dir_ = pattern;
  process_ = std::make_unique<Process>(
      std::vector<std::string>{"/usr/bin/python3", STEPUP_TEST_IDP, "--dir", dir_},
      std::vector<std::string>{});
  const std::optional<std::string> line = process_->read_line(std::chrono::seconds(30));
  const std::optional<JsonValue> started = line ? JsonValue::parse_object(*line, 2) : std::nullopt;
  if (!started || started->find("base") == nullptr || started->find("ca_file") == nullptr) {
    ADD_FAILURE() << "the test identity provider did not start: " << process_->stderr_text();
    return;
  }
  base_ = std::string(started->find("base")->as_string());
  if (const JsonValue* wrong = started->find("wrong_name_base")) {
    wrong_name_base_ = std::string(wrong->as_string());
  }
  ca_file_ = std::string(started->find("ca_file")->as_string());
}

TestIdentityProvider::~TestIdentityProvider() {
  process_.reset();
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

keysource::FetchOptions TestIdentityProvider::options() const {
  keysource::FetchOptions options;
  options.ca_file = ca_file_;
  return options;
}

absl::StatusOr<std::string> TestIdentityProvider::get(const std::string& path) const {
  absl::StatusOr<keysource::FetchResponse> response = keysource::fetch(base_ + path, options());
  if (!response.ok()) return response.status();
  return std::move(response->body);
}

std::string TestIdentityProvider::mint(const std::string& kid,
                                       const std::string& claims_json) const {
  absl::StatusOr<std::string> token =
      get("/control/mint?kid=" + url_encoded(kid) + "&claims=" + url_encoded(claims_json));
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

std::string TestIdentityProvider::rotate(bool keep_old) const {
  absl::StatusOr<std::string> kid = get(keep_old ? "/control/rotate?keep=1" : "/control/rotate");
  EXPECT_TRUE(kid.ok()) << kid.status();
  const std::optional<JsonValue> value =
      kid.ok() ? JsonValue::parse_object("{\"kid\":" + *kid + "}", 2) : std::nullopt;
  return value ? std::string(value->find("kid")->as_string()) : "";
}

int TestIdentityProvider::fetches() const {
  absl::StatusOr<std::string> count = get("/control/fetches");
  EXPECT_TRUE(count.ok()) << count.status();
  return count.ok() ? std::stoi(*count) : -1;
}

void TestIdentityProvider::set_outage(bool on) const {
  absl::StatusOr<std::string> done = get(on ? "/control/outage?on=1" : "/control/outage?on=0");
  EXPECT_TRUE(done.ok()) << done.status();
}

bool wait_for_key_fetches(const Engine& engine, uint64_t count, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::vector<KeySourceStatus> sources = engine.key_sources();
    if (!sources.empty() && sources[0].fetches >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::string url_encoded(const std::string& text) {
  std::string query;
  for (const char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (plain) {
      query += c;
    } else {
      constexpr char kHex[] = "0123456789ABCDEF";
      query += '%';
      query += kHex[static_cast<unsigned char>(c) >> 4];
      query += kHex[static_cast<unsigned char>(c) & 15];
    }
  }
  return query;
}

}  // namespace stepup::testing
