// Service tests of milestone-service's plan-wide writes: a batch of progress
// updates and deadline revisions is written whole or not at all, once per
// request id; a reconciled plan keeps every matched milestone's id and
// history.
#include <set>

#include "absl/strings/match.h"
#include "gt/dates.h"
#include "milestone_test_base.h"

namespace gt::milestone {
namespace {

using grpc::StatusCode;

std::vector<v1::MilestoneUpdate> History(v1::MilestoneService::Stub& stub,
                                         const std::string& name) {
  v1::ListMilestoneUpdatesRequest request;
  request.set_parent(name);
  request.set_page_size(1000);
  v1::ListMilestoneUpdatesResponse response;
  EXPECT_TRUE(stub.ListMilestoneUpdates(MilestoneWorld::As("th").get(), request, &response).ok());
  return {response.updates().begin(), response.updates().end()};
}

v1::MilestoneChange ProgressItem(const std::string& name, v1::MilestoneStatus status, int percent,
                                 const std::string& comment) {
  v1::MilestoneChange change;
  change.mutable_progress()->set_name(name);
  change.mutable_progress()->set_status(status);
  change.mutable_progress()->set_percent_complete(percent);
  change.mutable_progress()->set_comment(comment);
  return change;
}

v1::MilestoneChange RevisionItem(const std::string& name, const std::string& deadline,
                                 const std::string& reason) {
  v1::MilestoneChange change;
  change.mutable_revision()->set_name(name);
  change.mutable_revision()->set_new_deadline(deadline);
  change.mutable_revision()->set_reason(reason);
  return change;
}

TEST_F(MilestoneServiceTest, ABatchOfUpdatesIsWrittenWholeOrNotAtAllAndOncePerRequestId) {
  auto activities = world_->MakePlan("th", "bulk");
  std::vector<v1::Milestone> ms;
  for (int i = 0; i < 4; ++i) {
    ms.push_back(
        world_->Create("th", "bulk", activities[0], absl::StrCat("B", i), "PLACE", "2018-03-31"));
  }
  v1::BatchCreateMilestoneUpdatesRequest batch;
  batch.set_parent("organisations/th/plans/bulk");
  batch.set_request_id("bulk-1");
  *batch.add_requests() = ProgressItem(ms[0].name(), v1::ON_TARGET, 40, "going well");
  *batch.add_requests() = RevisionItem(ms[1].name(), "2018-06-30", "contractor late");
  *batch.add_requests() = ProgressItem(ms[1].name(), v1::DELAYED, 20, "see revision");
  // The last item breaks a rule: nothing of the batch is written.
  *batch.add_requests() = ProgressItem(ms[2].name(), v1::DELAYED, 10, "");
  v1::BatchCreateMilestoneUpdatesResponse response;
  grpc::Status refused =
      stub().BatchCreateMilestoneUpdates(MilestoneWorld::As("th").get(), batch, &response);
  EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "requests[3].progress.comment"))
      << refused.error_message();
  for (const auto& m : ms) {
    EXPECT_EQ(History(stub(), m.name()).size(), 1u) << m.name();
  }

  // A stale etag on one item refuses the batch too (ABORTED).
  v1::BatchCreateMilestoneUpdatesRequest stale = batch;
  stale.mutable_requests(3)->mutable_progress()->set_comment("waiting for a decision");
  ASSERT_TRUE(Progress("th", ms[3].name(), v1::ON_TARGET, 5, "moved on since read").ok());
  v1::MilestoneChange read_before = ProgressItem(ms[3].name(), v1::ON_TARGET, 10, "");
  read_before.mutable_progress()->set_etag(ms[3].etag());
  *stale.add_requests() = read_before;
  EXPECT_EQ(stub()
                .BatchCreateMilestoneUpdates(MilestoneWorld::As("th").get(), stale, &response)
                .error_code(),
            StatusCode::ABORTED);

  // Fixed: every item written, in order; etags speak for the state before.
  batch.mutable_requests(3)->mutable_progress()->set_comment("waiting for a decision");
  batch.mutable_requests(1)->mutable_revision()->set_etag(ms[1].etag());
  batch.mutable_requests(2)->mutable_progress()->set_etag(ms[1].etag());
  ASSERT_TRUE(
      stub().BatchCreateMilestoneUpdates(MilestoneWorld::As("th").get(), batch, &response).ok());
  ASSERT_EQ(response.updates_size(), 4);
  ASSERT_EQ(response.milestones_size(), 3);
  EXPECT_EQ(response.milestones(1).current_deadline(), "2018-06-30");
  EXPECT_EQ(response.milestones(1).status(), v1::DELAYED);
  EXPECT_EQ(History(stub(), ms[1].name()).size(), 3u);

