// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include <iostream>

#include "alloc_counter.h"

int main(int argc, char** argv) {
  // Before anything makes OpenSSL allocate, so its allocations are counted.
  if (!stepup::bench::install_openssl_counter()) {
    std::cerr << "note: OpenSSL allocations are not counted\n";
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
