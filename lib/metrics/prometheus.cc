// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// render_prometheus: the text exposition format 0.0.4 (HELP and TYPE lines,
// label values escaped, histogram buckets cumulative with `le`).
#include <charconv>
#include <string>
#include <string_view>

#include "stepup/metrics.h"

namespace stepup {
namespace {

void append_label_value(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_number(std::string& out, double value) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, error == std::errc() ? end : buffer);
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// One sample: name{labels} value, labels as alternating names and values.
void sample(std::string& out, std::string_view name, std::initializer_list<std::string_view> labels,
            std::string_view value) {
  out.append(name);
  if (labels.size() > 0) {
    out += '{';
    bool first = true;
    for (auto label = labels.begin(); label != labels.end(); label += 2) {
      if (!first) out += ',';
      first = false;
      out.append(*label).append("=\"");
      append_label_value(out, *(label + 1));
      out += '"';
    }
    out += '}';
  }
  out.append(" ").append(value).append("\n");
}

}  // namespace

std::string render_prometheus(const MetricsSnapshot& metrics) {
  std::string out;
  header(out, "stepup_decisions_total", "counter",
         "Decisions by result, HTTP status (0: another) and error code.");
  for (const MetricsSnapshot::DecisionCount& d : metrics.decisions) {
    sample(out, "stepup_decisions_total",
           {"result", policy_result_name(d.result), "status", std::to_string(d.status), "error",
            d.error},
           std::to_string(d.count));
  }
  header(out, "stepup_token_refusals_total", "counter",
         "Decisions whose token was refused or not judged, by TokenError.");
  for (const MetricsSnapshot::TokenErrorCount& e : metrics.token_errors) {
    sample(out, "stepup_token_refusals_total", {"error", token_error_name(e.error)},
           std::to_string(e.count));
  }
  header(out, "stepup_step_up_challenges_total", "counter",
         "RFC 9470 step-up challenges by determining rule.");
  for (const MetricsSnapshot::ChallengeCount& c : metrics.challenges) {
    sample(out, "stepup_step_up_challenges_total", {"rule", c.rule}, std::to_string(c.count));
  }
  header(out, "stepup_token_cache_hits_total", "counter", "Tokens found in the token cache.");
  sample(out, "stepup_token_cache_hits_total", {}, std::to_string(metrics.token_cache_hits));
  header(out, "stepup_token_cache_misses_total", "counter",
         "Tokens verified because the cache did not hold them.");
  sample(out, "stepup_token_cache_misses_total", {}, std::to_string(metrics.token_cache_misses));
  header(out, "stepup_key_fetches_total", "counter",
         "Key set fetches from identity providers by validator and outcome.");
  for (const MetricsSnapshot::KeyFetchCount& f : metrics.key_fetches) {
    sample(out, "stepup_key_fetches_total", {"validator", f.validator, "outcome", f.outcome},
           std::to_string(f.count));
  }
  header(out, "stepup_key_set_age_seconds", "gauge",
         "Seconds since each remote key set was fetched successfully (-1: never).");
  for (const MetricsSnapshot::KeySetAge& k : metrics.key_sets) {
    sample(out, "stepup_key_set_age_seconds", {"validator", k.validator},
           std::to_string(k.age_seconds));
  }
  header(out, "stepup_reloads_total", "counter", "Policy reloads by outcome.");
  sample(out, "stepup_reloads_total", {"outcome", "succeeded"},
         std::to_string(metrics.reloads_succeeded));
  sample(out, "stepup_reloads_total", {"outcome", "failed"},
         std::to_string(metrics.reloads_failed));
  header(out, "stepup_generation", "gauge",
         "1 after load, +1 per successful reload and per refreshed key set.");
  sample(out, "stepup_generation", {}, std::to_string(metrics.generation));
  header(out, "stepup_decision_duration_seconds", "histogram",
         "Time to decide, sampled: one decision in 32 per thread.");
  uint64_t cumulative = 0;
  for (std::size_t i = 0; i < metrics.latency_bucket_counts.size(); ++i) {
    cumulative += metrics.latency_bucket_counts[i];
    std::string bound = "+Inf";
    if (i < metrics.latency_upper_bounds_seconds.size()) {
      bound.clear();
      append_number(bound, metrics.latency_upper_bounds_seconds[i]);
    }
    sample(out, "stepup_decision_duration_seconds_bucket", {"le", bound},
           std::to_string(cumulative));
  }
  std::string sum;
  append_number(sum, metrics.latency_sum_seconds);
  sample(out, "stepup_decision_duration_seconds_sum", {}, sum);
  sample(out, "stepup_decision_duration_seconds_count", {}, std::to_string(metrics.latency_count));
  if (metrics.decision_log_enabled) {
    header(out, "stepup_decision_log_records_total", "counter",
           "Decision records by outcome: written, dropped (queue full), lost (destination "
           "failed), filtered (drop rules).");
    const std::pair<std::string_view, uint64_t> outcomes[] = {
        {"written", metrics.decision_log_written},
        {"dropped", metrics.decision_log_dropped},
        {"lost", metrics.decision_log_lost},
        {"filtered", metrics.decision_log_filtered}};
    for (const auto& [outcome, count] : outcomes) {
      sample(out, "stepup_decision_log_records_total", {"outcome", outcome}, std::to_string(count));
    }
  }
  header(out, "stepup_shadow_disagreements_total", "counter",
         "Decisions the shadow policy answered otherwise, by live and shadow result.");
  for (const MetricsSnapshot::ShadowDisagreementCount& d : metrics.shadow_disagreements) {
    sample(out, "stepup_shadow_disagreements_total",
           {"live", policy_result_name(d.live), "shadow", policy_result_name(d.shadow)},
           std::to_string(d.count));
  }
  return out;
}

}  // namespace stepup
