// PeriodManager's publication (issue 18): the check and the store of a
// period's pack (RecordPublication, called by report-service), and the
// stored pack read back (GetPeriodPack).
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gt/sha256.h"
#include "gt/status.h"
#include "gt/timestamps.h"
#include "gt/validation.h"
#include "period_manager.h"

namespace gt::milestone {

namespace v1 = goldenthread::v1;

namespace {

constexpr int kMaxPackFiles = 64;
// Items a FAILED_PRECONDITION lists before "and N more".
constexpr size_t kListedBlockers = 20;
// A client clock a little ahead of ours is not a time in the future.
constexpr absl::Duration kClockSkew = absl::Seconds(5);

// A pack file's name: what a client writes to disk as is, so a plain name
// and nothing a path could make of it.
absl::Status CheckFilename(absl::string_view field, absl::string_view name) {
  bool ok = !name.empty() && name.size() <= 100 && name.front() != '.';
  for (char c : name) {
    ok = ok &&
         (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_');
  }
  if (!ok) {
    return InvalidField(field, absl::StrCat("must be 1..100 of [A-Za-z0-9._-], not starting with "
                                            "'.', got '",
                                            absl::CHexEscape(name.substr(0, 100)), "'"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Period> PeriodManager::RecordPublication(
    const Caller& caller, const v1::RecordPublicationRequest& request) {
  GT_ASSIGN_OR_RETURN(PeriodKey key, Scoped(caller, "name", request.name()));
  GT_RETURN_IF_ERROR(Unlimited(caller, "PublishPeriod"));
  const std::string name = PeriodName(key);
  if (!request.has_publish_time()) {
    return InvalidField("publish_time", "is required");
  }
  absl::Time publish = FromTimestamp(request.publish_time());
  absl::Time now = now_();
  if (publish > now + kClockSkew) {
    return InvalidField("publish_time",
                        absl::StrCat("must not be in the future, got ", Instant(publish)));
  }
  std::vector<PackFileRow> files;
  if (!request.validate_only()) {
    if (request.files_size() == 0 || request.files_size() > kMaxPackFiles) {
      return InvalidField("files", absl::StrCat("must hold 1..", kMaxPackFiles, " files, got ",
                                                request.files_size()));
    }
    std::set<std::string> names;
    for (int i = 0; i < request.files_size(); ++i) {
      const v1::PackFile& f = request.files(i);
      const std::string prefix = absl::StrCat("files[", i, "]");
      GT_RETURN_IF_ERROR(CheckFilename(FieldPath(prefix, "filename"), f.filename()));
      GT_RETURN_IF_ERROR(RequiredText(prefix, "content_type", f.content_type(), 100));
      if (!names.insert(f.filename()).second) {
        return InvalidField(FieldPath(prefix, "filename"),
                            absl::StrCat("'", f.filename(), "' is given twice"));
      }
      PackFileRow row;
      row.filename = f.filename();
      row.content_type = f.content_type();
      row.content = f.content();
      row.size_bytes = static_cast<int64_t>(f.content().size());
      row.sha256 = Sha256Hex(f.content());
      files.push_back(std::move(row));
    }
  }
  std::optional<RequestKey> rk;
  if (!request.request_id().empty()) {
    // The key is the period alone: a retry renders the pack again (new
    // generation times, a new publish_time), and its check (validate_only)
    // and its write are one request.
    v1::RecordPublicationRequest body;
    body.set_name(request.name());
    GT_ASSIGN_OR_RETURN(
        rk, KeyOf(key.plan.organisation, request.request_id(), "RecordPublication", body));
  }
  const std::string sha = ManifestSha256(files);
  GT_ASSIGN_OR_RETURN(
      auto written,
      repository_.Publish(
          key, rk ? &*rk : nullptr,
          [&](PeriodRow& p, const DueFacts& facts) -> absl::Status {
            if (p.state == v1::Period::PUBLISHED) {
              return absl::FailedPreconditionError(
                  absl::StrCat("period ", name, " was already published at ",
                               Instant(*p.publish_time), " (pack sha256 ", p.pack_sha256, ")"));
            }
            if (!p.InRound()) {
              return absl::FailedPreconditionError(
                  absl::StrCat("period ", name, " is ", StateName(p.state),
                               "; only an OPEN or IN_REVIEW period can be published"));
            }
            if (p.open_time.has_value() && publish < *p.open_time) {
              return InvalidField("publish_time",
                                  absl::StrCat("must not be before the period opened (",
                                               Instant(*p.open_time), ")"));
            }
            if (p.approval_required) {
              std::vector<std::string> blockers;
              for (const v1::DueUpdate& due : DueOf(key.plan, facts, now)) {
                if (due.state() != v1::APPROVED) {
                  blockers.push_back(absl::StrCat(due.milestone(), " (",
                                                  v1::DueState_Name(due.state()), ", ",
                                                  due.directorate(), ")"));
                }
              }
              if (!blockers.empty()) {
                size_t listed = std::min(blockers.size(), kListedBlockers);
                return absl::FailedPreconditionError(absl::StrCat(
                    "period ", name, " requires approval before publication; ", blockers.size(),
                    " due update", blockers.size() == 1 ? " is" : "s are", " not APPROVED: ",
                    absl::StrJoin(blockers.begin(), blockers.begin() + listed, "; "),
                    blockers.size() > listed
                        ? absl::StrCat("; and ", blockers.size() - listed, " more")
                        : ""));
              }
            }
            p.state = v1::Period::PUBLISHED;
            p.publish_time = absl::FromUnixMicros(absl::ToUnixMicros(publish));
            p.pack_sha256 = sha;
            return absl::OkStatus();
          },
          files, request.validate_only(),
          [&](const PeriodRow& p) { return ToProto(key.plan, p).SerializeAsString(); }));
  if (written.replayed.has_value()) {
    v1::Period answer;
    answer.ParseFromString(*written.replayed);
    return answer;
  }
  return ToProto(key.plan, written.value);
}

absl::StatusOr<v1::PeriodPack> PeriodManager::GetPeriodPack(
    const Caller& caller, const v1::GetPeriodPackRequest& request) {
  GT_ASSIGN_OR_RETURN(PeriodKey key, Scoped(caller, "name", request.name()));
  if (!request.filename().empty()) {
    GT_RETURN_IF_ERROR(CheckFilename("filename", request.filename()));
  }
  GT_ASSIGN_OR_RETURN(PeriodRow period, repository_.GetPeriod(key));
  const std::string name = PeriodName(key);
  if (period.state != v1::Period::PUBLISHED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "period ", name, " is ", StateName(period.state), "; it has a pack once published"));
  }
  GT_ASSIGN_OR_RETURN(std::vector<PackFileRow> files,
                      repository_.PackFiles(key, request.filename()));
  if (!request.filename().empty() && files.empty()) {
    return NotFound("pack file", absl::StrCat(name, "/pack/", request.filename()));
  }
  v1::PeriodPack pack;
  pack.set_period(name);
  *pack.mutable_publish_time() = ToTimestamp(*period.publish_time);
  pack.set_sha256(period.pack_sha256);
  for (PackFileRow& f : files) {
    v1::PackFile* out = pack.add_files();
    out->set_filename(f.filename);
    out->set_content_type(f.content_type);
    out->set_sha256(f.sha256);
    out->set_size_bytes(f.size_bytes);
    if (!request.filename().empty()) {
      out->set_content(std::move(f.content));
    }
  }
  return pack;
}

}  // namespace gt::milestone
