// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "decisionlog/field_hasher.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <atomic>

namespace stepup::decisionlog {

absl::StatusOr<std::shared_ptr<const FieldHasher>> FieldHasher::create(std::string_view key) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* keyed = mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr;
  EVP_MAC_free(mac);  // The context holds its own reference.
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (keyed == nullptr || EVP_MAC_init(keyed, reinterpret_cast<const unsigned char*>(key.data()),
                                       key.size(), params) != 1) {
    EVP_MAC_CTX_free(keyed);
    ERR_clear_error();
    return absl::InternalError("decision_log.hash_key: OpenSSL cannot key HMAC-SHA-256");
  }
  return std::shared_ptr<const FieldHasher>(new FieldHasher(keyed));
}

FieldHasher::~FieldHasher() {
  EVP_MAC_CTX_free(keyed_);
}

namespace {

std::atomic<uint64_t> next_hasher_id{1};

// Each thread's copy of the keyed context of the last few hashers it used:
// re-initializing a copy in place is far cheaper than copying again. The
// copies (and their key) are freed when the thread ends.
class ThreadContexts {
 public:
  ~ThreadContexts() {
    for (Slot& slot : slots_)
      EVP_MAC_CTX_free(slot.context);
  }
  // A context ready for EVP_MAC_update, or nullptr.
  EVP_MAC_CTX* ready(uint64_t id, const EVP_MAC_CTX* keyed) {
    for (Slot& slot : slots_) {
      if (slot.id == id && slot.context != nullptr) {
        return EVP_MAC_init(slot.context, nullptr, 0, nullptr) == 1 ? slot.context : nullptr;
      }
    }
    Slot& slot = slots_[next_];
    next_ = (next_ + 1) % slots_.size();
    EVP_MAC_CTX_free(slot.context);
    slot.id = id;
    slot.context = EVP_MAC_CTX_dup(keyed);
    return slot.context;
  }

 private:
  struct Slot {
    uint64_t id = 0;
    EVP_MAC_CTX* context = nullptr;
  };
  std::array<Slot, 2> slots_{};
  std::size_t next_ = 0;
};

}  // namespace

FieldHasher::FieldHasher(EVP_MAC_CTX* keyed)
    : keyed_(keyed), id_(next_hasher_id.fetch_add(1, std::memory_order_relaxed)) {}

std::string FieldHasher::hash(std::string_view text) const {
  thread_local ThreadContexts contexts;
  EVP_MAC_CTX* context = contexts.ready(id_, keyed_);
  unsigned char digest[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  const bool done = context != nullptr &&
                    EVP_MAC_update(context, reinterpret_cast<const unsigned char*>(text.data()),
                                   text.size()) == 1 &&
                    EVP_MAC_final(context, digest, &length, sizeof digest) == 1;
  if (!done) {
    ERR_clear_error();
    return "hmac-sha256:(failed)";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "hmac-sha256:";
  for (std::size_t i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace stepup::decisionlog
