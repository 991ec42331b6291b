// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// The client side of DPoP (RFC 9449): proofs of possession of one key, for
// the token request (§5) and for each API request (§7).
#ifndef STEPUP_DPOP_PROVER_H_
#define STEPUP_DPOP_PROVER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "stepup/export.h"
#include "stepup/signing_key.h"
#include "stepup/status.h"

namespace stepup {

// Makes DPoP proofs with one asymmetric key. Copying shares the key. Safe
// for concurrent use from many threads.
class STEPUP_EXPORT DpopProver {
 public:
  // A prover for `key`; refused for an HMAC key (RFC 9449 §4.2: proofs are
  // signed, never MACed).
  static absl::StatusOr<DpopProver> create(SigningKey key);

  // The RFC 7638 thumbprint of the public key: the `jkt` an authorization
  // server binds tokens to (`cnf.jkt`, RFC 9449 §6.1).
  const std::string& thumbprint() const;

  // A proof for one request (RFC 9449 §4.2): `typ` dpop+jwt, the key's
  // `alg` and public `jwk`, and claims `jti` (128 random bits), `htm`
  // `method`, `htu` `uri` without its query and fragment, `iat`
  // `issued_at`, and `ath` (the access token's hash) when `access_token` is
  // not empty. `uri` is the request's absolute http(s) URI.
  absl::StatusOr<std::string> proof(std::string_view method, std::string_view uri,
                                    std::string_view access_token, int64_t issued_at) const;

 private:
  DpopProver(SigningKey key, std::string header, std::string thumbprint);
  SigningKey key_;
  std::string header_;  // The proof's JOSE header, the same for every proof.
  std::string thumbprint_;
};

}  // namespace stepup

#endif  // STEPUP_DPOP_PROVER_H_
