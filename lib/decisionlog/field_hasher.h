// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DECISIONLOG_FIELD_HASHER_H_
#define STEPUP_LIB_DECISIONLOG_FIELD_HASHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "stepup/status.h"

typedef struct evp_mac_ctx_st EVP_MAC_CTX;

namespace stepup::decisionlog {

// HMAC-SHA-256 under one key, for masked log fields. Keyed once; each
// thread hashes with its own copy of the keyed state, re-initialized in
// place per hash, so that many threads hash at once without a lock.
class FieldHasher {
 public:
  // An error when OpenSSL cannot key a context.
  static absl::StatusOr<std::shared_ptr<const FieldHasher>> create(std::string_view key);
  ~FieldHasher();
  FieldHasher(const FieldHasher&) = delete;
  FieldHasher& operator=(const FieldHasher&) = delete;

  // "hmac-sha256:" and the lower-case hex MAC of `text`.
  std::string hash(std::string_view text) const;

 private:
  explicit FieldHasher(EVP_MAC_CTX* keyed);
  EVP_MAC_CTX* keyed_;  // Never updated: only copied.
  uint64_t id_;         // Unique per hasher, for the per-thread copies.
};

}  // namespace stepup::decisionlog

#endif  // STEPUP_LIB_DECISIONLOG_FIELD_HASHER_H_
