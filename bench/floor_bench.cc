// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// BM_Floor/<ALG>: the physical limit of validating the benchmark token, what
// any validator must do at the least: find the three segments, base64url-
// decode them, and verify the signature with a key parsed beforehand
// (EVP_DigestVerify, or HMAC with a keyed context re-initialized in place).
// No JSON is read and no claim is checked.
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <array>
#include <cstdlib>
#include <iostream>
#include <string>

#include "alloc_counter.h"
#include "bench_fixture.h"
#include "token/base64url.h"

namespace stepup::bench {
namespace {

[[noreturn]] void die(const char* what) {
  std::cerr << "BM_Floor setup failed: " << what << "\n";
  std::abort();
}

// Everything prepared before the timed loop.
class FloorVerifier {
 public:
  explicit FloorVerifier(const AlgorithmFixture& f) : algorithm_(f.algorithm) {
    if (algorithm_ == Algorithm::kHS256) {
      mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
      mac_context_ = EVP_MAC_CTX_new(mac_);
      char digest_name[] = "SHA256";
      const OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
          OSSL_PARAM_construct_end()};
      if (EVP_MAC_init(mac_context_, reinterpret_cast<const unsigned char*>(f.secret.data()),
                       f.secret.size(), params) != 1) {
        die("HMAC key");
      }
      return;
    }
    BIO* bio = BIO_new_mem_buf(f.public_pem.data(), static_cast<int>(f.public_pem.size()));
    key_ = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (key_ == nullptr) die("PEM key");
    if (algorithm_ != Algorithm::kEdDSA) digest_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    context_ = EVP_MD_CTX_new();
  }
  ~FloorVerifier() {
    EVP_MD_CTX_free(context_);
    EVP_MD_free(digest_);
    EVP_PKEY_free(key_);
    EVP_MAC_CTX_free(mac_context_);
    EVP_MAC_free(mac_);
  }
  FloorVerifier(const FloorVerifier&) = delete;
  FloorVerifier& operator=(const FloorVerifier&) = delete;

  bool verify(std::string_view token) {
    const std::size_t first = token.find('.');
    const std::size_t second = token.find('.', first + 1);
    const std::string_view header = token.substr(0, first);
    const std::string_view payload = token.substr(first + 1, second - first - 1);
    const std::string_view signature = token.substr(second + 1);
    const std::string_view signing_input = token.substr(0, second);
    if (!token_internal::decode_base64url(header, buffer_.data()) ||
        !token_internal::decode_base64url(payload, buffer_.data()) ||
        !token_internal::decode_base64url(signature, signature_.data())) {
      return false;
    }
    const std::size_t signature_size = token_internal::base64url_decoded_size(signature.size());
    const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
    if (algorithm_ == Algorithm::kHS256) {
      unsigned char mac[32];
      std::size_t produced = 0;
      if (EVP_MAC_init(mac_context_, nullptr, 0, nullptr) != 1 ||
          EVP_MAC_update(mac_context_, input, signing_input.size()) != 1 ||
          EVP_MAC_final(mac_context_, mac, &produced, sizeof mac) != 1) {
        return false;
      }
      return produced == signature_size && CRYPTO_memcmp(mac, signature_.data(), produced) == 0;
    }
    const unsigned char* to_verify = signature_.data();
    std::size_t to_verify_size = signature_size;
    unsigned char der[80];
    if (algorithm_ == Algorithm::kES256) {
      // OpenSSL wants DER; JWS carries R||S.
      ECDSA_SIG* sig = ECDSA_SIG_new();
      ECDSA_SIG_set0(sig, BN_bin2bn(signature_.data(), 32, nullptr),
                     BN_bin2bn(signature_.data() + 32, 32, nullptr));
      unsigned char* cursor = der;
      to_verify_size = static_cast<std::size_t>(i2d_ECDSA_SIG(sig, &cursor));
      ECDSA_SIG_free(sig);
      to_verify = der;
    }
    EVP_PKEY_CTX* key_context = nullptr;
    if (EVP_DigestVerifyInit(context_, &key_context, digest_, nullptr, key_) != 1) return false;
    if (algorithm_ == Algorithm::kPS256) {
      EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING);
      EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST);
    }
    const bool ok =
        EVP_DigestVerify(context_, to_verify, to_verify_size, input, signing_input.size()) == 1;
    EVP_MD_CTX_reset(context_);
    return ok;
  }

 private:
  Algorithm algorithm_;
  EVP_PKEY* key_ = nullptr;
  EVP_MD* digest_ = nullptr;
  EVP_MD_CTX* context_ = nullptr;
  EVP_MAC* mac_ = nullptr;
  EVP_MAC_CTX* mac_context_ = nullptr;
  std::array<unsigned char, 4096> buffer_{};
  std::array<unsigned char, 1024> signature_{};
};

void BM_Floor(benchmark::State& state, Algorithm algorithm) {
  const AlgorithmFixture& f = fixture(algorithm);
  FloorVerifier verifier(f);
  if (!verifier.verify(f.token)) {
    state.SkipWithError("the floor verifier refused the benchmark token");
    return;
  }
  const AllocationMeter meter;
  for (auto _ : state) {
    benchmark::DoNotOptimize(verifier.verify(f.token));
  }
  meter.report(state);
}

BENCHMARK_CAPTURE(BM_Floor, RS256, Algorithm::kRS256);
BENCHMARK_CAPTURE(BM_Floor, PS256, Algorithm::kPS256);
BENCHMARK_CAPTURE(BM_Floor, ES256, Algorithm::kES256);
BENCHMARK_CAPTURE(BM_Floor, EdDSA, Algorithm::kEdDSA);
BENCHMARK_CAPTURE(BM_Floor, HS256, Algorithm::kHS256);

}  // namespace
}  // namespace stepup::bench
