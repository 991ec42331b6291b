// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// BM_DpopProof/<ALG>: checking one DPoP proof (RFC 9449 §4.3) made with the
// algorithm's benchmark key for a token bound to it (so `ath` and the
// binding are checked too), a new proof each time, without the replay cache; compare with
// BM_Floor/<ALG>, one bare signature check. BM_DpopReplayCache: remembering a new proof.
//
// BM_DecideDpopUncached/<ALG>: a whole DPoP decision without the token
// cache, so the token's signature and the proof's are both checked (the
// token bound to the proof key, both of <ALG>); compare with twice
// BM_Floor/<ALG>. BM_DecideDpopCached/ES256: the same with the token
// cached; compare with BM_DpopProof/ES256, or read BM_DpopCachedBeyondProof's
// `beyond_proof_ns` (the same difference, measured in pairs). Each iteration needs a proof of
// its own (a proof is good once), so a fixed number of proofs is minted
// before the timing and the runs have that many iterations.
#include <chrono>
#include <string>
#include <vector>

#include "alloc_counter.h"
#include "bench_fixture.h"
#include "dpop/proof.h"
#include "dpop/replay_cache.h"
#include "stepup/dpop_prover.h"

namespace stepup::bench {
namespace {

constexpr const char* kUri = "https://api.example.com/payments/transfers/7";

constexpr int kDpopDecisions = 1000;

// A token of `f`'s algorithm bound to `f`'s key, and `count` proofs for it,
// each with its own jti.
struct DpopRequests {
  std::string token;
  std::string authorization;
  std::string thumbprint;  // The proof key's, which the token is bound to.
  std::vector<std::string> proofs;
};

DpopRequests dpop_requests(const AlgorithmFixture& f, int count = kDpopDecisions) {
  DpopRequests out;
  absl::StatusOr<DpopProver> prover = DpopProver::create(f.key.signing_key());
  if (!prover.ok()) return out;
  const std::string header = R"({"alg":")" + std::string(algorithm_name(f.algorithm)) +
                             R"(","kid":")" + f.key.kid() + R"(","typ":"JWT"})";
  const std::string token = f.key.mint(
      header, R"({"iss":"https://as.example.com","sub":"alice@example.com",)"
              R"("aud":"https://api.example.com","exp":)" +
                  std::to_string(bench_now() + 3600) + R"(,"iat":)" +
                  std::to_string(bench_now() - 60) + R"(,"auth_time":)" +
                  std::to_string(bench_now() - 60) +
                  R"(,"acr":"urn:example:mfa","scope":"openid payments:read payments:write",)"
                  R"("client_id":"mobile-banking-app","cnf":{"jkt":")" +
                  prover->thumbprint() + R"("}})");
  out.token = token;
  out.authorization = "DPoP " + token;
  out.thumbprint = prover->thumbprint();
  for (int i = 0; i < count; ++i) {
    absl::StatusOr<std::string> proof = prover->proof("POST", kUri, token, bench_now());
    if (!proof.ok()) return {};
    out.proofs.push_back(*std::move(proof));
  }
  return out;
}

// The benchmark's request: a POST with the token under DPoP and `proof` as
// its one DPoP header (whose value the caller changes between decisions).
Request dpop_request(const DpopRequests& requests, const Header& proof) {
  return {.method = "POST",
          .path = "/payments/transfers/7",
          .authorization = requests.authorization,
          .headers = std::span<const Header>(&proof, 1),
          .client_ip = "203.0.113.7",
          .validated_claims = nullptr};
}

// What the engine checks the benchmark's proofs against.
dpop::ProofCheck proof_check(Algorithm algorithm, const DpopRequests& requests) {
  return {.algorithms = token_internal::algorithm_bit(algorithm),
          .method = "POST",
          .uri = kUri,
          .access_token = requests.token,
          .bound_thumbprint = requests.thumbprint,
          .now = bench_now()};
}

// A proof is checked as the engine meets them: each one new (its own jti
// and signature), for the same token and key, cycling through the pool.
void BM_DpopProof(benchmark::State& state, Algorithm algorithm) {
  const AlgorithmFixture& f = fixture(algorithm);
  const DpopRequests requests = dpop_requests(f);
  if (requests.proofs.empty()) {
    state.SkipWithError("the benchmark proofs could not be made");
    return;
  }
  const dpop::ProofCheck check = proof_check(algorithm, requests);
  dpop::VerifiedProof out;
  if (dpop::verify_proof(requests.proofs[0], check, out) != TokenError::kOk) {
    state.SkipWithError("the benchmark proof was refused");
    return;
  }
  std::size_t next = 0;
  const AllocationMeter meter;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        dpop::verify_proof(requests.proofs[next++ % requests.proofs.size()], check, out));
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

