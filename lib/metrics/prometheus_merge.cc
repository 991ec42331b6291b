// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
//
// merge_prometheus: sums render_prometheus() texts of several engines (such
// as one per nginx worker) into one exposition.
#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stepup/metrics.h"

namespace stepup {
namespace {

struct Family {
  std::string help_line;
  std::string type_line;
  bool take_max = false;  // Gauges: the largest value; counters and histograms: the sum.
  std::vector<std::string> sample_order;
  std::map<std::string, double, std::less<>> values;
};

std::string_view word(std::string_view text, std::size_t index) {
  for (std::size_t i = 0; i < index; ++i) {
    const std::size_t space = text.find(' ');
    if (space == std::string_view::npos) return {};
    text.remove_prefix(space + 1);
  }
  return text.substr(0, text.find(' '));
}

// The family a sample belongs to: its name without a histogram suffix.
std::string_view family_of(std::string_view sample_name,
                           const std::map<std::string, Family, std::less<>>& families) {
  if (families.count(sample_name) > 0) return sample_name;
  for (const std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (sample_name.size() > suffix.size() && sample_name.ends_with(suffix)) {
      const std::string_view base = sample_name.substr(0, sample_name.size() - suffix.size());
      if (families.count(base) > 0) return base;
    }
  }
  return sample_name;
}

void append_value(std::string& out, double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    out += std::to_string(static_cast<int64_t>(value));
    return;
  }
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, error == std::errc() ? end : buffer);
}

}  // namespace

std::string merge_prometheus(const std::vector<std::string_view>& texts) {
  std::vector<std::string> order;
  std::map<std::string, Family, std::less<>> families;
  const auto family_named = [&](std::string_view name) -> Family& {
    auto found = families.find(name);
    if (found == families.end()) {
      order.emplace_back(name);
      found = families.emplace(std::string(name), Family{}).first;
    }
    return found->second;
  };
  for (std::string_view text : texts) {
    while (!text.empty()) {
      const std::size_t end = text.find('\n');
      const std::string_view line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      if (line.empty()) continue;
      if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
        Family& family = family_named(word(line, 2));
        std::string& kept = line[2] == 'H' ? family.help_line : family.type_line;
        if (kept.empty()) kept = std::string(line);
        if (line[2] == 'T') family.take_max = word(line, 3) == "gauge";
        continue;
      }
      if (line.starts_with('#')) continue;
      // name{labels} value: the value is the last word (label values may hold spaces).
      const std::size_t space = line.rfind(' ');
      if (space == std::string_view::npos) continue;
      const std::string_view key = line.substr(0, space);
      const std::string_view number = line.substr(space + 1);
      double value = 0;
      if (number == "+Inf") {
        value = INFINITY;
      } else if (number == "-Inf") {
        value = -INFINITY;
      } else if (std::from_chars(number.data(), number.data() + number.size(), value).ec !=
                 std::errc()) {
        continue;  // Not a sample this function wrote.
      }
      const std::string_view name = key.substr(0, key.find('{'));
      Family& family = family_named(family_of(name, families));
      const auto found = family.values.find(key);
      if (found == family.values.end()) {
        family.sample_order.emplace_back(key);
        family.values.emplace(std::string(key), value);
      } else {
        found->second = family.take_max ? std::max(found->second, value) : found->second + value;
      }
    }
  }
  std::string out;
  for (const std::string& name : order) {
    const Family& family = families.at(name);
    if (!family.help_line.empty()) out.append(family.help_line).append("\n");
    if (!family.type_line.empty()) out.append(family.type_line).append("\n");
    for (const std::string& key : family.sample_order) {
      out.append(key).append(" ");
      append_value(out, family.values.at(key));
      out.append("\n");
    }
  }
  return out;
}

}  // namespace stepup
