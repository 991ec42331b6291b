// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "decisionlog/json_lines_writer.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace stepup::decisionlog {
namespace {

constexpr int kOpenFlags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK;
constexpr mode_t kFileMode = 0640;
// How long the writer sleeps when the queue is empty, and how long it waits
// for a full pipe before it looks at the stop flag again.
constexpr auto kIdleSleep = std::chrono::milliseconds(5);
constexpr int kPollMillis = 50;
// Records taken from the queue per write().
constexpr std::size_t kBatchRecords = 256;

std::size_t count_lines(std::string_view text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

absl::StatusOr<std::unique_ptr<JsonLinesWriter>> JsonLinesWriter::open(
    JsonLinesWriterOptions options) {
  const int fd = ::open(options.path.c_str(), kOpenFlags, kFileMode);
  if (fd < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("decision log \"", options.path, "\": cannot open: ", std::strerror(errno)));
  }
  return std::unique_ptr<JsonLinesWriter>(new JsonLinesWriter(std::move(options), fd));
}

JsonLinesWriter::JsonLinesWriter(JsonLinesWriterOptions options, int fd)
    : options_(std::move(options)), fd_(fd), queue_(options_.queue_capacity) {
  thread_ = std::thread([this] { run(); });
}

JsonLinesWriter::~JsonLinesWriter() {
  close();
}

void JsonLinesWriter::close() noexcept {
  if (closed_) return;
  closed_ = true;
  stop_deadline_.store(
      (std::chrono::steady_clock::now() + options_.close_timeout).time_since_epoch().count(),
      std::memory_order_relaxed);
  stopping_.store(true, std::memory_order_release);
  thread_.join();
  ::close(fd_);
}

bool JsonLinesWriter::submit(std::string& record) noexcept {
  if (queue_.try_push(record)) return true;
  dropped_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

RecordWriterCounts JsonLinesWriter::counts() const noexcept {
  return {.written = written_.load(std::memory_order_relaxed),
          .dropped = dropped_.load(std::memory_order_relaxed),
          .lost = lost_.load(std::memory_order_relaxed),
          .reopens = reopens_.load(std::memory_order_relaxed),
          .reopen_failures = reopen_failures_.load(std::memory_order_relaxed)};
}

void JsonLinesWriter::run() {
  // A pipe whose reader went away answers EPIPE to this thread instead of
  // killing the host with SIGPIPE.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  std::string batch;
  for (;;) {
    // Read the flag before draining: whatever was queued before close()
    // is drained in this round.
    const bool stopping = stopping_.load(std::memory_order_acquire);
    reopen_if_requested();
    batch.clear();
    std::size_t taken = 0;
    while (taken < kBatchRecords) {
      std::optional<std::string> record = queue_.try_pop();
      if (!record) break;
      batch += *record;
      batch += '\n';
      ++taken;
    }
    if (taken > 0) {
      write_batch(batch);
      continue;
    }
    if (stopping) {
      give_up_cut_line();
      return;
    }
    std::this_thread::sleep_for(kIdleSleep);
  }
}

void JsonLinesWriter::reopen_if_requested() {
  if (!reopen_requested_.exchange(false, std::memory_order_relaxed)) return;
  const int fd = ::open(options_.path.c_str(), kOpenFlags, kFileMode);
  if (fd < 0) {
    // Keep writing to the file already open: nothing is lost, and the next
    // request tries again.
    reopen_failures_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // The same file again (a FIFO, or a reopen without a rename): its cut
  // line is still there for the next write's newline to end.
  struct stat old_file {};
  struct stat new_file {};
  const bool same_file = ::fstat(fd_, &old_file) == 0 && ::fstat(fd, &new_file) == 0 &&
                         old_file.st_dev == new_file.st_dev && old_file.st_ino == new_file.st_ino;
  ::close(fd_);
  fd_ = fd;
  if (!same_file) give_up_cut_line();
  reopens_.fetch_add(1, std::memory_order_relaxed);
}

std::size_t JsonLinesWriter::write_all(std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EPIPE) {
      // Take the SIGPIPE this write left pending, so that it never reaches
      // the host should the thread unblock it.
      sigset_t pipe_signal;
      sigemptyset(&pipe_signal);
      sigaddset(&pipe_signal, SIGPIPE);
      const timespec no_wait{};
      sigtimedwait(&pipe_signal, nullptr, &no_wait);
    }
    const bool would_block = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    const bool past_deadline = stopping_.load(std::memory_order_acquire) &&
                               std::chrono::steady_clock::now().time_since_epoch().count() >=
                                   stop_deadline_.load(std::memory_order_relaxed);
    if (!would_block || past_deadline) break;
    pollfd waiting{.fd = fd_, .events = POLLOUT, .revents = 0};
    ::poll(&waiting, 1, kPollMillis);
  }
  return done;
}

void JsonLinesWriter::write_batch(std::string_view batch) {
  // A line an earlier failure cut short is ended first, so that it never
  // swallows the next record.
  if (cut_line_ && write_all("\n") == 1) {
    cut_line_ = false;
    if (cut_before_newline_) written_.fetch_add(1, std::memory_order_relaxed);
    cut_before_newline_ = false;
  }
  const std::size_t done = cut_line_ ? 0 : write_all(batch);
  if (done > 0) {
    cut_line_ = batch[done - 1] != '\n';
    cut_before_newline_ = cut_line_ && done < batch.size() && batch[done] == '\n';
  }
  // A line counts as written once its newline is: a line cut short is lost,
  // unless only its newline is missing (see cut_before_newline_).
  const std::size_t written = count_lines(batch.substr(0, done));
  const std::size_t pending = done > 0 && cut_before_newline_ ? 1 : 0;
  written_.fetch_add(written, std::memory_order_relaxed);
  lost_.fetch_add(count_lines(batch) - written - pending, std::memory_order_relaxed);
}

void JsonLinesWriter::give_up_cut_line() {
  if (cut_before_newline_) lost_.fetch_add(1, std::memory_order_relaxed);
  cut_line_ = false;
  cut_before_newline_ = false;
}

}  // namespace stepup::decisionlog
