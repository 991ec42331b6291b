// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "commands.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "common/json_input.h"
#include "replay.h"
#include "request_file.h"
#include "stepup/engine.h"

namespace stepup::cli {
namespace {

constexpr int kMaxInputDepth = 64;

constexpr const char* kUsage =
    "usage: stepup decide --policy P.json --request R.json [--now EPOCH] [--explain]\n"
    "       stepup check --policy P.json [--offline]\n"
    "       stepup test --policy P.json [--shadow-policy C.json]\n"
    "                   [--decision-log LOG.jsonl [--log-claims NAME,...]] CASES.json\n"
    "       stepup replay --policy CANDIDATE.json LOG.jsonl\n"
    "       stepup demo\n";

// A parsed command line: flags by name, and the positional arguments.
struct Arguments {
  std::map<std::string, std::string> flags;
  std::vector<std::string> positional;
};

// Reads args[1..]: a `valued` flag takes the next argument, a `switches`
// flag none; any other argument starting with -- is an error.
std::optional<Arguments> parse_flags(const std::vector<std::string>& args,
                                     const std::vector<std::string>& valued,
                                     const std::vector<std::string>& switches, std::ostream& err) {
  Arguments parsed;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) {
      parsed.positional.push_back(arg);
    } else if (std::find(switches.begin(), switches.end(), arg) != switches.end()) {
      parsed.flags[arg] = "";
    } else if (std::find(valued.begin(), valued.end(), arg) != valued.end()) {
      if (i + 1 >= args.size()) {
        err << "stepup: " << arg << " needs a value\n" << kUsage;
        return std::nullopt;
      }
      parsed.flags[arg] = args[++i];
    } else {
      err << "stepup: unknown option " << arg << "\n" << kUsage;
      return std::nullopt;
    }
  }
  return parsed;
}

std::optional<std::string> read_text(const std::string& path, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "stepup: cannot read " << path << "\n";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<JsonValue> read_json(const std::string& path, std::ostream& err) {
  const std::optional<std::string> text = read_text(path, err);
  if (!text) return std::nullopt;
  JsonParseError error;
  std::optional<JsonValue> value = JsonValue::parse_object(*text, kMaxInputDepth, &error);
  if (!value) {
    err << "stepup: " << path << ": not a valid JSON object (" << error.message(kMaxInputDepth)
        << (error.where.empty() ? "" : " at " + error.where) << ")\n";
  }
  return value;
}

std::optional<int64_t> parse_epoch(const std::string& text, std::ostream& err) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    err << "stepup: --now must be epoch seconds, not \"" << text << "\"\n";
    return std::nullopt;
  }
  return value;
}

// The command's engine: remote key sets fetched once at load (none with
// `offline`), and again only when the command asks (no refresh thread).
// `extra`'s policy and key refresh are set here.
std::optional<Engine> load_engine(const std::string& policy, std::ostream& err,
                                  bool offline = false, EngineOptions extra = {}) {
  extra.policy = PolicyFile{policy};
  extra.key_refresh = {.mode = KeyRefreshMode::kHostDriven, .start_without_keys = offline};
  absl::StatusOr<Engine> engine = Engine::create(std::move(extra));
  if (!engine.ok()) {
    err << "stepup: " << engine.status().message() << "\n";
    return std::nullopt;
  }
  return *std::move(engine);
}

}  // namespace

