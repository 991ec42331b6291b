// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_DPOP_JWK_THUMBPRINT_H_
#define STEPUP_LIB_DPOP_JWK_THUMBPRINT_H_

#include <optional>
#include <string>

#include "stepup/json_value.h"

namespace stepup::dpop {

// The RFC 7638 thumbprint of a public JWK: the base64url SHA-256 of its
// required members (EC: crv, kty, x, y; RSA: e, kty, n; OKP: crv, kty, x,
// RFC 8037 §A.3) as compact JSON in name order. nullopt for another `kty`
// or a required member missing or not a string.
std::optional<std::string> jwk_thumbprint(const JsonValue& jwk);

}  // namespace stepup::dpop

#endif  // STEPUP_LIB_DPOP_JWK_THUMBPRINT_H_
