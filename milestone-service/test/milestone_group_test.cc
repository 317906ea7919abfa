// Service tests of milestone-service's group commit: concurrent updates
// share transactions, each keeps its own answer, deadlines hold.
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <atomic>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "google/protobuf/util/message_differencer.h"
#include "gt/call_deadline.h"
#include "milestone_test_base.h"

namespace gt::milestone {
namespace {

using grpc::StatusCode;

// Concurrent updates commit in groups (one transaction for many), and each
// caller still gets exactly its own answer: its version, its values, its
// error; a watcher sees every one with a sequence in commit order.
TEST_F(MilestoneServiceTest, GroupedUpdatesEachGetTheirOwnAnswer) {
  auto activities = world_->MakePlan("th", "group");
  std::vector<v1::Milestone> milestones;
  for (int i = 0; i < 6; ++i) {
    milestones.push_back(world_->Create("th", "group", activities[i % 2], absl::StrCat("M", i),
                                        "PLACE", "2018-03-31"));
  }
  constexpr int kThreads = 24;
  constexpr int kEach = 15;
  v1::WatchMilestoneUpdatesRequest watch;
  watch.set_parent("organisations/th/plans/group");
  grpc::ClientContext watch_context;
  auto watcher = Watch(watch_context, watch, "th");
  ASSERT_TRUE(WaitUntilWatching(1));
  std::vector<v1::MilestoneUpdate> watched;
  std::thread reading([&] {
    v1::MilestoneUpdate update;
    while (static_cast<int>(watched.size()) < kThreads * kEach && watcher->Read(&update)) {
      watched.push_back(update);
    }
  });
  int64_t commits_before = world_->GlobalStatus("COM_COMMIT");
  int64_t deadlocks_before = world_->GlobalStatus("INNODB_DEADLOCKS");
  double batches_before = Metric("goldenthread_milestone_update_batch_size_count");
  double batched_before = Metric("goldenthread_milestone_update_batch_size_sum");

  struct Answer {
    int milestone;
    int percent;
    v1::Milestone response;
  };
  std::vector<std::vector<Answer>> answers(kThreads);
  std::atomic<int> bad_etags{0};
  std::atomic<int> replays{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub =
          v1::MilestoneService::NewStub(MilestoneWorld::Channel(world_->host_->grpc_port()));
      for (int i = 0; i < kEach; ++i) {
        int which = (t * 7 + i) % 6;
        int percent = (t * kEach + i) % 100;
        v1::UpdateMilestoneProgressRequest request;
        request.set_name(milestones[which].name());
        request.set_status(v1::ON_TARGET);
        request.set_percent_complete(percent);
        request.set_comment(absl::StrCat("t", t, " i", i));
        request.set_request_id(absl::StrCat("group-", t, "-", i));
        // All effective at one moment, so that each applies on top of the one
        // committed before it (an update effective before the current state
        // goes into history only, whatever the order of arrival).
        *request.mutable_effective_at() = At(2025, 6, 1);
        v1::Milestone response;
        grpc::Status s =
            stub->UpdateMilestoneProgress(MilestoneWorld::As("th").get(), request, &response);
        ASSERT_TRUE(s.ok()) << s.error_message();
        EXPECT_EQ(response.percent_complete(), percent);
        EXPECT_EQ(response.latest_comment(), request.comment());
        answers[t].push_back(Answer{which, percent, response});
        if (i % 5 == 4) {
          // A retry gets the first answer, even though the etag it would
          // carry is stale by now.
          v1::Milestone again;
          ASSERT_TRUE(
              stub->UpdateMilestoneProgress(MilestoneWorld::As("th").get(), request, &again).ok());
          EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(response, again));
          ++replays;
          // A stale etag with a new request id is refused and writes nothing.
          request.set_request_id(absl::StrCat("group-", t, "-", i, "-stale"));
          request.set_etag(milestones[which].etag());
          s = stub->UpdateMilestoneProgress(MilestoneWorld::As("th").get(), request, &again);
          EXPECT_EQ(s.error_code(), StatusCode::ABORTED) << s.error_message();
          ++bad_etags;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  int64_t commits = world_->GlobalStatus("COM_COMMIT") - commits_before;
  int64_t deadlocks = world_->GlobalStatus("INNODB_DEADLOCKS") - deadlocks_before;
  // Each milestone's versions: 1 (created) + one per update, every one
  // answered to exactly one caller.
  std::map<int, std::set<int64_t>> versions;
  std::map<std::pair<int, int64_t>, int> percent_at;
  for (const auto& thread : answers) {
    for (const Answer& a : thread) {
      const std::string& etag = a.response.etag();
      int64_t version = std::stoll(etag.substr(0, etag.find('-')));
      EXPECT_TRUE(versions[a.milestone].insert(version).second) << "version answered twice";
      percent_at[{a.milestone, version}] = a.percent;
    }
  }
  int total = 0;
  for (int which = 0; which < 6; ++which) {
    const std::set<int64_t>& v = versions[which];
    ASSERT_FALSE(v.empty());
    EXPECT_EQ(*v.begin(), 2);
    EXPECT_EQ(*v.rbegin(), static_cast<int64_t>(v.size()) + 1) << "a version is missing";
    EXPECT_EQ(world_->HistoryRows(milestones[which].name()), static_cast<int>(v.size()));
    total += static_cast<int>(v.size());
    // The stored state is the last answer's.
    v1::GetMilestoneRequest get;
    get.set_name(milestones[which].name());
    v1::Milestone stored;
    ASSERT_TRUE(stub().GetMilestone(MilestoneWorld::As("th").get(), get, &stored).ok());
    EXPECT_EQ(stored.percent_complete(), (percent_at[{which, *v.rbegin()}]));
  }
  EXPECT_EQ(total, kThreads * kEach);
  EXPECT_GT(replays.load(), 0);
  // Grouping happened: fewer transactions than writes. (Every update, the
  // refused and replayed ones too, would otherwise end with its own COMMIT
  // or ROLLBACK.)
  EXPECT_LT(commits, total) << "updates were not grouped";
  double batches = Metric("goldenthread_milestone_update_batch_size_count") - batches_before;
  double batched = Metric("goldenthread_milestone_update_batch_size_sum") - batched_before;
  EXPECT_GT(batched / batches, 1.0) << batched << " updates in " << batches << " transactions";
  std::cout << total << " updates (and " << replays.load() << " repeats, " << bad_etags.load()
            << " stale etags) in " << commits << " commits; " << deadlocks << " deadlocks\n";

  // The watcher got every update once, in sequence order, each with its
  // values: grouped rows get their own sequence numbers.
  reading.join();
  ASSERT_EQ(static_cast<int>(watched.size()), total);
  int64_t last = 0;
  std::map<int, int> seen;
  for (const v1::MilestoneUpdate& update : watched) {
    EXPECT_GT(update.sequence(), last);
    last = update.sequence();
    int which = -1;
    for (int i = 0; i < 6; ++i) {
      if (absl::StartsWith(update.name(), milestones[i].name() + "/")) {
        which = i;
      }
    }
    ASSERT_GE(which, 0) << update.name();
    seen[which]++;
  }
  for (int which = 0; which < 6; ++which) {
    EXPECT_EQ(seen[which], static_cast<int>(versions[which].size()));
  }
  watch_context.TryCancel();
  grpc::Status ended = watcher->Finish();
  EXPECT_EQ(ended.error_code(), StatusCode::CANCELLED) << ended.error_message();
}

// An update waiting for its turn (the update transactions allowed are all
// running) leaves when its caller's deadline passes, having written nothing;
// the one running is not disturbed.
TEST_F(MilestoneServiceTest, AnUpdateWhoseCallerGivesUpWhileQueuedIsNeverStarted) {
  auto activities = world_->MakePlan("th", "queue");
  v1::Milestone a = world_->Create("th", "queue", activities[0], "Locked", "PLACE", "2018-03-31");
  v1::Milestone b = world_->Create("th", "queue", activities[0], "Queued", "PLACE", "2018-03-31");
  UpdateBatching one_at_a_time;
  one_at_a_time.max_concurrent = 1;
  MysqlMilestoneRepository repository(*world_->pool_, one_at_a_time);
  auto key_of = [](const v1::Milestone& m) {
    auto key = ParseMilestone("name", m.name());
    EXPECT_TRUE(key.ok());
    return *key;
  };
  UpdateCallbacks calls;
  calls.decide = [](const MilestoneRow&) -> absl::StatusOr<UpdateRow> {
    UpdateRow u;
    u.kind = v1::PROGRESS;
    u.status = v1::ON_TARGET;
    u.percent_complete = 10;
    u.effective_at = absl::Now();
    return u;
  };
  calls.encode = [](const RecordedUpdate&) { return std::string(); };
  calls.want_update_id = [] { return false; };
  calls.on_commit = [](const RecordedUpdate&) {};

  // Another session holds a's row: the update of a runs and waits for it.
  auto holder = world_->pool_->Acquire();
  ASSERT_TRUE(holder.ok());
  (**holder).SetAutoCommit(false);
  std::unique_ptr<sql::Statement> lock((**holder).connection().createStatement());
  std::unique_ptr<sql::ResultSet> locked(lock->executeQuery(
      absl::StrCat("SELECT 1 FROM milestones WHERE milestone_id = ", key_of(a).id, " FOR UPDATE")));
  ASSERT_TRUE(locked->next());
  locked.reset();
  MilestoneKey a_key = key_of(a);
  absl::StatusOr<WriteResult<RecordedUpdate>> first;
  std::thread running([&] { first = repository.RecordUpdate(a_key, nullptr, calls); });
  ASSERT_TRUE(WaitUntil([&] { return world_->GlobalStatus("INNODB_ROW_LOCK_CURRENT_WAITS") > 0; },
                        absl::Seconds(10)));

  MilestoneKey b_key = key_of(b);
  absl::Time start = absl::Now();
  absl::StatusOr<WriteResult<RecordedUpdate>> queued;
  {
    ScopedCallDeadline deadline(start + absl::Milliseconds(300));
    queued = repository.RecordUpdate(b_key, nullptr, calls);
  }
  EXPECT_EQ(queued.status().code(), absl::StatusCode::kDeadlineExceeded) << queued.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));

  (**holder).connection().rollback();
  running.join();
  EXPECT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(world_->HistoryRows(a.name()), 1);
  EXPECT_EQ(world_->HistoryRows(b.name()), 0);
}

}  // namespace
}  // namespace gt::milestone