void run_dpop_decisions(benchmark::State& state, Algorithm algorithm, bool token_cache) {
  const AlgorithmFixture& f = fixture(algorithm);
  const Engine engine = make_engine(token_cache, /*metrics=*/true, std::nullopt, /*dpop=*/true);
  const DpopRequests requests = dpop_requests(f);
  if (requests.proofs.size() != static_cast<std::size_t>(kDpopDecisions)) {
    state.SkipWithError("the benchmark proofs could not be made");
    return;
  }
  Header header{.name = "DPoP", .value = {}};
  const Request request = dpop_request(requests, header);
  Decision decision;
  std::size_t next = 0;
  // A first decision warms the thread's view (and the token cache).
  header.value = requests.proofs[next++];
  engine.decide(request, decision);
  if (!decision.authorized) {
    state.SkipWithError(("the engine refused the DPoP request: " + decision.reason).c_str());
    return;
  }
  const AllocationMeter meter;
  for (auto _ : state) {
    header.value = requests.proofs[next++ % requests.proofs.size()];
    engine.decide(request, decision);
    benchmark::DoNotOptimize(decision.authorized);
  }
  if (next > requests.proofs.size() || !decision.authorized) {
    state.SkipWithError("a proof was used twice or refused: the figures would not be DPoP's");
  }
  meter.report(state);
}

void BM_DecideDpopUncached(benchmark::State& state, Algorithm algorithm) {
  run_dpop_decisions(state, algorithm, /*token_cache=*/false);
}

void BM_DecideDpopCached(benchmark::State& state, Algorithm algorithm) {
  run_dpop_decisions(state, algorithm, /*token_cache=*/true);
}

// What a DPoP decision with a cached token costs beyond its proof's check,
// measured in pairs: each iteration checks one proof alone, then decides a
// request with another (both new, same token and key), so that the
// machine's drift falls on both halves alike. The iteration's time is the
// decision's; the counter `beyond_proof_ns` is the mean difference.
void BM_DpopCachedBeyondProof(benchmark::State& state, Algorithm algorithm) {
  using Clock = std::chrono::steady_clock;
  const AlgorithmFixture& f = fixture(algorithm);
  const Engine engine = make_engine(/*token_cache=*/true, /*metrics=*/true, std::nullopt,
                                    /*dpop=*/true);
  const DpopRequests requests = dpop_requests(f, 2 * kDpopDecisions);
  if (requests.proofs.size() != 2 * static_cast<std::size_t>(kDpopDecisions)) {
    state.SkipWithError("the benchmark proofs could not be made");
    return;
  }
  const dpop::ProofCheck check = proof_check(algorithm, requests);
  dpop::VerifiedProof verified;
  Header header{.name = "DPoP", .value = {}};
  const Request request = dpop_request(requests, header);
  Decision decision;
  std::size_t next = 0;
  // A first pair warms the thread's view, its proof-key cache and the token cache.
  bool accepted = dpop::verify_proof(requests.proofs[next++], check, verified) == TokenError::kOk;
  header.value = requests.proofs[next++];
  engine.decide(request, decision);
  accepted = accepted && decision.authorized;
  Clock::duration beyond{};
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    accepted =
        accepted && dpop::verify_proof(requests.proofs[next++], check, verified) == TokenError::kOk;
    const Clock::time_point proof_checked = Clock::now();
    header.value = requests.proofs[next++];
    engine.decide(request, decision);
    const Clock::time_point decided = Clock::now();
    accepted = accepted && decision.authorized;
    beyond += (decided - proof_checked) - (proof_checked - start);
    state.SetIterationTime(std::chrono::duration<double>(decided - proof_checked).count());
  }
  if (!accepted || next > requests.proofs.size()) {
    state.SkipWithError("a proof was refused: the figures would not be DPoP's");
    return;
  }
  state.counters["beyond_proof_ns"] = std::chrono::duration<double, std::nano>(beyond).count() /
                                      static_cast<double>(state.iterations());
}

// One fewer than the proofs: the first is spent warming up.
BENCHMARK_CAPTURE(BM_DecideDpopUncached, RS256, Algorithm::kRS256)->Iterations(kDpopDecisions - 1);
BENCHMARK_CAPTURE(BM_DecideDpopUncached, PS256, Algorithm::kPS256)->Iterations(kDpopDecisions - 1);
BENCHMARK_CAPTURE(BM_DecideDpopUncached, ES256, Algorithm::kES256)->Iterations(kDpopDecisions - 1);
BENCHMARK_CAPTURE(BM_DecideDpopUncached, EdDSA, Algorithm::kEdDSA)->Iterations(kDpopDecisions - 1);
BENCHMARK_CAPTURE(BM_DecideDpopCached, RS256, Algorithm::kRS256)->Iterations(kDpopDecisions - 1);
BENCHMARK_CAPTURE(BM_DecideDpopCached, ES256, Algorithm::kES256)->Iterations(kDpopDecisions - 1);
BENCHMARK_CAPTURE(BM_DpopCachedBeyondProof, RS256, Algorithm::kRS256)
    ->Iterations(kDpopDecisions - 1)
    ->UseManualTime();
BENCHMARK_CAPTURE(BM_DpopCachedBeyondProof, ES256, Algorithm::kES256)
    ->Iterations(kDpopDecisions - 1)
    ->UseManualTime();

}  // namespace
}  // namespace stepup::bench