  // The same request id again: the first answer, nothing written.
  v1::BatchCreateMilestoneUpdatesResponse again;
  ASSERT_TRUE(
      stub().BatchCreateMilestoneUpdates(MilestoneWorld::As("th").get(), batch, &again).ok());
  EXPECT_EQ(again.SerializeAsString(), response.SerializeAsString());
  EXPECT_EQ(History(stub(), ms[0].name()).size(), 2u);
  EXPECT_EQ(History(stub(), ms[1].name()).size(), 3u);

  // validate_only answers what would be written and writes nothing.
  v1::BatchCreateMilestoneUpdatesRequest check;
  check.set_parent(batch.parent());
  check.set_validate_only(true);
  *check.add_requests() = ProgressItem(ms[3].name(), v1::COMPLETED, 100, "done");
  ASSERT_TRUE(
      stub().BatchCreateMilestoneUpdates(MilestoneWorld::As("th").get(), check, &response).ok());
  EXPECT_EQ(response.milestones(0).status(), v1::COMPLETED);
  EXPECT_EQ(History(stub(), ms[3].name()).size(), 2u);

  // A milestone of another plan, or of another organisation: refused by field.
  v1::BatchCreateMilestoneUpdatesRequest foreign;
  foreign.set_parent(batch.parent());
  *foreign.add_requests() =
      ProgressItem("organisations/th/plans/other/milestones/1", v1::COMPLETED, 100, "");
  grpc::Status other =
      stub().BatchCreateMilestoneUpdates(MilestoneWorld::As("th").get(), foreign, &response);
  EXPECT_EQ(other.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(other.error_message(), "requests[0].progress.name"));
  foreign.set_parent("organisations/zz/plans/bulk");
  EXPECT_EQ(stub()
                .BatchCreateMilestoneUpdates(MilestoneWorld::As("th").get(), foreign, &response)
                .error_code(),
            StatusCode::NOT_FOUND);
}

TEST_F(MilestoneServiceTest, ReconcilingAPlanKeepsIdsAndHistoryAndWritesOnlyWhatChanged) {
  auto activities = world_->MakePlan("th", "recon");
  std::vector<v1::Milestone> ms;
  for (int i = 0; i < 5; ++i) {
    ms.push_back(world_->Create("th", "recon", activities[i % 2], absl::StrCat("R", i), "PLACE",
                                "2018-03-31"));
  }
  ASSERT_TRUE(Progress("th", ms[4].name(), v1::ON_TARGET, 30, "before removal").ok());
  auto desired = [&]() {
    v1::ReconcileMilestonesRequest request;
    request.set_parent("organisations/th/plans/recon");
    for (const auto& m : ms) {
      v1::Milestone* d = request.add_milestones();
      *d = m;
      d->clear_name();  // matched by activity, ordinal and title
    }
    return request;
  };
  // Unchanged: nothing written.
  v1::ReconcileMilestonesRequest same = desired();
  same.mutable_milestones(4)->set_status(v1::ON_TARGET);
  same.mutable_milestones(4)->set_percent_complete(30);
  same.mutable_milestones(4)->set_latest_comment("before removal");
  v1::ReconcileMilestonesResponse response;
  ASSERT_TRUE(stub().ReconcileMilestones(MilestoneWorld::As("th").get(), same, &response).ok());
  EXPECT_EQ(response.unchanged(), 5);
  EXPECT_EQ(response.created() + response.edited() + response.history_rows(), 0);
  EXPECT_EQ(response.removed_size(), 0);

  // One title edited (named, so matched by id), one progress change, one
  // deadline moved, one new, one gone.
  v1::ReconcileMilestonesRequest change = desired();
  change.mutable_milestones(0)->set_name(ms[0].name());
  change.mutable_milestones(0)->set_title("R0 renamed");
  change.mutable_milestones(1)->set_status(v1::COMPLETED);
  change.mutable_milestones(2)->set_current_deadline("2018-09-30");
  change.mutable_milestones()->DeleteSubrange(4, 1);
  v1::Milestone* added = change.add_milestones();
  added->set_activity(activities[0]);
  added->set_title("R5 new");
  added->set_ordinal(9);
  grpc::Status no_reason =
      stub().ReconcileMilestones(MilestoneWorld::As("th").get(), change, &response);
  EXPECT_EQ(no_reason.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(no_reason.error_message(), "revision_reason"));
  change.set_revision_reason("agreed at board");
  change.set_request_id("recon-1");
  ASSERT_TRUE(stub().ReconcileMilestones(MilestoneWorld::As("th").get(), change, &response).ok());
  EXPECT_EQ(response.created(), 1);
  EXPECT_EQ(response.edited(), 1);
  EXPECT_EQ(response.history_rows(), 2);
  EXPECT_EQ(response.unchanged(), 1);
  ASSERT_EQ(response.removed_size(), 1);
  EXPECT_EQ(response.removed(0), ms[4].name());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(response.milestones(i).name(), ms[i].name());
  }
  EXPECT_EQ(response.milestones(0).title(), "R0 renamed");
  EXPECT_EQ(response.milestones(2).current_deadline(), "2018-09-30");
  EXPECT_EQ(History(stub(), ms[1].name()).size(), 2u);
  // The removed one keeps its history and is gone from the live list.
  EXPECT_EQ(History(stub(), ms[4].name()).size(), 2u);
  v1::GetMilestoneRequest get;
  get.set_name(ms[4].name());
  v1::Milestone gone;
  EXPECT_EQ(stub().GetMilestone(MilestoneWorld::As("th").get(), get, &gone).error_code(),
            StatusCode::NOT_FOUND);
  // ... but shows in the plan as it stood before its removal.
  v1::GetMilestonesAsOfRequest before;
  before.set_parent("organisations/th/plans/recon");
  before.set_as_of(FormatDate(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 1));
  v1::GetMilestonesAsOfResponse then;
  ASSERT_TRUE(stub().GetMilestonesAsOf(MilestoneWorld::As("th").get(), before, &then).ok());
  std::set<std::string> names;
  for (const auto& m : then.milestones()) {
    names.insert(m.name());
  }
  EXPECT_EQ(names.count(ms[4].name()), 1u);

  // Sent again with the same id: the first answer; a fresh id with the same
  // content now changes nothing.
  v1::ReconcileMilestonesResponse again;
  ASSERT_TRUE(stub().ReconcileMilestones(MilestoneWorld::As("th").get(), change, &again).ok());
  EXPECT_EQ(again.SerializeAsString(), response.SerializeAsString());
  change.set_request_id("recon-2");
  change.mutable_milestones(4)->set_name(response.milestones(4).name());
  ASSERT_TRUE(stub().ReconcileMilestones(MilestoneWorld::As("th").get(), change, &again).ok());
  EXPECT_EQ(again.unchanged(), 5);
  EXPECT_EQ(again.removed_size(), 0);

  // A baseline is never moved by a re-import.
  change.set_request_id("");
  change.mutable_milestones(3)->set_baseline_deadline("2019-01-01");
  grpc::Status baseline =
      stub().ReconcileMilestones(MilestoneWorld::As("th").get(), change, &again);
  EXPECT_EQ(baseline.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(baseline.error_message(), "milestones[3].baseline_deadline"));
}

