// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TOOLS_STEPUP_COMMANDS_H_
#define STEPUP_TOOLS_STEPUP_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace stepup::cli {

// Exit codes (SPEC §6).
inline constexpr int kExitOk = 0;
inline constexpr int kExitTestFailures = 1;
inline constexpr int kExitBadInput = 2;

// `stepup <command> ...` with argv after the program name. Writes results to
// `out` and errors to `err`; returns the exit code.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

int run_decide(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_test(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_replay(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_demo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace stepup::cli

#endif  // STEPUP_TOOLS_STEPUP_COMMANDS_H_
