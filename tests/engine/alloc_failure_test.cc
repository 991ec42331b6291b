// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Running out of memory while the engine loads a document (a binary of its
// own, since it replaces the global operator new): every allocation of a
// reload, one after the other, is made to fail, either alone or together with
// every allocation after it. Each failed reload must be an error status
// (never an exception, never a crash) and leave the engine deciding exactly
// as before; the first reload that gets all its memory must take effect.
//
// Attempts run in forked children (many in each while they fail cleanly), so
// that one crash is reported as such and the survey goes on. To replay one attempt in this process
// (under a debugger, say): STEPUP_ALLOCATION_FAILURE_AT=<allocation number>.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine_test_util.h"
#include "support/token_minter.h"

namespace {

// Failure injection, per thread: only the thread that arms it ever sees a
// failure, so gtest's own bookkeeping never does. Constant-initialized, so
// operator new may use it before any dynamic initialization has run.
struct Injector {
  bool armed = false;
  bool persistent = false;  // Fail every allocation from the first failure on.
  int64_t allowed = 0;      // Allocations that still succeed.
  int64_t failures = 0;     // Failures injected since arming.
  int64_t allocations = 0;  // Allocations requested since arming.
};
thread_local Injector injector;

bool fail_this_allocation() {
  Injector& state = injector;
  if (!state.armed) return false;
  ++state.allocations;
  if (state.allowed > 0) {
    --state.allowed;
    return false;
  }
  if (!state.persistent && state.failures > 0) return false;
  ++state.failures;
  return true;
}

void* allocate(std::size_t size) {
  if (fail_this_allocation()) return nullptr;
  return std::malloc(size == 0 ? 1 : size);
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
  if (fail_this_allocation()) return nullptr;
  void* memory = nullptr;
  const std::size_t align = std::max(static_cast<std::size_t>(alignment), sizeof(void*));
  return ::posix_memalign(&memory, align, size == 0 ? 1 : size) == 0 ? memory : nullptr;
}

void* allocate_or_throw(std::size_t size) {
  if (void* memory = allocate(size)) return memory;
  throw std::bad_alloc();
}

void* allocate_aligned_or_throw(std::size_t size, std::align_val_t alignment) {
  if (void* memory = allocate_aligned(size, alignment)) return memory;
  throw std::bad_alloc();
}

}  // namespace

// Every replaceable form, throwing and nothrow (simdjson uses the latter),
// aligned or not; all memory comes from malloc and goes back to free.
void* operator new(std::size_t size) {
  return allocate_or_throw(size);
}
void* operator new[](std::size_t size) {
  return allocate_or_throw(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return allocate_aligned_or_throw(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return allocate_aligned_or_throw(size, alignment);
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate_aligned(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate_aligned(size, alignment);
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete[](void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, std::size_t) noexcept {
  std::free(memory);
}
void operator delete(void* memory, const std::nothrow_t&) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, const std::nothrow_t&) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::align_val_t) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, std::align_val_t) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t, std::align_val_t) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, std::size_t, std::align_val_t) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(memory);
}
void operator delete[](void* memory, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(memory);
}

