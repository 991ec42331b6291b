// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "condition/condition.h"

#include "condition/parser.h"
#include "condition/program.h"

namespace stepup::condition {

std::string_view to_string(Tri value) {
  switch (value) {
    case Tri::kFalse:
      return "false";
    case Tri::kTrue:
      return "true";
    case Tri::kError:
      return "error";
  }
  return "error";
}

std::string CompileError::format(std::string_view what) const {
  return std::string(what) + ":" + std::to_string(column) + ": " + message;
}

const std::vector<attributes::AttributePath>& CompiledCondition::attributes_read() const {
  static const auto* const kNone = new std::vector<attributes::AttributePath>();
  return program_ == nullptr ? *kNone : program_->paths;
}

std::string_view CompiledCondition::text() const {
  return program_ == nullptr ? std::string_view() : std::string_view(program_->text);
}

std::variant<CompiledCondition, CompileError> compile_condition(std::string_view text,
                                                                const CompileOptions& options) {
  std::variant<std::shared_ptr<Program>, CompileError> parsed = parse_condition(text, options);
  if (CompileError* error = std::get_if<CompileError>(&parsed)) return std::move(*error);
  return CompiledCondition(std::get<std::shared_ptr<Program>>(std::move(parsed)));
}

}  // namespace stepup::condition
