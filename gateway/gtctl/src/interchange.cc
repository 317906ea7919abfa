#include "interchange.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gt/csv.h"
#include "gt/dates.h"
#include "gt/request_check.h"
#include "gt/status.h"

namespace gt::gtctl {

namespace v1 = goldenthread::v1;
namespace iv1 = goldenthread::gtctl::v1;

namespace {

template <typename Node>
void StripNode(Node& node) {
  node.clear_name();
  node.clear_parent();
  node.clear_etag();
  node.clear_position();
}

void StripMeasures(google::protobuf::RepeatedPtrField<v1::Measure>& measures) {
  for (auto& m : measures) {
    StripNode(m);
  }
}

std::string PathOf(const std::string& p, const std::string& o, const std::string& a) {
  return absl::StrCat(p, kPathSeparator, o, kPathSeparator, a);
}

// Activity path (codes joined) -> indices in the tree.
std::map<std::string, std::vector<int>> ActivityIndex(const v1::PlanTree& tree) {
  std::map<std::string, std::vector<int>> index;
  for (int p = 0; p < tree.priorities_size(); ++p) {
    const auto& priority = tree.priorities(p);
    for (int o = 0; o < priority.outcomes_size(); ++o) {
      const auto& outcome = priority.outcomes(o);
      for (int a = 0; a < outcome.activities_size(); ++a) {
        index.emplace(PathOf(priority.code(), outcome.code(), outcome.activities(a).code()),
                      std::vector<int>{p, o, a});
      }
    }
  }
  return index;
}

}  // namespace

v1::PlanTree StripTree(const v1::PlanTree& tree) {
  v1::PlanTree out = tree;
  v1::Plan* plan = out.mutable_plan();
  plan->clear_name();
  plan->clear_etag();
  plan->clear_create_time();
  plan->clear_update_time();
  for (auto& priority : *out.mutable_priorities()) {
    StripNode(priority);
    StripMeasures(*priority.mutable_measures());
    for (auto& outcome : *priority.mutable_outcomes()) {
      StripNode(outcome);
      StripMeasures(*outcome.mutable_measures());
      for (auto& activity : *outcome.mutable_activities()) {
        StripNode(activity);
      }
    }
  }
  return out;
}

absl::StatusOr<iv1::PlanDocument> ToDocument(
    const v1::PlanTree& tree, const std::vector<v1::Milestone>& milestones,
    const std::map<std::string, std::string>& revision_reasons) {
  iv1::PlanDocument document;
  document.set_format(kFormat);
  *document.mutable_tree() = StripTree(tree);
  // Activity name -> (order in the tree, codes).
  struct Place {
    int order;
    const v1::Priority* priority;
    const v1::Outcome* outcome;
    const v1::Activity* activity;
  };
  std::map<std::string, Place> places;
  int order = 0;
  for (const auto& p : tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        places[a.name()] = Place{order++, &p, &o, &a};
      }
    }
  }
  struct Row {
    int order;
    int ordinal;
    size_t index;
  };
  std::vector<Row> rows;
  for (size_t i = 0; i < milestones.size(); ++i) {
    auto it = places.find(milestones[i].activity());
    if (it == places.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("milestone ", milestones[i].name(), " is under activity ",
                       milestones[i].activity(), ", which is not in the plan's tree"));
    }
    rows.push_back({it->second.order, milestones[i].ordinal(), i});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.order, a.ordinal) < std::tie(b.order, b.ordinal);
  });
  for (const Row& row : rows) {
    const v1::Milestone& m = milestones[row.index];
    const Place& place = places[m.activity()];
    iv1::PlanMilestone* out = document.add_milestones();
    out->set_priority_code(place.priority->code());
    out->set_outcome_code(place.outcome->code());
    out->set_activity_code(place.activity->code());
    out->set_ordinal(m.ordinal());
    out->set_title(m.title());
    out->set_lead_officer(m.lead_officer());
    out->set_directorate(m.directorate());
    out->set_baseline_deadline(m.baseline_deadline());
    out->set_current_deadline(m.current_deadline());
    out->set_status(m.status());
    out->set_percent_complete(m.percent_complete());
    out->set_comment(m.latest_comment());
    out->set_name(m.name());
    out->set_deadline_assumed(m.deadline_assumed());
    if (auto reason = revision_reasons.find(m.name()); reason != revision_reasons.end()) {
      out->set_revision_reason(reason->second);
    }
  }
  return document;
}