namespace stepup::engine_test {
namespace {

using testing::TestKey;

// Far more allocations than one load of the document below makes.
constexpr int64_t kMaxAllocations = 1'000'000;
constexpr const char* kPartnerIssuer = "https://partner.example.com";
// Enough sibling policies for the policy set to get its index (8 or more).
constexpr int kGeneratedPolicies = 10;

// A fresh directory (mkdtemp: never a fixed name), removed after.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::path(::testing::TempDir()) / "stepup-alloc-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string jwks_of(std::initializer_list<Algorithm> algorithms) {
  std::string keys;
  for (Algorithm algorithm : algorithms)
    keys += (keys.empty() ? "" : ",") + TestKey::shared(algorithm).public_jwk();
  return "{\"keys\": [" + keys + "]}";
}

// A moderately large document: two validators (one with inline keys of three
// types, one reading partner.jwks.json), endpoints, and enough policies of
// three rules each for the policy set to get its index. (No RSA key: its
// validity check costs milliseconds, and this document is loaded thousands
// of times.)
std::string large_document() {
  std::string endpoints = R"([{"service": "payments", "base_path": "/payments"})";
  std::string children;
  for (int i = 0; i < kGeneratedPolicies; ++i) {
    const std::string service = "svc" + std::to_string(i);
    endpoints += R"(, {"service": ")" + service + R"(", "base_path": "/)" + service + "\"}";
    // Each policy's JSON with SERVICE standing for its service name.
    std::string policy = R"j({"name": "SERVICE", "description": "generated",
        "target": {"service": ["SERVICE"], "action": ["inbound-GET", "inbound-POST"],
                   "path": ["items/*", "admin/**"]},
        "combining": "first-applicable",
        "rules": [
          {"name": "strong", "effect": "deny", "condition": "!acr_at_least('urn:example:mfa')",
           "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:mfa"}}]},
          {"name": "fresh", "effect": "deny",
           "condition": "has(HttpRequest.AccessToken.sub) && authentication_age > 300",
           "statements": [{"code": "auth-challenge", "payload": {"max_age": 300}}]},
          {"name": "scoped", "effect": "permit",
           "condition": "'SERVICE:read' in HttpRequest.AccessToken.scope ||
                         starts_with(HttpRequest.ResourcePath, 'items/')",
           "statements": [{"code": "audit", "applies_to": "permit",
                           "payload": {"service": "SERVICE"}}]}]},
)j";
    // JSON strings cannot hold a line break: the condition is one line.
    policy.replace(policy.find(" ||\n"), policy.find("starts_with") - policy.find(" ||\n"), " || ");
    for (std::size_t at; (at = policy.find("SERVICE")) != std::string::npos;)
      policy.replace(at, 7, service);
    children += policy;
  }
  endpoints += "]";
  children += R"j({"name": "payments", "target": {"service": ["payments"]}, "rules": [
        {"name": "hwk", "effect": "deny", "condition": "!acr_at_least('urn:example:hwk')",
         "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:hwk"}}]},
        {"name": "ok", "effect": "permit"}]})j";
  return R"({"stepup": 1, "realm": "new.example.com",
    "validators": [
      {"name": "main", "type": "jwt", "issuer": ")" +
         std::string(testing::kTestIssuer) + R"(", "audience": [")" + testing::kTestAudience +
         R"("], "algorithms": ["ES256", "EdDSA", "HS256"], "jwks": )" +
         jwks_of({Algorithm::kES256, Algorithm::kEdDSA, Algorithm::kHS256}) +
         R"(},
      {"name": "partner", "type": "jwt", "issuer": ")" +
         kPartnerIssuer + R"(", "audience": [")" + testing::kTestAudience +
         R"("], "algorithms": ["ES384"], "typ": null, "clock_skew_seconds": 30,
       "jwks_file": "partner.jwks.json", "require": ["exp", "sub"]}],
    "endpoints": )" +
         endpoints + R"(,
    "acr_levels": ["urn:example:pwd", "urn:example:mfa", "urn:example:hwk"],
    "policy": {"name": "api", "combining": "deny-unless-permit", "children": [)" +
         children + "]}}";
}

// Requests whose answers differ between the two documents in every part
// that a half-done reload could leave behind: the realm, the policy, and the
// keys (the partner's token is only valid under the new document).
std::vector<TestRequest> probe_requests() {
  std::vector<TestRequest> requests;
  requests.emplace_back("GET", "/payments/x");
  requests.back().authorization(bearer());
  requests.emplace_back("GET", "/payments/x");
  const std::string partner_claims =
      std::string("{\"iss\":\"") + kPartnerIssuer + "\",\"aud\":\"" + testing::kTestAudience +
      "\",\"sub\":\"bob\",\"acr\":\"urn:example:hwk\",\"exp\":" + std::to_string(kNow + 300) + "}";
  requests.emplace_back("GET", "/svc3/items/9");
  requests.back().authorization(
      "Bearer " + TestKey::shared(Algorithm::kES384)
                      .mint(testing::standard_header(Algorithm::kES384), partner_claims));
  return requests;
}

std::vector<std::string> answers(const Engine& engine) {
  std::vector<std::string> out;
  for (const TestRequest& request : probe_requests())
    out.push_back(decide(engine, request).to_json());
  return out;
}

// What one attempt came to, as the child process reports it.
enum class Verdict {
  kCleanFailure,         // A non-OK status; generation and answers as before.
  kThrew,                // An exception left reload_json.
  kStateChanged,         // A non-OK status, but something of the new document shows.
  kSucceededCompletely,  // OK despite a failed allocation, and entirely the new document.
  kSucceededPartially,   // OK despite a failed allocation, but not the new document's answers.
  kNoFailureInjected,    // Every allocation succeeded, and the new document took effect.
  kNoFailureButWrong,    // Every allocation succeeded, but the answers are not the new ones.
  kCrashed,              // The child died (a signal) or exited unexpectedly.
};