// A file that speaks for a date before a milestone's latest progress update
// or deadline revision says nothing about now: re-importing it (an old
// quarter's document after officers have updated) appends nothing for those
// parts and leaves the later state as it is. (A file newer than the state
// applies: ReconcilingAPlanKeepsIdsAndHistoryAndWritesOnlyWhatChanged.)
TEST_F(MilestoneServiceTest, ReconcilingAnOlderFileLeavesLaterUpdatesAlone) {
  auto activities = world_->MakePlan("th", "older");
  v1::Milestone m = world_->Create("th", "older", activities[0], "Old file", "PLACE", "2018-03-31");
  ASSERT_TRUE(Progress("th", m.name(), v1::DELAYED, 40, "officer, October", At(2017, 10, 15)).ok());
  v1::ReviseDeadlineRequest revise;
  revise.set_name(m.name());
  revise.set_new_deadline("2018-06-30");
  revise.set_reason("officer moved it");
  *revise.mutable_effective_at() = At(2017, 10, 16);
  v1::Milestone revised;
  ASSERT_TRUE(stub().ReviseDeadline(MilestoneWorld::As("th").get(), revise, &revised).ok());
  const size_t rows = History(stub(), m.name()).size();

  v1::ReconcileMilestonesRequest request;
  request.set_parent("organisations/th/plans/older");
  *request.mutable_effective_at() = At(2017, 9, 30);
  request.set_revision_reason("as the September document says");
  for (const v1::Milestone& source : {m}) {
    v1::Milestone* d = request.add_milestones();
    d->set_name(source.name());
    d->set_activity(source.activity());
    d->set_title(source.title());
    d->set_ordinal(source.ordinal());
    d->set_directorate(source.directorate());
    d->set_lead_officer(source.lead_officer());
    d->set_status(v1::ON_TARGET);
    d->set_percent_complete(25);
    d->set_current_deadline("2018-03-31");
  }
  v1::ReconcileMilestonesResponse response;
  ASSERT_TRUE(stub().ReconcileMilestones(MilestoneWorld::As("th").get(), request, &response).ok());
  EXPECT_EQ(History(stub(), m.name()).size(), rows);
  EXPECT_EQ(response.milestones(0).status(), v1::DELAYED);
  EXPECT_EQ(response.milestones(0).current_deadline(), "2018-06-30");
  EXPECT_EQ(response.milestones(0).revision_count(), 1);
  EXPECT_EQ(response.history_rows(), 0);
  EXPECT_EQ(response.unchanged(), 1);
}

}  // namespace
}  // namespace gt::milestone
