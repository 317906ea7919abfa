#include "gt/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace gt {
namespace {

TEST(WorkerPoolTest, RunsEverythingSubmittedBeforeItIsDestroyed) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(3);
    for (int i = 0; i < 1000; ++i) {
      pool.Submit([&ran] { ran++; });
    }
  }
  EXPECT_EQ(ran.load(), 1000);
}

TEST(WorkerPoolTest, OneThreadRunsInSubmissionOrder) {
  std::vector<int> order;
  {
    WorkerPool pool(1);
    for (int i = 0; i < 100; ++i) {
      pool.Submit([&order, i] { order.push_back(i); });
    }
  }
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(order[i], i);
  }
}

}  // namespace
}  // namespace gt
