// The monitoring round (issue 18) against real MariaDB: periods and their
// states, what is due, sign-off, publication and the frozen pack, and
// directorate-scoped callers on every write.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "gt/sha256.h"
#include "milestone_test_base.h"

namespace gt::milestone {
namespace {

using ::testing::HasSubstr;

class PeriodTest : public MilestoneServiceTest {
 protected:
  // A caller as the gateway describes it; `directorates` limits it.
  static std::unique_ptr<grpc::ClientContext> Who(const std::string& org, const std::string& role,
                                                  const std::string& directorates = "",
                                                  const std::string& subject = "officer") {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    context->AddMetadata(kOrganisationHeader, org);
    context->AddMetadata(kRoleHeader, role);
    context->AddMetadata(kSubjectHeader, subject);
    if (!directorates.empty()) {
      context->AddMetadata(kDirectoratesHeader, directorates);
    }
    return context;
  }

  static std::string Plan(const std::string& org, const std::string& plan) {
    return "organisations/" + org + "/plans/" + plan;
  }

  grpc::Status CreatePeriod(const std::string& org, const std::string& plan, const std::string& id,
                            const std::string& start, const std::string& as_of,
                            const std::string& due, bool approval = false,
                            v1::Period* out = nullptr) {
    v1::CreatePeriodRequest request;
    request.set_parent(Plan(org, plan));
    request.set_period_id(id);
    request.mutable_period()->set_title("Period " + id);
    request.mutable_period()->set_start_date(start);
    request.mutable_period()->set_as_of(as_of);
    request.mutable_period()->set_due_date(due);
    request.mutable_period()->set_approval_required(approval);
    v1::Period period;
    grpc::Status s = stub().CreatePeriod(Who(org, "PLANNER").get(), request, &period);
    if (out != nullptr) {
      *out = period;
    }
    return s;
  }

  grpc::Status Open(const std::string& name, v1::Period* out = nullptr) {
    v1::PeriodTransitionRequest request;
    request.set_name(name);
    v1::Period period;
    std::string org = name.substr(14, name.find('/', 14) - 14);
    grpc::Status s = stub().OpenPeriod(Who(org, "PLANNER").get(), request, &period);
    if (out != nullptr) {
      *out = period;
    }
    return s;
  }

