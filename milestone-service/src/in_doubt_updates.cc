#include "in_doubt_updates.h"

namespace gt::milestone {

void InDoubtUpdates::Add(const RequestKey& key, const PlanRef& plan, UpdateRow update) {
  std::lock_guard<std::mutex> lock(mu_);
  Key k{key.organisation, key.request_id};
  update.update_id = 0;  // its sequence was never read: nothing to publish
  entries_.insert_or_assign(k, Entry{plan, std::move(update)});
  order_.push_back(std::move(k));
  while (order_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

std::optional<InDoubtUpdates::Entry> InDoubtUpdates::Take(const RequestKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(Key{key.organisation, key.request_id});
  if (it == entries_.end()) {
    return std::nullopt;
  }
  Entry entry = std::move(it->second);
  entries_.erase(it);
  return entry;
}

}  // namespace gt::milestone