constexpr const char* kVerdictNames[] = {"clean failure",
                                         "threw",
                                         "state changed",
                                         "succeeded completely",
                                         "succeeded partially",
                                         "no failure injected",
                                         "no failure but wrong answers",
                                         "crashed"};

struct Attempt {
  Verdict verdict = Verdict::kCrashed;
  std::string detail;       // The status (code: message), or how the child died.
  int64_t allocations = 0;  // Those the reload asked for, the failed ones included.
};

struct Setup {
  std::string new_document = {};
  std::string base_directory = {};
  std::vector<std::string> before = {};
  std::vector<std::string> after = {};
};

// In the child: one reload_json with every allocation after the first
// `allowed` failing (only the next one, or all of them), then the checks.
Verdict attempt_in_child(Engine& engine, const Setup& setup, int64_t allowed, bool persistent,
                         std::string& detail, int64_t& allocations) {
  absl::Status status;
  bool threw = false;
  // reload_json takes the directory by value: copied here, before arming, so
  // that every counted allocation is the engine's own.
  std::string directory = setup.base_directory;
  injector = Injector{.armed = true, .persistent = persistent, .allowed = allowed};
  try {
    status = engine.reload_json(setup.new_document, std::move(directory));
  } catch (...) {
    threw = true;
  }
  const Injector seen = injector;
  injector = Injector{};
  allocations = seen.allocations;
  if (threw) return Verdict::kThrew;
  detail =
      std::string(absl::StatusCodeToString(status.code())) + ": " + std::string(status.message());
  const std::vector<std::string> now = answers(engine);
  if (seen.failures == 0) {
    return status.ok() && engine.generation() == 2 && now == setup.after
               ? Verdict::kNoFailureInjected
               : Verdict::kNoFailureButWrong;
  }
  if (status.ok()) {
    return engine.generation() == 2 && now == setup.after ? Verdict::kSucceededCompletely
                                                          : Verdict::kSucceededPartially;
  }
  return engine.generation() == 1 && now == setup.before ? Verdict::kCleanFailure
                                                         : Verdict::kStateChanged;
}

// What a child's reload with all its memory, after its attempts, came to.
struct AfterAttempts {
  bool started = false;
  std::optional<Verdict> verdict;  // None: the child died in it.
  int64_t allocations = 0;
};

// Attempts per child process: forking is what an attempt costs most under
// the sanitizers, and a clean failure leaves the engine as it was, ready
// for the next attempt.
constexpr int64_t kAttemptsPerChild = 256;

