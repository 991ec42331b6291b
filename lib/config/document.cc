// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "config/document.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

#include "config/endpoints.h"
#include "config/json_fields.h"
#include "config/policy_tree.h"
#include "config/protected_resource.h"
#include "config/validators.h"
#include "json/strict_json.h"

namespace stepup::config {
namespace {

using policy::PolicyDocument;

constexpr int kMaxDocumentDepth = 128;  // Above what kMaxPolicyNesting needs.
constexpr int kSupportedVersion = 1;

absl::StatusOr<std::vector<std::string>> load_acr_levels(const JsonValue& root) {
  absl::StatusOr<std::vector<std::string>> levels = read_string_list(root, "acr_levels", "");
  if (!levels.ok()) return levels.status();
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < levels->size(); ++i) {
    const std::string& level = (*levels)[i];
    if (!is_space_free_header_safe(level)) {
      return error_at(index_path("acr_levels", i),
                      "must be printable ASCII without spaces, '\"' or '\\'");
    }
    if (!seen.insert(level).second) {
      return error_at(index_path("acr_levels", i), "repeats \"" + level + "\"");
    }
  }
  return levels;
}

// The validators' issuers and their DPoP algorithms, for the metadata.
ResourceContext resource_context(const ReadValidators& validators) {
  ResourceContext context;
  context.dpop_required = !validators.dpop.empty();
  for (std::size_t i = 0; i < validators.options.validators.size(); ++i) {
    context.issuers.push_back(validators.options.validators[i].issuer);
    const dpop::Settings& dpop = validators.dpop[i];
    context.dpop_required = context.dpop_required && dpop.required;
    if (!dpop.accepted) continue;
    for (const std::string& name : dpop.algs.list)
      context.dpop_algorithms.add(name);
  }
  return context;
}

// The validators' DPoP settings into the document, and the challenge a
// request without credentials gets. DPoP needs `protected_resource`: a
// proof's `htu` is compared with its origin and the request's path.
absl::Status set_dpop(const ReadValidators& validators, const ResourceContext& context,
                      const std::string& origin, PolicyDocument& document) {
  for (std::size_t i = 0; i < validators.dpop.size(); ++i) {
    if (validators.dpop[i].accepted && origin.empty()) {
      return error_at(member_path(index_path("validators", i), "dpop"),
                      "needs protected_resource.resource: a DPoP proof's htu is compared with "
                      "its origin and the request's path");
    }
  }
  document.dpop = validators.dpop;
  document.resource_origin = origin;
  document.dpop_algs = context.dpop_algorithms;
  document.dpop_only = context.dpop_required;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const PolicyDocument>> load_policy(std::string_view json,
                                                                  const std::string& base_directory,
                                                                  const LoadOptions& options) {
  JsonValue root;
  const auto parsed = json_internal::parse_json_object(json, kMaxDocumentDepth, root);
  switch (parsed.error) {
    case json_internal::JsonError::kOk:
      break;
    case json_internal::JsonError::kSyntax:
      return absl::InvalidArgumentError("policy document is not valid UTF-8 JSON");
    case json_internal::JsonError::kNotObject:
      return absl::InvalidArgumentError("policy document must be a JSON object");
    case json_internal::JsonError::kDuplicateMember:
      return error_at(parsed.where, "duplicate key");
    case json_internal::JsonError::kTooDeep:
      return absl::InvalidArgumentError("policy document is nested too deeply");
  }
  auto document = std::make_shared<PolicyDocument>();
  if (absl::Status s = check_members(root, "document",
                                     {"stepup", "realm", "protected_resource", "validators",
                                      "endpoints", "acr_levels", "policy"});
      !s.ok()) {
    return s;
  }
  const std::optional<int64_t> version = as_int(root.find("stepup"));
  if (!version || *version != kSupportedVersion) {
    return error_at("stepup", "must be 1 (the document format version)");
  }
  if (const JsonValue* realm = root.find("realm")) {
    if (!realm->is_string() || !is_header_safe(realm->as_string()) || realm->as_string().empty()) {
      return error_at("realm",
                      "must be a non-empty string of printable ASCII without '\"' or '\\'");
    }
    document->realm = std::string(realm->as_string());
  }
  absl::StatusOr<std::vector<std::string>> acr_levels = load_acr_levels(root);
  if (!acr_levels.ok()) return acr_levels.status();
  document->acr_levels = *std::move(acr_levels);
  absl::StatusOr<ReadValidators> validators = read_validators(root, base_directory);
  if (!validators.ok()) return validators.status();
  const ResourceContext context = resource_context(*validators);
  absl::StatusOr<ReadResource> resource = read_protected_resource(root, context);
  if (!resource.ok()) return resource.status();
  document->protected_resource = std::move(resource->metadata);
  if (absl::Status s = set_dpop(*validators, context, resource->origin, *document); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<attributes::Endpoint>> endpoints = load_endpoints(root);
  if (!endpoints.ok()) return endpoints.status();
  document->endpoints = *std::move(endpoints);
  const JsonValue* policy = root.find("policy");
  if (policy == nullptr) return error_at("document", "missing required key \"policy\"");
  if (absl::Status s = load_policy_tree(*policy, document->acr_levels, document->root); !s.ok()) {
    return s;
  }
  document->endpoint_index = attributes::EndpointIndex(document->endpoints);
  absl::StatusOr<std::optional<TokenVerifier>> verifier =
      build_verifier(*validators, options.fetch_remote_keys);
  if (!verifier.ok()) return verifier.status();
  document->verifier = *std::move(verifier);
  document->remote_keys = std::move(validators->remote);
  return std::shared_ptr<const PolicyDocument>(std::move(document));
}

absl::StatusOr<std::shared_ptr<const PolicyDocument>> load_policy_file(const std::string& path,
                                                                       const LoadOptions& options) {
  absl::StatusOr<std::string> text = read_file(path, "policy", kMaxPolicyFileBytes);
  if (!text.ok()) return text.status();
  const std::string base = std::filesystem::path(path).parent_path().string();
  absl::StatusOr<std::shared_ptr<const PolicyDocument>> document =
      load_policy(*text, base, options);
  if (!document.ok())
    return absl::InvalidArgumentError(path + ": " + std::string(document.status().message()));
  return document;
}

}  // namespace stepup::config
