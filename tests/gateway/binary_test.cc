// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The stepup-gateway program itself: its one line on stdout, SIGHUP reloads,
// SIGTERM and SIGINT stop it with exit status 0, the secret from the
// environment, and the refusals that exit with status 2.
#include <signal.h>

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/gateway_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/files.h"
#include "support/process.h"

namespace stepup::gateway::testing {
namespace {

using ::testing::HasSubstr;

// The gateway program, started with the test's environment less any secret.
class Process : public stepup::testing::Process {
 public:
  Process(const std::vector<std::string>& arguments, const std::vector<std::string>& environment)
      : stepup::testing::Process(with_program(arguments), environment, {"STEPUP_GATEWAY_SECRET"}) {}

 private:
  static std::vector<std::string> with_program(const std::vector<std::string>& arguments) {
    std::vector<std::string> argv = {STEPUP_GATEWAY_BINARY};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return argv;
  }
};

// The port of the "listening" line, or 0.
int listening_port(Process& process) {
  const std::optional<std::string> line = process.read_line(std::chrono::seconds(10));
  if (!line) {
    ADD_FAILURE() << "no line on stdout; stderr: " << process.stderr_text();
    return 0;
  }
  std::smatch match;
  const std::regex expected(R"(stepup-gateway listening on 127\.0\.0\.1:([0-9]+))");
  if (!std::regex_match(*line, match, expected)) {
    ADD_FAILURE() << "unexpected first line: " << *line;
    return 0;
  }
  return std::stoi(match[1]);
}

std::string healthz(int port) {
  httplib::Client client("127.0.0.1", port);
  httplib::Result result = client.Get("/healthz");
  return result ? result->body : "";
}

int read_status(int port) {
  httplib::Client client("127.0.0.1", port);
  httplib::Result result = client.Get("/auth", {{"X-Original-Method", "GET"},
                                                {"X-Original-URI", "/accounts/42"},
                                                {"Authorization", example_credentials().weak}});
  return result ? result->status : 0;
}

TEST(GatewayBinaryTest, PrintsOneLineReloadsOnSighupStopsOnSigterm) {
  TempDir dir;
  const std::string policy = stepup::testing::read_file(example_policy_dir() + "/policy.json");
  dir.write("policy.json", policy);
  dir.write("keys.jwks.json", stepup::testing::read_file(example_policy_dir() + "/keys.jwks.json"));
  Process gateway({"--policy", dir.path() + "/policy.json", "--listen", "127.0.0.1:0", "--now",
                   "1800000000", "--watch-interval-ms", "0"},
                  {});
  const int port = listening_port(gateway);
  ASSERT_GT(port, 0);
  EXPECT_EQ(healthz(port), R"({"status":"ok","generation":1,"key_sources":[]})");
  EXPECT_EQ(read_status(port), 200);

  std::string strict = policy;
  const std::string from = "has(HttpRequest.AccessToken.sub)";
  strict.replace(strict.find(from), from.size(), "acr_at_least('urn:example:mfa')");
  dir.write("policy.json", strict);
  gateway.signal(SIGHUP);
  EXPECT_TRUE(eventually(
      [&] { return healthz(port) == R"({"status":"ok","generation":2,"key_sources":[]})"; }));
  EXPECT_EQ(read_status(port), 403);

  dir.write("policy.json", "{ broken");
  gateway.signal(SIGHUP);
  EXPECT_TRUE(
      eventually([&] { return gateway.stderr_text().find("reload failed") != std::string::npos; }));
  EXPECT_EQ(healthz(port), R"({"status":"ok","generation":2,"key_sources":[]})");
  EXPECT_EQ(read_status(port), 403);

  gateway.signal(SIGTERM);
  EXPECT_EQ(gateway.wait(std::chrono::seconds(10)), 0);
  EXPECT_EQ(gateway.read_line(std::chrono::milliseconds(100)), std::nullopt);  // One line only.
  const std::string& err = gateway.stderr_text();
  EXPECT_THAT(err, HasSubstr("stepup-gateway: policy reloaded (generation 2)\n"));
  EXPECT_THAT(err, ::testing::ContainsRegex("\nstepup-gateway: reload failed, keeping generation "
                                            "2: [^\n]*\n$"));
}

TEST(GatewayBinaryTest, SigintStopsCleanly) {
  Process gateway({"--policy", example_policy_dir() + "/policy.json", "--listen", "127.0.0.1:0"},
                  {});
  ASSERT_GT(listening_port(gateway), 0);
  gateway.signal(SIGINT);
  EXPECT_EQ(gateway.wait(std::chrono::seconds(10)), 0);
}

TEST(GatewayBinaryTest, SecretFromTheEnvironment) {
  const std::string body = R"({"request": {}, "response": {"response_code": "200"}})";
  {
    Process gateway({"--policy", example_policy_dir() + "/policy.json", "--listen", "127.0.0.1:0"},
                    {"STEPUP_GATEWAY_SECRET=from-env"});
    const int port = listening_port(gateway);
    ASSERT_GT(port, 0);
    httplib::Client client("127.0.0.1", port);
    httplib::Result right =
        client.Post("/sideband/response", {{"CLIENT-TOKEN", "from-env"}}, body, "application/json");
    ASSERT_TRUE(right);
    EXPECT_EQ(right->status, 200);
    httplib::Result wrong =
        client.Post("/sideband/response", {{"CLIENT-TOKEN", "other"}}, body, "application/json");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 401);
  }
  {
    Process gateway({"--policy", example_policy_dir() + "/policy.json", "--listen", "127.0.0.1:0"},
                    {});
    const int port = listening_port(gateway);
    ASSERT_GT(port, 0);
    httplib::Client client("127.0.0.1", port);
    httplib::Result none =
        client.Post("/sideband/response", {{"CLIENT-TOKEN", ""}}, body, "application/json");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 503);
  }
}

TEST(GatewayBinaryTest, RefusalsExitWithStatus2) {
  struct Case {
    std::vector<std::string> arguments;
    std::string message;
  };
  const std::string policy = example_policy_dir() + "/policy.json";
  const std::vector<Case> cases = {
      {{"--policy", policy, "--listen", "0.0.0.0:0"}, "--allow-non-loopback"},
      {{"--listen", "127.0.0.1:0"}, "--policy is required"},
      {{"--policy", example_policy_dir() + "/no-such-policy.json"}, "no-such-policy.json"},
      {{"--policy", policy, "--max-body-bytes", "lots"}, "--max-body-bytes"},
  };
  for (const Case& c : cases) {
    Process gateway(c.arguments, {});
    EXPECT_EQ(gateway.wait(std::chrono::seconds(10)), 2) << c.message;
    EXPECT_THAT(gateway.stderr_text(), HasSubstr(c.message));
    EXPECT_EQ(gateway.read_line(std::chrono::milliseconds(100)), std::nullopt);
  }
}

}  // namespace
}  // namespace stepup::gateway::testing
