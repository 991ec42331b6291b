// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// BM_Peer_libjwt/<ALG>, BM_Peer_cppjwt/<ALG>: Debian's libjwt 1.10 and
// cpp-jwt 1.4 validating the same token as BM_DecideUncached (signature,
// iss, aud, exp), each used the fastest way its API allows (see
// peer_libjwt.h and peer_cppjwt.h). Neither can verify PS256 or EdDSA; those
// runs report an error instead of a time.
#include "alloc_counter.h"
#include "bench_fixture.h"
#include "peer_cppjwt.h"
#include "peer_libjwt.h"

namespace stepup::bench {
namespace {

std::string key_of(const AlgorithmFixture& f) {
  return f.algorithm == Algorithm::kHS256 ? f.secret : f.public_pem;
}

template <typename Peer>
void BM_Peer(benchmark::State& state, Algorithm algorithm) {
  const AlgorithmFixture& f = fixture(algorithm);
  const Peer peer(std::string(algorithm_name(algorithm)), key_of(f), std::string(kIssuer),
                  std::string(kAudience));
  if (!peer.supported()) {
    state.SkipWithError("the library cannot verify this algorithm");
    return;
  }
  if (!peer.validate(f.token, bench_now())) {
    state.SkipWithError("the library refused the benchmark token");
    return;
  }
  const AllocationMeter meter;
  for (auto _ : state) {
    benchmark::DoNotOptimize(peer.validate(f.token, bench_now()));
  }
  meter.report(state);
}

void BM_Peer_libjwt(benchmark::State& state, Algorithm algorithm) {
  BM_Peer<LibjwtPeer>(state, algorithm);
}
void BM_Peer_cppjwt(benchmark::State& state, Algorithm algorithm) {
  BM_Peer<CppjwtPeer>(state, algorithm);
}

BENCHMARK_CAPTURE(BM_Peer_libjwt, RS256, Algorithm::kRS256);
BENCHMARK_CAPTURE(BM_Peer_libjwt, PS256, Algorithm::kPS256);
BENCHMARK_CAPTURE(BM_Peer_libjwt, ES256, Algorithm::kES256);
BENCHMARK_CAPTURE(BM_Peer_libjwt, EdDSA, Algorithm::kEdDSA);
BENCHMARK_CAPTURE(BM_Peer_libjwt, HS256, Algorithm::kHS256);
BENCHMARK_CAPTURE(BM_Peer_cppjwt, RS256, Algorithm::kRS256);
BENCHMARK_CAPTURE(BM_Peer_cppjwt, PS256, Algorithm::kPS256);
BENCHMARK_CAPTURE(BM_Peer_cppjwt, ES256, Algorithm::kES256);
BENCHMARK_CAPTURE(BM_Peer_cppjwt, EdDSA, Algorithm::kEdDSA);
BENCHMARK_CAPTURE(BM_Peer_cppjwt, HS256, Algorithm::kHS256);

}  // namespace
}  // namespace stepup::bench
