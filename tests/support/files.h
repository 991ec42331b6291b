// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TESTS_SUPPORT_FILES_H_
#define STEPUP_TESTS_SUPPORT_FILES_H_

#include <string>

namespace stepup::testing {

// The whole file; fails the current test (and returns "") if unreadable.
std::string read_file(const std::string& path);

// A file under tests/vectors/, such as "wycheproof/ed25519_test.json".
std::string read_vector_file(const std::string& relative_path);

}  // namespace stepup::testing

#endif  // STEPUP_TESTS_SUPPORT_FILES_H_
