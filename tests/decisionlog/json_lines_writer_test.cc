// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "decisionlog/json_lines_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "support/files.h"

namespace stepup::decisionlog {
namespace {

using stepup::testing::TempDir;

// Waits (up to 20 s) until every submitted record is written, dropped or
// lost, and returns the counts then.
JsonLinesWriterCounts settled_counts(const JsonLinesWriter& writer, uint64_t submitted) {
  JsonLinesWriterCounts counts = writer.counts();
  for (int wait = 0; wait < 20000; ++wait) {
    counts = writer.counts();
    if (counts.written + counts.dropped + counts.lost == submitted) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return counts;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::string record_text(int thread, int index) {
  return absl::StrCat(R"({"thread":)", thread, R"(,"index":)", index, R"(,"pad":")",
                      std::string(64, 'p'), "\"}");
}

TEST(JsonLinesWriterTest, AnUnopenablePathIsAClearError) {
  absl::StatusOr<std::unique_ptr<JsonLinesWriter>> writer =
      JsonLinesWriter::open({.path = "/nonexistent-folder/decisions.jsonl"});
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.status().message().find("/nonexistent-folder/decisions.jsonl"),
            std::string::npos);
  EXPECT_NE(writer.status().message().find("No such file"), std::string::npos);
}

TEST(JsonLinesWriterTest, WritesEachRecordAsOneLineAndCountsThem) {
  TempDir dir;
  const std::string path = dir.path() + "/decisions.jsonl";
  {
    auto writer = JsonLinesWriter::open({.path = path});
    ASSERT_TRUE(writer.ok()) << writer.status();
    for (int i = 0; i < 100; ++i) {
      std::string record = record_text(0, i);
      ASSERT_TRUE((*writer)->submit(record));
    }
  }  // The destructor writes what is queued.
  const std::vector<std::string> lines = read_lines(path);
  ASSERT_EQ(lines.size(), 100u);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(lines[static_cast<std::size_t>(i)], record_text(0, i));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0640u);
}

// logrotate's way: rename the file, then ask for a reopen, again and again
// while four threads submit. Every record counted as written is a whole line
// in one of the files, exactly once; none is lost.
TEST(JsonLinesWriterTest, RenameAndReopenLosesNoRecordThatWasNotCountedAsDropped) {
  TempDir dir;
  const std::string path = dir.path() + "/decisions.jsonl";
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20000;
  JsonLinesWriterCounts counts;
  std::vector<std::string> rotated;
  {
    auto writer = JsonLinesWriter::open({.path = path, .queue_capacity = 1024});
    ASSERT_TRUE(writer.ok()) << writer.status();
    std::atomic<int> running{kThreads};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          std::string record = record_text(t, i);
          (*writer)->submit(record);
          if (i % 64 == 0) std::this_thread::yield();
        }
        running.fetch_sub(1);
      });
    }
    for (int n = 0; running.load() > 0 || n < 3; ++n) {
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
      rotated.push_back(absl::StrCat(path, ".", n));
      ASSERT_EQ(std::rename(path.c_str(), rotated.back().c_str()), 0);
      (*writer)->request_reopen();
      // Wait until the writer made the new file before renaming again.
      for (int wait = 0; wait < 2000 && !std::filesystem::exists(path); ++wait) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      ASSERT_TRUE(std::filesystem::exists(path)) << "no reopen after rename " << n;
    }
    for (std::thread& thread : threads)
      thread.join();
    counts = settled_counts(**writer, uint64_t{kThreads} * kPerThread);
  }
  rotated.push_back(path);
  std::set<std::pair<int, int>> seen;
  std::size_t line_count = 0;
  for (const std::string& file : rotated) {
    for (const std::string& line : read_lines(file)) {
      ++line_count;
      int thread = -1;
      int index = -1;
      ASSERT_EQ(std::sscanf(line.c_str(), R"({"thread":%d,"index":%d,)", &thread, &index), 2)
          << line;
      ASSERT_EQ(line, record_text(thread, index));
      EXPECT_TRUE(seen.emplace(thread, index).second) << "twice: " << line;
    }
  }
  EXPECT_GT(rotated.size(), 3u);
  EXPECT_EQ(counts.written + counts.dropped, uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(counts.lost, 0u);
  EXPECT_EQ(line_count, counts.written);
  EXPECT_GT(counts.written, 0u);
  EXPECT_EQ(counts.reopens, rotated.size() - 1);
}

