// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "policy/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>
#include <utility>

#include "absl/status/status.h"
#include "attributes/path_normalizer.h"
#include "attributes/request_attributes.h"
#include "common/ascii.h"
#include "json/json_text.h"
#include "json/strict_json.h"

namespace stepup::policy {
namespace {

constexpr int kMaxDocumentDepth = 128;  // Above what kMaxPolicyNesting needs.
constexpr int kMaxPolicyNesting = 32;
constexpr int kSupportedVersion = 1;

absl::Status error_at(const std::string& path, const std::string& message) {
  return absl::InvalidArgumentError(path + ": " + message);
}

std::string member_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

absl::Status check_keys(const JsonValue& object, const std::string& path,
                        std::initializer_list<std::string_view> allowed) {
  for (const JsonMember& member : object.members()) {
    if (std::find(allowed.begin(), allowed.end(), member.name) == allowed.end()) {
      std::string expected;
      for (std::string_view key : allowed)
        expected += (expected.empty() ? "" : ", ") + std::string(key);
      return error_at(path,
                      "unknown key \"" + member.name + "\" (expected one of: " + expected + ")");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> read_string(const JsonValue& object, std::string_view key,
                                        const std::string& path, bool required,
                                        std::string fallback = "") {
  const JsonValue* value = object.find(key);
  if (value == nullptr) {
    if (required) return error_at(path, "missing required key \"" + std::string(key) + "\"");
    return fallback;
  }
  if (!value->is_string()) return error_at(member_path(path, key), "must be a string");
  return std::string(value->as_string());
}

absl::StatusOr<bool> read_bool(const JsonValue& object, std::string_view key,
                               const std::string& path) {
  const JsonValue* value = object.find(key);
  if (value == nullptr) return false;
  if (!value->is_bool()) return error_at(member_path(path, key), "must be true or false");
  return value->as_bool();
}

absl::StatusOr<std::vector<std::string>> read_string_list(const JsonValue& object,
                                                          std::string_view key,
                                                          const std::string& path,
                                                          bool allow_single_string = false) {
  const JsonValue* value = object.find(key);
  const std::string here = member_path(path, key);
  std::vector<std::string> result;
  if (value == nullptr) return result;
  if (allow_single_string && value->is_string()) {
    result.emplace_back(value->as_string());
    return result;
  }
  if (!value->is_array()) return error_at(here, "must be a list of strings");
  for (std::size_t i = 0; i < value->items().size(); ++i) {
    const JsonValue& item = value->items()[i];
    if (!item.is_string()) return error_at(index_path(here, i), "must be a string");
    result.emplace_back(item.as_string());
  }
  return result;
}

std::optional<int64_t> as_int(const JsonValue* value) {
  if (value == nullptr || !value->is_integer()) return std::nullopt;
  return value->as_integer();
}

bool is_token_char(char c) {
  return c > 0x20 && c < 0x7f && c != '"' && c != '\\';
}

bool is_space_free_header_safe(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

// Reads a regular file of at most `max_bytes` (a device, a FIFO or a
// directory could block or never end).
absl::StatusOr<std::string> read_file(const std::string& path, const std::string& where,
                                      std::size_t max_bytes) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (error) return error_at(where, "cannot read file " + path + ": " + error.message());
  if (status.type() == std::filesystem::file_type::directory) {
    return error_at(where, "cannot read file " + path + ": it is a directory");
  }
  if (status.type() != std::filesystem::file_type::regular) {
    return error_at(where, "cannot read file " + path + ": it is not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return error_at(where, "cannot read file " + path);
  // One byte more than allowed tells a file over the limit (also one that
  // grew since it was checked).
  std::string contents(max_bytes + 1, '\0');
  in.read(contents.data(), static_cast<std::streamsize>(contents.size()));
  if (in.bad()) return error_at(where, "error reading file " + path);
  contents.resize(static_cast<std::size_t>(in.gcount()));
  if (contents.size() > max_bytes) {
    return error_at(where,
                    "file " + path + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  return contents;
}

class Loader {
 public:
  explicit Loader(std::string base_directory) : base_directory_(std::move(base_directory)) {}

  absl::StatusOr<std::shared_ptr<const PolicyDocument>> load(std::string_view json) {
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
    if (absl::Status s =
            check_keys(root, "document",
                       {"stepup", "realm", "validators", "endpoints", "acr_levels", "policy"});
        !s.ok()) {
      return s;
    }
    const std::optional<int64_t> version = as_int(root.find("stepup"));
    if (!version || *version != kSupportedVersion) {
      return error_at("stepup", "must be 1 (the document format version)");
    }
    if (const JsonValue* realm = root.find("realm")) {
      if (!realm->is_string() || !is_header_safe(realm->as_string()) ||
          realm->as_string().empty()) {
        return error_at("realm",
                        "must be a non-empty string of printable ASCII without '\"' or '\\'");
      }
      document->realm = std::string(realm->as_string());
    }
    if (absl::Status s = load_acr_levels(root, *document); !s.ok()) return s;
    acr_levels_ = &document->acr_levels;
    if (absl::Status s = load_validators(root, *document); !s.ok()) return s;
    if (absl::Status s = load_endpoints(root, *document); !s.ok()) return s;
    const JsonValue* policy = root.find("policy");
    if (policy == nullptr) return error_at("document", "missing required key \"policy\"");
    if (absl::Status s = load_node(*policy, "policy", {}, 0, document->root); !s.ok()) return s;
    document->endpoint_index = attributes::EndpointIndex(document->endpoints);
    return std::shared_ptr<const PolicyDocument>(std::move(document));
  }

 private:
  absl::Status load_acr_levels(const JsonValue& root, PolicyDocument& document) {
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
    document.acr_levels = *std::move(levels);
    return absl::OkStatus();
  }

  absl::Status load_validators(const JsonValue& root, PolicyDocument& document) {
    const JsonValue* validators = root.find("validators");
    if (validators == nullptr) return absl::OkStatus();
    if (!validators->is_array()) return error_at("validators", "must be a list");
    TokenVerifierOptions options;
    for (std::size_t i = 0; i < validators->items().size(); ++i) {
      const std::string path = index_path("validators", i);
      absl::StatusOr<ValidatorOptions> validator = load_validator(validators->items()[i], path);
      if (!validator.ok()) return validator.status();
      options.validators.push_back(*std::move(validator));
    }
    if (options.validators.empty()) return absl::OkStatus();
    absl::StatusOr<TokenVerifier> verifier = TokenVerifier::create(std::move(options));
    if (!verifier.ok()) return absl::InvalidArgumentError(std::string(verifier.status().message()));
    document.verifier = *std::move(verifier);
    return absl::OkStatus();
  }

  absl::StatusOr<ValidatorOptions> load_validator(const JsonValue& value, const std::string& path) {
    if (!value.is_object()) return error_at(path, "must be an object");
    if (absl::Status s =
            check_keys(value, path,
                       {"name", "type", "issuer", "audience", "algorithms", "jwks_file", "jwks",
                        "typ", "clock_skew_seconds", "max_token_bytes", "require"});
        !s.ok()) {
      return s;
    }
    ValidatorOptions v;
    absl::StatusOr<std::string> type = read_string(value, "type", path, true);
    if (!type.ok()) return type.status();
    if (*type != "jwt") return error_at(member_path(path, "type"), "must be \"jwt\"");
    absl::StatusOr<std::string> name = read_string(value, "name", path, false);
    absl::StatusOr<std::string> issuer = read_string(value, "issuer", path, true);
    if (!name.ok()) return name.status();
    if (!issuer.ok()) return issuer.status();
    v.name = *name;
    v.issuer = *issuer;
    absl::StatusOr<std::vector<std::string>> audience =
        read_string_list(value, "audience", path, true);
    if (!audience.ok()) return audience.status();
    if (audience->empty())
      return error_at(member_path(path, "audience"), "must list at least one audience");
    for (std::size_t a = 0; a < audience->size(); ++a) {
      if ((*audience)[a].empty()) {
        return error_at(index_path(member_path(path, "audience"), a), "must not be empty");
      }
    }
    v.audience = *std::move(audience);
    absl::StatusOr<std::vector<std::string>> algorithms =
        read_string_list(value, "algorithms", path);
    if (!algorithms.ok()) return algorithms.status();
    if (algorithms->empty()) {
      return error_at(member_path(path, "algorithms"), "must list the allowed algorithms");
    }
    for (std::size_t i = 0; i < algorithms->size(); ++i) {
      const std::optional<Algorithm> algorithm = algorithm_from_name((*algorithms)[i]);
      if (!algorithm) {
        return error_at(index_path(member_path(path, "algorithms"), i),
                        "unknown algorithm \"" + (*algorithms)[i] + "\"");
      }
      v.algorithms.push_back(*algorithm);
    }
    if (const JsonValue* typ = value.find("typ")) {
      if (typ->is_null()) {
        v.typ = std::nullopt;
      } else if (typ->is_string() && !typ->as_string().empty()) {
        v.typ = std::string(typ->as_string());
      } else {
        return error_at(member_path(path, "typ"), "must be a media type string or null");
      }
    }
    if (const JsonValue* skew = value.find("clock_skew_seconds")) {
      if (!skew->is_integer() || skew->as_integer() < 0 || skew->as_integer() > 86400) {
        return error_at(member_path(path, "clock_skew_seconds"),
                        "must be an integer from 0 to 86400");
      }
      v.clock_skew_seconds = skew->as_integer();
    }
    if (const JsonValue* max = value.find("max_token_bytes")) {
      if (!max->is_integer() || max->as_integer() < 64 || max->as_integer() > 1048576) {
        return error_at(member_path(path, "max_token_bytes"),
                        "must be an integer from 64 to 1048576");
      }
      v.max_token_bytes = static_cast<std::size_t>(max->as_integer());
    }
    if (value.find("require") != nullptr) {
      absl::StatusOr<std::vector<std::string>> require = read_string_list(value, "require", path);
      if (!require.ok()) return require.status();
      v.required_claims = *std::move(require);
    }
    const JsonValue* jwks = value.find("jwks");
    const JsonValue* jwks_file = value.find("jwks_file");
    if ((jwks == nullptr) == (jwks_file == nullptr)) {
      return error_at(path, "give exactly one of \"jwks\" and \"jwks_file\"");
    }
    absl::StatusOr<KeySet> keys;
    if (jwks != nullptr) {
      if (!jwks->is_object())
        return error_at(member_path(path, "jwks"), "must be a JWK Set object");
      keys = KeySet::from_jwks(attributes_json(*jwks));
      if (!keys.ok())
        return error_at(member_path(path, "jwks"), std::string(keys.status().message()));
    } else {
      if (!jwks_file->is_string() || jwks_file->as_string().empty()) {
        return error_at(member_path(path, "jwks_file"), "must be a file name");
      }
      std::filesystem::path file(std::string(jwks_file->as_string()));
      if (file.is_relative() && !base_directory_.empty())
        file = std::filesystem::path(base_directory_) / file;
      absl::StatusOr<std::string> text =
          read_file(file.string(), member_path(path, "jwks_file"), kMaxJwksFileBytes);
      if (!text.ok()) return text.status();
      keys = KeySet::from_jwks(*text);
      if (!keys.ok()) {
        return error_at(member_path(path, "jwks_file"),
                        file.string() + ": " + std::string(keys.status().message()));
      }
    }
    v.keys = *std::move(keys);
    return v;
  }

  static std::string attributes_json(const JsonValue& value);

  absl::Status load_endpoints(const JsonValue& root, PolicyDocument& document) {
    const JsonValue* endpoints = root.find("endpoints");
    if (endpoints == nullptr) return absl::OkStatus();
    if (!endpoints->is_array()) return error_at("endpoints", "must be a list");
    std::unordered_set<std::string> base_paths;
    for (std::size_t i = 0; i < endpoints->items().size(); ++i) {
      const std::string path = index_path("endpoints", i);
      const JsonValue& item = endpoints->items()[i];
      if (!item.is_object()) return error_at(path, "must be an object");
      if (absl::Status s = check_keys(item, path, {"service", "base_path"}); !s.ok()) return s;
      absl::StatusOr<std::string> service = read_string(item, "service", path, true);
      absl::StatusOr<std::string> base = read_string(item, "base_path", path, true);
      if (!service.ok()) return service.status();
      if (!base.ok()) return base.status();
      if (service->empty()) return error_at(member_path(path, "service"), "must not be empty");
      if (base->empty() || base->front() != '/' || base->find_first_of("?#") != std::string::npos ||
          (base->size() > 1 && base->back() == '/')) {
        return error_at(member_path(path, "base_path"),
                        "must start with '/', and have no trailing '/', '?' or '#'");
      }
      // Requests are matched after normalization: a base path that is not
      // already normalized would never match.
      if (!attributes::is_normalized_path(*base)) {
        return error_at(member_path(path, "base_path"),
                        "must be normalized (as \"" + attributes::normalize_path(*base) +
                            "\"): no empty, \".\" or \"..\" segment, no escaped unreserved "
                            "character");
      }
      if (!base_paths.insert(*base).second) {
        return error_at(member_path(path, "base_path"), "repeats \"" + *base + "\"");
      }
      document.endpoints.push_back({*std::move(service), *std::move(base)});
    }
    return absl::OkStatus();
  }

  absl::StatusOr<condition::CompiledCondition> compile(const std::string& text,
                                                       const std::string& path) {
    condition::CompileOptions options;
    options.acr_levels = acr_levels_;
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
    if (absl::Status s = check_keys(*value, path, {"service", "action", "path", "condition"});
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

  absl::Status load_statements(const JsonValue& node, const std::string& parent,
                               std::vector<Statement>& out) {
    const JsonValue* list = node.find("statements");
    if (list == nullptr) return absl::OkStatus();
    const std::string path = member_path(parent, "statements");
    if (!list->is_array()) return error_at(path, "must be a list");
    for (std::size_t i = 0; i < list->items().size(); ++i) {
      absl::StatusOr<Statement> statement = load_statement(list->items()[i], index_path(path, i));
      if (!statement.ok()) return statement.status();
      out.push_back(*std::move(statement));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Statement> load_statement(const JsonValue& value, const std::string& path) {
    if (!value.is_object()) return error_at(path, "must be an object");
    if (absl::Status s =
            check_keys(value, path, {"code", "name", "applies_to", "obligatory", "payload"});
        !s.ok()) {
      return s;
    }
    Statement statement;
    absl::StatusOr<std::string> code = read_string(value, "code", path, true);
    absl::StatusOr<std::string> name = read_string(value, "name", path, false);
    absl::StatusOr<bool> obligatory = read_bool(value, "obligatory", path);
    if (!code.ok()) return code.status();
    if (!name.ok()) return name.status();
    if (!obligatory.ok()) return obligatory.status();
    if (code->empty()) return error_at(member_path(path, "code"), "must not be empty");
    statement.code = *code;
    statement.name = *name;
    statement.obligatory = *obligatory;
    const bool challenge = statement.code == "auth-challenge";
    const bool denied = statement.code == "denied-reason";
    if (const JsonValue* applies = value.find("applies_to")) {
      const std::string_view text = applies->as_string();
      if (applies->is_string() && text == "permit") {
        statement.applies_to = AppliesTo::kPermit;
      } else if (applies->is_string() && text == "deny") {
        statement.applies_to = AppliesTo::kDeny;
      } else if (applies->is_string() && text == "permit-or-deny") {
        statement.applies_to = AppliesTo::kPermitOrDeny;
      } else {
        return error_at(member_path(path, "applies_to"),
                        "must be \"permit\", \"deny\" or \"permit-or-deny\"");
      }
    } else if (!challenge && !denied) {
      return error_at(path,
                      "missing required key \"applies_to\" (only auth-challenge and "
                      "denied-reason default to \"deny\")");
    }
    if (const JsonValue* payload = value.find("payload")) {
      if (!payload->is_object()) return error_at(member_path(path, "payload"), "must be an object");
      statement.payload = *payload;
    } else {
      statement.payload = JsonValue::object({});
    }
    if (challenge) {
      if (absl::Status s = check_challenge_payload(statement.payload, member_path(path, "payload"));
          !s.ok()) {
        return s;
      }
    }
    if (denied) {
      if (absl::Status s = check_denied_payload(statement.payload, member_path(path, "payload"));
          !s.ok()) {
        return s;
      }
    }
    return statement;
  }

  absl::Status check_challenge_payload(const JsonValue& payload, const std::string& path) {
    if (absl::Status s =
            check_keys(payload, path, {"min_acr", "acr_values", "max_age", "error_description"});
        !s.ok()) {
      return s;
    }
    const JsonValue* min_acr = payload.find("min_acr");
    const JsonValue* acr_values = payload.find("acr_values");
    const JsonValue* max_age = payload.find("max_age");
    if (min_acr == nullptr && acr_values == nullptr && max_age == nullptr) {
      return error_at(path, "an auth-challenge needs min_acr, acr_values or max_age");
    }
    if (min_acr != nullptr && acr_values != nullptr) {
      return error_at(path, "give min_acr or acr_values, not both");
    }
    if (min_acr != nullptr) {
      if (!min_acr->is_string()) return error_at(member_path(path, "min_acr"), "must be a string");
      if (acr_levels_->empty()) {
        return error_at(member_path(path, "min_acr"), "needs the document's acr_levels");
      }
      if (std::find(acr_levels_->begin(), acr_levels_->end(), min_acr->as_string()) ==
          acr_levels_->end()) {
        return error_at(member_path(path, "min_acr"),
                        "\"" + std::string(min_acr->as_string()) + "\" is not one of acr_levels");
      }
    }
    if (acr_values != nullptr) {
      if (!acr_values->is_array() || acr_values->items().empty()) {
        return error_at(member_path(path, "acr_values"), "must be a non-empty list of strings");
      }
      for (std::size_t i = 0; i < acr_values->items().size(); ++i) {
        const JsonValue& item = acr_values->items()[i];
        if (!item.is_string() || !is_space_free_header_safe(item.as_string())) {
          return error_at(index_path(member_path(path, "acr_values"), i),
                          "must be printable ASCII without spaces, '\"' or '\\'");
        }
      }
    }
    if (max_age != nullptr && (!max_age->is_integer() || max_age->as_integer() < 0)) {
      return error_at(member_path(path, "max_age"), "must be a non-negative integer");
    }
    return check_description(payload, "error_description", path);
  }

  absl::Status check_denied_payload(const JsonValue& payload, const std::string& path) {
    if (absl::Status s =
            check_keys(payload, path, {"status", "message", "detail", "error", "scope"});
        !s.ok()) {
      return s;
    }
    if (const JsonValue* status = payload.find("status")) {
      if (!status->is_integer() || status->as_integer() < 400 || status->as_integer() > 599) {
        return error_at(member_path(path, "status"), "must be an HTTP status from 400 to 599");
      }
    }
    if (const JsonValue* detail = payload.find("detail");
        detail != nullptr && (!detail->is_string() || common::has_ctl(detail->as_string()))) {
      return error_at(member_path(path, "detail"), "must be a string without control characters");
    }
    if (absl::Status s = check_description(payload, "message", path); !s.ok()) return s;
    if (const JsonValue* error = payload.find("error")) {
      if (!error->is_string() || !is_space_free_header_safe(error->as_string())) {
        return error_at(member_path(path, "error"),
                        "must be an error code (printable ASCII, no spaces)");
      }
    }
    if (const JsonValue* scope = payload.find("scope")) {
      if (!scope->is_string() || scope->as_string().empty() ||
          !is_header_safe(scope->as_string())) {
        return error_at(member_path(path, "scope"), "must be space-separated scope tokens");
      }
      if (payload.find("error") == nullptr) {
        return error_at(member_path(path, "scope"), "needs \"error\" (such as insufficient_scope)");
      }
    }
    return absl::OkStatus();
  }

  absl::Status check_description(const JsonValue& payload, std::string_view key,
                                 const std::string& path) {
    if (const JsonValue* text = payload.find(key)) {
      if (!text->is_string() || !is_header_safe(text->as_string())) {
        return error_at(member_path(path, key),
                        "must be printable ASCII without '\"' or '\\' (it goes into a header)");
      }
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
    if (absl::Status s = check_keys(value, path,
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
    if (absl::Status s = load_statements(value, path, node.statements); !s.ok()) return s;
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
    if (absl::Status s = check_keys(
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
    return load_statements(value, path, rule.statements);
  }

  static absl::StatusOr<Combining> parse_combining(const JsonValue& value,
                                                   const std::string& path) {
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

  std::string base_directory_;
  const std::vector<std::string>* acr_levels_ = nullptr;
};

std::string Loader::attributes_json(const JsonValue& value) {
  return json_internal::to_json_text(value);
}

}  // namespace

bool is_header_safe(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
}

absl::StatusOr<std::shared_ptr<const PolicyDocument>> load_policy(
    std::string_view json, const std::string& base_directory) {
  return Loader(base_directory).load(json);
}

absl::StatusOr<std::shared_ptr<const PolicyDocument>> load_policy_file(const std::string& path) {
  absl::StatusOr<std::string> text = read_file(path, "policy", kMaxPolicyFileBytes);
  if (!text.ok()) return text.status();
  const std::string base = std::filesystem::path(path).parent_path().string();
  absl::StatusOr<std::shared_ptr<const PolicyDocument>> document = load_policy(*text, base);
  if (!document.ok())
    return absl::InvalidArgumentError(path + ": " + std::string(document.status().message()));
  return document;
}

}  // namespace stepup::policy