// Runs attempts `first`, `first` + 1, ... in one child process, so that a
// crash is one failed attempt rather than the end of the survey. The child
// goes on while its attempts fail cleanly (up to kAttemptsPerChild); an
// attempt that changed anything ends it. Returns at least one attempt: the
// one that crashed the child, if it did. When all kAttemptsPerChild failed
// cleanly, the child then reloads with all the memory it needs: `after`.
std::vector<Attempt> attempts_in_child(Engine& engine, const Setup& setup, int64_t first,
                                       bool persistent, AfterAttempts& after) {
  after = AfterAttempts{};
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return {{Verdict::kCrashed, "pipe failed"}};
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) return {{Verdict::kCrashed, "fork failed"}};
  if (child == 0) {
    ::close(pipe_fds[0]);
    // The C library's own abort messages would flood the log, and a crash
    // must not leave a core file behind.
    const int null_fd = ::open("/dev/null", O_WRONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDERR_FILENO);
    const rlimit no_core = {0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    for (int64_t allowed = first; allowed < first + kAttemptsPerChild; ++allowed) {
      std::string detail;
      int64_t allocations = 0;
      const Verdict verdict =
          attempt_in_child(engine, setup, allowed, persistent, detail, allocations);
      std::replace(detail.begin(), detail.end(), '\n', ' ');
      // One line per attempt, written whole before the next attempt starts.
      const std::string report = std::to_string(static_cast<int>(verdict)) + " " +
                                 std::to_string(allocations) + " " + detail + "\n";
      if (::write(pipe_fds[1], report.data(), report.size()) !=
          static_cast<ssize_t>(report.size())) {
        ::_exit(1);
      }
      if (verdict != Verdict::kCleanFailure) ::_exit(0);
    }
    const std::string started = "unhindered-start\n";
    if (::write(pipe_fds[1], started.data(), started.size()) !=
        static_cast<ssize_t>(started.size())) {
      ::_exit(1);
    }
    std::string detail;
    int64_t allocations = 0;
    const Verdict verdict =
        attempt_in_child(engine, setup, kMaxAllocations, persistent, detail, allocations);
    const std::string report = "unhindered " + std::to_string(static_cast<int>(verdict)) + " " +
                               std::to_string(allocations) + "\n";
    if (::write(pipe_fds[1], report.data(), report.size()) != static_cast<ssize_t>(report.size())) {
      ::_exit(1);
    }
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string reports;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    reports.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  std::vector<Attempt> out;
  for (std::size_t start = 0, end; (end = reports.find('\n', start)) != std::string::npos;
       start = end + 1) {
    const std::string line = reports.substr(start, end - start);
    const std::size_t space = line.find(' ');
    if (line == "unhindered-start") {
      after.started = true;
      continue;
    }
    if (line.starts_with("unhindered ")) {
      const std::size_t second = line.find(' ', space + 1);
      after.verdict = static_cast<Verdict>(std::stoi(line.substr(space + 1, second - space - 1)));
      after.allocations = std::stoll(line.substr(second + 1));
      continue;
    }
    const std::size_t second = line.find(' ', space + 1);
    out.push_back({.verdict = static_cast<Verdict>(std::stoi(line.substr(0, space))),
                   .detail = second == std::string::npos ? "" : line.substr(second + 1),
                   .allocations = std::stoll(line.substr(space + 1, second - space - 1))});
  }
  if (after.started) return out;  // Its end is the caller's to judge.
  if (WIFSIGNALED(status)) {
    out.push_back(
        {Verdict::kCrashed, std::string("killed by signal ") + ::strsignal(WTERMSIG(status))});
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out.empty()) {
    out.push_back({Verdict::kCrashed, "exited without a report"});
  }
  return out;
}

void run_until_the_reload_succeeds(bool persistent) {
  ScratchDir dir;
  {
    std::ofstream out(dir.file("partner.jwks.json"), std::ios::binary);
    out << jwks_of({Algorithm::kES384});
  }
  const std::string old_document = document(R"({"name": "root", "rules": [
      {"name": "yes", "effect": "permit"}]})",
                                            {.realm = "old.example.com"});
  Setup setup{.new_document = large_document(), .base_directory = dir.path()};
  Engine engine = create_engine(old_document);
  setup.before = answers(engine);
  // Also warms every lazily initialized library state before failures start.
  absl::StatusOr<Engine> reference =
      Engine::create({.policy = PolicyText{setup.new_document, dir.path()}});
  ASSERT_TRUE(reference.ok()) << reference.status();
  setup.after = answers(*reference);
  for (std::size_t i = 0; i < setup.before.size(); ++i) {
    ASSERT_NE(setup.before[i], setup.after[i])
        << "probe " << i << " cannot tell the documents apart";
  }

  // STEPUP_ALLOCATION_FAILURE_AT=N: only the attempt whose allocation N
  // fails, in this process (to look at one failure under a debugger).
  if (const char* only = std::getenv("STEPUP_ALLOCATION_FAILURE_AT")) {
    std::string detail;
    int64_t allocations = 0;
    const auto start = std::chrono::steady_clock::now();
    const Verdict verdict =
        attempt_in_child(engine, setup, std::atoll(only) - 1, persistent, detail, allocations);
    std::printf("allocation %s fails: %s (%s), %lld us\n", only,
                kVerdictNames[static_cast<int>(verdict)], detail.c_str(),
                static_cast<long long>(std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - start)
                                           .count()));
    return;
  }
  // A reload with all its memory, in a child of its own: how many
  // allocations the survey must go through. Attempts share a child while
  // they fail cleanly; were a failed reload to leave anything behind that
  // changes the next one's allocations, the survey would end elsewhere.
  AfterAttempts after_attempts;
  const std::vector<Attempt> unhindered =
      attempts_in_child(engine, setup, kMaxAllocations, persistent, after_attempts);
  ASSERT_EQ(unhindered.size(), 1u);
  ASSERT_EQ(unhindered[0].verdict, Verdict::kNoFailureInjected) << unhindered[0].detail;
  std::map<Verdict, std::vector<int64_t>> attempts_by_verdict;
  std::map<std::string, int> failures_by_status;
  std::map<std::string, int64_t> first_attempt_by_crash;
  int64_t allowed = 0;
  bool reload_got_all_its_memory = false;
  while (allowed < kMaxAllocations && !reload_got_all_its_memory) {
    const int64_t first = allowed;
    for (const Attempt& result :
         attempts_in_child(engine, setup, first, persistent, after_attempts)) {
      attempts_by_verdict[result.verdict].push_back(allowed);
      if (result.verdict == Verdict::kCleanFailure) ++failures_by_status[result.detail];
      if (result.verdict == Verdict::kCrashed || result.verdict == Verdict::kThrew) {
        first_attempt_by_crash.emplace(
            result.detail.empty() ? kVerdictNames[static_cast<int>(result.verdict)] : result.detail,
            allowed);
      }
      if (result.verdict == Verdict::kNoFailureInjected ||
          result.verdict == Verdict::kNoFailureButWrong) {
        reload_got_all_its_memory = true;
        break;
      }
      ++allowed;
    }
    if (after_attempts.started) {
      // After the failed reloads from allocation `first` + 1 on, a reload
      // with all its memory works, and allocates as one in a fresh child.
      ASSERT_TRUE(after_attempts.verdict.has_value())
          << "the child died reloading unhindered after the failed reloads from allocation "
          << first + 1 << " on";
      EXPECT_EQ(*after_attempts.verdict, Verdict::kNoFailureInjected)
          << kVerdictNames[static_cast<int>(*after_attempts.verdict)]
          << " reloading unhindered after the failed reloads from allocation " << first + 1;
      EXPECT_EQ(after_attempts.allocations, unhindered[0].allocations)
          << "after the failed reloads from allocation " << first + 1
          << " on, a reload did not allocate as one in a fresh child does";
    }
  }
  ASSERT_LT(allowed, kMaxAllocations);
  EXPECT_EQ(allowed, unhindered[0].allocations)
      << "the surveyed reloads did not allocate as one in a fresh child does";

  std::printf("%s allocation failure: %lld attempts before a reload got all its memory\n",
              persistent ? "persistent" : "single", static_cast<long long>(allowed));
  for (const auto& [verdict, attempts] : attempts_by_verdict) {
    std::printf("  %-28s %6zu (first when allocation %lld fails)\n",
                kVerdictNames[static_cast<int>(verdict)], attempts.size(),
                static_cast<long long>(attempts.front() + 1));
  }
  for (const auto& [status, count] : failures_by_status)
    std::printf("  %6d x %s\n", count, status.c_str());
  for (const auto& [how, first] : first_attempt_by_crash)
    std::printf("  %s: first when allocation %lld fails\n", how.c_str(),
                static_cast<long long>(first + 1));
  // The failing allocations of the bad attempts, to replay one of them with
  // STEPUP_ALLOCATION_FAILURE_AT.
  for (Verdict bad : {Verdict::kThrew, Verdict::kCrashed}) {
    const auto found = attempts_by_verdict.find(bad);
    if (found == attempts_by_verdict.end()) continue;
    std::printf("  %s when allocation", kVerdictNames[static_cast<int>(bad)]);
    for (std::size_t i = 0; i < found->second.size() && i < 40; ++i)
      std::printf(" %lld", static_cast<long long>(found->second[i] + 1));
    std::printf(found->second.size() > 40 ? " ... fails\n" : " fails\n");
  }

  // Every failed allocation is a clean failure: an error status, nothing of
  // the new document visible. (A nothrow allocation the library can do
  // without may also let the reload succeed, but then completely.)
  for (Verdict bad : {Verdict::kThrew, Verdict::kStateChanged, Verdict::kSucceededPartially,
                      Verdict::kNoFailureButWrong, Verdict::kCrashed}) {
    const auto found = attempts_by_verdict.find(bad);
    EXPECT_TRUE(found == attempts_by_verdict.end())
        << kVerdictNames[static_cast<int>(bad)] << " in " << found->second.size()
        << " attempts, first when allocation " << found->second.front() + 1 << " fails";
  }
  EXPECT_EQ(attempts_by_verdict[Verdict::kNoFailureInjected].size(), 1u);
  // The engine's own translation of std::bad_alloc is exercised.
  int exhausted = 0;
  for (const auto& [status, count] : failures_by_status)
    if (status.rfind("RESOURCE_EXHAUSTED", 0) == 0) exhausted += count;
  EXPECT_GT(exhausted, 0);

  // And in this process, with all the memory it needs, the reload works.
  ASSERT_TRUE(engine.reload_json(setup.new_document, dir.path()).ok());
  EXPECT_EQ(engine.generation(), 2u);
  EXPECT_EQ(answers(engine), setup.after);
}

