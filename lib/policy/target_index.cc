// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "policy/target_index.h"

#include <algorithm>

#include "policy/policy.h"

namespace stepup::policy {
namespace {

// Items are added in increasing order, so each list stays sorted; an item
// naming one value twice is listed once.
void append_once(std::vector<uint32_t>& list, uint32_t index) {
  if (list.empty() || list.back() != index) list.push_back(index);
}

// The literal first segment of a glob, or empty when it has a wildcard (then
// the glob may match any first segment).
std::string_view literal_first_segment(std::string_view pattern) {
  const std::string_view first = TargetIndex::first_segment(pattern);
  return first.find('*') == std::string_view::npos ? first : std::string_view();
}

// The sorted union of two sorted lists, appended to `out`.
void merge_into(const std::vector<uint32_t>* a, const std::vector<uint32_t>& b,
                std::vector<uint32_t>& out) {
  if (a == nullptr) {
    out.insert(out.end(), b.begin(), b.end());
    return;
  }
  std::merge(a->begin(), a->end(), b.begin(), b.end(), std::back_inserter(out));
}

}  // namespace

void TargetIndex::Dimension::add_value(std::string_view value, uint32_t index) {
  append_once(by_value[std::string(value)], index);
}

void TargetIndex::Dimension::add_any(uint32_t index) {
  append_once(any, index);
}

const std::vector<uint32_t>* TargetIndex::Dimension::exact(std::string_view value) const {
  const auto found = by_value.find(value);
  return found == by_value.end() ? nullptr : &found->second;
}

std::string_view TargetIndex::first_segment(std::string_view resource_path) {
  return resource_path.substr(0, resource_path.find('/'));
}

void TargetIndex::add(uint32_t index, const Target& target) {
  if (target.services.empty()) services_.add_any(index);
  for (const std::string& service : target.services)
    services_.add_value(service, index);

  if (target.actions.empty()) actions_.add_any(index);
  for (const std::string& action : target.actions)
    actions_.add_value(action, index);

  const bool any_segment =
      target.paths.empty() ||
      std::any_of(target.paths.begin(), target.paths.end(),
                  [](const Glob& glob) { return literal_first_segment(glob.pattern()).empty(); });
  if (any_segment) {
    segments_.add_any(index);
  } else {
    for (const Glob& glob : target.paths) {
      segments_.add_value(literal_first_segment(glob.pattern()), index);
    }
  }
}

void TargetIndex::candidates(const IndexKeys& keys, std::vector<uint32_t>& out) const {
  // A request without a service matches only targets that name none.
  const std::vector<uint32_t>* service = keys.has_service ? services_.exact(keys.service) : nullptr;
  const std::vector<uint32_t>* action = actions_.exact(keys.action);
  const std::vector<uint32_t>* segment = segments_.exact(keys.first_segment);
  auto size = [](const std::vector<uint32_t>* exact, const Dimension& dimension) {
    return (exact != nullptr ? exact->size() : 0) + dimension.any.size();
  };
  // Every candidate must pass all three dimensions; walking the narrowest
  // one is enough, since the evaluator checks the rest of each target.
  const std::size_t service_size = size(service, services_);
  const std::size_t action_size = size(action, actions_);
  const std::size_t segment_size = size(segment, segments_);
  if (service_size <= action_size && service_size <= segment_size) {
    merge_into(service, services_.any, out);
  } else if (action_size <= segment_size) {
    merge_into(action, actions_.any, out);
  } else {
    merge_into(segment, segments_.any, out);
  }
}

}  // namespace stepup::policy
