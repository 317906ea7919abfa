#include "in_doubt_updates.h"

namespace gt::milestone {

void InDoubtUpdates::Add(const RequestKey& key, const PlanRef& plan,
                         std::vector<UpdateRow> updates) {
  std::lock_guard<std::mutex> lock(mu_);
  Key k{key.organisation, key.request_id};
  for (UpdateRow& update : updates) {
    update.update_id = 0;  // its sequence was never read: nothing to publish
  }
  const uint64_t added = ++adds_;
  entries_.insert_or_assign(k, Held{Entry{plan, std::move(updates)}, added});
  order_.emplace_back(std::move(k), added);
  while (order_.size() > capacity_) {
    auto it = entries_.find(order_.front().first);
    if (it != entries_.end() && it->second.added == order_.front().second) {
      entries_.erase(it);
    }
    order_.pop_front();
  }
}

std::optional<InDoubtUpdates::Entry> InDoubtUpdates::Take(const RequestKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(Key{key.organisation, key.request_id});
  if (it == entries_.end()) {
    return std::nullopt;
  }
  Entry entry = std::move(it->second.entry);
  entries_.erase(it);
  return entry;
}

}  // namespace gt::milestone
