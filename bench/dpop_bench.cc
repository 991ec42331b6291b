// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// BM_DpopProof/<ALG>: checking one DPoP proof (RFC 9449 §4.3) made with the
// algorithm's benchmark key for the benchmark token (so `ath` is checked
// too), without the replay cache; compare with BM_Floor/<ALG>, one bare
// signature check. BM_DpopReplayCache: remembering a new proof.
#include <string>

#include "alloc_counter.h"
#include "bench_fixture.h"
#include "dpop/proof.h"
#include "dpop/replay_cache.h"

namespace stepup::bench {
namespace {

constexpr const char* kUri = "https://api.example.com/payments/transfers/7";

std::string proof_for(const AlgorithmFixture& f) {
  const std::string header = R"({"typ":"dpop+jwt","alg":")" +
                             std::string(algorithm_name(f.algorithm)) + R"(","jwk":)" +
                             f.key.public_jwk(/*with_kid=*/false, /*with_alg=*/false) + "}";
  const std::string payload = R"({"jti":"bench-proof-1","htm":"POST","htu":")" + std::string(kUri) +
                              R"(","iat":)" + std::to_string(bench_now()) + R"(,"ath":")" +
                              dpop::access_token_hash(f.token) + R"("})";
  return f.key.mint(header, payload);
}

void BM_DpopProof(benchmark::State& state, Algorithm algorithm) {
  const AlgorithmFixture& f = fixture(algorithm);
  const std::string proof = proof_for(f);
  dpop::ProofCheck check;
  check.algorithms = token_internal::algorithm_bit(algorithm);
  check.method = "POST";
  check.uri = kUri;
  check.access_token = f.token;
  check.now = bench_now();
  dpop::VerifiedProof out;
  if (dpop::verify_proof(proof, check, out) != dpop::ProofError::kOk) {
    state.SkipWithError("the benchmark proof was refused");
    return;
  }
  const AllocationMeter meter;
  for (auto _ : state) {
    benchmark::DoNotOptimize(dpop::verify_proof(proof, check, out));
  }
  meter.report(state);
}

BENCHMARK_CAPTURE(BM_DpopProof, RS256, Algorithm::kRS256);
BENCHMARK_CAPTURE(BM_DpopProof, PS256, Algorithm::kPS256);
BENCHMARK_CAPTURE(BM_DpopProof, ES256, Algorithm::kES256);
BENCHMARK_CAPTURE(BM_DpopProof, EdDSA, Algorithm::kEdDSA);

void BM_DpopReplayCache(benchmark::State& state) {
  dpop::ReplayCache cache(1 << 20);
  const std::string thumbprint(43, 't');
  int64_t now = bench_now();
  uint64_t jti = 0;
  for (auto _ : state) {
    // A new jti each time; the clock moves so that the cache never fills.
    if ((++jti & 0xffff) == 0) now += 301;
    benchmark::DoNotOptimize(cache.first_use(thumbprint, std::to_string(jti), now, now + 300));
  }
}
BENCHMARK(BM_DpopReplayCache);

}  // namespace
}  // namespace stepup::bench