  v1::ListDueUpdatesResponse Due(const std::string& org, const std::string& period,
                                 const std::string& directorates = "",
                                 std::vector<v1::DueState> states = {}) {
    v1::ListDueUpdatesRequest request;
    request.set_parent(period);
    request.set_page_size(1000);
    for (v1::DueState s : states) {
      request.add_states(s);
    }
    v1::ListDueUpdatesResponse response;
    grpc::Status s =
        stub().ListDueUpdates(Who(org, "VIEWER", directorates).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  std::map<std::string, v1::DueState> StateByMilestone(const v1::ListDueUpdatesResponse& due) {
    std::map<std::string, v1::DueState> out;
    for (const auto& d : due.due()) {
      out[d.milestone()] = d.state();
    }
    return out;
  }

  grpc::Status Review(const std::string& org, const std::string& update, v1::ReviewAction action,
                      const std::string& reason = "", const std::string& directorates = "",
                      v1::UpdateReview* out = nullptr, const std::string& request_id = "") {
    v1::ReviewUpdateRequest request;
    request.set_name(update);
    request.set_action(action);
    request.set_reason(reason);
    request.set_request_id(request_id);
    v1::UpdateReview review;
    grpc::Status s =
        stub().ReviewUpdate(Who(org, "PLANNER", directorates, "reviewer").get(), request, &review);
    if (out != nullptr) {
      *out = review;
    }
    return s;
  }

  // The update a milestone's latest progress row has (its name).
  std::string LatestUpdate(const std::string& org, const std::string& milestone) {
    v1::ListMilestoneUpdatesRequest request;
    request.set_parent(milestone);
    request.set_kind(v1::PROGRESS);
    request.set_page_size(1);
    v1::ListMilestoneUpdatesResponse response;
    grpc::Status s = stub().ListMilestoneUpdates(Who(org, "VIEWER").get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.updates_size() == 0 ? "" : response.updates(0).name();
  }

  // Rows of one of this service's tables (named from a fixed list: no
  // identifier reaches SQL unchecked).
  int Rows(const std::string& table) {
    static const std::set<std::string> kTables = {"milestone_updates", "period_pack_files",
                                                  "update_reviews", "periods"};
    EXPECT_EQ(kTables.count(table), 1u) << table;
    if (kTables.count(table) == 0) {
      return -1;
    }
    return std::stoi(world_->milestone_db_.QueryScalar("SELECT COUNT(*) FROM " + table));
  }

  grpc::Status Publish(const std::string& org, const std::string& period,
                       std::map<std::string, std::string> files, bool validate_only = false,
                       v1::Period* out = nullptr, const std::string& request_id = "",
                       absl::Time at = absl::Now()) {
    v1::RecordPublicationRequest request;
    request.set_name(period);
    *request.mutable_publish_time() = ToTimestamp(at);
    request.set_validate_only(validate_only);
    request.set_request_id(request_id);
    for (const auto& [name, content] : files) {
      v1::PackFile* f = request.add_files();
      f->set_filename(name);
      f->set_content_type("text/plain");
      f->set_content(content);
    }
    v1::Period period_out;
    grpc::Status s = stub().RecordPublication(Who(org, "PLANNER").get(), request, &period_out);
    if (out != nullptr) {
      *out = period_out;
    }
    return s;
  }
};

TEST_F(PeriodTest, PeriodsAreCheckedAndNeverOverlap) {
  world_->MakePlan("pa", "2017-18");
  v1::Period q2;
  ASSERT_TRUE(CreatePeriod("pa", "2017-18", "2017-18-q2", "2017-07-01", "2017-09-30", "2017-10-14",
                           false, &q2)
                  .ok());
  EXPECT_EQ(q2.name(), "organisations/pa/plans/2017-18/periods/2017-18-q2");
  EXPECT_EQ(q2.state(), v1::Period::PLANNED);

  grpc::Status overlap =
      CreatePeriod("pa", "2017-18", "other", "2017-09-01", "2017-12-31", "2018-01-10");
  EXPECT_EQ(overlap.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(overlap.error_message(), HasSubstr("period.start_date"));
  EXPECT_THAT(overlap.error_message(), HasSubstr("overlaps period"));
  grpc::Status due_early =
      CreatePeriod("pa", "2017-18", "q3", "2017-10-01", "2017-12-31", "2017-09-30");
  EXPECT_EQ(due_early.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(due_early.error_message(), HasSubstr("period.due_date"));
  EXPECT_EQ(
      CreatePeriod("pa", "2017-18", "q3", "2017-12-31", "2017-10-01", "2018-01-10").error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  grpc::Status outside =
      CreatePeriod("pa", "2017-18", "q9", "2018-04-01", "2018-06-30", "2018-07-10");
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(outside.error_message(), HasSubstr("within the plan's period"));
  EXPECT_EQ(
      CreatePeriod("pa", "2017-18", "Q3 ", "2017-10-01", "2017-12-31", "2018-01-10").error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(CreatePeriod("pa", "2017-18", "2017-18-q2", "2017-10-01", "2017-12-31", "2018-01-10")
                .error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(CreatePeriod("pa", "nope", "q1", "2017-04-01", "2017-06-30", "2017-07-10").error_code(),
            grpc::StatusCode::NOT_FOUND);

  // The quarters in one call: refused whole while one overlaps q2.
  v1::CreateQuarterlyPeriodsRequest quarters;
  quarters.set_parent(Plan("pa", "2017-18"));
  quarters.set_due_days_after(14);
  v1::CreateQuarterlyPeriodsResponse created;
  grpc::Status clash =
      stub().CreateQuarterlyPeriods(Who("pa", "PLANNER").get(), quarters, &created);
  EXPECT_EQ(clash.error_code(), grpc::StatusCode::ALREADY_EXISTS) << clash.error_message();
  v1::PeriodTransitionRequest cancel;
  cancel.set_name(q2.name());
  v1::Period cancelled;
  grpc::Status no_reason = stub().CancelPeriod(Who("pa", "PLANNER").get(), cancel, &cancelled);
  EXPECT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_reason.error_message(), HasSubstr("reason"));
  EXPECT_EQ(stub()
                .GetPeriod(
                    Who("pa", "VIEWER").get(),
                    [&] {
                      v1::GetPeriodRequest r;
                      r.set_name(q2.name());
                      return r;
                    }(),
                    &cancelled)
                .ok(),
            true);
  EXPECT_EQ(cancelled.state(), v1::Period::PLANNED);

  // Quarters of another plan of the same organisation.
  world_->MakePlan("pa", "2018-19");
  quarters.set_parent(Plan("pa", "2018-19"));
  ASSERT_TRUE(stub().CreateQuarterlyPeriods(Who("pa", "PLANNER").get(), quarters, &created).ok());
  ASSERT_EQ(created.periods_size(), 4);
  // MakePlan's plans run 2017-04-01..2018-03-31.
  EXPECT_EQ(created.periods(0).name(), "organisations/pa/plans/2018-19/periods/2018-19-q1");
  EXPECT_EQ(created.periods(1).start_date(), "2017-07-01");
  EXPECT_EQ(created.periods(1).as_of(), "2017-09-30");
  EXPECT_EQ(created.periods(1).due_date(), "2017-10-14");
  EXPECT_EQ(created.periods(3).as_of(), "2018-03-31");

  // The state machine: each change is its own method, in order.
  v1::Period p;
  ASSERT_TRUE(Open(created.periods(0).name(), &p).ok());
  EXPECT_EQ(p.state(), v1::Period::OPEN);
  EXPECT_TRUE(p.has_open_time());
  EXPECT_EQ(Open(created.periods(0).name()).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::PeriodTransitionRequest review;
  review.set_name(created.periods(1).name());
  EXPECT_EQ(stub().StartPeriodReview(Who("pa", "PLANNER").get(), review, &p).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  review.set_name(created.periods(0).name());
  review.set_etag("W/\"bogus\"");
  EXPECT_NE(stub().StartPeriodReview(Who("pa", "PLANNER").get(), review, &p).error_code(),
            grpc::StatusCode::OK);
  review.clear_etag();
  ASSERT_TRUE(stub().StartPeriodReview(Who("pa", "PLANNER").get(), review, &p).ok());
  EXPECT_EQ(p.state(), v1::Period::IN_REVIEW);

  v1::ListPeriodsRequest list;
  list.set_parent(Plan("pa", "2018-19"));
  list.set_page_size(3);
  v1::ListPeriodsResponse page;
  ASSERT_TRUE(stub().ListPeriods(Who("pa", "VIEWER").get(), list, &page).ok());
  EXPECT_EQ(page.periods_size(), 3);
  list.set_page_token(page.next_page_token());
  ASSERT_TRUE(stub().ListPeriods(Who("pa", "VIEWER").get(), list, &page).ok());
  ASSERT_EQ(page.periods_size(), 1);
  EXPECT_EQ(page.periods(0).as_of(), "2018-03-31");

  // Another organisation's period answers as a missing one.
  v1::GetPeriodRequest other;
  other.set_name(q2.name());
  EXPECT_EQ(stub().GetPeriod(Who("someone-else", "ADMIN").get(), other, &p).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(PeriodTest, DueUpdatesFollowTheRoundAndItsSignOff) {
  auto activities = world_->MakePlan("pb", "2017-18");
  const std::string plan = Plan("pb", "2017-18");
  v1::Milestone a = world_->Create("pb", "2017-18", activities[0], "A", "PLACE", "2017-12-31", 1);
  v1::Milestone b = world_->Create("pb", "2017-18", activities[0], "B", "PLACE", "2017-12-31", 2);
  v1::Milestone c = world_->Create("pb", "2017-18", activities[1], "C", "HAC", "2017-12-31", 1);
  v1::Milestone d = world_->Create("pb", "2017-18", activities[1], "D", "HAC", "2017-12-31", 2);
  v1::Milestone done =
      world_->Create("pb", "2017-18", activities[2], "Done", "HAC", "2017-06-30", 1);
  // Completed in June: owes nothing to Q2.
  ASSERT_TRUE(Progress("pb", done.name(), v1::COMPLETED, 100, "", At(2017, 6, 20)).ok());
  v1::Period q2;
  ASSERT_TRUE(
      CreatePeriod("pb", "2017-18", "q2", "2017-07-01", "2017-09-30", "2017-10-14", false, &q2)
          .ok());
  ASSERT_TRUE(Open(q2.name()).ok());

  auto due = Due("pb", q2.name());
  EXPECT_EQ(due.total(), 4);
  for (const auto& item : due.due()) {
    EXPECT_EQ(item.state(), v1::MISSING) << item.milestone();
    EXPECT_NE(item.milestone(), done.name());
  }
  // An update effective in the period counts; one effective after it does
  // not (it speaks for Q3).
  ASSERT_TRUE(Progress("pb", a.name(), v1::ON_TARGET, 40, "fine", At(2017, 9, 30)).ok());
  ASSERT_TRUE(Progress("pb", c.name(), v1::DELAYED, 10, "late", At(2017, 9, 29)).ok());
  ASSERT_TRUE(Progress("pb", d.name(), v1::ON_TARGET, 20, "q3", At(2017, 10, 2)).ok());
  auto states = StateByMilestone(Due("pb", q2.name()));
  EXPECT_EQ(states[a.name()], v1::SUBMITTED);
  EXPECT_EQ(states[b.name()], v1::MISSING);
  EXPECT_EQ(states[c.name()], v1::SUBMITTED);
  EXPECT_EQ(states[d.name()], v1::MISSING);

  // Counts by directorate and state, over all matches.
  due = Due("pb", q2.name(), "", {v1::MISSING});
  EXPECT_EQ(due.total(), 2);
  ASSERT_EQ(due.counts_size(), 2);
  EXPECT_EQ(due.counts(0).directorate(), "HAC");
  EXPECT_EQ(due.counts(0).state(), v1::MISSING);
  EXPECT_EQ(due.counts(0).milestones(), 1);
  EXPECT_EQ(due.counts(1).directorate(), "PLACE");

  // A token limited to PLACE sees what PLACE owes.
  due = Due("pb", q2.name(), "PLACE");
  EXPECT_EQ(due.total(), 2);

  // Sign-off: approve a's, return c's with a reason (required).
  std::string a_update = LatestUpdate("pb", a.name());
  std::string c_update = LatestUpdate("pb", c.name());
  v1::UpdateReview review;
  ASSERT_TRUE(Review("pb", a_update, v1::APPROVE, "", "", &review).ok());
  EXPECT_EQ(review.reviewed_by(), "reviewer");
  EXPECT_EQ(review.period(), q2.name());
  EXPECT_EQ(Review("pb", a_update, v1::APPROVE).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  grpc::Status no_reason = Review("pb", c_update, v1::RETURN);
  EXPECT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_reason.error_message(), HasSubstr("reason"));
  EXPECT_EQ(Review("pb", c_update, v1::REVIEW_ACTION_UNSPECIFIED).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Review("pb", c_update, v1::RETURN, "say what the delay is").ok());
  // A limited planner reviews only its directorates.
  EXPECT_EQ(Review("pb", c_update, v1::APPROVE, "", "PLACE").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The update of another period (Q3) is reviewed in none while Q3 does not
  // exist; another organisation's is not found.
  EXPECT_EQ(Review("pb", LatestUpdate("pb", d.name()), v1::APPROVE).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Review("pc", a_update, v1::APPROVE).error_code(), grpc::StatusCode::NOT_FOUND);
  const std::string other_org = "organisations/pc/plans/2017-18/milestones/" +
                                a.name().substr(a.name().rfind('/') + 1) + "/updates/" +
                                a_update.substr(a_update.rfind('/') + 1);
  EXPECT_EQ(Review("pc", other_org, v1::APPROVE).error_code(), grpc::StatusCode::NOT_FOUND);

  due = Due("pb", q2.name());
  for (const auto& item : due.due()) {
    if (item.milestone() == c.name()) {
      EXPECT_EQ(item.state(), v1::RETURNED);
      EXPECT_EQ(item.return_reason(), "say what the delay is");
      EXPECT_EQ(item.reviewed_by(), "reviewer");
    }
    if (item.milestone() == a.name()) {
      EXPECT_EQ(item.state(), v1::APPROVED);
      EXPECT_EQ(item.update(), a_update);
    }
  }
  // The officer resubmits: a new update, SUBMITTED again; the returned one
  // is superseded and can no longer be reviewed.
  ASSERT_TRUE(
      Progress("pb", c.name(), v1::DELAYED, 10, "contractor late; new date agreed", At(2017, 9, 30))
          .ok());
  EXPECT_EQ(StateByMilestone(Due("pb", q2.name()))[c.name()], v1::SUBMITTED);
  grpc::Status superseded = Review("pb", c_update, v1::APPROVE);
  EXPECT_EQ(superseded.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(superseded.error_message(), HasSubstr("superseded"));

  // Every step is kept, oldest first.
  v1::ListUpdateReviewsRequest list;
  list.set_parent(q2.name());
  v1::ListUpdateReviewsResponse reviews;
  ASSERT_TRUE(stub().ListUpdateReviews(Who("pb", "VIEWER").get(), list, &reviews).ok());
  ASSERT_EQ(reviews.reviews_size(), 2);
  EXPECT_EQ(reviews.reviews(0).action(), v1::APPROVE);
  EXPECT_EQ(reviews.reviews(1).action(), v1::RETURN);
  EXPECT_EQ(reviews.reviews(1).reason(), "say what the delay is");

  // A retried review (same request id) is answered once.
  std::string new_c = LatestUpdate("pb", c.name());
  v1::UpdateReview first, again;
  ASSERT_TRUE(Review("pb", new_c, v1::APPROVE, "", "", &first, "review-c-1").ok());
  ASSERT_TRUE(Review("pb", new_c, v1::APPROVE, "", "", &again, "review-c-1").ok());
  EXPECT_EQ(first.review_time().seconds(), again.review_time().seconds());
  EXPECT_EQ(first.review_time().nanos(), again.review_time().nanos());
  ASSERT_TRUE(stub().ListUpdateReviews(Who("pb", "VIEWER").get(), list, &reviews).ok());
  EXPECT_EQ(reviews.reviews_size(), 3);

  // The gauge agrees with the list (computed at scrape).
  const std::string series =
      "goldenthread_updates_due{directorate=\"PLACE\",organisation=\"pb\","
      "period=\"q2\",plan=\"2017-18\",state=\"MISSING\"}";
  EXPECT_EQ(Metric(series), 1);
  EXPECT_EQ(Metric("goldenthread_updates_due{directorate=\"HAC\",organisation=\"pb\","
                   "period=\"q2\",plan=\"2017-18\",state=\"APPROVED\"}"),
            1);
  EXPECT_GT(Metric("goldenthread_period_due_date_seconds{organisation=\"pb\",period=\"q2\","
                   "plan=\"2017-18\"}"),
            0);

  // Stale: no update recorded in the last N days. Everything here was
  // recorded just now, except b and d (never).
  v1::ListDueUpdatesRequest stale;
  stale.set_parent(q2.name());
  stale.set_stale_days(1);
  v1::ListDueUpdatesResponse stale_due;
  ASSERT_TRUE(stub().ListDueUpdates(Who("pb", "VIEWER").get(), stale, &stale_due).ok());
  EXPECT_EQ(stale_due.total(), 1);  // b (d has a Q3 update recorded now)
  stale.set_stale_days(-1);
  EXPECT_EQ(stub().ListDueUpdates(Who("pb", "VIEWER").get(), stale, &stale_due).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(PeriodTest, PublicationWaitsForApprovalThenFreezesThePack) {
  auto activities = world_->MakePlan("pd", "2017-18");
  v1::Milestone a = world_->Create("pd", "2017-18", activities[0], "A", "PLACE", "2017-12-31", 1);
  v1::Milestone b = world_->Create("pd", "2017-18", activities[1], "B", "HAC", "2017-12-31", 1);
  v1::Period q2;
  ASSERT_TRUE(
      CreatePeriod("pd", "2017-18", "q2", "2017-07-01", "2017-09-30", "2017-10-14", true, &q2)
          .ok());
  EXPECT_EQ(Publish("pd", q2.name(), {}, true).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // not open yet
  ASSERT_TRUE(Open(q2.name()).ok());
  ASSERT_TRUE(Progress("pd", a.name(), v1::ON_TARGET, 50, "", At(2017, 9, 30)).ok());
  ASSERT_TRUE(Review("pd", LatestUpdate("pd", a.name()), v1::APPROVE).ok());

  // Refused while b is missing, naming it; nothing stored.
  grpc::Status blocked = Publish("pd", q2.name(), {{"progress.md", "# Q2\n"}});
  EXPECT_EQ(blocked.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(blocked.error_message(), HasSubstr(b.name() + " (MISSING, HAC)"));
  EXPECT_THAT(blocked.error_message(), ::testing::Not(HasSubstr(a.name() + " ")));
  EXPECT_EQ(Rows("period_pack_files"), 0);

  ASSERT_TRUE(Progress("pd", b.name(), v1::ON_TARGET, 10, "", At(2017, 9, 30)).ok());
  EXPECT_THAT(Publish("pd", q2.name(), {}, true).error_message(), HasSubstr("(SUBMITTED, HAC)"));
  ASSERT_TRUE(Review("pd", LatestUpdate("pd", b.name()), v1::APPROVE).ok());
  v1::Period checked;
  EXPECT_TRUE(Publish("pd", q2.name(), {}, true, &checked).ok());
  EXPECT_EQ(checked.state(), v1::Period::OPEN);  // checked, not published
  EXPECT_TRUE(checked.pack_sha256().empty());

  // Bad files: named, nothing stored.
  grpc::Status bad_name = Publish("pd", q2.name(), {{"../x", "x"}});
  EXPECT_EQ(bad_name.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_name.error_message(), HasSubstr("files[0].filename"));
  EXPECT_EQ(Publish("pd", q2.name(), {}).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  std::map<std::string, std::string> files = {{"progress.html", "<h1>Q2</h1>"},
                                              {"progress.md", "# Q2\n"}};
  v1::Period published;
  absl::Time at = absl::Now();
  ASSERT_TRUE(Publish("pd", q2.name(), files, false, &published, "publish-pd-q2", at).ok());
  EXPECT_EQ(published.state(), v1::Period::PUBLISHED);
  std::string manifest = absl::StrCat(Sha256Hex("<h1>Q2</h1>"), "  progress.html\n",
                                      Sha256Hex("# Q2\n"), "  progress.md\n");
  EXPECT_EQ(published.pack_sha256(), Sha256Hex(manifest));

  // A retry with the same id answers the publication; another is refused.
  v1::Period retried;
  ASSERT_TRUE(Publish("pd", q2.name(), {}, true, &retried, "publish-pd-q2").ok());
  EXPECT_EQ(retried.pack_sha256(), published.pack_sha256());
  grpc::Status twice = Publish("pd", q2.name(), files);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(twice.error_message(), HasSubstr("already published"));
  EXPECT_EQ(Rows("period_pack_files"), 2);

  // Frozen: no transition, no review; later updates change nothing stored.
  EXPECT_EQ(Open(q2.name()).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Progress("pd", a.name(), v1::DELAYED, 50, "restated", At(2017, 9, 15)).ok());
  EXPECT_EQ(Review("pd", LatestUpdate("pd", a.name()), v1::APPROVE).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::GetPeriodPackRequest get;
  get.set_name(q2.name());
  v1::PeriodPack pack;
  ASSERT_TRUE(stub().GetPeriodPack(Who("pd", "VIEWER").get(), get, &pack).ok());
  EXPECT_EQ(pack.sha256(), published.pack_sha256());
  ASSERT_EQ(pack.files_size(), 2);
  EXPECT_EQ(pack.files(0).filename(), "progress.html");
  EXPECT_TRUE(pack.files(0).content().empty());
  get.set_filename("progress.md");
  ASSERT_TRUE(stub().GetPeriodPack(Who("pd", "VIEWER").get(), get, &pack).ok());
  ASSERT_EQ(pack.files_size(), 1);
  EXPECT_EQ(pack.files(0).content(), "# Q2\n");
  EXPECT_EQ(pack.files(0).sha256(), Sha256Hex("# Q2\n"));
  get.set_filename("missing.md");
  EXPECT_EQ(stub().GetPeriodPack(Who("pd", "VIEWER").get(), get, &pack).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(PeriodTest, ALimitedTokenWritesOnlyItsDirectorates) {
  auto activities = world_->MakePlan("pe", "2017-18");
  v1::Milestone place =
      world_->Create("pe", "2017-18", activities[0], "Place", "PLACE", "2017-12-31", 1);
  v1::Milestone hac = world_->Create("pe", "2017-18", activities[0], "Hac", "HAC", "2017-12-31", 2);
  v1::Milestone joint =
      world_->Create("pe", "2017-18", activities[0], "Joint", "HAC/PLACE", "2017-12-31", 3);
  const std::string scope = "PLACE";
  auto rows = [&] { return Rows("milestone_updates"); };

  for (const std::string& role : {std::string("UPDATER"), std::string("PLANNER")}) {
    SCOPED_TRACE(role);
    const int before = rows();
    v1::Milestone out;
    v1::UpdateMilestoneProgressRequest progress;
    progress.set_name(hac.name());
    progress.set_status(v1::ON_TARGET);
    grpc::Status denied =
        stub().UpdateMilestoneProgress(Who("pe", role, scope).get(), progress, &out);
    EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(denied.error_message(), HasSubstr("HAC"));
    progress.set_name(place.name());
    EXPECT_TRUE(stub().UpdateMilestoneProgress(Who("pe", role, scope).get(), progress, &out).ok());
    progress.set_name(joint.name());
    EXPECT_TRUE(stub().UpdateMilestoneProgress(Who("pe", role, scope).get(), progress, &out).ok());
    // Directorates compare as codes do: case and spacing aside.
    progress.set_name(place.name());
    EXPECT_TRUE(
        stub().UpdateMilestoneProgress(Who("pe", role, "place").get(), progress, &out).ok());

    v1::ReviseDeadlineRequest revise;
    revise.set_name(hac.name());
    revise.set_new_deadline("2018-01-31");
    revise.set_reason("later");
    EXPECT_EQ(stub().ReviseDeadline(Who("pe", role, scope).get(), revise, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);

    // A batch with one milestone out of scope writes nothing.
    v1::BatchCreateMilestoneUpdatesRequest batch;
    batch.set_parent(Plan("pe", "2017-18"));
    auto* in = batch.add_requests()->mutable_progress();
    in->set_name(place.name());
    in->set_status(v1::DELAYED);
    in->set_comment("why");
    auto* out_of_scope = batch.add_requests()->mutable_progress();
    out_of_scope->set_name(hac.name());
    out_of_scope->set_status(v1::ON_TARGET);
    v1::BatchCreateMilestoneUpdatesResponse batch_out;
    EXPECT_EQ(stub()
                  .BatchCreateMilestoneUpdates(Who("pe", role, scope).get(), batch, &batch_out)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(rows(), before + 3);  // the three single updates above

    v1::UpdateMilestoneRequest edit;
    edit.mutable_milestone()->set_name(hac.name());
    edit.mutable_milestone()->set_title("renamed");
    EXPECT_EQ(stub().UpdateMilestone(Who("pe", role, scope).get(), edit, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    edit.mutable_milestone()->set_name(place.name());
    edit.mutable_milestone()->set_directorate("HAC");
    edit.mutable_update_mask()->add_paths("directorate");
    EXPECT_EQ(stub().UpdateMilestone(Who("pe", role, scope).get(), edit, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);

    v1::DeleteMilestoneRequest del;
    del.set_name(hac.name());
    google::protobuf::Empty empty;
    EXPECT_EQ(stub().DeleteMilestone(Who("pe", role, scope).get(), del, &empty).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);

    v1::CreateMilestoneRequest create;
    create.set_parent(Plan("pe", "2017-18"));
    create.mutable_milestone()->set_activity(activities[0]);
    create.mutable_milestone()->set_title("new");
    create.mutable_milestone()->set_directorate("HAC");
    EXPECT_EQ(stub().CreateMilestone(Who("pe", role, scope).get(), create, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);

    v1::ReconcileMilestonesRequest reconcile;
    reconcile.set_parent(Plan("pe", "2017-18"));
    v1::ReconcileMilestonesResponse reconciled;
    EXPECT_EQ(stub()
                  .ReconcileMilestones(Who("pe", role, scope).get(), reconcile, &reconciled)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::Period period;
    v1::CreatePeriodRequest create_period;
    create_period.set_parent(Plan("pe", "2017-18"));
    create_period.set_period_id("q1");
    EXPECT_EQ(
        stub().CreatePeriod(Who("pe", role, scope).get(), create_period, &period).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
  }
  // Nothing out of scope was written: HAC's milestone has its first row only.
  EXPECT_EQ(world_->HistoryRows(hac.name()), 0);
  v1::GetMilestoneRequest get;
  get.set_name(hac.name());
  v1::Milestone now;
  ASSERT_TRUE(stub().GetMilestone(Who("pe", "VIEWER").get(), get, &now).ok());
  EXPECT_EQ(now.title(), "Hac");
  EXPECT_EQ(now.current_deadline(), "2017-12-31");
}

}  // namespace
}  // namespace gt::milestone
