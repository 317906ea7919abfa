#include "update_bus.h"

#include <algorithm>

namespace gt::milestone {

void UpdateBus::Subscribe(const std::string& plan, std::shared_ptr<Listener> listener) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closed_) {
      plans_[plan].push_back(std::move(listener));
      return;
    }
  }
  listener->OnClosed();
}

void UpdateBus::Unsubscribe(const std::string& plan, const std::shared_ptr<Listener>& listener) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = plans_.find(plan);
  if (it == plans_.end()) {
    return;
  }
  auto& list = it->second;
  list.erase(std::remove(list.begin(), list.end(), listener), list.end());
  if (list.empty()) {
    plans_.erase(it);
  }
}

void UpdateBus::Publish(const std::string& plan, const goldenthread::v1::MilestoneUpdate& update) {
  std::vector<std::shared_ptr<Listener>> targets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = plans_.find(plan);
    if (it == plans_.end()) {
      return;
    }
    targets = it->second;
  }
  for (const auto& listener : targets) {
    listener->OnUpdate(update);
  }
}

void UpdateBus::Close() {
  std::map<std::string, std::vector<std::shared_ptr<Listener>>> plans;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    plans.swap(plans_);
  }
  for (auto& [plan, list] : plans) {
    for (auto& listener : list) {
      listener->OnClosed();
    }
  }
}

bool UpdateBus::HasWatchers(const std::string& plan) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = plans_.find(plan);
  return it != plans_.end() && !it->second.empty();
}

size_t UpdateBus::watchers() {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [plan, list] : plans_) {
    n += list.size();
  }
  return n;
}

}  // namespace gt::milestone
