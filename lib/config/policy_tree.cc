// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "config/policy_tree.h"

#include <memory>
#include <unordered_set>
#include <utility>
#include <variant>

#include "common/ascii.h"
#include "config/json_fields.h"
#include "config/statements.h"

namespace stepup::config {
namespace {

using policy::Combining;
using policy::Effect;
using policy::Glob;
using policy::kIndexThreshold;
using policy::Node;
using policy::result_reasons;
using policy::Rule;
using policy::Target;
using policy::TargetIndex;

absl::StatusOr<Combining> parse_combining(const JsonValue& value, const std::string& path) {
  static constexpr std::pair<std::string_view, Combining> kNames[] = {
      {"deny-overrides", Combining::kDenyOverrides},
      {"permit-overrides", Combining::kPermitOverrides},
      {"first-applicable", Combining::kFirstApplicable},
      {"only-one-applicable", Combining::kOnlyOneApplicable},
      {"deny-unless-permit", Combining::kDenyUnlessPermit},
      {"permit-unless-deny", Combining::kPermitUnlessDeny}};
  if (value.is_string()) {
    for (const auto& [name, combining] : kNames) {
      if (value.as_string() == name) return combining;
    }
  }
  return error_at(path,
                  "must be one of deny-overrides, permit-overrides, first-applicable, "
                  "only-one-applicable, deny-unless-permit, permit-unless-deny");
}

// Reads one tree's nodes and rules; `acr_levels` is the document's.
class TreeLoader {
 public:
  explicit TreeLoader(const std::vector<std::string>& acr_levels) : acr_levels_(acr_levels) {}

  absl::StatusOr<condition::CompiledCondition> compile(const std::string& text,
                                                       const std::string& path) {
    condition::CompileOptions options;
    options.acr_levels = &acr_levels_;
    auto compiled = condition::compile_condition(text, options);
    if (const auto* error = std::get_if<condition::CompileError>(&compiled)) {
      return absl::InvalidArgumentError(error->format(path));
    }
    return std::get<condition::CompiledCondition>(std::move(compiled));
  }

  absl::Status load_target(const JsonValue& node, const std::string& parent, Target& target) {
    const JsonValue* value = node.find("target");
    if (value == nullptr) return absl::OkStatus();
    const std::string path = member_path(parent, "target");
    if (!value->is_object()) return error_at(path, "must be an object");
    if (absl::Status s = check_members(*value, path, {"service", "action", "path", "condition"});
        !s.ok()) {
      return s;
    }
    for (const auto& [key, out] :
         {std::pair{"service", &target.services}, std::pair{"action", &target.actions}}) {
      absl::StatusOr<std::vector<std::string>> list = read_string_list(*value, key, path);
      if (!list.ok()) return list.status();
      if (value->find(key) != nullptr && list->empty()) {
        return error_at(member_path(path, key), "must list at least one value");
      }
      *out = *std::move(list);
    }
    absl::StatusOr<std::vector<std::string>> globs = read_string_list(*value, "path", path);
    if (!globs.ok()) return globs.status();
    if (value->find("path") != nullptr && globs->empty()) {
      return error_at(member_path(path, "path"), "must list at least one glob");
    }
    for (std::size_t i = 0; i < globs->size(); ++i) {
      absl::StatusOr<Glob> glob = Glob::compile((*globs)[i]);
      if (!glob.ok()) {
        return error_at(index_path(member_path(path, "path"), i),
                        std::string(glob.status().message()));
      }
      target.paths.push_back(*std::move(glob));
    }
    if (const JsonValue* condition = value->find("condition")) {
      if (!condition->is_string())
        return error_at(member_path(path, "condition"), "must be a string");
      target.condition_text = std::string(condition->as_string());
      auto compiled = compile(target.condition_text, member_path(path, "condition"));
      if (!compiled.ok()) return compiled.status();
      target.condition = *std::move(compiled);
    }
    return absl::OkStatus();
  }

  absl::Status load_common(const JsonValue& value, const std::string& path,
                           const std::vector<std::string>& parent_names, std::string& name,
                           std::vector<std::string>& names, std::string& joined, bool& disabled) {
    absl::StatusOr<std::string> read_name = read_string(value, "name", path, true);
    if (!read_name.ok()) return read_name.status();
    if (read_name->empty()) return error_at(member_path(path, "name"), "must not be empty");
    // Names make up Decision::reason, which hosts log: no line breaks in it.
    if (common::has_ctl(*read_name)) {
      return error_at(member_path(path, "name"), "must not hold control characters");
    }
    name = *read_name;
    names = parent_names;
    names.push_back(name);
    joined.clear();
    for (const std::string& each : names) {
      if (!joined.empty()) joined += '/';
      joined += each;
    }
    absl::StatusOr<std::string> description = read_string(value, "description", path, false);
    if (!description.ok()) return description.status();
    absl::StatusOr<bool> read_disabled = read_bool(value, "disabled", path);
    if (!read_disabled.ok()) return read_disabled.status();
    disabled = *read_disabled;
    return absl::OkStatus();
  }

