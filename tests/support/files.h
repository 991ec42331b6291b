// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_TESTS_SUPPORT_FILES_H_
#define STEPUP_TESTS_SUPPORT_FILES_H_

#include <filesystem>
#include <string>

namespace stepup::testing {

// The whole file; fails the current test (and returns "") if unreadable.
std::string read_file(const std::string& path);

// A file under tests/vectors/, such as "wycheproof/ed25519_test.json".
std::string read_vector_file(const std::string& relative_path);

// A fresh, empty folder under gtest's temporary folder, removed with all it
// holds when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace stepup::testing

#endif  // STEPUP_TESTS_SUPPORT_FILES_H_