int run_decide(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto parsed = parse_flags(args, {"--policy", "--request", "--now"}, {"--explain"}, err);
  if (!parsed) return kExitBadInput;
  if (!parsed->flags.count("--policy") || !parsed->flags.count("--request") ||
      !parsed->positional.empty()) {
    err << "stepup decide: --policy and --request are required\n" << kUsage;
    return kExitBadInput;
  }
  DecideOptions options;
  options.explain = parsed->flags.count("--explain") > 0;
  if (auto now = parsed->flags.find("--now"); now != parsed->flags.end()) {
    options.now = parse_epoch(now->second, err);
    if (!options.now) return kExitBadInput;
  }
  std::optional<Engine> engine = load_engine(parsed->flags.at("--policy"), err);
  if (!engine) return kExitBadInput;
  const std::string& request_path = parsed->flags.at("--request");
  const std::optional<JsonValue> request_json = read_json(request_path, err);
  if (!request_json) return kExitBadInput;
  absl::StatusOr<std::unique_ptr<OwnedRequest>> request =
      OwnedRequest::from_json(*request_json, request_path);
  if (!request.ok()) {
    err << "stepup: " << request.status().message() << "\n";
    return kExitBadInput;
  }
  Decision decision = engine->decide((*request)->view(), options);
  if (decision.token_error == TokenError::kKeysUnavailable) {
    // The token's kid asked for a fetch: run it here, then decide again.
    while (const std::optional<KeyFetchJob> job = engine->take_key_fetch()) {
      const absl::Status fetched = engine->finish_key_fetch(*job, run_key_fetch(*job));
      if (!fetched.ok()) err << "stepup: " << job->validator << ": " << fetched.message() << "\n";
    }
    decision = engine->decide((*request)->view(), options);
  }
  out << decision.to_json() << "\n";
  return kExitOk;
}

std::string_view key_type_name(KeyType type) {
  switch (type) {
    case KeyType::kRsa:
      return "RSA";
    case KeyType::kEcP256:
      return "EC P-256";
    case KeyType::kEcP384:
      return "EC P-384";
    case KeyType::kEcP521:
      return "EC P-521";
    case KeyType::kEd25519:
      return "Ed25519";
    case KeyType::kOctet:
      return "oct";
  }
  return "?";
}

// One validator and its keys, as `stepup check` lists them (docs/spec.md §6);
// `remote` is the state of its fetched set, if it has one.
void print_validator(const ValidatorOptions& validator, const KeySourceStatus* remote, int64_t now,
                     std::ostream& out) {
  const std::vector<KeyInfo> keys = validator.keys.describe();
  out << "validator \"" << validator.name << "\" (issuer " << validator.issuer << "): ";
  if (remote != nullptr && !remote->has_keys) {
    out << "not fetched (--offline) from " << validator.key_source << "\n";
    return;
  }
  out << keys.size() << (keys.size() == 1 ? " key" : " keys") << " from " << validator.key_source
      << "\n";
  if (remote != nullptr) {
    out << "  fetched from " << remote->jwks_uri << " (age " << remote->age_seconds.value_or(0)
        << " s), next fetch in " << remote->next_fetch_at - now << " s\n";
  }
  for (const KeyInfo& key : keys) {
    out << "  key " << (key.kid.empty() ? "(no kid)" : "\"" + key.kid + "\"") << ": "
        << key_type_name(key.type) << ",";
    for (const Algorithm algorithm : key.allowed)
      out << " " << algorithm_name(algorithm);
    out << "\n";
  }
  for (const SkippedKey& skipped : validator.keys.skipped()) {
    out << "  skipped keys[" << skipped.index << "]"
        << (skipped.kid.empty() ? "" : " \"" + skipped.kid + "\"") << ": " << skipped.reason
        << "\n";
  }
}

int run_check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto parsed = parse_flags(args, {"--policy"}, {"--offline"}, err);
  if (!parsed) return kExitBadInput;
  if (!parsed->flags.count("--policy") || !parsed->positional.empty()) {
    err << "stepup check: --policy is required\n" << kUsage;
    return kExitBadInput;
  }
  const std::optional<Engine> engine =
      load_engine(parsed->flags.at("--policy"), err, parsed->flags.count("--offline") > 0);
  if (!engine) return kExitBadInput;
  out << parsed->flags.at("--policy") << ": ok\n";
  const std::vector<KeySourceStatus> remote = engine->key_sources();
  const int64_t now = system_clock().now_seconds();
  if (const std::optional<TokenVerifier> verifier = engine->token_verifier()) {
    for (const ValidatorOptions& validator : verifier->validators()) {
      const auto source = std::find_if(remote.begin(), remote.end(), [&](const auto& s) {
        return s.validator == validator.name;
      });
      print_validator(validator, source == remote.end() ? nullptr : &*source, now, out);
    }
  }
  return kExitOk;
}

