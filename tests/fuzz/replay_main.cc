// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// A main() for fuzz targets built without libFuzzer: replays every file named
// on the command line, or found under a named directory (recursively),
// through LLVMFuzzerTestOneInput. Used by ctest to replay the seed corpus and
// the saved regressions with any compiler. Fails when nothing was replayed,
// so an empty or misplaced corpus does not pass silently. Prints the slowest
// input and its time, so a replay of a grown corpus (scripts/fuzz.sh keeps
// one in build/fuzz/corpus-work/) shows the worst case of one call.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

bool read_file(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// Appends the regular files at `path` (itself or, for a directory, every file
// below it in a stable order). False if the path does not exist.
bool collect(const fs::path& path, std::vector<fs::path>& files) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) return false;
  if (fs::is_regular_file(status)) {
    files.push_back(path);
    return true;
  }
  if (!fs::is_directory(status)) return true;
  std::vector<fs::path> found;
  for (fs::recursive_directory_iterator it(path, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file()) found.push_back(it->path());
  }
  if (error) return false;
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    if (!collect(argv[i], files)) {
      std::fprintf(stderr, "cannot read %s\n", argv[i]);
      return 2;
    }
  }
  // One untimed call first: targets build their keys and engines on first
  // use, which is not the cost of an input.
  if (!files.empty()) {
    std::string bytes;
    if (read_file(files.front(), bytes)) {
      std::vector<uint8_t> input(bytes.begin(), bytes.end());
      LLVMFuzzerTestOneInput(input.data(), input.size());
    }
  }
  std::size_t replayed = 0;
  std::chrono::nanoseconds slowest{0};
  fs::path slowest_file;
  for (const fs::path& file : files) {
    std::string bytes;
    if (!read_file(file, bytes)) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 2;
    }
    // A copy in an exactly sized heap buffer, so ASan sees reads past the end.
    std::vector<uint8_t> input(bytes.begin(), bytes.end());
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.c_str(), input.size());
    const auto start = std::chrono::steady_clock::now();
    LLVMFuzzerTestOneInput(input.data(), input.size());
    const auto took = std::chrono::steady_clock::now() - start;
    if (took > slowest) {
      slowest = std::chrono::duration_cast<std::chrono::nanoseconds>(took);
      slowest_file = file;
    }
    ++replayed;
  }
  std::printf("replayed %zu inputs; slowest %.3f ms: %s\n", replayed,
              static_cast<double>(slowest.count()) / 1e6, slowest_file.c_str());
  return replayed == 0 ? 1 : 0;
}
