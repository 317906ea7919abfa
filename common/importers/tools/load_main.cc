// gt-load: reads council documents (the layouts of tests/fixtures/seeds) and
// writes them into a running suite as one plan. Several files are merged
// into one plan (e.g. the 2007/08 completed and overdue appendices).
//
//   gt-load --organisation=th --plan_id=2007-08 --effective=2008-03-31 \
//       000_....txt 001_....txt
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/civil_time.h"
#include "common/importers/loader.h"
#include "gt/dates.h"
#include "gt/identity.h"

ABSL_FLAG(std::string, plan_service, "127.0.0.1:50051", "plan-service (or gateway) address");
ABSL_FLAG(std::string, milestone_service, "127.0.0.1:50052",
          "milestone-service (or gateway) address");
ABSL_FLAG(std::string, token, "", "API token, when talking to the gateway");
ABSL_FLAG(std::string, organisation, "", "Organisation id, e.g. th");
ABSL_FLAG(std::string, plan_id, "", "Plan id, e.g. 2017-18");
ABSL_FLAG(std::string, effective, "", "Date the documents' statuses speak for, YYYY-MM-DD");
ABSL_FLAG(bool, replace, false,
          "Replace the plan if it exists, keeping its milestones' ids and history "
          "(reconciled as gtctl import --replace does)");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "gt-load --organisation=ORG --plan_id=ID --effective=YYYY-MM-DD FILE...");
  std::vector<char*> files = absl::ParseCommandLine(argc, argv);
  if (files.size() < 2 || absl::GetFlag(FLAGS_organisation).empty() ||
      absl::GetFlag(FLAGS_plan_id).empty()) {
    std::cerr << "usage: gt-load --organisation=ORG --plan_id=ID --effective=YYYY-MM-DD FILE...\n";
    return 2;
  }
  auto day = gt::ParseDate("--effective", absl::GetFlag(FLAGS_effective));
  if (!day.ok()) {
    std::cerr << day.status().message() << "\n";
    return 2;
  }
  gt::importers::ImportedPlan merged;
  for (size_t i = 1; i < files.size(); ++i) {
    std::ifstream in(files[i]);
    if (!in) {
      std::cerr << files[i] << ": cannot read\n";
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto doc = gt::importers::ReadDocument(text.str());
    if (!doc.ok()) {
      std::cerr << files[i] << ": " << doc.status().message() << "\n";
      return 1;
    }
    for (const auto& line : doc->unplaced) {
      std::cerr << files[i] << ":" << line.line_number << ": not placed (" << line.reason << ")\n";
    }
    for (const auto& w : doc->warnings) {
      std::cerr << files[i] << ":" << w.line_number << ": assumed (" << w.kind << ") "
                << w.what_was_read << " -> " << w.assumed << "\n";
    }
    if (i == 1) {
      merged = std::move(*doc);
      continue;
    }
    size_t before = merged.warnings.size() + doc->warnings.size();
    if (auto s = gt::importers::MergeInto(merged, *doc); !s.ok()) {
      std::cerr << files[i] << ": " << s.message() << "\n";
      return 1;
    }
    for (size_t w = before; w < merged.warnings.size(); ++w) {
      std::cerr << "merge: contradiction (" << merged.warnings[w].kind << ") "
                << merged.warnings[w].what_was_read << " -> " << merged.warnings[w].assumed << "\n";
    }
  }
  auto plans = goldenthread::v1::PlanService::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_plan_service), grpc::InsecureChannelCredentials()));
  auto milestones = goldenthread::v1::MilestoneService::NewStub(grpc::CreateChannel(
      absl::GetFlag(FLAGS_milestone_service), grpc::InsecureChannelCredentials()));
  gt::importers::LoadOptions options;
  options.organisation = absl::GetFlag(FLAGS_organisation);
  options.plan_id = absl::GetFlag(FLAGS_plan_id);
  // End of the day the document speaks for.
  options.effective_at = absl::FromCivil(*day + 1, absl::UTCTimeZone()) - absl::Seconds(1);
  options.replace = absl::GetFlag(FLAGS_replace);
  std::string token = absl::GetFlag(FLAGS_token);
  // Straight to the backends, an operator's tool seals its (empty) identity
  // with the identity key from GT_IDENTITY_KEY_FILE; through the gateway, the
  // token is what counts.
  std::string key;
  if (auto loaded_key = gt::LoadIdentityKey(""); loaded_key.ok()) {
    key = *std::move(loaded_key);
  } else if (!absl::IsNotFound(loaded_key.status())) {
    std::cerr << loaded_key.status().message() << "\n";
    return 1;
  }
  options.decorate = [token, key](grpc::ClientContext& context) {
    if (!token.empty()) {
      context.AddMetadata("authorization", "Bearer " + token);
    }
    if (!key.empty()) {
      gt::AddSealedIdentity(context, key, gt::Caller{}, absl::Now() + absl::Hours(1));
    }
  };
  auto loaded = gt::importers::Load(*plans, *milestones, merged, options);
  if (!loaded.ok()) {
    std::cerr << "load failed: " << loaded.status() << "\n";
    return 1;
  }
  int activities = 0;
  for (const auto& p : loaded->tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      activities += o.activities_size();
    }
  }
  std::cout << loaded->tree.plan().name() << ": " << loaded->tree.priorities_size()
            << " priorities, " << activities << " activities, " << loaded->milestones.size()
            << " milestones\n";
  return 0;
}
