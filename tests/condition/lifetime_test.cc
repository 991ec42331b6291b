// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
// Copies and moves of a compiled condition, and concurrent evaluation.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "condition/condition.h"
#include "fake_source.h"

namespace stepup::condition {
namespace {

// Long literals defeat the small-string optimisation, short ones rely on it;
// both must survive the original being destroyed.
constexpr char kText[] =
    "service in ['accounts', 'payments-and-transfers-of-a-long-name'] && "
    "starts_with(action, 'inbound-') && service != 'x' && 3 in [1, 2, 3]";

CompiledCondition compile(const std::string& text) {
  auto result = compile_condition(text, CompileOptions());
  EXPECT_TRUE(std::holds_alternative<CompiledCondition>(result));
  return std::get<CompiledCondition>(std::move(result));
}

void fill(FakeSource& source, const std::string& service) {
  source.set_string("service", service).set_string("action", "inbound-GET");
}

TEST(Lifetime, CopyOutlivesTheOriginal) {
  FakeSource yes;
  fill(yes, "payments-and-transfers-of-a-long-name");
  FakeSource no;
  fill(no, "billing");
  std::optional<CompiledCondition> copy;
  {
    // The text is a temporary, too: the condition keeps its own copy.
    std::optional<CompiledCondition> original = compile(std::string(kText));
    copy = *original;
    original.reset();
  }
  EXPECT_EQ(copy->evaluate(yes), Tri::kTrue);
  EXPECT_EQ(copy->evaluate(no), Tri::kFalse);
  EXPECT_EQ(copy->text(), kText);
}

TEST(Lifetime, MovedAndAssigned) {
  FakeSource source;
  fill(source, "accounts");
  CompiledCondition moved = compile(kText);
  CompiledCondition target = std::move(moved);
  EXPECT_EQ(target.evaluate(source), Tri::kTrue);
  CompiledCondition assigned;
  EXPECT_EQ(assigned.evaluate(source), Tri::kTrue);
  assigned = compile("service == 'nope'");
  EXPECT_EQ(assigned.evaluate(source), Tri::kFalse);
  assigned = target;
  EXPECT_EQ(assigned.evaluate(source), Tri::kTrue);
}

TEST(Lifetime, CompileOptionsNeedNotOutliveTheCondition) {
  FakeSource source;
  source.set_string("authentication_policy", "b");
  std::optional<CompiledCondition> condition;
  {
    const std::vector<std::string> levels = {"a", "b", "c"};
    CompileOptions options;
    options.acr_levels = &levels;
    condition = std::get<CompiledCondition>(compile_condition("acr_at_least('b')", options));
  }
  EXPECT_EQ(condition->evaluate(source), Tri::kTrue);
}

TEST(Lifetime, ConcurrentEvaluation) {
  const CompiledCondition condition = compile(kText);
  FakeSource yes;
  fill(yes, "accounts");
  FakeSource no;
  fill(no, "billing");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const bool expect_true = (i + t) % 2 == 0;
        const Tri result = condition.evaluate(expect_true ? yes : no);
        if (result != (expect_true ? Tri::kTrue : Tri::kFalse)) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace stepup::condition
