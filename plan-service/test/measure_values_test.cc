// Issue 19, measure values as append-only history, over the real service and
// MariaDB: a value recorded again for its date is a correction, a delete is
// a withdrawal, "as published at T" reads only what was recorded before T,
// a plan's values list in document order, and a create with a request_id
// happens once.
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <cmath>
#include <functional>

#include "absl/strings/str_cat.h"
#include "measure_fixture.h"

namespace gt::plan {
namespace {

namespace v1 = goldenthread::v1;
using google::protobuf::Timestamp;
using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;
using grpc::StatusCode;

class MeasureValuesTest : public MeasureTest {
 protected:
  static v1::CreateMeasureValueRequest ValueRequest(const std::string& measure,
                                                    const std::string& date, double value) {
    v1::CreateMeasureValueRequest request;
    request.set_parent(measure);
    request.mutable_value()->set_date(date);
    request.mutable_value()->set_value(value);
    return request;
  }

  v1::MeasureValue Record(const std::string& measure, const std::string& date, double value,
                          const std::string& subject = "officer") {
    v1::MeasureValue out;
    grpc::Status status = Stub()->CreateMeasureValue(AsSubject(subject).get(),
                                                     ValueRequest(measure, date, value), &out);
    EXPECT_TRUE(status.ok()) << date << ": " << status.error_message();
    return out;
  }

  grpc::Status Withdraw(const std::string& measure, const std::string& date) {
    v1::DeleteMeasureValueRequest request;
    request.set_name(measure + "/values/" + date);
    google::protobuf::Empty empty;
    return Stub()->DeleteMeasureValue(AsSubject("withdrawer").get(), request, &empty);
  }

  // Every page of a listing, in order.
  std::vector<v1::MeasureValue> List(const std::string& parent, bool all_revisions = false,
                                     const Timestamp* published_at = nullptr, int page_size = 0) {
    v1::ListMeasureValuesRequest request;
    request.set_parent(parent);
    request.set_all_revisions(all_revisions);
    request.set_page_size(page_size);
    if (published_at != nullptr) {
      *request.mutable_published_at() = *published_at;
    }
    std::vector<v1::MeasureValue> out;
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListMeasureValuesResponse response;
      grpc::Status status = Stub()->ListMeasureValues(As(kOrg).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      out.insert(out.end(), response.values().begin(), response.values().end());
      if (!status.ok() || response.next_page_token().empty()) {
        break;
      }
      request.set_page_token(response.next_page_token());
    }
    return out;
  }

  // "date=value rN" for each value, "withdrawn" marked: what a reader checks.
  static std::vector<std::string> Summary(const std::vector<v1::MeasureValue>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
      out.push_back(absl::StrCat(v.date(), "=", v.value(), " r", v.revision(),
                                 v.withdrawn() ? " withdrawn" : ""));
    }
    return out;
  }
};

using Strings = std::vector<std::string>;

TEST_F(MeasureValuesTest, BadValuesAreRefusedNamingFieldAndRuleAndWriteNothing) {
  v1::PlanTree tree = Import("v-bad");
  const std::string measure = tree.priorities(0).measures(0).name();
  struct Case {
    std::string label;
    std::function<void(v1::CreateMeasureValueRequest&)> mutate;
    std::string field;
    std::string message;  // empty: only the field is checked
  };
  const std::vector<Case> cases = {
      {"NaN", [](auto& r) { r.mutable_value()->set_value(std::nan("")); }, "value.value", ""},
      {"infinity", [](auto& r) { r.mutable_value()->set_value(HUGE_VAL); }, "value.value", ""},
      {"-infinity", [](auto& r) { r.mutable_value()->set_value(-HUGE_VAL); }, "value.value", ""},
      {"no date", [](auto& r) { r.mutable_value()->clear_date(); }, "value.date",
       "value.date: must not be empty"},
      {"not a day", [](auto& r) { r.mutable_value()->set_date("2017-02-30"); }, "value.date", ""},
      {"not a date", [](auto& r) { r.mutable_value()->set_date("30/06/2017"); }, "value.date", ""},
      {"before the period", [](auto& r) { r.mutable_value()->set_date("2017-03-31"); },
       "value.date",
       "value.date: must be within the period of plan organisations/kpi/plans/v-bad "
       "(2017-04-01 .. 2018-03-31), got 2017-03-31"},
      {"after the period", [](auto& r) { r.mutable_value()->set_date("2018-04-01"); }, "value.date",
       "value.date: must be within the period of plan organisations/kpi/plans/v-bad "
       "(2017-04-01 .. 2018-03-31), got 2018-04-01"},
      {"long note", [](auto& r) { r.mutable_value()->set_note(std::string(1001, 'x')); },
       "value.note", "value.note: must be at most 1000 characters, got 1001"},
  };
  for (const Case& c : cases) {
    v1::CreateMeasureValueRequest request = ValueRequest(measure, "2017-06-30", 71.5);
    request.set_request_id("bad-" + std::to_string(&c - cases.data()));
    c.mutate(request);
    v1::MeasureValue out;
    grpc::Status status = Stub()->CreateMeasureValue(As(kOrg).get(), request, &out);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT)
        << c.label << ": " << status.error_message();
    EXPECT_EQ(FieldOf(status), c.field) << c.label << ": " << status.error_message();
    EXPECT_EQ(status.error_message().rfind(c.field + ": ", 0), 0u) << status.error_message();
    if (!c.message.empty()) {
      EXPECT_EQ(status.error_message(), c.message) << c.label;
    }
  }
  EXPECT_EQ(Rows("measure_value_history", "v-bad"), 0);
  EXPECT_TRUE(List(measure, true).empty());
  // A refused request_id was not claimed: the same id with a good body works.
  v1::CreateMeasureValueRequest good = ValueRequest(measure, "2017-06-30", 71.5);
  good.set_request_id("bad-6");
  v1::MeasureValue out;
  ASSERT_TRUE(Stub()->CreateMeasureValue(As(kOrg).get(), good, &out).ok());