absl::StatusOr<importers::ImportedPlan> ToImportedPlan(const iv1::PlanDocument& document) {
  importers::ImportedPlan plan;
  plan.tree = StripTree(document.tree());
  auto index = ActivityIndex(plan.tree);
  std::vector<std::string> errors;
  for (int i = 0; i < document.milestones_size(); ++i) {
    const iv1::PlanMilestone& m = document.milestones(i);
    std::string path = PathOf(m.priority_code(), m.outcome_code(), m.activity_code());
    auto it = index.find(path);
    if (it == index.end()) {
      errors.push_back(absl::StrCat("milestones[", i, "] (\"", m.title().substr(0, 60),
                                    "\"): no activity \"", path, "\" in the tree"));
      continue;
    }
    importers::ImportedMilestone out;
    out.activity_path = it->second;
    v1::Milestone& mm = out.milestone;
    mm.set_name(m.name());
    mm.set_deadline_assumed(m.deadline_assumed());
    mm.set_ordinal(m.ordinal());
    mm.set_title(m.title());
    mm.set_lead_officer(m.lead_officer());
    mm.set_directorate(m.directorate());
    mm.set_baseline_deadline(m.baseline_deadline());
    mm.set_current_deadline(m.current_deadline());
    mm.set_status(m.status());
    mm.set_percent_complete(m.percent_complete());
    mm.set_latest_comment(m.comment());
    plan.milestones.push_back(std::move(out));
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  return plan;
}

std::string IndentJson(absl::string_view in) {
  std::string out;
  int depth = 0;
  bool in_string = false;
  auto newline = [&] {
    out += '\n';
    out.append(2 * depth, ' ');
  };
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < in.size()) {
        out += in[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[':
        if (i + 1 < in.size() && (in[i + 1] == '}' || in[i + 1] == ']')) {
          out += c;
          out += in[++i];
          break;
        }
        out += c;
        ++depth;
        newline();
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ": ";
        break;
      case ' ':
      case '\n':
      case '\t':
      case '\r':
        break;
      default:
        out += c;
    }
  }
  out += '\n';
  return out;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string compact;
  // Only fails for messages that cannot be JSON (none of ours).
  (void)google::protobuf::util::MessageToJsonString(message, &compact, options);
  return IndentJson(compact);
}

absl::StatusOr<iv1::PlanDocument> ParseDocumentJson(absl::string_view json) {
  iv1::PlanDocument document;
  google::protobuf::util::JsonParseOptions options;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &document, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a plan interchange document: ", std::string(status.message())));
  }
  if (document.format() != kFormat) {
    return absl::InvalidArgumentError(
        absl::StrCat("format must be \"", kFormat, "\", got \"", document.format(), "\""));
  }
  return document;
}

std::string ToCsv(const iv1::PlanDocument& document) {
  std::string out = absl::StrCat(kCsvHeader, "\r\n");
  for (const auto& m : document.milestones()) {
    std::vector<std::string> fields = {
        m.name(),
        PathOf(m.priority_code(), m.outcome_code(), m.activity_code()),
        absl::StrCat(m.ordinal()),
        m.title(),
        m.lead_officer(),
        m.directorate(),
        m.baseline_deadline(),
        m.current_deadline(),
        m.status() == v1::MILESTONE_STATUS_UNSPECIFIED ? "" : v1::MilestoneStatus_Name(m.status()),
        absl::StrCat(m.percent_complete()),
        m.comment(),
        m.revision_reason(),
        m.deadline_assumed() ? "yes" : ""};
    std::vector<std::string> quoted;
    for (const auto& f : fields) {
      quoted.push_back(CsvCell(f));
    }
    absl::StrAppend(&out, absl::StrJoin(quoted, ","), "\r\n");
  }
  return out;
}

