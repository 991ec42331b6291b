// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_SIGNATURE_H_
#define STEPUP_LIB_TOKEN_SIGNATURE_H_

#include <string_view>

#include "stepup/algorithm.h"
#include "stepup/token_error.h"
#include "token/verification_key.h"

namespace stepup::token_internal {

// The one verify routine every token and every test vector goes through.
// The key's own type decides which primitive runs; an algorithm the key is
// not bound to is refused before any cryptography (kKeyAlgorithmMismatch).
// Returns kOk, kKeyAlgorithmMismatch, kSignatureLengthInvalid or
// kSignatureInvalid. Leaves the OpenSSL error queue empty.
TokenError verify_signature(const VerificationKey& key, Algorithm algorithm,
                            std::string_view signing_input, std::string_view signature);

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_SIGNATURE_H_
