// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "gtest/gtest.h"

extern char** environ;

namespace stepup::testing {

Process::Process(const std::vector<std::string>& argv_in,
                 const std::vector<std::string>& environment,
                 const std::vector<std::string>& drop_environment) {
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

  std::vector<std::string> argv_storage = argv_in;
  std::vector<char*> argv;
  for (std::string& argument : argv_storage)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    if (std::find(drop_environment.begin(), drop_environment.end(), name) ==
        drop_environment.end()) {
      env_storage.emplace_back(text);
    }
  }
  env_storage.insert(env_storage.end(), environment.begin(), environment.end());
  std::vector<char*> envp;
  for (std::string& entry : env_storage)
    envp.push_back(entry.data());
  envp.push_back(nullptr);

  if (argv_storage.empty() ||
      posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) {
    ADD_FAILURE() << "cannot start " << (argv_storage.empty() ? "(nothing)" : argv_storage[0]);
    pid_ = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  stdout_ = out[0];
  stderr_ = err[0];
  ::fcntl(stderr_, F_SETFL, O_NONBLOCK);
}

Process::~Process() {
  if (pid_ > 0 && !exit_status_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (stdout_ >= 0) ::close(stdout_);
  if (stderr_ >= 0) ::close(stderr_);
}

std::optional<std::string> Process::read_line(std::chrono::milliseconds timeout) {
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

const std::string& Process::stderr_text() {
  char buffer[1024];
  ssize_t n;
  while ((n = ::read(stderr_, buffer, sizeof buffer)) > 0) {
    stderr_text_.append(buffer, static_cast<std::size_t>(n));
  }
  return stderr_text_;
}

void Process::signal(int signal_number) {
  ::kill(pid_, signal_number);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
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

}  // namespace stepup::testing
