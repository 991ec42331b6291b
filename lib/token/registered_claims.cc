// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/registered_claims.h"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace stepup::token_internal {
namespace {

// A three-byte name as one number, so that a switch tells the short
// registered names apart without comparing strings.
constexpr uint32_t packed(const char* name) {
  return static_cast<uint32_t>(static_cast<unsigned char>(name[0])) |
         static_cast<uint32_t>(static_cast<unsigned char>(name[1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(name[2])) << 16;
}

// The slot for a member name, or nullptr. `Claims` is RegisteredClaims,
// const or not.
template <typename Claims>
auto slot_for(std::string_view name, Claims& claims) -> decltype(&claims.iss) {
  if (name.size() == 3) {
    switch (packed(name.data())) {
      case packed("iss"):
        return &claims.iss;
      case packed("aud"):
        return &claims.aud;
      case packed("exp"):
        return &claims.exp;
      case packed("nbf"):
        return &claims.nbf;
      case packed("iat"):
        return &claims.iat;
      case packed("acr"):
        return &claims.acr;
      case packed("amr"):
        return &claims.amr;
      case packed("sub"):
        return &claims.sub;
      case packed("jti"):
        return &claims.jti;
      default:
        return nullptr;
    }
  }
  if (name.size() == 9 && std::memcmp(name.data(), "auth_time", 9) == 0) return &claims.auth_time;
  if (name.size() == 5 && std::memcmp(name.data(), "scope", 5) == 0) return &claims.scope;
  return nullptr;
}

}  // namespace

const json_internal::JsonRef* RegisteredClaims::slot(std::string_view name) const {
  return slot_for(name, *this);
}

RegisteredClaims RegisteredClaims::locate(JsonRef claims) {
  RegisteredClaims found;
  claims.for_each_member([&found](std::string_view name, JsonRef value) {
    JsonRef* slot = slot_for(name, found);
    // The first of a name wins, as with find() (only claims a host
    // validated itself can repeat a name; the token parser refuses that).
    if (slot != nullptr && !slot->present()) *slot = value;
    return true;
  });
  return found;
}

}  // namespace stepup::token_internal
