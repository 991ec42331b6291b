// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// BM_Challenge: building a merged RFC 9470 challenge. Two auth-challenge
// demands, as the loader compiles them (an acr floor from one rule, a
// max_age from another), are merged into one requirement and written as the
// WWW-Authenticate value, as decide() does for a deny-overrides policy that
// names every unmet requirement at once.
#include <string>
#include <vector>

#include "alloc_counter.h"
#include "challenge/challenge_builder.h"

namespace stepup::bench {
namespace {

void BM_Challenge(benchmark::State& state) {
  const challenge::StepUpDemand acr = {.acr_values = {"urn:example:mfa", "urn:example:hwk"}};
  const challenge::StepUpDemand age = {.max_age = 300};
  const std::vector<const challenge::StepUpDemand*> demands = {&acr, &age};
  std::string header;
  auto build = [&] {
    const challenge::MergedRequirement merged = challenge::merge_step_up(demands);
    challenge::write_bearer_challenge({.realm = "api.example.com",
                                       .error = "insufficient_user_authentication",
                                       .error_description = challenge::kAcrDescription,
                                       .acr_values = merged.acr_values,
                                       .max_age = merged.max_age},
                                      header);
  };
  build();
  if (header != R"(Bearer realm="api.example.com", error="insufficient_user_authentication", )"
                R"(error_description="A different authentication level is required", )"
                R"(acr_values="urn:example:mfa urn:example:hwk", max_age="300")") {
    state.SkipWithError(("unexpected challenge: " + header).c_str());
    return;
  }
  const AllocationMeter meter;
  for (auto _ : state) {
    build();
    benchmark::DoNotOptimize(header.data());
  }
  meter.report(state);
}

BENCHMARK(BM_Challenge);

}  // namespace
}  // namespace stepup::bench
