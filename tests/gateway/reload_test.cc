// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// Reloading policy and keys: through the reload hook (what SIGHUP calls) and
// through the file watcher; a broken file keeps the last good state.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gateway/gateway_test_util.h"
#include "gateway/policy_watcher.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/files.h"

namespace stepup::gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class ReloadTest : public ::testing::Test {
 protected:
  ReloadTest() {
    policy_ = stepup::testing::read_file(example_policy_dir() + "/policy.json");
    keys_ = stepup::testing::read_file(example_policy_dir() + "/keys.jwks.json");
    dir_.write("policy.json", policy_);
    dir_.write("keys.jwks.json", keys_);
  }

  std::string policy_path() const { return dir_.path() + "/policy.json"; }

  // The example policy with reads that need MFA.
  std::string strict_reads_policy() const {
    return replaced(policy_, "has(HttpRequest.AccessToken.sub)", "acr_at_least('urn:example:mfa')");
  }

  static int read_status(RunningGateway& gateway) {
    httplib::Result result =
        gateway.client()->Get("/auth", {{"X-Original-Method", "GET"},
                                        {"X-Original-URI", "/accounts/42"},
                                        {"Authorization", example_credentials().weak}});
    EXPECT_TRUE(result);
    return result ? result->status : 0;
  }

  static std::string healthz(RunningGateway& gateway) {
    httplib::Result result = gateway.client()->Get("/healthz");
    return result ? result->body : "";
  }

  static bool logged(RunningGateway& gateway, const std::string& prefix) {
    const std::vector<std::string> lines = gateway.logs();
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& line) { return line.starts_with(prefix); });
  }

  TempDir dir_;
  std::string policy_;
  std::string keys_;
};

TEST_F(ReloadTest, ReloadHookSwapsPolicyAndKeepsLastGoodState) {
  RunningGateway gateway(make_engine(policy_path()));
  EXPECT_EQ(read_status(gateway), 200);
  EXPECT_EQ(healthz(gateway), R"({"status":"ok","generation":1,"key_sources":[]})");

  dir_.write("policy.json", strict_reads_policy());
  EXPECT_TRUE(gateway.server().reload().ok());
  EXPECT_EQ(read_status(gateway), 403);
  EXPECT_EQ(healthz(gateway), R"({"status":"ok","generation":2,"key_sources":[]})");
  EXPECT_THAT(gateway.logs(), ::testing::ElementsAre("policy reloaded (generation 2)"));

  dir_.write("policy.json", "{ \"stepup\": 1,\n  broken");
  EXPECT_FALSE(gateway.server().reload().ok());
  EXPECT_EQ(read_status(gateway), 403);
  EXPECT_EQ(healthz(gateway), R"({"status":"ok","generation":2,"key_sources":[]})");
  const std::vector<std::string> lines = gateway.logs();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[1], StartsWith("reload failed, keeping generation 2: "));
  EXPECT_EQ(lines[1].find('\n'), std::string::npos);
}

TEST_F(ReloadTest, WatcherFollowsThePolicyFile) {
  GatewayOptions options = test_options();
  options.policy_file = policy_path();
  options.watch_interval_ms = 50;
  RunningGateway gateway(make_engine(policy_path()), options);
  EXPECT_EQ(read_status(gateway), 200);

  dir_.write("policy.json", strict_reads_policy());
  EXPECT_TRUE(
      eventually([&] { return healthz(gateway).find("\"generation\":2") != std::string::npos; }));
  EXPECT_EQ(read_status(gateway), 403);

  dir_.write("policy.json", replaced(strict_reads_policy(), "\"realm\"", "\"relm\""));
  EXPECT_TRUE(eventually([&] { return logged(gateway, "reload failed, keeping generation 2: "); }));
  EXPECT_THAT(gateway.logs().back(), HasSubstr("relm"));
  EXPECT_EQ(read_status(gateway), 403);
  EXPECT_EQ(healthz(gateway), R"({"status":"ok","generation":2,"key_sources":[]})");

  dir_.write("policy.json", policy_);
  EXPECT_TRUE(
      eventually([&] { return healthz(gateway).find("\"generation\":3") != std::string::npos; }));
  EXPECT_EQ(read_status(gateway), 200);
}

// The key file the policy names is watched too: a rotated key set that no
// longer has the token's key makes the token invalid.
TEST_F(ReloadTest, WatcherFollowsTheKeyFile) {
  GatewayOptions options = test_options();
  options.policy_file = policy_path();
  options.watch_interval_ms = 50;
  RunningGateway gateway(make_engine(policy_path()), options);
  EXPECT_EQ(read_status(gateway), 200);

  dir_.write("keys.jwks.json", replaced(keys_, "\"as-ec\"", "\"as-ec-2\""));
  EXPECT_TRUE(
      eventually([&] { return healthz(gateway).find("\"generation\":2") != std::string::npos; }));
  httplib::Result result =
      gateway.client()->Get("/auth", {{"X-Original-Method", "GET"},
                                      {"X-Original-URI", "/accounts/42"},
                                      {"Authorization", example_credentials().weak}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_THAT(result->get_header_value("WWW-Authenticate"), HasSubstr("error=\"invalid_token\""));
}

TEST_F(ReloadTest, PolicyWatcherPollsOncePerChange) {
  int changes = 0;
  PolicyWatcher watcher(policy_path(), std::chrono::milliseconds(1000), [&] { ++changes; });
  EXPECT_THAT(watcher.watched_files(),
              ::testing::UnorderedElementsAre(policy_path(), dir_.path() + "/keys.jwks.json"));
  EXPECT_FALSE(watcher.poll());
  EXPECT_EQ(changes, 0);

  dir_.write("keys.jwks.json", keys_);  // Same bytes, new inode: still a change.
  EXPECT_TRUE(watcher.poll());
  EXPECT_EQ(changes, 1);
  EXPECT_FALSE(watcher.poll());

  // A document that names another key file: that file is watched next.
  dir_.write("policy.json", replaced(policy_, "\"keys.jwks.json\"", "\"other.jwks.json\""));
  EXPECT_TRUE(watcher.poll());
  EXPECT_EQ(changes, 2);
  EXPECT_THAT(watcher.watched_files(),
              ::testing::UnorderedElementsAre(policy_path(), dir_.path() + "/other.jwks.json"));
  dir_.write("other.jwks.json", keys_);
  EXPECT_TRUE(watcher.poll());
  EXPECT_EQ(changes, 3);
}

TEST(PolicyFilesTest, UnreadableOrBrokenDocumentIsJustItself) {
  EXPECT_THAT(policy_files("/nonexistent/policy.json"),
              ::testing::ElementsAre("/nonexistent/policy.json"));
  TempDir dir;
  dir.write("p.json", "{\"validators\": [{\"jwks_file\": \"/abs/k.json\"}, {\"jwks\": {}}]}");
  EXPECT_THAT(policy_files(dir.path() + "/p.json"),
              ::testing::ElementsAre(dir.path() + "/p.json", "/abs/k.json"));
  dir.write("q.json", "{ broken");
  EXPECT_THAT(policy_files(dir.path() + "/q.json"), ::testing::ElementsAre(dir.path() + "/q.json"));
}

}  // namespace
}  // namespace stepup::gateway::testing