absl::StatusOr<std::vector<CsvRecord>> ReadCsv(absl::string_view csv) {
  std::vector<CsvRecord> records;
  int line = 1;
  size_t i = 0;
  // A UTF-8 byte order mark, as spreadsheets write it.
  if (absl::StartsWith(csv, "\xEF\xBB\xBF")) {
    i = 3;
  }
  while (i < csv.size()) {
    CsvRecord record;
    record.line = line;
    std::string field;
    bool quoted = false;
    bool end_of_record = false;
    while (!end_of_record) {
      if (i >= csv.size()) {
        if (quoted) {
          return absl::InvalidArgumentError(
              absl::StrCat("line ", record.line, ": a quoted field is not closed"));
        }
        end_of_record = true;
        break;
      }
      char c = csv[i++];
      if (quoted) {
        if (c == '"') {
          if (i < csv.size() && csv[i] == '"') {
            field += '"';
            ++i;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') {
            ++line;
          }
          field += c;
        }
      } else if (c == '"' && field.empty()) {
        quoted = true;
      } else if (c == ',') {
        record.fields.push_back(std::move(field));
        field.clear();
      } else if (c == '\r' && i < csv.size() && csv[i] == '\n') {
        ++i;
        ++line;
        end_of_record = true;
      } else if (c == '\n') {
        ++line;
        end_of_record = true;
      } else {
        field += c;
      }
    }
    record.fields.push_back(std::move(field));
    bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank) {
      records.push_back(std::move(record));
    }
  }
  return records;
}

