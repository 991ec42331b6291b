// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TESTS_FUZZ_FUZZ_CHECK_H_
#define STEPUP_TESTS_FUZZ_FUZZ_CHECK_H_

#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>

// Aborts, so libFuzzer records the input as a crash, when an invariant of the
// library does not hold. Active in every build type (unlike assert).
#define FUZZ_CHECK(condition)                                                          \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      std::fprintf(stderr, "%s:%d: fuzz invariant violated: %s\n", __FILE__, __LINE__, \
                   #condition);                                                        \
      std::abort();                                                                    \
    }                                                                                  \
  } while (false)

// The library promises never to leave errors on this thread's OpenSSL error
// queue (OpenSslErrorScope, ERR_clear_error after failed verifications).
#define FUZZ_CHECK_OPENSSL_QUEUE_EMPTY() FUZZ_CHECK(ERR_peek_error() == 0)

#endif  // STEPUP_TESTS_FUZZ_FUZZ_CHECK_H_
