// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_OPENSSL_UTIL_H_
#define STEPUP_LIB_TOKEN_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>

namespace stepup::token_internal {

struct OpenSslDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
  void operator()(BN_CTX* p) const { BN_CTX_free(p); }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter>;
using BnCtxPtr = std::unique_ptr<BN_CTX, OpenSslDeleter>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslDeleter>;
using ParamBuilderPtr = std::unique_ptr<OSSL_PARAM_BLD, OpenSslDeleter>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, OpenSslDeleter>;

// Empties this thread's OpenSSL error queue when the scope ends, so that a
// failure never leaves stale errors for the next caller on the thread.
class OpenSslErrorScope {
 public:
  OpenSslErrorScope() = default;
  OpenSslErrorScope(const OpenSslErrorScope&) = delete;
  OpenSslErrorScope& operator=(const OpenSslErrorScope&) = delete;
  ~OpenSslErrorScope() { ERR_clear_error(); }
};

// The oldest queued OpenSSL error as text (for configuration errors only).
std::string openssl_error_text();

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_OPENSSL_UTIL_H_
