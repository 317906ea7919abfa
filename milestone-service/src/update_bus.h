#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "goldenthread/v1/milestone.pb.h"

namespace gt::milestone {

// Fan-out of committed updates to the watchers of a plan. Publish calls
// listeners inline, so a listener must only enqueue (bounded) and return:
// writers never wait on watchers.
class UpdateBus {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void OnUpdate(const goldenthread::v1::MilestoneUpdate& update) = 0;
    // The bus is closing (server shutting down).
    virtual void OnClosed() = 0;
  };

  // Key: the plan's resource name.
  void Subscribe(const std::string& plan, std::shared_ptr<Listener> listener);
  void Unsubscribe(const std::string& plan, const std::shared_ptr<Listener>& listener);
  void Publish(const std::string& plan, const goldenthread::v1::MilestoneUpdate& update);
  // Tells every listener, and every later one at once, that the bus closed.
  void Close();
  size_t watchers();
  bool HasWatchers(const std::string& plan);

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<std::shared_ptr<Listener>>> plans_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace gt::milestone
