// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_TOKEN_KEY_SET_ACCESS_H_
#define STEPUP_LIB_TOKEN_KEY_SET_ACCESS_H_

#include "stepup/key_set.h"
#include "token/verification_key.h"

namespace stepup::token_internal {

// The parsed keys behind a KeySet, for the library's own verifier (the
// public KeySet shows none of its internals).
struct KeySetAccess {
  static const KeySetData& data(const KeySet& keys) { return *keys.data_; }
};

}  // namespace stepup::token_internal

#endif  // STEPUP_LIB_TOKEN_KEY_SET_ACCESS_H_