int run_test(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto parsed =
      parse_flags(args, {"--policy", "--shadow-policy", "--decision-log", "--log-claims"}, {}, err);
  if (!parsed) return kExitBadInput;
  if (!parsed->flags.count("--policy") || parsed->positional.size() != 1) {
    err << "stepup test: --policy and one CASES.json are required\n" << kUsage;
    return kExitBadInput;
  }
  EngineOptions observed;
  if (parsed->flags.count("--shadow-policy"))
    observed.shadow_policy = PolicyFile{parsed->flags.at("--shadow-policy")};
  if (parsed->flags.count("--decision-log")) {
    observed.decision_log = DecisionLogOptions{.file = parsed->flags.at("--decision-log")};
    if (parsed->flags.count("--log-claims")) {
      std::stringstream names(parsed->flags.at("--log-claims"));
      for (std::string name; std::getline(names, name, ',');)
        observed.decision_log->claims.push_back(name);
    }
  } else if (parsed->flags.count("--log-claims")) {
    err << "stepup test: --log-claims goes with --decision-log\n" << kUsage;
    return kExitBadInput;
  }
  std::optional<Engine> engine =
      load_engine(parsed->flags.at("--policy"), err, /*offline=*/false, std::move(observed));
  if (!engine) return kExitBadInput;
  const std::string& cases_path = parsed->positional[0];
  const std::optional<JsonValue> table = read_json(cases_path, err);
  if (!table) return kExitBadInput;
  using Kind = JsonValue::Kind;
  // Reports the first error of `fields`, if any: true when there was one.
  auto failed_input = [&err](const tools::FieldReader& fields) {
    if (!fields.error()) return false;
    err << "stepup: " << fields.error()->where << ": " << fields.error()->message << "\n";
    return true;
  };
  tools::FieldReader table_fields;
  table_fields.only(*table, cases_path, {"now", "cases"});
  const JsonValue* cases = table_fields.required(*table, cases_path, "cases", Kind::kArray);
  const JsonValue* now = table_fields.optional(*table, cases_path, "now", Kind::kInteger);
  if (failed_input(table_fields)) return kExitBadInput;
  if (cases->items().empty()) {
    err << "stepup: " << cases_path << ": \"cases\" must be a non-empty list\n";
    return kExitBadInput;
  }
  std::optional<int64_t> table_now;
  if (now != nullptr) table_now = now->as_integer();
  int passed = 0, failed = 0;
  for (std::size_t i = 0; i < cases->items().size(); ++i) {
    const JsonValue& test_case = cases->items()[i];
    const std::string where = cases_path + ": cases[" + std::to_string(i) + "]";
    if (!test_case.is_object()) {
      err << "stepup: " << where << ": must be an object\n";
      return kExitBadInput;
    }
    tools::FieldReader fields;
    fields.only(test_case, where,
                {"name", "request", "now", "decision", "status", "www_authenticate"});
    fields.optional(test_case, where, "name", Kind::kString);
    const JsonValue* expected_header =
        fields.optional(test_case, where, "www_authenticate", Kind::kString);
    const JsonValue* case_now = fields.optional(test_case, where, "now", Kind::kInteger);
    const JsonValue* request_json = fields.required(test_case, where, "request", Kind::kObject);
    const JsonValue* decision = fields.required(test_case, where, "decision", Kind::kString);
    const JsonValue* status = fields.required(test_case, where, "status", Kind::kInteger);
    if (failed_input(fields)) return kExitBadInput;
    absl::StatusOr<std::unique_ptr<OwnedRequest>> request =
        OwnedRequest::from_json(*request_json, where + ".request");
    if (!request.ok()) {
      err << "stepup: " << request.status().message() << "\n";
      return kExitBadInput;
    }
    DecideOptions options;
    options.now = table_now;
    if (case_now != nullptr) options.now = case_now->as_integer();
    const Decision actual = engine->decide((*request)->view(), options);
    const JsonValue* name_value = test_case.find("name");
    const std::string name = name_value != nullptr && name_value->is_string()
                                 ? std::string(name_value->as_string())
                                 : "cases[" + std::to_string(i) + "]";
    std::vector<std::string> problems;
    if (policy_result_name(actual.result) != decision->as_string()) {
      problems.push_back("decision: expected " + std::string(decision->as_string()) + ", got " +
                         std::string(policy_result_name(actual.result)));
    }
    if (actual.status != status->as_integer()) {
      problems.push_back("status: expected " + std::to_string(status->as_integer()) + ", got " +
                         std::to_string(actual.status));
    }
    if (expected_header != nullptr && expected_header->as_string() != actual.www_authenticate) {
      problems.push_back("www_authenticate: expected '" +
                         std::string(expected_header->as_string()) + "', got '" +
                         actual.www_authenticate + "'");
    }
    if (problems.empty()) {
      ++passed;
      out << "ok    " << name << "\n";
    } else {
      ++failed;
      out << "FAIL  " << name << " (" << actual.reason << ")\n";
      for (const std::string& problem : problems)
        out << "      " << problem << "\n";
    }
  }
  out << passed << " passed, " << failed << " failed\n";
  if (parsed->flags.count("--shadow-policy")) {
    const MetricsSnapshot metrics = engine->metrics();
    uint64_t total = 0;
    std::string pairs;
    for (const MetricsSnapshot::ShadowDisagreementCount& d : metrics.shadow_disagreements) {
      total += d.count;
      pairs += std::string(pairs.empty() ? " (" : ", ") + std::string(policy_result_name(d.live)) +
               " -> " + std::string(policy_result_name(d.shadow)) + ": " + std::to_string(d.count);
    }
    out << "shadow: " << total << " answered otherwise" << (pairs.empty() ? "" : pairs + ")")
        << "\n";
  }
  // Closes the decision log: every record is in the file when this returns.
  engine.reset();
  return failed == 0 ? kExitOk : kExitTestFailures;
}