  // The period's first and last days are in it; a note is counted in
  // characters, not bytes.
  v1::CreateMeasureValueRequest edge = ValueRequest(measure, "2017-04-01", 1);
  std::string note;
  for (int i = 0; i < 1000; ++i) {
    note += "é";
  }
  edge.mutable_value()->set_note(note);
  grpc::Status first_day = Stub()->CreateMeasureValue(As(kOrg).get(), edge, &out);
  EXPECT_TRUE(first_day.ok()) << first_day.error_message();
  EXPECT_EQ(out.note(), note);
  edge.mutable_value()->set_date("2018-03-31");
  EXPECT_TRUE(Stub()->CreateMeasureValue(As(kOrg).get(), edge, &out).ok());
  EXPECT_EQ(Rows("measure_value_history", "v-bad"), 3);
}

TEST_F(MeasureValuesTest, ACorrectionIsAppendedAndPublishedAtShowsTheValueAsItStood) {
  v1::PlanTree tree = Import("v-correct");
  const std::string measure = tree.priorities(0).outcomes(0).measures(0).name();
  v1::MeasureValue first = Record(measure, "2017-06-30", 70, "officer-a");
  EXPECT_EQ(first.name(), measure + "/values/2017-06-30");
  EXPECT_EQ(first.revision(), 1);
  EXPECT_EQ(first.recorded_by(), "officer-a");
  EXPECT_FALSE(first.withdrawn());

  // The same date again is a correction, not ALREADY_EXISTS.
  v1::CreateMeasureValueRequest again = ValueRequest(measure, "2017-06-30", 72);
  again.mutable_value()->set_note("validated figure");
  again.mutable_value()->set_provisional(true);
  v1::MeasureValue second;
  grpc::Status corrected = Stub()->CreateMeasureValue(AsSubject("officer-b").get(), again, &second);
  ASSERT_TRUE(corrected.ok()) << corrected.error_message();
  EXPECT_EQ(second.revision(), 2);
  EXPECT_EQ(second.recorded_by(), "officer-b");
  EXPECT_TRUE(second.provisional());
  EXPECT_GT(second.create_time(), first.create_time());

  // Current: the later row only, as it was answered.
  std::vector<v1::MeasureValue> current = List(measure);
  ASSERT_EQ(current.size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(current[0], second))
      << current[0].DebugString() << second.DebugString();
  // History: both, oldest first.
  std::vector<v1::MeasureValue> all = List(measure, true);
  EXPECT_EQ(Summary(all), (Strings{"2017-06-30=70 r1", "2017-06-30=72 r2"}));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(MessageDifferencer::Equals(all[0], first));
  EXPECT_EQ(Rows("measure_value_history", "v-correct"), 2);

  // As published before the correction was recorded: the first value.
  Timestamp at_second = second.create_time();
  EXPECT_EQ(Summary(List(measure, false, &at_second)), (Strings{"2017-06-30=70 r1"}));
  EXPECT_EQ(Summary(List(measure, true, &at_second)), (Strings{"2017-06-30=70 r1"}));
  // Recorded before T is strictly before: at the first row's own time,
  // nothing; a nanosecond later, it.
  Timestamp at_first = first.create_time();
  EXPECT_TRUE(List(measure, false, &at_first).empty());
  Timestamp just_after = at_first + TimeUtil::NanosecondsToDuration(1);
  EXPECT_EQ(Summary(List(measure, false, &just_after)), (Strings{"2017-06-30=70 r1"}));
  Timestamp after_second = at_second + TimeUtil::MicrosecondsToDuration(1);
  EXPECT_EQ(Summary(List(measure, false, &after_second)), (Strings{"2017-06-30=72 r2"}));
  // Long before anything was recorded (and the first instant a Timestamp
  // may be): nothing, not an error.
  Timestamp long_ago = TimeUtil::GetEpoch() - TimeUtil::SecondsToDuration(62135596800);
  EXPECT_TRUE(List(measure, true, &long_ago).empty());
}

