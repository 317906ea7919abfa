// Service tests: milestone-service (and the plan-service it asks) over real
// MariaDB. The watch stream's tests are in milestone_watch_test.cc, the
// group commit's in milestone_group_test.cc.
#include <atomic>
#include <map>
#include <thread>

#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"
#include "milestone_test_base.h"

namespace gt::milestone {
namespace {

using grpc::StatusCode;

TEST_F(MilestoneServiceTest, ConcurrentUpdatesWithEtagsLoseAndDoubleNothing) {
  auto activities = world_->MakePlan("th", "race");
  v1::Milestone m = world_->Create("th", "race", activities[0], "Contended", "PLACE", "2018-03-31");
  std::atomic<int> ok{0};
  std::atomic<int> aborted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 32; ++t) {
    threads.emplace_back([&, t] {
      auto stub =
          v1::MilestoneService::NewStub(MilestoneWorld::Channel(world_->host_->grpc_port()));
      for (int i = 0; i < 50; ++i) {
        while (true) {
          v1::GetMilestoneRequest get;
          get.set_name(m.name());
          v1::Milestone current;
          if (!stub->GetMilestone(MilestoneWorld::As("th").get(), get, &current).ok()) {
            continue;
          }
          v1::UpdateMilestoneProgressRequest request;
          request.set_name(m.name());
          request.set_status(v1::ON_TARGET);
          request.set_percent_complete((t + i) % 100);
          request.set_comment(absl::StrCat("thread ", t, " update ", i));
          request.set_etag(current.etag());
          v1::Milestone response;
          grpc::Status s =
              stub->UpdateMilestoneProgress(MilestoneWorld::As("th").get(), request, &response);
          if (s.ok()) {
            ++ok;
            break;
          }
          ASSERT_EQ(s.error_code(), StatusCode::ABORTED) << s.error_message();
          ++aborted;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ok.load(), 32 * 50);
  EXPECT_EQ(world_->HistoryRows(m.name()), ok.load());
  EXPECT_GT(aborted.load(), 0) << "the test should have produced etag conflicts";
}

TEST_F(MilestoneServiceTest, SameRequestIdFromEightThreadsWritesOnceEvenAcrossRestart) {
  auto activities = world_->MakePlan("th", "idem");
  v1::Milestone m = world_->Create("th", "idem", activities[1], "Idempotent", "RES", "2018-03-31");
  std::vector<v1::Milestone> answers(8);
  std::vector<grpc::Status> statuses(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto stub =
          v1::MilestoneService::NewStub(MilestoneWorld::Channel(world_->host_->grpc_port()));
      v1::UpdateMilestoneProgressRequest request;
      request.set_name(m.name());
      request.set_status(v1::DELAYED);
      request.set_percent_complete(30);
      request.set_comment("Contractor late");
      request.set_request_id("officer-42-q2");
      statuses[t] =
          stub->UpdateMilestoneProgress(MilestoneWorld::As("th").get(), request, &answers[t]);
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (int t = 0; t < 8; ++t) {
    ASSERT_TRUE(statuses[t].ok()) << statuses[t].error_message();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(answers[0], answers[t]));
  }
  EXPECT_EQ(world_->HistoryRows(m.name()), 1);

  world_->StopMilestoneService();
  world_->StartMilestoneService();
  v1::Milestone again;
  ASSERT_TRUE(
      Progress("th", m.name(), v1::DELAYED, 30, "Contractor late", {}, &again, "officer-42-q2")
          .ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(answers[0], again));
  EXPECT_EQ(world_->HistoryRows(m.name()), 1);

  grpc::Status different =
      Progress("th", m.name(), v1::ON_TARGET, 30, "", {}, nullptr, "officer-42-q2");
  EXPECT_EQ(different.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(different.error_message(),
            "request_id: 'officer-42-q2' was already used for a different request; use a new "
            "request_id for a new request");
  EXPECT_EQ(world_->HistoryRows(m.name()), 1);
}

TEST_F(MilestoneServiceTest, BadInputGetsItsCodeNamesTheFieldAndWritesNothing) {
  auto activities = world_->MakePlan("th", "bad");
  world_->MakePlan("other", "theirs");
  v1::Milestone m = world_->Create("th", "bad", activities[0], "Target", "CLC", "2018-03-31");
  auto future = ToTimestamp(absl::Now() + absl::Hours(48));
  struct Case {
    std::string label;
    std::function<grpc::Status()> call;
    StatusCode code;
    std::string message;
  };
  std::vector<Case> cases = {
      {"percent 140", [&] { return Progress("th", m.name(), v1::ON_TARGET, 140, ""); },
       StatusCode::INVALID_ARGUMENT, "percent_complete: must be 0..100, got 140"},
      {"unknown status",
       [&] { return Progress("th", m.name(), static_cast<v1::MilestoneStatus>(99), 10, ""); },
       StatusCode::INVALID_ARGUMENT,
       "status: unknown value 99; use one of NOT_STARTED, ON_TARGET, DELAYED, COMPLETED, "
       "DEFERRED, CANCELLED"},
      {"DELAYED without comment", [&] { return Progress("th", m.name(), v1::DELAYED, 10, " "); },
       StatusCode::INVALID_ARGUMENT,
       "comment: required when status is DELAYED: it is the explanation the year-end report "
       "prints"},
      {"COMPLETED at 40%", [&] { return Progress("th", m.name(), v1::COMPLETED, 40, ""); },
       StatusCode::INVALID_ARGUMENT, "percent_complete: COMPLETED means 100%, got 40"},
      {"future", [&] { return Progress("th", m.name(), v1::ON_TARGET, 10, "", future); },
       StatusCode::INVALID_ARGUMENT, ""},
      {"1 MiB comment",
       [&] { return Progress("th", m.name(), v1::ON_TARGET, 10, std::string(1 << 20, 'x')); },
       StatusCode::INVALID_ARGUMENT, "comment: must be at most 20000 characters, got 1048576"},
      {"unknown activity",
       [&] {
         v1::CreateMilestoneRequest request;
         request.set_parent("organisations/th/plans/bad");
         request.mutable_milestone()->set_activity("organisations/th/plans/bad/activities/999999");
         request.mutable_milestone()->set_title("Orphan");
         v1::Milestone out;
         return stub().CreateMilestone(MilestoneWorld::As("th").get(), request, &out);
       },
       StatusCode::NOT_FOUND, "activity organisations/th/plans/bad/activities/999999 not found"},
      {"another organisation's milestone",
       [&] { return Progress("other", m.name(), v1::ON_TARGET, 10, ""); }, StatusCode::NOT_FOUND,
       "milestone " + m.name() + " not found"},
      {"another organisation's plan for a new milestone",
       [&] {
         v1::CreateMilestoneRequest request;
         request.set_parent("organisations/th/plans/bad");
         request.mutable_milestone()->set_activity(activities[0]);
         request.mutable_milestone()->set_title("Intruder");
         v1::Milestone out;
         return stub().CreateMilestone(MilestoneWorld::As("other").get(), request, &out);
       },
       StatusCode::NOT_FOUND, "plan organisations/th/plans/bad not found"},
      {"missing milestone",
       [&] {
         return Progress("th", "organisations/th/plans/bad/milestones/987654", v1::ON_TARGET, 1,
                         "");
       },
       StatusCode::NOT_FOUND, "milestone organisations/th/plans/bad/milestones/987654 not found"},
  };
  for (const Case& c : cases) {
    grpc::Status s = c.call();
    EXPECT_EQ(s.error_code(), c.code) << c.label << ": " << s.error_message();
    if (!c.message.empty()) {
      EXPECT_EQ(s.error_message(), c.message) << c.label;
    } else {
      EXPECT_NE(s.error_message().find("effective_at: must not be in the future"),
                std::string::npos)
          << c.label << ": " << s.error_message();
    }
  }
  EXPECT_EQ(world_->HistoryRows(m.name()), 0);
  EXPECT_EQ(
      world_->milestone_db_.QueryScalar("SELECT COUNT(*) FROM milestones WHERE plan_id = 'bad'"),
      "1");
}

TEST_F(MilestoneServiceTest, CompletedFillsHundredAndReopeningIsRecorded) {
  auto activities = world_->MakePlan("th", "rules");
  v1::Milestone m = world_->Create("th", "rules", activities[0], "Rules", "PLACE", "2018-03-31");
  v1::Milestone done;
  ASSERT_TRUE(
      Progress("th", m.name(), v1::COMPLETED, std::nullopt, "Done", At(2017, 9, 30), &done).ok());
  EXPECT_EQ(done.percent_complete(), 100);
  EXPECT_EQ(done.completed_date(), "2017-09-30");
  v1::Milestone reopened;
  ASSERT_TRUE(
      Progress("th", m.name(), v1::DELAYED, 80, "Snagging found", At(2017, 10, 15), &reopened)
          .ok());
  EXPECT_EQ(reopened.status(), v1::DELAYED);
  EXPECT_EQ(reopened.completed_date(), "");
  EXPECT_EQ(world_->HistoryRows(m.name()), 2);
}

TEST_F(MilestoneServiceTest, RevisionsKeepTheBaselineAndAnswerBothOverdueQuestions) {
  auto activities = world_->MakePlan("th", "revise");
  v1::Milestone m = world_->Create("th", "revise", activities[0], "Moving", "D&R", "2017-06-30");
  v1::ReviseDeadlineRequest revise;
  revise.set_name(m.name());
  revise.set_new_deadline("2017-12-31");
  v1::Milestone out;
  grpc::Status no_reason = stub().ReviseDeadline(MilestoneWorld::As("th").get(), revise, &out);
  EXPECT_EQ(no_reason.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(no_reason.error_message(), "reason: must not be empty");
  revise.set_reason("Consultation extended by Cabinet");
  *revise.mutable_effective_at() = At(2017, 6, 1);
  ASSERT_TRUE(stub().ReviseDeadline(MilestoneWorld::As("th").get(), revise, &out).ok());
  EXPECT_EQ(out.baseline_deadline(), "2017-06-30");
  EXPECT_EQ(out.current_deadline(), "2017-12-31");
  EXPECT_EQ(out.revision_count(), 1);

  v1::GetMilestonesAsOfRequest as_of;
  as_of.set_parent("organisations/th/plans/revise");
  as_of.set_as_of("2017-09-30");
  v1::GetMilestonesAsOfResponse state;
  ASSERT_TRUE(stub().GetMilestonesAsOf(MilestoneWorld::As("th").get(), as_of, &state).ok());
  ASSERT_EQ(state.milestones_size(), 1);
  EXPECT_FALSE(state.milestones(0).overdue());
  EXPECT_TRUE(state.milestones(0).overdue_against_baseline());

  // The close of the deadline day is when a milestone becomes overdue.
  as_of.set_as_of("2017-06-29");
  ASSERT_TRUE(stub().GetMilestonesAsOf(MilestoneWorld::As("th").get(), as_of, &state).ok());
  EXPECT_FALSE(state.milestones(0).overdue_against_baseline());
  as_of.set_as_of("2017-06-30");
  ASSERT_TRUE(stub().GetMilestonesAsOf(MilestoneWorld::As("th").get(), as_of, &state).ok());
  EXPECT_TRUE(state.milestones(0).overdue_against_baseline());
  EXPECT_FALSE(state.milestones(0).overdue());

  v1::CountOverdueRequest count;
  count.set_parent("organisations/th/plans/revise");
  count.set_as_of("2017-09-30");
  count.set_group_by(v1::BY_DIRECTORATE);
  v1::CountOverdueResponse counts;
  ASSERT_TRUE(stub().CountOverdue(MilestoneWorld::As("th").get(), count, &counts).ok());
  EXPECT_EQ(counts.total_overdue(), 0);
  EXPECT_EQ(counts.total_overdue_against_baseline(), 1);
  ASSERT_EQ(counts.counts_size(), 1);
  EXPECT_EQ(counts.counts(0).key(), "D&R");

  v1::ListMilestoneUpdatesRequest history;
  history.set_parent(m.name());
  v1::ListMilestoneUpdatesResponse updates;
  ASSERT_TRUE(stub().ListMilestoneUpdates(MilestoneWorld::As("th").get(), history, &updates).ok());
  ASSERT_EQ(updates.updates_size(), 2);  // newest first: the revision, then the creation
  EXPECT_EQ(updates.updates(0).kind(), v1::DEADLINE_REVISION);
  EXPECT_EQ(updates.updates(0).previous_deadline(), "2017-06-30");
  EXPECT_EQ(updates.updates(0).reason(), "Consultation extended by Cabinet");
  EXPECT_EQ(updates.updates(1).kind(), v1::CREATED);
}

// The history of a milestone or a plan, one kind at a time: what a deadline
// revision report asks for (not the many progress reports beside them).
TEST_F(MilestoneServiceTest, HistoryListsOneKindWhenAskedAndItsPagesKeepTheFilter) {
  auto activities = world_->MakePlan("th", "kinds");
  v1::Milestone m = world_->Create("th", "kinds", activities[0], "Kinds", "D&R", "2017-06-30");
  v1::Milestone other = world_->Create("th", "kinds", activities[0], "Other", "D&R", "2017-09-30");
  ASSERT_TRUE(Progress("th", m.name(), v1::ON_TARGET, 20, "started").ok());
  v1::ReviseDeadlineRequest revise;
  revise.set_name(m.name());
  revise.set_new_deadline("2017-12-31");
  revise.set_reason("Consultation extended by Cabinet");
  v1::Milestone out;
  ASSERT_TRUE(stub().ReviseDeadline(MilestoneWorld::As("th").get(), revise, &out).ok());
  ASSERT_TRUE(Progress("th", m.name(), v1::ON_TARGET, 60, "halfway").ok());
  ASSERT_TRUE(Progress("th", other.name(), v1::DELAYED, 10, "late").ok());

  auto list = [&](const std::string& parent, v1::UpdateKind kind, int page_size = 0,
                  const std::string& token = "", v1::ListMilestoneUpdatesResponse* page = nullptr) {
    v1::ListMilestoneUpdatesRequest request;
    request.set_parent(parent);
    request.set_kind(kind);
    request.set_page_size(page_size);
    request.set_page_token(token);
    v1::ListMilestoneUpdatesResponse response;
    grpc::Status status =
        stub().ListMilestoneUpdates(MilestoneWorld::As("th").get(), request, &response);
    if (page != nullptr) {
      *page = response;
    }
    std::vector<std::string> comments;
    for (const auto& u : response.updates()) {
      EXPECT_TRUE(kind == v1::UPDATE_KIND_UNSPECIFIED || u.kind() == kind) << u.name();
      comments.push_back(u.kind() == v1::DEADLINE_REVISION ? u.reason() : u.comment());
    }
    return status.ok() ? comments : std::vector<std::string>{status.error_message()};
  };
  using Comments = std::vector<std::string>;
  EXPECT_EQ(list(m.name(), v1::DEADLINE_REVISION), Comments{"Consultation extended by Cabinet"});
  EXPECT_EQ(list(m.name(), v1::PROGRESS), (Comments{"halfway", "started"}));
  EXPECT_EQ(list(m.name(), v1::UPDATE_KIND_UNSPECIFIED).size(), 4u);  // and the creation
  EXPECT_EQ(list("organisations/th/plans/kinds", v1::PROGRESS),
            (Comments{"late", "halfway", "started"}));
  EXPECT_EQ(list("organisations/th/plans/kinds", v1::CREATED).size(), 2u);

  // Pages of one kind stay of that kind; a token is not good for another.
  v1::ListMilestoneUpdatesResponse page;
  EXPECT_EQ(list("organisations/th/plans/kinds", v1::PROGRESS, 2, "", &page),
            (Comments{"late", "halfway"}));
  ASSERT_FALSE(page.next_page_token().empty());
  EXPECT_EQ(list("organisations/th/plans/kinds", v1::PROGRESS, 2, page.next_page_token()),
            Comments{"started"});
  v1::ListMilestoneUpdatesRequest mixed;
  mixed.set_parent("organisations/th/plans/kinds");
  mixed.set_page_token(page.next_page_token());
  v1::ListMilestoneUpdatesResponse ignored;
  EXPECT_EQ(
      stub().ListMilestoneUpdates(MilestoneWorld::As("th").get(), mixed, &ignored).error_code(),
      StatusCode::INVALID_ARGUMENT);

  v1::ListMilestoneUpdatesRequest bad;
  bad.set_parent(m.name());
  bad.set_kind(static_cast<v1::UpdateKind>(42));
  grpc::Status refused = stub().ListMilestoneUpdates(MilestoneWorld::As("th").get(), bad, &ignored);
  EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT);
  // Refused at the edge, as every enum number the enum does not define.
  EXPECT_EQ(refused.error_message(),
            "kind: unknown value 42; use one of PROGRESS, DEADLINE_REVISION, CREATED");
}

TEST_F(MilestoneServiceTest, AsOfRebuildsEachDateAndPublishedAtLeavesOutLateRows) {
  auto activities = world_->MakePlan("th", "asof");
  v1::Milestone a = world_->Create("th", "asof", activities[0], "A", "PLACE", "2017-12-31");
  v1::Milestone b = world_->Create("th", "asof", activities[1], "B", "HAC", "2017-09-30");
  ASSERT_TRUE(Progress("th", a.name(), v1::ON_TARGET, 25, "Q1 fine", At(2017, 6, 30)).ok());
  ASSERT_TRUE(Progress("th", a.name(), v1::ON_TARGET, 50, "Q2 fine", At(2017, 9, 30)).ok());
  ASSERT_TRUE(Progress("th", b.name(), v1::DELAYED, 40, "Supplier failed", At(2017, 9, 30)).ok());
  absl::Time published = absl::Now();
  // Recorded after publication but speaking for Q2: a restatement.
  ASSERT_TRUE(
      Progress("th", b.name(), v1::COMPLETED, std::nullopt, "Actually done in Q2", At(2017, 9, 29))
          .ok());

  auto state = [&](const std::string& date, std::optional<absl::Time> at) {
    v1::GetMilestonesAsOfRequest request;
    request.set_parent("organisations/th/plans/asof");
    request.set_as_of(date);
    if (at) {
      *request.mutable_published_at() = ToTimestamp(*at);
    }
    // One milestone a page: each page folds its own milestones' history.
    request.set_page_size(1);
    std::map<std::string, v1::Milestone> by_title;
    int pages = 0;
    do {
      v1::GetMilestonesAsOfResponse response;
      EXPECT_TRUE(
          stub().GetMilestonesAsOf(MilestoneWorld::As("th").get(), request, &response).ok());
      EXPECT_EQ(response.milestones_size(), 1);
      for (const auto& m : response.milestones()) {
        by_title[m.title()] = m;
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty() && ++pages < 10);
    EXPECT_EQ(pages, 1) << "two milestones, two pages";
    return by_title;
  };
  auto before = state("2017-03-31", std::nullopt);
  EXPECT_EQ(before["A"].status(), v1::NOT_STARTED);
  EXPECT_EQ(before["A"].percent_complete(), 0);
  auto q1 = state("2017-06-30", std::nullopt);
  EXPECT_EQ(q1["A"].percent_complete(), 25);
  EXPECT_EQ(q1["A"].latest_comment(), "Q1 fine");
  EXPECT_EQ(q1["B"].status(), v1::NOT_STARTED);
  auto q2 = state("2017-09-30", std::nullopt);
  EXPECT_EQ(q2["A"].percent_complete(), 50);
  // B's later Q2 row (09-30) outranks the restatement effective 09-29.
  EXPECT_EQ(q2["B"].status(), v1::DELAYED);
  auto q2_29 = state("2017-09-29", std::nullopt);
  EXPECT_EQ(q2_29["B"].status(), v1::COMPLETED);
  auto as_published = state("2017-09-29", published);
  EXPECT_EQ(as_published["B"].status(), v1::NOT_STARTED);
  auto q3 = state("2017-10-31", published);
  EXPECT_EQ(q3["B"].status(), v1::DELAYED);
  EXPECT_TRUE(q3["B"].overdue());
  EXPECT_EQ(q3["B"].latest_comment(), "Supplier failed");
}

TEST_F(MilestoneServiceTest, OverdueGaugeEqualsAnIndependentCountAndFollowsCompletion) {
  // Two organisations, three directorates, deadlines either side of today.
  auto th = world_->MakePlan("gauge-a", "p");
  auto other = world_->MakePlan("gauge-b", "q");
  std::string past = "2020-01-31";
  std::string future = "2999-12-31";
  struct Spec {
    std::string org, plan, activity, directorate, deadline;
  };
  std::vector<Spec> specs = {
      {"gauge-a", "p", th[0], "PLACE", past},  {"gauge-a", "p", th[1], "PLACE", past},
      {"gauge-a", "p", th[2], "HAC", past},    {"gauge-a", "p", th[3], "HAC", future},
      {"gauge-a", "p", th[4], "RES", future},  {"gauge-b", "q", other[0], "PLACE", past},
      {"gauge-b", "q", other[1], "RES", past}, {"gauge-b", "q", other[2], "RES", past},
  };
  std::map<std::string, int> expected;  // org/plan/directorate -> overdue
  std::vector<v1::Milestone> created;
  for (const Spec& s : specs) {
    created.push_back(world_->Create(s.org, s.plan, s.activity, "G", s.directorate, s.deadline));
    expected[s.org + "|" + s.plan + "|" + s.directorate] += s.deadline == past ? 1 : 0;
  }
  auto series = [](const std::string& org, const std::string& plan, const std::string& dir) {
    return "goldenthread_milestones_overdue{directorate=\"" + dir + "\",organisation=\"" + org +
           "\",plan=\"" + plan + "\"}";
  };
  for (const auto& [key, count] : expected) {
    std::vector<std::string> parts = absl::StrSplit(key, '|');
    EXPECT_EQ(Metric(series(parts[0], parts[1], parts[2])), count) << key;
  }
  ASSERT_TRUE(Progress("gauge-a", created[0].name(), v1::COMPLETED, std::nullopt, "done").ok());
  EXPECT_EQ(Metric(series("gauge-a", "p", "PLACE")), 1);
  EXPECT_EQ(Metric(series("gauge-b", "q", "PLACE")), 1);
  // Scrapes recount only plans that changed since the last one: a deleted
  // milestone must still be seen at the next scrape, and other plans kept.
  v1::DeleteMilestoneRequest remove;
  remove.set_name(created[6].name());  // gauge-b, RES, overdue
  google::protobuf::Empty empty;
  ASSERT_TRUE(stub().DeleteMilestone(MilestoneWorld::As("gauge-b").get(), remove, &empty).ok());
  EXPECT_EQ(Metric(series("gauge-b", "q", "RES")), 1);
  EXPECT_EQ(Metric(series("gauge-a", "p", "HAC")), 1);
  EXPECT_EQ(Metric(series("gauge-a", "p", "PLACE")), 1);
  EXPECT_GE(Metric("goldenthread_milestone_scrape_success"), 1);
  // Statuses a plan has none of are there at 0, so ratios keep every plan.
  EXPECT_EQ(Metric("goldenthread_milestones_total{organisation=\"gauge-b\",plan=\"q\",status="
                   "\"CANCELLED\"}"),
            0);
  EXPECT_EQ(Metric("goldenthread_milestones_total{organisation=\"gauge-b\",plan=\"q\",status=\"NOT_"
                   "STARTED\"}"),
            2);  // three created, one deleted
}

// The answer is stored before the history row is written; a retry whose
// etag the first attempt made stale must still get the first answer, and an
// id reused on another milestone must write nothing anywhere.
TEST_F(MilestoneServiceTest, RetryWithStaleEtagGetsTheFirstAnswer) {
  auto activities = world_->MakePlan("th", "retry");
  v1::Milestone m = world_->Create("th", "retry", activities[0], "Retried", "RES", "2018-03-31");
  v1::Milestone other = world_->Create("th", "retry", activities[0], "Other", "RES", "2018-03-31");
  v1::Milestone first;
  ASSERT_TRUE(
      Progress("th", m.name(), v1::ON_TARGET, 40, "on track", {}, &first, "retry-1", m.etag())
          .ok());
  ASSERT_NE(first.etag(), m.etag());
  v1::Milestone again;
  grpc::Status retried =
      Progress("th", m.name(), v1::ON_TARGET, 40, "on track", {}, &again, "retry-1", m.etag());
  ASSERT_TRUE(retried.ok()) << retried.error_message();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(first, again));
  EXPECT_EQ(world_->HistoryRows(m.name()), 1);

  grpc::Status elsewhere =
      Progress("th", other.name(), v1::ON_TARGET, 40, "on track", {}, nullptr, "retry-1");
  EXPECT_EQ(elsewhere.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(world_->HistoryRows(other.name()), 0);
  // A stale etag without a seen request id is still refused.
  EXPECT_EQ(Progress("th", m.name(), v1::ON_TARGET, 50, "", {}, nullptr, "retry-2", m.etag())
                .error_code(),
            StatusCode::ABORTED);
  EXPECT_EQ(world_->HistoryRows(m.name()), 1);
}

TEST_F(MilestoneServiceTest, UpdatesTotalCountsCommitsNotReplaysOrFailures) {
  auto activities = world_->MakePlan("th", "counted");
  v1::Milestone m = world_->Create("th", "counted", activities[2], "Counted", "RES", "2018-03-31");
  const std::string on_target = "goldenthread_milestone_updates_total{status=\"ON_TARGET\"}";
  const std::string delayed = "goldenthread_milestone_updates_total{status=\"DELAYED\"}";
  double on_target_before = Metric(on_target);
  double delayed_before = Metric(delayed);
  ASSERT_GE(on_target_before, 0);
  ASSERT_TRUE(Progress("th", m.name(), v1::ON_TARGET, 10, "", {}, nullptr, "c-1").ok());
  ASSERT_TRUE(Progress("th", m.name(), v1::ON_TARGET, 10, "", {}, nullptr, "c-1").ok());  // replay
  ASSERT_TRUE(Progress("th", m.name(), v1::ON_TARGET, 20, "").ok());
  ASSERT_TRUE(Progress("th", m.name(), v1::DELAYED, 20, "late").ok());
  EXPECT_FALSE(Progress("th", m.name(), v1::DELAYED, 20, "").ok());  // failure
  EXPECT_FALSE(Progress("th", m.name(), v1::ON_TARGET, 20, "", {}, nullptr, "", "1-0").ok());
  EXPECT_EQ(Metric(on_target) - on_target_before, 2);
  EXPECT_EQ(Metric(delayed) - delayed_before, 1);
}

TEST_F(MilestoneServiceTest, ListFiltersPagesInDocumentOrder) {
  auto activities = world_->MakePlan("th", "listing");
  // Created out of document order on purpose.
  for (int i = 7; i >= 0; --i) {
    world_->Create("th", "listing", activities[i], absl::StrCat("M", i), i % 2 ? "HAC" : "PLACE",
                   i < 4 ? "2017-06-30" : "2018-03-31", 1);
  }
  v1::ListMilestonesRequest request;
  request.set_parent("organisations/th/plans/listing");
  request.set_page_size(3);
  std::vector<std::string> titles;
  do {
    v1::ListMilestonesResponse response;
    ASSERT_TRUE(stub().ListMilestones(MilestoneWorld::As("th").get(), request, &response).ok());
    for (const auto& m : response.milestones()) {
      titles.push_back(m.title());
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(titles, (std::vector<std::string>{"M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7"}));

  v1::ListMilestonesRequest filtered;
  filtered.set_parent("organisations/th/plans/listing");
  filtered.set_directorate("HAC");
  filtered.set_overdue_at("2017-12-31");
  v1::ListMilestonesResponse response;
  ASSERT_TRUE(stub().ListMilestones(MilestoneWorld::As("th").get(), filtered, &response).ok());
  ASSERT_EQ(response.milestones_size(), 2);  // M1 and M3: HAC, deadline 2017-06-30
  EXPECT_EQ(response.milestones(0).title(), "M1");
  EXPECT_TRUE(response.milestones(0).overdue());
  filtered.set_page_size(-1);
  EXPECT_EQ(stub().ListMilestones(MilestoneWorld::As("th").get(), filtered, &response).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

// AIP-134: an UpdateMilestone that sets one field and sends no mask changes
// that field only; before this, an omitted mask meant "every field", and a
// title-only update wiped the lead officer and directorate.
TEST_F(MilestoneServiceTest, UpdateWithoutMaskChangesOnlyTheFieldsThatAreSet) {
  auto activities = world_->MakePlan("th", "masked");
  v1::Milestone m =
      world_->Create("th", "masked", activities[0], "Adopt the plan", "PLACE", "2018-03-31", 3);
  ASSERT_EQ(m.lead_officer(), "Officer PLACE");
  v1::UpdateMilestoneRequest request;
  request.mutable_milestone()->set_name(m.name());
  request.mutable_milestone()->set_title("Adopt the local plan");
  v1::Milestone updated;
  grpc::Status status = stub().UpdateMilestone(MilestoneWorld::As("th").get(), request, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.title(), "Adopt the local plan");
  EXPECT_EQ(updated.lead_officer(), "Officer PLACE");
  EXPECT_EQ(updated.directorate(), "PLACE");
  EXPECT_EQ(updated.ordinal(), 3);

  // Nothing set and no mask: refused, nothing written.
  v1::UpdateMilestoneRequest nothing;
  nothing.mutable_milestone()->set_name(m.name());
  v1::Milestone ignored;
  grpc::Status refused = stub().UpdateMilestone(MilestoneWorld::As("th").get(), nothing, &ignored);
  EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message().rfind("update_mask: omitted, and no updatable field", 0), 0u)
      << refused.error_message();

  // A named field is cleared when left empty; a progress field is refused
  // with the method that changes it.
  v1::UpdateMilestoneRequest clear;
  clear.mutable_milestone()->set_name(m.name());
  clear.mutable_update_mask()->add_paths("lead_officer");
  v1::Milestone cleared;
  ASSERT_TRUE(stub().UpdateMilestone(MilestoneWorld::As("th").get(), clear, &cleared).ok());
  EXPECT_EQ(cleared.lead_officer(), "");
  EXPECT_EQ(cleared.title(), "Adopt the local plan");
  clear.mutable_update_mask()->set_paths(0, "status");
  grpc::Status status_path =
      stub().UpdateMilestone(MilestoneWorld::As("th").get(), clear, &ignored);
  EXPECT_EQ(status_path.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status_path.error_message(),
            "update_mask.paths[0]: 'status' is not an updatable field of Milestone; use title, "
            "ordinal, lead_officer, directorate, deadline_assumed (progress changes only through "
            "UpdateMilestoneProgress)");
}

}  // namespace
}  // namespace gt::milestone
