// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_CLAIMS_H_
#define STEPUP_CLAIMS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stepup/algorithm.h"
#include "stepup/export.h"
#include "stepup/json_value.h"

namespace stepup {

// The claims of a validated token, parsed once and kept for later stages
// (attribute mapping, policy evaluation) so nothing re-parses the token.
// Time claims were range-checked during validation.
// `Claims` is safe for concurrent reads from many threads.
class STEPUP_EXPORT Claims {
 public:
  Claims() = default;
  Claims(JsonValue payload, Algorithm algorithm, std::string key_id);

  // The whole payload: a JSON object with unique member names.
  const JsonValue& payload() const { return payload_; }

  // The claim with this name, or nullptr.
  const JsonValue* find(std::string_view name) const { return payload_.find(name); }

  // Convenience readers; empty or nullopt when the claim is absent.
  std::string_view issuer() const;
  std::string_view subject() const;
  std::optional<int64_t> expires_at() const { return integer_claim("exp"); }
  std::optional<int64_t> not_before() const { return integer_claim("nbf"); }
  std::optional<int64_t> issued_at() const { return integer_claim("iat"); }
  std::optional<int64_t> auth_time() const { return integer_claim("auth_time"); }

  // The verified JOSE header's algorithm and key id (empty if none).
  Algorithm algorithm() const { return algorithm_; }
  std::string_view key_id() const { return key_id_; }

 private:
  std::optional<int64_t> integer_claim(std::string_view name) const;

  JsonValue payload_;
  Algorithm algorithm_ = Algorithm::kRS256;
  std::string key_id_;
};

}  // namespace stepup

#endif  // STEPUP_CLAIMS_H_
