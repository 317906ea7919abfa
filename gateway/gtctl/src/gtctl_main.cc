// gtctl: the command-line client of the Golden Thread gateway. See
// ../README.md for commands, exit codes and the interchange format.
// This file only dispatches: the command table, flag parsing and help. The
// commands live in plans.cc, import_export.cc, updates.cc, tokens.cc,
// report.cc, periods.cc and directorates.cc; the shared pieces in cli.h.
#include <algorithm>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli.h"

namespace gt::gtctl {
namespace {

const std::set<std::string> kBoolFlags = {"help",         "replace", "dry-run",
                                          "show-revoked", "partial", "remove-all"};
const std::vector<std::string> kGlobalFlags = {"token", "addr",          "output",
                                               "org",   "retry_seconds", "help"};

// ---------------------------------------------------------------- commands

const char kGlobalHelp[] =
    "Global flags:\n"
    "  --token T       API token (default: $GT_TOKEN)\n"
    "  --addr H:P      gateway address (default: $GT_ADDR, else 127.0.0.1:50050)\n"
    "  --org ORG       organisation (default: $GT_ORG, else the one in the token)\n"
    "  --output F      table (default) or json\n"
    "  --retry_seconds N  how long a call is sent again (the same request, with its\n"
    "                  request id) when the gateway's rate limit refuses it (after the\n"
    "                  retry-after it gives) or the outcome is unknown (300)\n"
    "  --help          this help\n"
    "Exit codes: 0 ok; 1 the server refused (its gRPC code and message are printed);\n"
    "  2 usage; 3 cannot connect; 4 an input file cannot be read or has unreadable rows.\n";

std::vector<Command> Commands() {
  return {
      {"plans list", "gtctl plans list", "The organisation's plans.", {}, 0, 0, PlansList},
      {"plans show",
       "gtctl plans show PLAN",
       "A plan's tree (priorities, outcomes, activities) with milestone counts.\n"
       "PLAN is a plan id (2017-18) or its full name.",
       {},
       1,
       1,
       PlansShow},
      {"milestones list",
       "gtctl milestones list PLAN [--status S[,S...]] [--overdue-at D] [--directorate X]",
       "A plan's milestones in document order. --overdue-at D: only those overdue at the\n"
       "close of day D (current deadline on or before D, not completed/deferred/cancelled).",
       {"status", "overdue-at", "directorate"},
       1,
       1,
       MilestonesList},
      {"milestones update",
       "gtctl milestones update MILESTONE --status S [--percent N] [--comment C] [--effective D]",
       "Posts progress (a history row). MILESTONE is its full name or PLAN/ID.\n"
       "S: NOT_STARTED, ON_TARGET, DELAYED (needs --comment), COMPLETED, DEFERRED, CANCELLED.\n"
       "--effective D: the date the update speaks for (default: now).",
       {"status", "percent", "comment", "effective"},
       1,
       1,
       MilestonesUpdate},
      {"milestones revise",
       "gtctl milestones revise MILESTONE --deadline D --reason R [--effective D]",
       "Revises the current deadline (the baseline never changes).",
       {"deadline", "reason", "effective"},
       1,
       1,
       MilestonesRevise},
      {"import",
       "gtctl import FILE... --plan ID [--org ORG] [--effective D] [--replace [--remove-all]] "
       "[--dry-run]",
       "Imports a plan from source documents (the seed layouts; several are merged into\n"
       "one plan), from an interchange JSON document, or its milestones from a CSV\n"
       "(the plan must exist; see README). Lines of a document that cannot be placed are\n"
       "printed on stderr as FILE:LINE. An existing plan is refused (ALREADY_EXISTS)\n"
       "unless --replace. --dry-run validates on the server and shows what would be\n"
       "created, writing nothing. --effective D: the date the document's statuses speak\n"
       "for (default: now). A progress bar shows on stderr when it is a terminal.",
       {"plan", "effective", "replace", "dry-run", "revision-reason", "remove-all"},
       1,
       100,
       Import},
      {"updates apply",
       "gtctl updates apply FILE.csv --plan ID [--effective D] [--dry-run] [--partial]",
       "A progress round from a spreadsheet: FILE.csv is an export (gtctl export PLAN\n"
       "--format csv) with rows edited. Each row is compared with its milestone now;\n"
       "a changed status, % or comment is a progress update, a changed current_deadline\n"
       "a deadline revision (its revision_reason cell is required), appended to history\n"
       "in one transaction: every change or none. Rows that cannot be applied are\n"
       "printed as FILE:LINE and nothing is written, unless --partial (the other rows\n"
       "are written). --dry-run prints each row's changes and writes nothing. Applying\n"
       "the same file again appends nothing; after a failure, run it again: it is\n"
       "settled once. --effective D: the date the updates speak for (default: now).",
       {"plan", "effective", "dry-run", "partial"},
       1,
       1,
       UpdatesApply},
      {"export",
       "gtctl export PLAN [--format json|csv] [--out FILE]",
       "Writes a plan in the interchange format: json (the whole tree and its\n"
       "milestones, default) or csv (the milestones). Deterministic: the same plan\n"
       "state gives the same bytes.",
       {"format", "out"},
       1,
       1,
       Export},
      {"tokens create",
       "gtctl tokens create --role VIEWER|UPDATER|PLANNER|ADMIN --subject S [--display-name N] "
       "[--expires D] [--directorate CODE ...]",
       "Creates an API token (ADMIN only); prints the secret, once, on stdout.\n"
       "--directorate CODE (repeatable): limits the token to those directorates: it\n"
       "may write only their milestones (a joint lead \"A/B\" counts when any part is)\n"
       "and is refused what acts on a whole plan or the organisation. Not for ADMIN.",
       {"role", "subject", "display-name", "expires", "directorate"},
       0,
       0,
       TokensCreate},
      {"tokens list",
       "gtctl tokens list [--show-revoked]",
       "The organisation's tokens.",
       {"show-revoked"},
       0,
       0,
       TokensList},
      {"report render",
       "gtctl report render end-of-year|progress|deadline-revisions|action-plan|changes PLAN "
       "[--format markdown|html|csv|json] [--as-of D] [--published-at T] [--out FILE]",
       "Renders a report of report-service to stdout (or --out FILE).\n"
       "--as-of D: the date the report speaks for (default: today); --published-at T\n"
       "(RFC 3339): only history recorded before T, the report exactly as published then.\n"
       "progress: [--group-by directorate|priority|outcome|lead-officer|lead-member]\n"
       "  [--subject milestones|activities]. changes: --from D --to D (instead of --as-of).",
       {"format", "as-of", "published-at", "group-by", "subject", "from", "to", "out"},
       2,
       2,
       ReportRender},
      {"periods create",
       "gtctl periods create PLAN ID --start D --as-of D --due D --title T [--require-approval]",
       "Creates a reporting period (PLANNED): updates effective from --start through\n"
       "--as-of are the period's; they are due on --due. With --require-approval,\n"
       "publishing waits until every due update is approved.",
       {"start", "as-of", "due", "title", "require-approval"},
       2,
       2,
       PeriodsCreate},
      {"periods quarters",
       "gtctl periods quarters PLAN [--due-days N] [--require-approval]",
       "Creates the plan's quarters in one call (ids PLAN-q1, PLAN-q2, ...), each due\n"
       "N days (default 14) after it ends.",
       {"due-days", "require-approval"},
       1,
       1,
       PeriodsQuarters},
      {"periods list",
       "gtctl periods list PLAN",
       "The plan's periods: state, dates, whether approval is required, when published.",
       {},
       1,
       1,
       PeriodsList},
      {"periods open",
       "gtctl periods open PLAN PERIOD",
       "PLANNED -> OPEN: every live milestone now owes the period an update.",
       {},
       2,
       2,
       PeriodsOpen},
      {"periods review",
       "gtctl periods review PLAN PERIOD",
       "OPEN -> IN_REVIEW: the performance team signs updates off (approve/return).",
       {},
       2,
       2,
       PeriodsReview},
      {"periods cancel",
       "gtctl periods cancel PLAN PERIOD --reason R",
       "Cancels a period that is not published.",
       {"reason"},
       2,
       2,
       PeriodsCancel},
      {"periods publish",
       "gtctl periods publish PLAN PERIOD",
       "Publishes the period: renders its pack (progress, deadline revisions, changes\n"
       "since and restatements of the previous publication, in every format) as of\n"
       "now and stores it, frozen. Refused, naming each item, while approval is\n"
       "required and a due update is not approved. Run again after a failure: it is\n"
       "settled once.",
       {},
       2,
       2,
       PeriodsPublish},
      {"due",
       "gtctl due PLAN PERIOD [--state MISSING|SUBMITTED|RETURNED|APPROVED ...] "
       "[--directorate D] [--lead-officer L] [--stale-days N]",
       "What each live milestone owes the period, and counts by directorate and state.\n"
       "--stale-days N: only those with no update recorded in the last N days. A token\n"
       "limited to directorates sees only theirs.",
       {"state", "directorate", "lead-officer", "stale-days"},
       2,
       2,
       Due},
      {"approve",
       "gtctl approve UPDATE",
       "Signs off a progress update (its name, or PLAN/MILESTONE/UPDATE as `due` shows).",
       {},
       1,
       1,
       Approve},
      {"return",
       "gtctl return UPDATE --reason R",
       "Returns a progress update to its officer with what must change; they resubmit.",
       {"reason"},
       1,
       1,
       Return},
      {"pack get",
       "gtctl pack get PLAN PERIOD [--out DIR]",
       "Writes a published period's pack, exactly as stored, into DIR (default .),\n"
       "with SHA256SUMS; checks every file and the pack's SHA-256.",
       {"out"},
       2,
       2,
       PackGet},
      {"directorates list",
       "gtctl directorates list",
       "The organisation's directorate table: each canonical code, its name and the\n"
       "other spellings (aliases) that mean it.",
       {},
       0,
       0,
       DirectoratesList},
      {"directorates set",
       "gtctl directorates set CODE [--name N] [--alias A [--alias B ...]] [--id ID]",
       "Creates the directorate CODE (--name required; its id is --id, else made from\n"
       "the code: \"D&R\" -> d-r) or updates the one whose code matches CODE (case\n"
       "and spaces around '&' ignored): CODE becomes its canonical spelling, --name its\n"
       "name, and --alias values, when given, replace its aliases. Importers and\n"
       "reports then read every alias as CODE; a joint lead \"A/B\" part by part.",
       {"name", "alias", "id"},
       1,
       1,
       DirectoratesSet},
      {"directorates delete",
       "gtctl directorates delete CODE",
       "Deletes the directorate whose code matches CODE, and its aliases.",
       {},
       1,
       1,
       DirectoratesDelete},
      {"tokens get",
       "gtctl tokens get TOKEN",
       "One token (its id or full name): role, subject, state, directorates.",
       {},
       1,
       1,
       TokensGet},
      {"tokens revoke",
       "gtctl tokens revoke TOKEN",
       "Revokes a token (its id or full name).",
       {},
       1,
       1,
       TokensRevoke},
  };
}

void PrintOverview(std::ostream& out, const std::vector<Command>& commands,
                   const std::string& prefix) {
  out << "Usage: gtctl COMMAND [flags]   (gtctl COMMAND --help for more)\n\nCommands:\n";
  for (const auto& c : commands) {
    if (absl::StartsWith(c.path, prefix)) {
      out << "  " << c.synopsis << "\n";
    }
  }
  out << "\n" << kGlobalHelp;
}

int Main(int argc, char** argv) {
  std::vector<std::string> words;
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (absl::StartsWith(a, "--") && a.size() > 2) {
      std::string name = a.substr(2);
      size_t eq = name.find('=');
      std::string value;
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      } else if (kBoolFlags.count(name)) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        std::cerr << "error: --" << name << " needs a value\n";
        return kUsage;
      }
      args.flags[name] = value;
      args.all_values[name].push_back(std::move(value));
    } else {
      words.push_back(a);
    }
  }
  const std::vector<Command> commands = Commands();
  // The longest command path that the leading words spell.
  const Command* command = nullptr;
  size_t used = 0;
  for (const auto& c : commands) {
    std::vector<std::string> path = absl::StrSplit(c.path, ' ');
    if (path.size() <= words.size() && std::equal(path.begin(), path.end(), words.begin()) &&
        path.size() > used) {
      command = &c;
      used = path.size();
    }
  }
  if (command == nullptr) {
    std::string prefix = words.empty() ? "" : words[0];
    bool known_group = false;
    for (const auto& c : commands) {
      if (!prefix.empty() && absl::StartsWith(c.path, prefix + " ")) {
        known_group = true;
      }
    }
    if (args.Has("help") && (words.empty() || known_group)) {
      PrintOverview(std::cout, commands, known_group ? prefix + " " : "");
      return kOk;
    }
    if (known_group) {
      std::cerr << "error: " << prefix << " needs a subcommand\n";
    } else if (!words.empty()) {
      std::cerr << "error: unknown command \"" << absl::StrJoin(words, " ") << "\"\n";
    }
    PrintOverview(std::cerr, commands, known_group ? prefix + " " : "");
    return kUsage;
  }
  if (args.Has("help")) {
    std::cout << "Usage: " << command->synopsis << "\n\n" << command->help << "\n\n" << kGlobalHelp;
    return kOk;
  }
  args.positional.assign(words.begin() + used, words.end());
  auto usage = [&](const std::string& message) {
    std::cerr << "error: " << message << "\nUsage: " << command->synopsis << "\n(gtctl "
              << command->path << " --help for more)\n";
    return kUsage;
  };
  for (const auto& [flag, value] : args.flags) {
    if (std::find(kGlobalFlags.begin(), kGlobalFlags.end(), flag) == kGlobalFlags.end() &&
        std::find(command->flags.begin(), command->flags.end(), flag) == command->flags.end()) {
      return usage(absl::StrCat("unknown flag --", flag));
    }
  }
  if (args.Has("output") && args.Get("output") != "json" && args.Get("output") != "table") {
    return usage("--output must be table or json");
  }
  if (args.positional.size() < command->min_positional ||
      args.positional.size() > command->max_positional) {
    return usage(args.positional.size() < command->min_positional ? "missing argument"
                                                                  : "too many arguments");
  }
  try {
    return command->run(args);
  } catch (const UsageError& e) {
    return usage(e.message);
  } catch (const Failure& f) {
    return f.code;
  }
}

}  // namespace
}  // namespace gt::gtctl

int main(int argc, char** argv) { return gt::gtctl::Main(argc, argv); }
