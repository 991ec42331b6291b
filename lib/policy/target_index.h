// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#ifndef STEPUP_LIB_POLICY_TARGET_INDEX_H_
#define STEPUP_LIB_POLICY_TARGET_INDEX_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/string_hash.h"
#include "policy/glob.h"

namespace stepup::policy {

struct Target;

// What a request offers to the index: its service (if any), its action and
// the first segment of its resource path.
struct IndexKeys {
  bool has_service = false;
  std::string_view service;
  std::string_view action;
  std::string_view first_segment;
};

// Narrows the children (or rules) of one node to those whose target can
// match a request, so that evaluation cost grows with the items that may
// apply, not with all of them. An item is listed under each service, action
// and literal first path segment its target names, or as "any" for a
// dimension its target leaves open. The candidates are a superset of the
// matching items, in document order; the evaluator still checks each
// candidate's whole target, so the index never changes a result.
class TargetIndex {
 public:
  // Item `index` (added in increasing order) has `target`. Disabled items
  // are simply not added: they never apply.
  void add(uint32_t index, const Target& target);

  // Appends the candidates for `keys` to `out`, in increasing order.
  void candidates(const IndexKeys& keys, std::vector<uint32_t>& out) const;

  // The first segment of a resource path ("transfers" of "transfers/7").
  static std::string_view first_segment(std::string_view resource_path);

 private:
  // One dimension: items by the value they name, and items open to any.
  struct Dimension {
    std::unordered_map<std::string, std::vector<uint32_t>, common::StringHash, std::equal_to<>>
        by_value;
    std::vector<uint32_t> any;
    void add_value(std::string_view value, uint32_t index);
    void add_any(uint32_t index);
    const std::vector<uint32_t>* exact(std::string_view value) const;
  };

  Dimension services_;
  Dimension actions_;
  Dimension segments_;
};

}  // namespace stepup::policy

#endif  // STEPUP_LIB_POLICY_TARGET_INDEX_H_
