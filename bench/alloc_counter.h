// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_BENCH_ALLOC_COUNTER_H_
#define STEPUP_BENCH_ALLOC_COUNTER_H_

#include <benchmark/benchmark.h>

#include <cstdint>

namespace stepup::bench {

// Heap allocations made by the calling thread so far (every operator new of
// this binary counts; see alloc_counter.cc).
uint64_t thread_allocations();

// Makes OpenSSL allocate through the counter. Must run before OpenSSL's
// first allocation (first thing in main); false if it was too late.
bool install_openssl_counter();

// Counts the calling thread's allocations over a benchmark's timed loop and
// reports them as `allocs_per_call` (averaged over threads).
class AllocationMeter {
 public:
  AllocationMeter() : start_(thread_allocations()) {}
  void report(benchmark::State& state) const {
    const double per_call = state.iterations() == 0
                                ? 0
                                : static_cast<double>(thread_allocations() - start_) /
                                      static_cast<double>(state.iterations());
    state.counters["allocs_per_call"] =
        benchmark::Counter(per_call, benchmark::Counter::kAvgThreads);
  }

 private:
  uint64_t start_;
};

}  // namespace stepup::bench

#endif  // STEPUP_BENCH_ALLOC_COUNTER_H_
