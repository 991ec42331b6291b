// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_BENCH_BENCH_FIXTURE_H_
#define STEPUP_BENCH_BENCH_FIXTURE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stepup/algorithm.h"
#include "stepup/engine.h"
#include "stepup/request.h"
#include "support/token_minter.h"

namespace stepup::bench {

// The instant every benchmark decides at: the real time when the process
// started (cpp-jwt checks `exp` against the real clock), fixed for the run
// so that tokens never expire mid-run.
int64_t bench_now();
inline constexpr std::string_view kIssuer = "https://as.example.com";
inline constexpr std::string_view kAudience = "https://api.example.com";

// The algorithms the targets name.
inline constexpr std::array<Algorithm, 5> kBenchAlgorithms = {
    Algorithm::kRS256, Algorithm::kPS256, Algorithm::kES256, Algorithm::kEdDSA, Algorithm::kHS256};

// One algorithm's key and the one token every benchmark of it uses: a
// realistic RFC 9068-style access token (about 450 bytes of signing input)
// whose claims satisfy the SPEC §2 example's transfer rules.
struct AlgorithmFixture {
  Algorithm algorithm = Algorithm::kRS256;
  testing::TestKey key;
  std::string token = {};
  std::string authorization = {};  // "Bearer <token>".
  std::string public_pem = {};     // Asymmetric algorithms.
  std::string secret = {};         // HS256.
};

// Made once per process (RSA key generation is slow).
const AlgorithmFixture& fixture(Algorithm algorithm);

// The SPEC §2 example document, with one validator accepting all five
// algorithms and their keys inline. `typ` is "JWT" rather than "at+jwt"
// because libjwt 1.10 refuses any other `typ`, and the peers must validate
// the very same token.
// With `dpop`, the validator takes DPoP (`"dpop": {}`) and the document
// names https://api.example.com as its resource.
std::string example_policy(bool dpop = false);

// An engine over example_policy() with its clock at kBenchNow, counting
// metrics unless `metrics` is false.
// `log`: a decision log (nullopt: none).
Engine make_engine(bool token_cache, bool metrics = true,
                   std::optional<DecisionLogOptions> log = std::nullopt, bool dpop = false);

// `POST /payments/transfers/7` with the algorithm's token: the transfer
// policy checks all three rules and permits.
Request transfer_request(const AlgorithmFixture& fixture);

}  // namespace stepup::bench

#endif  // STEPUP_BENCH_BENCH_FIXTURE_H_