absl::StatusOr<CsvMilestones> ReadMilestonesCsv(absl::string_view csv, const v1::PlanTree& tree) {
  auto records = ReadCsv(csv);
  if (!records.ok()) {
    return records.status();
  }
  const std::string header = records->empty() ? "" : absl::StrJoin((*records)[0].fields, ",");
  // The columns of the header read: the older one has no id and no reason.
  const bool with_ids = header == kCsvHeader;
  if (!with_ids && header != kCsvHeaderWithoutIds) {
    return absl::InvalidArgumentError(
        absl::StrCat("line 1: the header must be exactly: ", kCsvHeader));
  }
  const size_t columns = with_ids ? 13 : 10;
  const size_t o = with_ids ? 1 : 0;  // offset of activity_code_path
  iv1::PlanDocument placed;
  *placed.mutable_tree() = StripTree(tree);
  auto index = ActivityIndex(placed.tree());
  CsvMilestones out;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    const auto& f = record.fields;
    auto error = [&](const std::string& what) {
      out.errors.push_back(absl::StrCat("line ", record.line, ": ", what));
    };
    if (f.size() != columns) {
      error(absl::StrCat("expected ", columns, " fields, got ", f.size()));
      continue;
    }
    bool utf8 = true;
    for (size_t t = 0; t < f.size() && utf8; ++t) {
      if (!IsValidUtf8(f[t])) {
        error(absl::StrCat("field ", t + 1, " is not valid UTF-8 (save the file as UTF-8)"));
        utf8 = false;
      }
    }
    if (!utf8) {
      continue;
    }
    // A live spreadsheet formula is refused (an export writes such text with
    // a leading apostrophe, which is taken off again here).
    bool formula = false;
    std::vector<size_t> text_fields = {o + 2, o + 3, o + 4, o + 9};
    if (with_ids) {
      text_fields.push_back(11);
    }
    for (size_t t : text_fields) {
      if (IsFormulaLike(f[t])) {
        error(absl::StrCat("field ", t + 1, " starts with '", absl::CEscape(f[t].substr(0, 1)),
                           "': a spreadsheet formula is not imported (write it as text, "
                           "with a leading apostrophe)"));
        formula = true;
      }
    }
    if (formula) {
      continue;
    }
    iv1::PlanMilestone m;
    if (with_ids) {
      m.set_name(std::string(absl::StripAsciiWhitespace(f[0])));
      m.set_revision_reason(CsvCellText(f[11]));
      const std::string assumed = absl::AsciiStrToLower(absl::StripAsciiWhitespace(f[12]));
      if (assumed == "yes" || assumed == "true") {
        m.set_deadline_assumed(true);
      } else if (!assumed.empty() && assumed != "no" && assumed != "false") {
        error(absl::StrCat("deadline_assumed must be yes, no or empty, got \"", f[12], "\""));
        continue;
      }
    }
    std::vector<std::string> path = absl::StrSplit(f[o], kPathSeparator);
    if (index.find(f[o]) == index.end() || path.size() != 3) {
      error(absl::StrCat("activity_code_path \"", f[o],
                         "\" is not an activity of the plan (priority / outcome / activity)"));
      continue;
    }
    m.set_priority_code(path[0]);
    m.set_outcome_code(path[1]);
    m.set_activity_code(path[2]);
    int number = 0;
    if (!f[o + 1].empty() && !absl::SimpleAtoi(f[o + 1], &number)) {
      error(absl::StrCat("ordinal must be a whole number, got \"", f[o + 1], "\""));
      continue;
    }
    m.set_ordinal(number);
    if (f[o + 2].empty()) {
      error("title is required");
      continue;
    }
    m.set_title(CsvCellText(f[o + 2]));
    m.set_lead_officer(CsvCellText(f[o + 3]));
    m.set_directorate(CsvCellText(f[o + 4]));
    bool dates_ok = true;
    for (size_t d : {o + 5, o + 6}) {
      if (auto s =
              ValidateOptionalDate(d == o + 5 ? "baseline_deadline" : "current_deadline", f[d]);
          !s.ok()) {
        error(std::string(s.message()));
        dates_ok = false;
      }
    }
    if (!dates_ok) {
      continue;
    }
    m.set_baseline_deadline(f[o + 5]);
    m.set_current_deadline(f[o + 6]);
    std::string status = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(f[o + 7]));
    std::replace(status.begin(), status.end(), ' ', '_');
    v1::MilestoneStatus parsed = v1::MILESTONE_STATUS_UNSPECIFIED;
    if (!status.empty() && (!v1::MilestoneStatus_Parse(status, &parsed) ||
                            parsed == v1::MILESTONE_STATUS_UNSPECIFIED)) {
      error(
          absl::StrCat("status must be one of NOT_STARTED, ON_TARGET, DELAYED, COMPLETED, "
                       "DEFERRED, CANCELLED, got \"",
                       f[o + 7], "\""));
      continue;
    }
    m.set_status(parsed);
    number = 0;
    if (!f[o + 8].empty() && (!absl::SimpleAtoi(f[o + 8], &number) || number < 0 || number > 100)) {
      error(absl::StrCat("percent_complete must be 0..100, got \"", f[o + 8], "\""));
      continue;
    }
    m.set_percent_complete(number);
    m.set_comment(CsvCellText(f[o + 9]));
    out.rows.emplace_back(record.line, std::move(m));
  }
  return out;
}

absl::StatusOr<iv1::PlanDocument> ParseMilestonesCsv(absl::string_view csv,
                                                     const v1::PlanTree& tree) {
  GT_ASSIGN_OR_RETURN(CsvMilestones read, ReadMilestonesCsv(csv, tree));
  if (!read.errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(read.errors, "\n"));
  }
  iv1::PlanDocument document;
  document.set_format(kFormat);
  *document.mutable_tree() = StripTree(tree);
  for (auto& [line, m] : read.rows) {
    *document.add_milestones() = std::move(m);
  }
  return document;
}

}  // namespace gt::gtctl