// The file is a pipe nobody reads: submit() keeps returning at once, the
// records that do not fit are counted as dropped, the destructor gives up
// after its timeout and counts what it could not write as lost, and the
// pipe holds exactly the lines counted as written.
TEST(JsonLinesWriterTest, APipeNobodyReadsDropsAndCountsButNeverBlocks) {
  TempDir dir;
  const std::string path = dir.path() + "/decisions.fifo";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  const int reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  constexpr int kThreads = 2;
  std::atomic<uint64_t> submitted{0};
  JsonLinesWriterCounts counts;
  {
    auto writer = JsonLinesWriter::open(
        {.path = path, .queue_capacity = 256, .close_timeout = std::chrono::milliseconds(200)});
    ASSERT_TRUE(writer.ok()) << writer.status();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
          std::string record = record_text(t, i);
          (*writer)->submit(record);
          submitted.fetch_add(1);
        }
      });
    }
    for (std::thread& thread : threads)
      thread.join();
    const JsonLinesWriterCounts before_close = (*writer)->counts();
    EXPECT_GT(before_close.dropped, 0u);
    EXPECT_LT(before_close.written, submitted.load());
    (*writer)->close();  // Returns: the writer gives up on the pipe.
    counts = (*writer)->counts();
  }
  EXPECT_EQ(counts.written + counts.dropped + counts.lost, submitted.load());
  std::string piped;
  char buffer[65536];
  for (ssize_t n; (n = ::read(reader, buffer, sizeof buffer)) > 0;) {
    piped.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(reader);
  std::istringstream in(piped);
  std::size_t whole_lines = 0;
  std::size_t cut_lines = 0;
  for (std::string line; std::getline(in, line);) {
    if (in.eof()) break;  // A last line without its newline is not whole.
    int thread = -1;
    int index = -1;
    const bool numbered =
        std::sscanf(line.c_str(), R"({"thread":%d,"index":%d,)", &thread, &index) == 2;
    if (numbered && line == record_text(thread, index)) {
      ++whole_lines;
      continue;
    }
    // A record the pipe took only part of before the writer gave up on it
    // is ended by the next write's newline: a strict prefix, counted as lost.
    ++cut_lines;
    if (numbered) {
      EXPECT_LT(line.size(), record_text(thread, index).size()) << line;
      EXPECT_EQ(record_text(thread, index).substr(0, line.size()), line);
    } else {
      // Cut before its index was whole: a beginning of `{"thread":T,"index":`.
      bool opens_a_record = false;
      for (int t = 0; t < kThreads; ++t) {
        const std::string opening = absl::StrCat(R"({"thread":)", t, R"(,"index":)");
        opens_a_record = opens_a_record || (!line.empty() && opening.starts_with(line));
      }
      EXPECT_TRUE(opens_a_record) << line;
    }
  }
  EXPECT_GT(whole_lines, 0u);
  EXPECT_EQ(whole_lines, counts.written);
  EXPECT_LE(cut_lines, counts.lost);
}

// Whole lines read from `fd` (non-blocking) until it has nothing more.
std::vector<std::string> read_available_lines(int fd) {
  std::string text;
  char buffer[65536];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  return lines;
}

// The pipe's reader goes away: the records that follow are lost and
// counted, the process lives on (no SIGPIPE), and after a new reader comes
// and the writer reopens, records arrive whole again.
TEST(JsonLinesWriterTest, APipeWhoseReaderClosedLosesRecordsNotTheProcess) {
  TempDir dir;
  const std::string path = dir.path() + "/decisions.fifo";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  int reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  auto writer = JsonLinesWriter::open({.path = path});
  ASSERT_TRUE(writer.ok()) << writer.status();
  auto submit = [&](int first, int count) {
    for (int i = first; i < first + count; ++i) {
      std::string record = record_text(0, i);
      ASSERT_TRUE((*writer)->submit(record));
    }
  };
  submit(0, 100);
  EXPECT_EQ(settled_counts(**writer, 100).written, 100u);
  EXPECT_EQ(read_available_lines(reader).size(), 100u);
  ::close(reader);

  submit(100, 50);
  JsonLinesWriterCounts counts = settled_counts(**writer, 150);
  EXPECT_EQ(counts.written, 100u);
  EXPECT_EQ(counts.lost, 50u);

  reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  (*writer)->request_reopen();
  for (int wait = 0; wait < 2000 && (*writer)->counts().reopens == 0; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  submit(150, 10);
  counts = settled_counts(**writer, 160);
  EXPECT_EQ(counts.written, 110u);
  EXPECT_EQ(counts.reopens, 1u);
  const std::vector<std::string> lines = read_available_lines(reader);
  ASSERT_EQ(lines.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(lines[static_cast<std::size_t>(i)], record_text(0, 150 + i));
  }
  (*writer)->close();
  ::close(reader);
}

}  // namespace
}  // namespace stepup::decisionlog
