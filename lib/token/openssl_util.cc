// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "token/openssl_util.h"

namespace stepup::token_internal {

std::string openssl_error_text() {
  const unsigned long code = ERR_peek_error();
  if (code == 0) return "no OpenSSL detail";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

}  // namespace stepup::token_internal
