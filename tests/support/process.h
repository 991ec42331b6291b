// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TESTS_SUPPORT_PROCESS_H_
#define STEPUP_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace stepup::testing {

// A program a test starts, with pipes on its stdout and stderr. Killed
// (SIGKILL) at destruction if still running.
class Process {
 public:
  // Runs `argv` (argv[0] the program's path) with the test's environment,
  // less the variables named in `drop_environment`, plus `environment`
  // ("NAME=value" entries).
  Process(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
          const std::vector<std::string>& drop_environment = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // The next line on stdout, without its newline; nullopt at end of file or
  // after `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Everything on stderr so far.
  const std::string& stderr_text();
  void signal(int signal_number);
  // The exit status, or nullopt if it neither exited nor was killed by a
  // signal within `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
  std::string stdout_text_;
  std::string stderr_text_;
  std::optional<int> exit_status_;
};

}  // namespace stepup::testing

#endif  // STEPUP_TESTS_SUPPORT_PROCESS_H_
