// The plan interchange format (README.md "Plan interchange format"):
//   * JSON: a PlanDocument (proto/interchange.proto) as protobuf JSON with
//     proto field names, fields in field-number order, 2-space indentation
//     and a final newline;
//   * CSV: the milestones of a plan, one per row under a fixed header,
//     RFC 4180 quoting, CRLF line ends.
// Export of the same plan state gives the same bytes; import of an export
// gives back the same plan state.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/importers/importers.h"
#include "goldenthread/v1/milestone.pb.h"
#include "goldenthread/v1/plan.pb.h"
#include "interchange.pb.h"

namespace gt::gtctl {

inline constexpr char kFormat[] = "goldenthread.plan/1";
inline constexpr char kCsvHeader[] =
    "milestone,activity_code_path,ordinal,title,lead_officer,directorate,baseline_deadline,"
    "current_deadline,status,percent_complete,comment,revision_reason,deadline_assumed";
// The header before milestone ids and reasons were exported; still read.
inline constexpr char kCsvHeaderWithoutIds[] =
    "activity_code_path,ordinal,title,lead_officer,directorate,baseline_deadline,"
    "current_deadline,status,percent_complete,comment";
// Separates the priority, outcome and activity codes in the CSV's first column.
inline constexpr char kPathSeparator[] = " / ";

// The tree without what the server assigns (names, parents, etags, positions,
// times), as ImportPlan takes it.
goldenthread::v1::PlanTree StripTree(const goldenthread::v1::PlanTree& tree);

// A plan as the server answers it (GetPlanTree, ListMilestones) -> document.
// Milestones of activities not in the tree are an error.
absl::StatusOr<goldenthread::gtctl::v1::PlanDocument> ToDocument(
    const goldenthread::v1::PlanTree& tree,
    const std::vector<goldenthread::v1::Milestone>& milestones,
    const std::map<std::string, std::string>& revision_reasons = {});

// Document -> what the loader writes (milestones placed by code).
absl::StatusOr<importers::ImportedPlan> ToImportedPlan(
    const goldenthread::gtctl::v1::PlanDocument& document);

std::string ToJson(const google::protobuf::Message& message);
absl::StatusOr<goldenthread::gtctl::v1::PlanDocument> ParseDocumentJson(absl::string_view json);

std::string ToCsv(const goldenthread::gtctl::v1::PlanDocument& document);
// The milestone rows of a CSV that could be read, each with its line, and
// an error "line N: ..." for every row that could not.
struct CsvMilestones {
  std::vector<std::pair<int, goldenthread::gtctl::v1::PlanMilestone>> rows;
  std::vector<std::string> errors;
};
absl::StatusOr<CsvMilestones> ReadMilestonesCsv(absl::string_view csv,
                                                const goldenthread::v1::PlanTree& tree);
// Rows -> document.milestones (placed against `tree`, the plan's tree).
// Every row that cannot be read is an error "line N: ..." (all of them, one
// per line of the message); nothing partial is returned.
absl::StatusOr<goldenthread::gtctl::v1::PlanDocument> ParseMilestonesCsv(
    absl::string_view csv, const goldenthread::v1::PlanTree& tree);

// RFC 4180 reading: records of fields, each with its first line number.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};
absl::StatusOr<std::vector<CsvRecord>> ReadCsv(absl::string_view csv);

// 2-space re-indentation of compact JSON.
std::string IndentJson(absl::string_view compact);

}  // namespace gt::gtctl
