// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// The stepup-gateway program itself: its one line on stdout, SIGHUP reloads,
// SIGTERM and SIGINT stop it with exit status 0, the secret from the
// environment, and the refusals that exit with status 2.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/gateway_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/files.h"

extern char** environ;

namespace stepup::gateway::testing {
namespace {

using ::testing::HasSubstr;

// The program, started with pipes on stdout and stderr. Killed (SIGKILL) at
// destruction if still running.
class Process {
 public:
  Process(const std::vector<std::string>& arguments, const std::vector<std::string>& environment) {
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
      ADD_FAILURE() << "pipe2 failed";
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);

    std::vector<std::string> argv_storage = {STEPUP_GATEWAY_BINARY};
    argv_storage.insert(argv_storage.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& argument : argv_storage)
      argv.push_back(argument.data());
    argv.push_back(nullptr);
    // The test's environment without any secret, plus `environment`.
    std::vector<std::string> env_storage;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      if (std::strncmp(*entry, "STEPUP_GATEWAY_SECRET=", 22) != 0) env_storage.emplace_back(*entry);
    }
    env_storage.insert(env_storage.end(), environment.begin(), environment.end());
    std::vector<char*> envp;
    for (std::string& entry : env_storage)
      envp.push_back(entry.data());
    envp.push_back(nullptr);

    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) {
      ADD_FAILURE() << "cannot start " << argv[0];
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    stdout_ = out[0];
    stderr_ = err[0];
    ::fcntl(stderr_, F_SETFL, O_NONBLOCK);
  }

  ~Process() {
    if (pid_ > 0 && !exit_status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) ::close(stdout_);
    if (stderr_ >= 0) ::close(stderr_);
  }

  // The next line on stdout, without its newline; nullopt at end of file or
  // after `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (const std::size_t newline = stdout_text_.find('\n'); newline != std::string::npos) {
        std::string line = stdout_text_.substr(0, newline);
        stdout_text_.erase(0, newline + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd ready{.fd = stdout_, .events = POLLIN, .revents = 0};
      if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
      char buffer[1024];
      const ssize_t n = ::read(stdout_, buffer, sizeof buffer);
      if (n <= 0) return std::nullopt;
      stdout_text_.append(buffer, static_cast<std::size_t>(n));
    }
  }

  // Everything on stderr so far.
  const std::string& stderr_text() {
    char buffer[1024];
    ssize_t n;
    while ((n = ::read(stderr_, buffer, sizeof buffer)) > 0) {
      stderr_text_.append(buffer, static_cast<std::size_t>(n));
    }
    return stderr_text_;
  }

  void signal(int signal_number) { ::kill(pid_, signal_number); }

  // The exit status, or nullopt if it neither exited nor was killed by a
  // signal within `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exit_status_ && std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return exit_status_;
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
  std::string stdout_text_;
  std::string stderr_text_;
  std::optional<int> exit_status_;
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
  EXPECT_EQ(healthz(port), R"({"status":"ok","generation":1})");
  EXPECT_EQ(read_status(port), 200);

  std::string strict = policy;
  const std::string from = "has(HttpRequest.AccessToken.sub)";
  strict.replace(strict.find(from), from.size(), "acr_at_least('urn:example:mfa')");
  dir.write("policy.json", strict);
  gateway.signal(SIGHUP);
  EXPECT_TRUE(eventually([&] { return healthz(port) == R"({"status":"ok","generation":2})"; }));
  EXPECT_EQ(read_status(port), 403);

  dir.write("policy.json", "{ broken");
  gateway.signal(SIGHUP);
  EXPECT_TRUE(
      eventually([&] { return gateway.stderr_text().find("reload failed") != std::string::npos; }));
  EXPECT_EQ(healthz(port), R"({"status":"ok","generation":2})");
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