  absl::Status load_node(const JsonValue& value, const std::string& path,
                         const std::vector<std::string>& parent_names, int depth, Node& node) {
    if (depth > kMaxPolicyNesting) return error_at(path, "policy sets are nested too deeply");
    if (!value.is_object()) return error_at(path, "must be an object");
    if (absl::Status s = check_members(value, path,
                                       {"name", "description", "disabled", "target", "combining",
                                        "statements", "children", "rules"});
        !s.ok()) {
      return s;
    }
    if (absl::Status s = load_common(value, path, parent_names, node.name, node.path,
                                     node.joined_path, node.disabled);
        !s.ok()) {
      return s;
    }
    node.reasons = result_reasons("policy", node.joined_path);
    if (absl::Status s = load_target(value, path, node.target); !s.ok()) return s;
    if (const JsonValue* combining = value.find("combining")) {
      absl::StatusOr<Combining> parsed =
          parse_combining(*combining, member_path(path, "combining"));
      if (!parsed.ok()) return parsed.status();
      node.combining = *parsed;
    }
    if (absl::Status s = load_statements(value, path, acr_levels_, node.statements); !s.ok())
      return s;
    const JsonValue* children = value.find("children");
    const JsonValue* rules = value.find("rules");
    if ((children == nullptr) == (rules == nullptr)) {
      return error_at(path,
                      "give exactly one of \"children\" (a policy set) and \"rules\" (a policy)");
    }
    node.is_policy_set = children != nullptr;
    const JsonValue* list = children != nullptr ? children : rules;
    const std::string list_path = member_path(path, children != nullptr ? "children" : "rules");
    if (!list->is_array()) return error_at(list_path, "must be a list");
    std::unordered_set<std::string> sibling_names;
    for (std::size_t i = 0; i < list->items().size(); ++i) {
      const std::string item_path = index_path(list_path, i);
      std::string name;
      if (children != nullptr) {
        Node child;
        if (absl::Status s = load_node(list->items()[i], item_path, node.path, depth + 1, child);
            !s.ok()) {
          return s;
        }
        name = child.name;
        node.children.push_back(std::move(child));
      } else {
        Rule rule;
        if (absl::Status s = load_rule(list->items()[i], item_path, node.path, rule); !s.ok())
          return s;
        name = rule.name;
        node.rules.push_back(std::move(rule));
      }
      if (!sibling_names.insert(name).second) {
        return error_at(member_path(item_path, "name"), "repeats sibling name \"" + name + "\"");
      }
    }
    if (list->items().size() >= kIndexThreshold) {
      auto index = std::make_shared<TargetIndex>();
      for (std::size_t i = 0; i < list->items().size(); ++i) {
        const bool disabled =
            children != nullptr ? node.children[i].disabled : node.rules[i].disabled;
        const Target& target = children != nullptr ? node.children[i].target : node.rules[i].target;
        if (!disabled) index->add(static_cast<uint32_t>(i), target);
      }
      node.index = std::move(index);
    }
    return absl::OkStatus();
  }

  absl::Status load_rule(const JsonValue& value, const std::string& path,
                         const std::vector<std::string>& parent_names, Rule& rule) {
    if (!value.is_object()) return error_at(path, "must be an object");
    if (absl::Status s = check_members(
            value, path,
            {"name", "description", "disabled", "effect", "condition", "target", "statements"});
        !s.ok()) {
      return s;
    }
    if (absl::Status s = load_common(value, path, parent_names, rule.name, rule.path,
                                     rule.joined_path, rule.disabled);
        !s.ok()) {
      return s;
    }
    rule.reasons = result_reasons("rule", rule.joined_path);
    absl::StatusOr<std::string> effect = read_string(value, "effect", path, true);
    if (!effect.ok()) return effect.status();
    if (*effect == "permit") {
      rule.effect = Effect::kPermit;
    } else if (*effect == "deny") {
      rule.effect = Effect::kDeny;
    } else if (*effect == "permit-else-deny") {
      rule.effect = Effect::kPermitElseDeny;
    } else if (*effect == "deny-else-permit") {
      rule.effect = Effect::kDenyElsePermit;
    } else {
      return error_at(member_path(path, "effect"),
                      "must be \"permit\", \"deny\", \"permit-else-deny\" or \"deny-else-permit\"");
    }
    if (absl::Status s = load_target(value, path, rule.target); !s.ok()) return s;
    if (const JsonValue* condition = value.find("condition")) {
      if (!condition->is_string())
        return error_at(member_path(path, "condition"), "must be a string");
      rule.condition_text = std::string(condition->as_string());
      auto compiled = compile(rule.condition_text, member_path(path, "condition"));
      if (!compiled.ok()) return compiled.status();
      rule.condition = *std::move(compiled);
    }
    return load_statements(value, path, acr_levels_, rule.statements);
  }

 private:
  const std::vector<std::string>& acr_levels_;
};

}  // namespace

absl::Status load_policy_tree(const JsonValue& policy, const std::vector<std::string>& acr_levels,
                              Node& root) {
  return TreeLoader(acr_levels).load_node(policy, "policy", {}, 0, root);
}

}  // namespace stepup::config
