// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// The `stepup` command (SPEC §6).
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return stepup::cli::run(args, std::cout, std::cerr);
}