TEST(EngineAllocationFailure, EachSingleFailedAllocationFailsTheReloadAndKeepsTheOldDocument) {
  run_until_the_reload_succeeds(/*persistent=*/false);
}

TEST(EngineAllocationFailure, RunningOutOfMemoryForGoodFailsTheReloadAndKeepsTheOldDocument) {
  run_until_the_reload_succeeds(/*persistent=*/true);
}

// Running out of memory while deciding: each allocation of one decide() is
// made to fail in turn, once or for good, on an engine without the token
// cache (so every call parses and verifies). decide() is noexcept, so an
// escaping exception would end the process; every decision must be either
// exactly the one a decide() with all its memory gives, or the fail-closed
// one (indeterminate, not authorized, 500, no challenge): never a permit it
// should not be.
TEST(EngineAllocationFailure, DecideFailsClosedWhenMemoryRunsOut) {
  const std::string policy = R"j({"name": "api", "combining": "deny-unless-permit", "children": [
      {"name": "transfers", "target": {"service": ["payments"], "action": ["inbound-POST"]},
       "combining": "first-applicable", "rules": [
         {"name": "strong", "effect": "deny", "condition": "!acr_at_least('urn:example:hwk')",
          "statements": [{"code": "auth-challenge", "payload": {"min_acr": "urn:example:hwk"}}]},
         {"name": "ok", "effect": "permit"}]},
      {"name": "reads", "target": {"action": ["inbound-GET"]}, "rules": [
         {"name": "any", "effect": "permit", "condition": "has(HttpRequest.AccessToken.sub)"}]}]})j";
  absl::StatusOr<Engine> created =
      Engine::create({.policy = PolicyText{document(policy)}, .token_cache = {.enabled = false}});
  ASSERT_TRUE(created.ok()) << created.status();
  const Engine& engine = *created;
  std::vector<TestRequest> requests;
  requests.emplace_back("POST", "/payments/transfers/7");  // A step-up challenge.
  requests.back().authorization(bearer());
  requests.emplace_back("GET", "/accounts/1?view=full");  // A permit.
  requests.back().authorization(bearer());
  requests.emplace_back("GET", "/accounts/1");  // A refused token.
  requests.back().authorization(bearer({{"exp", "1"}}));
  const DecideOptions explain = {.explain = true, .now = kNow};
  int failed_closed = 0;
  int attempts = 0;
  for (const TestRequest& request : requests) {
    for (const bool persistent : {false, true}) {
      for (const DecideOptions& options : {DecideOptions{.now = kNow}, explain}) {
        const Decision reference = engine.decide(request.view(), options);
        for (int64_t allowed = 0; allowed < 10'000; ++allowed) {
          Decision decision;
          decision.reason.reserve(64);  // A host's reused Decision has storage.
          injector = Injector{.armed = true, .persistent = persistent, .allowed = allowed};
          engine.decide(request.view(), options, decision);
          const Injector seen = injector;
          injector = Injector{};
          if (seen.failures == 0) break;
          ++attempts;
          if (decision.to_json() == reference.to_json()) continue;
          ++failed_closed;
          EXPECT_EQ(decision.result, PolicyResult::kIndeterminate);
          EXPECT_FALSE(decision.authorized);
          EXPECT_EQ(decision.status, 500);
          EXPECT_EQ(decision.www_authenticate, "");
          EXPECT_EQ(decision.reason, "out of memory");
          EXPECT_TRUE(decision.statements.empty());
          if (HasFailure()) return;
        }
      }
    }
  }
  std::printf("decide: %d attempts, %d failed closed, the others unaffected\n", attempts,
              failed_closed);
  // The fail-closed path ran.
  EXPECT_GT(failed_closed, 0);
}

}  // namespace
}  // namespace stepup::engine_test
