#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gt/request_key.h"
#include "milestone_repository.h"

namespace gt::milestone {

// Updates whose COMMIT this process cannot tell the outcome of: answered
// UNAVAILABLE or DEADLINE_EXCEEDED once their transaction had been decided
// (the connection dropped, or the answer to COMMIT never came). The caller
// retries with the same request_id. A retry that finds the first attempt's
// stored answer proves the commit happened: the update is told to the
// commit listener then, once (so the updates counter equals history). A
// retry that writes it afresh proves it had not: it is simply forgotten.
// Bounded: past `capacity` the oldest are forgotten first (a caller that
// never retries leaves its update counted by history alone).
//
// What it cannot do: publish such an update to this process's watchers,
// whose sequence was never read (issue 21's database-fed watch does).
class InDoubtUpdates {
 public:
  struct Entry {
    PlanRef plan;
    std::vector<UpdateRow> updates;  // one, or a batch's
  };

  explicit InDoubtUpdates(size_t capacity = 10000) : capacity_(capacity) {}

  void Add(const RequestKey& key, const PlanRef& plan, std::vector<UpdateRow> updates);
  // The entry for the request id, removed; nullopt when it was not in doubt.
  std::optional<Entry> Take(const RequestKey& key);

 private:
  using Key = std::pair<std::string, std::string>;  // organisation, request_id

  struct Held {
    Entry entry;
    uint64_t added;  // which Add put it there, for order_
  };

  const size_t capacity_;
  std::mutex mu_;
  std::map<Key, Held> entries_;
  // Oldest first. An element whose entry was taken, or added again since,
  // no longer matches it and evicts nothing.
  std::deque<std::pair<Key, uint64_t>> order_;
  uint64_t adds_ = 0;
};

}  // namespace gt::milestone