TEST_F(MeasureValuesTest, AWithdrawalHidesTheDateButHistoryKeepsIt) {
  v1::PlanTree tree = Import("v-withdraw");
  const std::string measure = tree.priorities(1).measures(0).name();
  Record(measure, "2017-06-30", 70);
  Record(measure, "2017-09-30", 75);
  Record(measure, "2017-09-30", 76);
  grpc::Status withdrawn = Withdraw(measure, "2017-09-30");
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.error_message();

  EXPECT_EQ(Summary(List(measure)), (Strings{"2017-06-30=70 r1"}));
  std::vector<v1::MeasureValue> all = List(measure, true);
  EXPECT_EQ(Summary(all), (Strings{"2017-06-30=70 r1", "2017-09-30=75 r1", "2017-09-30=76 r2",
                                   "2017-09-30=76 r3 withdrawn"}));
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].recorded_by(), "withdrawer");
  // As published just before the withdrawal: the corrected value stands.
  Timestamp before_withdrawal = all[3].create_time();
  EXPECT_EQ(Summary(List(measure, false, &before_withdrawal)),
            (Strings{"2017-06-30=70 r1", "2017-09-30=76 r2"}));

  // Nothing current to withdraw: NOT_FOUND, and nothing is written.
  grpc::Status twice = Withdraw(measure, "2017-09-30");
  EXPECT_EQ(twice.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(twice.error_message(), "measure value " + measure + "/values/2017-09-30 not found");
  EXPECT_EQ(Withdraw(measure, "2017-12-31").error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(Rows("measure_value_history", "v-withdraw"), 4);

  // A value recorded after the withdrawal is the date's next revision.
  EXPECT_EQ(Record(measure, "2017-09-30", 77).revision(), 4);
  EXPECT_EQ(Summary(List(measure)), (Strings{"2017-06-30=70 r1", "2017-09-30=77 r4"}));
}

TEST_F(MeasureValuesTest, APlansValuesListInDocumentOrderPageByPage) {
  v1::PlanTree tree = Import("v-plan");
  const std::string p1 = tree.priorities(0).measures(0).name();
  const std::string o11 = tree.priorities(0).outcomes(0).measures(0).name();
  const std::string o12 = tree.priorities(0).outcomes(1).measures(0).name();
  const std::string p2 = tree.priorities(1).measures(0).name();
  // Created last, so its id is the highest; by position it is priority 1's
  // second measure, before the measures of 1's outcomes.
  v1::CreateMeasureRequest create;
  create.set_parent(tree.priorities(0).name());
  create.mutable_measure()->set_title("Added later");
  v1::Measure late;
  ASSERT_TRUE(Stub()->CreateMeasure(As(kOrg).get(), create, &late).ok());
  ASSERT_GT(IdOf(late.name()), IdOf(p2));

  Record(p2, "2017-06-30", 1);
  Record(o12, "2017-09-30", 2);
  Record(o12, "2017-06-30", 3);
  Record(late.name(), "2017-06-30", 4);
  Record(o11, "2017-06-30", 5);
  Record(p1, "2017-12-31", 6);
  Record(p1, "2017-06-30", 7);
  Record(o12, "2017-06-30", 8);  // a correction

  const Strings expected = {p1 + "/values/2017-06-30=7",          p1 + "/values/2017-12-31=6",
                            late.name() + "/values/2017-06-30=4", o11 + "/values/2017-06-30=5",
                            o12 + "/values/2017-06-30=8",         o12 + "/values/2017-09-30=2",
                            p2 + "/values/2017-06-30=1"};
  auto names = [](const std::vector<v1::MeasureValue>& values) {
    Strings out;
    for (const auto& v : values) {
      out.push_back(absl::StrCat(v.name(), "=", v.value()));
    }
    return out;
  };
  const std::string plan = tree.plan().name();
  EXPECT_EQ(names(List(plan)), expected);
  // Page by page (2 a page): the same, once each.
  EXPECT_EQ(names(List(plan, false, nullptr, 2)), expected);
  EXPECT_EQ(names(List(plan, false, nullptr, 1)), expected);
  // Every revision, in place: the correction's first row before it.
  Strings all = names(List(plan, true, nullptr, 3));
  ASSERT_EQ(all.size(), 8u);
  EXPECT_EQ(all[4], o12 + "/values/2017-06-30=3");
  EXPECT_EQ(all[5], o12 + "/values/2017-06-30=8");

  // A page token belongs to its request.
  v1::ListMeasureValuesRequest request;
  request.set_parent(plan);
  request.set_page_size(2);
  v1::ListMeasureValuesResponse response;
  ASSERT_TRUE(Stub()->ListMeasureValues(As(kOrg).get(), request, &response).ok());
  ASSERT_FALSE(response.next_page_token().empty());
  request.set_page_token(response.next_page_token());
  request.set_all_revisions(true);
  grpc::Status other = Stub()->ListMeasureValues(As(kOrg).get(), request, &response);
  EXPECT_EQ(other.error_code(), StatusCode::INVALID_ARGUMENT) << other.error_message();
  EXPECT_EQ(FieldOf(other), "page_token");

  // A priority is not a parent of values; another organisation's plan and a
  // missing measure are not found.
  request.Clear();
  request.set_parent(tree.priorities(0).name());
  grpc::Status priority = Stub()->ListMeasureValues(As(kOrg).get(), request, &response);
  EXPECT_EQ(priority.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(priority.error_message(), "parent: must be the name of a measure or plan, got '" +
                                          tree.priorities(0).name() + "'");
  EnsureOrganisation("kpi-other");
  request.set_parent(plan);
  grpc::Status foreign = Stub()->ListMeasureValues(As("kpi-other").get(), request, &response);
  EXPECT_EQ(foreign.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(foreign.error_message(), "plan " + plan + " not found");
  request.set_parent(plan + "/measures/999999");
  EXPECT_EQ(Stub()->ListMeasureValues(As(kOrg).get(), request, &response).error_code(),
            StatusCode::NOT_FOUND);
  request.set_parent(tree.plan().name());
  request.set_page_size(-1);
  EXPECT_EQ(Stub()->ListMeasureValues(As(kOrg).get(), request, &response).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(MeasureValuesTest, ARepeatedRequestIdAnswersTheFirstAnswerAndRecordsNothing) {
  v1::PlanTree tree = Import("v-idem");
  const std::string measure = tree.priorities(0).measures(0).name();
  v1::CreateMeasureValueRequest request = ValueRequest(measure, "2017-06-30", 70);
  request.set_request_id("value-1");
  v1::MeasureValue first;
  ASSERT_TRUE(Stub()->CreateMeasureValue(AsSubject("a").get(), request, &first).ok());
  EXPECT_EQ(first.revision(), 1);
  v1::MeasureValue repeat;
  ASSERT_TRUE(Stub()->CreateMeasureValue(AsSubject("a").get(), request, &repeat).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(first, repeat))
      << first.DebugString() << repeat.DebugString();
  EXPECT_EQ(Rows("measure_value_history", "v-idem"), 1);

  // After a correction, the first request repeated still answers its own
  // answer and appends nothing.
  v1::CreateMeasureValueRequest correction = ValueRequest(measure, "2017-06-30", 71);
  correction.set_request_id("value-2");
  v1::MeasureValue second;
  ASSERT_TRUE(Stub()->CreateMeasureValue(AsSubject("a").get(), correction, &second).ok());
  EXPECT_EQ(second.revision(), 2);
  ASSERT_TRUE(Stub()->CreateMeasureValue(AsSubject("a").get(), request, &repeat).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(first, repeat));
  EXPECT_EQ(Rows("measure_value_history", "v-idem"), 2);

  // The same id with another body is refused and writes nothing.
  request.mutable_value()->set_value(99);
  grpc::Status reused = Stub()->CreateMeasureValue(AsSubject("a").get(), request, &repeat);
  EXPECT_EQ(reused.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(reused.error_message(),
            "request_id: 'value-1' was already used for a different request; use a new "
            "request_id for a new request");
  EXPECT_EQ(Rows("measure_value_history", "v-idem"), 2);
  EXPECT_EQ(db_->QueryScalar("SELECT request_id FROM measure_value_history WHERE org_id = 'kpi' "
                             "AND plan_id = 'v-idem' AND revision = 2"),
            "value-2");
}

}  // namespace
}  // namespace gt::plan
