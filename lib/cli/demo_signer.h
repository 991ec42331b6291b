// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_CLI_DEMO_SIGNER_H_
#define STEPUP_LIB_CLI_DEMO_SIGNER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace stepup::cli {

// An ES256 signing key generated for one run of `stepup demo`, standing in
// for the authorization server. Nothing is persisted.
class DemoSigner {
 public:
  static absl::StatusOr<DemoSigner> generate(std::string kid);
  ~DemoSigner();
  DemoSigner(DemoSigner&&) noexcept;
  DemoSigner& operator=(DemoSigner&&) noexcept;

  // The public key as a JWK object (JSON text).
  std::string public_jwk() const;
  // A compact JWS of `claims_json` with header {"alg":"ES256","kid":...,"typ":"at+jwt"}.
  absl::StatusOr<std::string> mint(std::string_view claims_json) const;

 private:
  struct Key;
  DemoSigner(std::unique_ptr<Key> key, std::string kid);
  std::unique_ptr<Key> key_;
  std::string kid_;
};

}  // namespace stepup::cli

#endif  // STEPUP_LIB_CLI_DEMO_SIGNER_H_
