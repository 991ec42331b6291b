// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TESTS_SUPPORT_TEST_IDENTITY_PROVIDER_H_
#define STEPUP_TESTS_SUPPORT_TEST_IDENTITY_PROVIDER_H_

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "keysource/http_fetch.h"
#include "stepup/engine.h"
#include "support/process.h"

namespace stepup::testing {

// The local HTTPS identity provider of tests/support/test_idp.py: a CA and
// certificate made at start, 127.0.0.1 on a free port, stopped on
// destruction. Its controls rotate keys, mint tokens, count fetches and
// simulate an outage.
class TestIdentityProvider {
 public:
  TestIdentityProvider();
  ~TestIdentityProvider();

  bool started() const { return !base_.empty(); }
  // The issuer and the base of every URL, such as https://127.0.0.1:PORT.
  const std::string& base() const { return base_; }
  // The same provider behind a certificate for another host name.
  const std::string& wrong_name_base() const { return wrong_name_base_; }
  const std::string& ca_file() const { return ca_file_; }
  // Fetch options that trust the provider's CA.
  keysource::FetchOptions options() const;

  // GET base() + `path`; the body, or why not (any status but 200).
  absl::StatusOr<std::string> get(const std::string& path) const;
  // A token of `claims_json` signed by the provider's key `kid` (by a key it
  // does not publish when it has none of that kid); empty on failure.
  std::string mint(const std::string& kid, const std::string& claims_json) const;
  // A new signing key replaces the old one (or joins it with `keep_old`);
  // returns its kid.
  std::string rotate(bool keep_old = false) const;
  // How many times the key sets were fetched.
  int fetches() const;
  // While on, every key set and metadata request answers 503.
  void set_outage(bool on) const;

 private:
  std::string dir_;
  std::unique_ptr<Process> process_;
  std::string base_;
  std::string wrong_name_base_;
  std::string ca_file_;
};

// A suite that shares one provider: started before its first test, stopped
// after its last (each ctest process runs one test, so one provider each).
class IdentityProviderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { idp_ = new TestIdentityProvider(); }
  static void TearDownTestSuite() {
    delete idp_;
    idp_ = nullptr;
  }
  void SetUp() override {
    if (!idp_->started()) GTEST_SKIP() << "no test identity provider";
  }
  static const TestIdentityProvider& idp() { return *idp_; }

 private:
  static TestIdentityProvider* idp_;
};

// Waits (up to `limit`) until the engine's first remote key source has
// finished at least `count` fetches; false on timeout.
bool wait_for_key_fetches(const Engine& engine, uint64_t count,
                          std::chrono::milliseconds limit = std::chrono::seconds(10));

// `text` percent-encoded for a URL query (all but ASCII letters and digits).
std::string url_encoded(const std::string& text);

}  // namespace stepup::testing

#endif  // STEPUP_TESTS_SUPPORT_TEST_IDENTITY_PROVIDER_H_
