// The watch stream: every update in commit order, resume, slow watchers
// ended without slowing writers, and no leak over many subscriptions.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>

#include "milestone_test_base.h"

namespace gt::milestone {
namespace {

using grpc::StatusCode;

long Threads() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) {
      return std::stol(line.substr(8));
    }
  }
  return -1;
}

// Bytes the allocator has handed out and not had back, over every arena
// (mallinfo2 covers only the main arena; gRPC's threads allocate in others).
// RSS would also count freed memory malloc keeps, and varies run to run.
long HeapInUseKb() {
  char* buffer = nullptr;
  size_t length = 0;
  FILE* out = open_memstream(&buffer, &length);
  malloc_info(0, out);
  std::fclose(out);
  std::string xml(buffer, length);
  std::free(buffer);
  // The last <total>/<system> elements are the sums over all arenas.
  auto last = [&](const std::string& tag) -> long {
    std::regex re(tag + R"re( count="\d+" size="(\d+)")re");
    long value = 0;
    for (std::sregex_iterator it(xml.begin(), xml.end(), re), end; it != end; ++it) {
      value = std::stol((*it)[1]);
    }
    return value;
  };
  long system = 0;
  std::regex re(R"re(<system type="current" size="(\d+)")re");
  for (std::sregex_iterator it(xml.begin(), xml.end(), re), end; it != end; ++it) {
    system = std::stol((*it)[1]);
  }
  long free_fast = last(R"(<total type="fast")");
  long free_rest = last(R"(<total type="rest")");
  long mmapped = last(R"(<total type="mmap")");
  return (system - free_fast - free_rest + mmapped) / 1024;
}

TEST_F(MilestoneServiceTest, WatchersGetEveryUpdateInOrderAndCyclesLeakNothing) {
  auto activities = world_->MakePlan("th", "watched");
  v1::Milestone m =
      world_->Create("th", "watched", activities[0], "Watched", "PLACE", "2018-03-31");
  v1::WatchMilestoneUpdatesRequest request;
  request.set_parent("organisations/th/plans/watched");
  grpc::ClientContext context;
  auto reader = Watch(context, request, "th");
  ASSERT_TRUE(WaitUntilWatching(1));
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(Progress("th", m.name(), v1::ON_TARGET, i, absl::StrCat("step ", i)).ok());
  }
  int64_t last = 0;
  for (int i = 1; i <= 20; ++i) {
    v1::MilestoneUpdate update;
    ASSERT_TRUE(reader->Read(&update));
    EXPECT_EQ(update.percent_complete(), i);
    EXPECT_GT(update.sequence(), last);
    last = update.sequence();
  }
  context.TryCancel();
  reader->Finish();

  // Resume from a position: the backlog after it, then live.
  v1::WatchMilestoneUpdatesRequest resume = request;
  resume.set_start_after_sequence(last - 5);
  grpc::ClientContext resume_context;
  resume_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto resumed = stub().WatchMilestoneUpdates(&resume_context, resume);
  for (int i = 16; i <= 20; ++i) {
    v1::MilestoneUpdate update;
    ASSERT_TRUE(resumed->Read(&update));
    EXPECT_EQ(update.percent_complete(), i);
  }
  resume_context.TryCancel();
  resumed->Finish();

  // A watcher that reads nothing falls behind the bus buffer (50 here) and is
  // ended, while the writer goes on unhindered.
  // Comments of 16 KiB make the stream back up past HTTP/2's flow-control
  // window, so the server's queue for this watcher really fills.
  // Without BDP probing the client's HTTP/2 window stays at 64 KiB, so what
  // it does not read stays on the server.
  grpc::ChannelArguments no_bdp;
  no_bdp.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  auto slow_stub = v1::MilestoneService::NewStub(
      grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(world_->host_->grpc_port()),
                                grpc::InsecureChannelCredentials(), no_bdp));
  grpc::ClientContext slow_context;
  slow_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto slow = slow_stub->WatchMilestoneUpdates(&slow_context, request);
  ASSERT_TRUE(WaitUntilWatching(1));
  absl::Time writing = absl::Now();
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(Progress("th", m.name(), v1::ON_TARGET, i % 100, std::string(16384, 'w')).ok());
  }
  EXPECT_LT(absl::Now() - writing, absl::Seconds(20)) << "writers must not wait on a watcher";
  v1::MilestoneUpdate drained;
  while (slow->Read(&drained)) {
  }
  grpc::Status ended = slow->Finish();
  EXPECT_EQ(ended.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(ended.error_message().find("resume with start_after_sequence="), std::string::npos);

  // 1,000 subscribe/cancel cycles: no growth in threads or memory.
  // Each cycle waits for the headers, sent once the server has subscribed,
  // so every cycle really subscribes and cancels.
  auto cycle = [&](int n) {
    for (int i = 0; i < n; ++i) {
      grpc::ClientContext c;
      c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      auto r = stub().WatchMilestoneUpdates(&c, request);
      r->WaitForInitialMetadata();
      c.TryCancel();
      r->Finish();
    }
  };
  // Warm-up: gRPC and the allocator keep per-call caches that settle after a
  // few thousand calls; a leak keeps growing after that.
  cycle(2000);
  ASSERT_TRUE(WaitUntilWatching(0));
  long threads_before = Threads();
  long heap_before = HeapInUseKb();
  cycle(1000);
  ASSERT_TRUE(WaitUntilWatching(0));
  EXPECT_LE(Threads(), threads_before + 4);
  // gRPC frees calls cancelled by the client a little later, off the call
  // path; memory must come back to where it was (a leak of even 1 KiB per
  // watcher would hold 1000 KiB).
  EXPECT_TRUE(WaitUntil([] { return WatchStream::Live() == 0; }, absl::Seconds(10)))
      << WatchStream::Live() << " watch streams still alive";
  bool settled = WaitUntil([&] { return HeapInUseKb() <= heap_before + 256; }, absl::Seconds(10));
  EXPECT_TRUE(settled) << "heap in use " << heap_before << " KiB before 1000 subscribe/cancel "
                       << "cycles, " << HeapInUseKb() << " KiB 10 s after";
}

}  // namespace
}  // namespace gt::milestone