int run_replay(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto parsed = parse_flags(args, {"--policy"}, {}, err);
  if (!parsed) return kExitBadInput;
  if (!parsed->flags.count("--policy") || parsed->positional.size() != 1) {
    err << "stepup replay: --policy and one LOG.jsonl are required\n" << kUsage;
    return kExitBadInput;
  }
  // Offline: replay decides on logged claims, so no key is fetched.
  const std::optional<Engine> candidate =
      load_engine(parsed->flags.at("--policy"), err, /*offline=*/true);
  if (!candidate) return kExitBadInput;
  const std::string& log_path = parsed->positional[0];
  std::ifstream log(log_path, std::ios::binary);
  if (!log) {
    err << "stepup: cannot read " << log_path << "\n";
    return kExitBadInput;
  }
  const absl::StatusOr<ReplaySummary> summary = replay_log(*candidate, log, log_path);
  if (!summary.ok()) {
    err << "stepup: " << summary.status().message() << "\n";
    return kExitBadInput;
  }
  print_replay_summary(*summary, out);
  return kExitOk;
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << kUsage;
    return kExitBadInput;
  }
  const std::string& command = args[0];
  if (command == "decide") return run_decide(args, out, err);
  if (command == "check") return run_check(args, out, err);
  if (command == "test") return run_test(args, out, err);
  if (command == "demo") return run_demo(args, out, err);
  if (command == "replay") return run_replay(args, out, err);
  if (command == "--help" || command == "help" || command == "-h") {
    out << kUsage;
    return kExitOk;
  }
  err << "stepup: unknown command \"" << command << "\"\n" << kUsage;
  return kExitBadInput;
}

}  // namespace stepup::cli
