// Helpers for the reader tests: the seed documents and lookups in a result.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/importers/importers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gt::importers::testing {

inline constexpr char kCompleted2007[] = "000_0fbffd0030868d04.txt";
inline constexpr char kOverdue2007[] = "001_438444c0e1c0bfc6.txt";
inline constexpr char kActionPlan2012[] = "002_35223a6a9f2d723a.txt";
inline constexpr char kMonitoring2017[] = "003_ec2567edfe30a260.txt";
inline constexpr char kStrategicPlan2019[] = "004_7f0182a806b988ca.txt";

inline std::string ReadSeed(const std::string& name);

// One reader run on one seed, shared by a test suite.
template <absl::StatusOr<ImportedPlan> (*Reader)(std::string_view), const char* Seed>
class SeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto read = Reader(ReadSeed(Seed));
    ASSERT_TRUE(read.ok()) << read.status();
    plan_ = new ImportedPlan(*std::move(read));
  }
  static void TearDownTestSuite() {
    delete plan_;
    plan_ = nullptr;
  }
  static inline ImportedPlan* plan_ = nullptr;
};

inline std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(GT_SEEDS_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open seed " << name << " in " << GT_SEEDS_DIR;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Lines of a seed as the readers number them (1-based).
inline std::vector<std::string> SeedLines(const std::string& name) {
  std::vector<std::string> lines;
  std::stringstream text(ReadSeed(name));
  std::string line;
  while (std::getline(text, line)) {
    lines.push_back(line);
  }
  return lines;
}

inline int CountOutcomes(const goldenthread::v1::PlanTree& tree) {
  int n = 0;
  for (const auto& p : tree.priorities()) {
    n += p.outcomes_size();
  }
  return n;
}

inline int CountActivities(const goldenthread::v1::PlanTree& tree) {
  int n = 0;
  for (const auto& p : tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      n += o.activities_size();
    }
  }
  return n;
}

// Measures on priorities and on outcomes.
inline int CountMeasures(const goldenthread::v1::PlanTree& tree) {
  int n = 0;
  for (const auto& p : tree.priorities()) {
    n += p.measures_size();
    for (const auto& o : p.outcomes()) {
      n += o.measures_size();
    }
  }
  return n;
}

inline const goldenthread::v1::Priority* FindPriority(const goldenthread::v1::PlanTree& tree,
                                                      std::string_view code) {
  for (const auto& p : tree.priorities()) {
    if (p.code() == code) {
      return &p;
    }
  }
  return nullptr;
}

inline const goldenthread::v1::Outcome* FindOutcome(const goldenthread::v1::PlanTree& tree,
                                                    std::string_view code) {
  for (const auto& p : tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      if (o.code() == code) {
        return &o;
      }
    }
  }
  return nullptr;
}

// The activity with `code` under the outcome with `outcome_code`.
inline const goldenthread::v1::Activity* FindActivity(const goldenthread::v1::PlanTree& tree,
                                                      std::string_view outcome_code,
                                                      std::string_view code) {
  const goldenthread::v1::Outcome* outcome = FindOutcome(tree, outcome_code);
  if (outcome == nullptr) {
    return nullptr;
  }
  for (const auto& a : outcome->activities()) {
    if (a.code() == code) {
      return &a;
    }
  }
  return nullptr;
}

// Milestones of one activity, in ordinal order.
inline std::vector<goldenthread::v1::Milestone> MilestonesOf(const ImportedPlan& plan,
                                                             std::string_view outcome_code,
                                                             std::string_view code) {
  std::vector<goldenthread::v1::Milestone> found;
  for (const ImportedMilestone& m : plan.milestones) {
    const auto& p = plan.tree.priorities(m.activity_path[0]);
    const auto& o = p.outcomes(m.activity_path[1]);
    if (o.code() == outcome_code && o.activities(m.activity_path[2]).code() == code) {
      found.push_back(m.milestone);
    }
  }
  return found;
}

inline std::map<goldenthread::v1::MilestoneStatus, int> MilestoneStatuses(
    const ImportedPlan& plan) {
  std::map<goldenthread::v1::MilestoneStatus, int> counts;
  for (const ImportedMilestone& m : plan.milestones) {
    ++counts[m.milestone.status()];
  }
  return counts;
}

inline std::map<goldenthread::v1::MilestoneStatus, int> ActivityStatuses(
    const goldenthread::v1::PlanTree& tree) {
  std::map<goldenthread::v1::MilestoneStatus, int> counts;
  for (const auto& p : tree.priorities()) {
    for (const auto& o : p.outcomes()) {
      for (const auto& a : o.activities()) {
        ++counts[a.reported_status()];
      }
    }
  }
  return counts;
}

inline std::vector<int> UnplacedLineNumbers(const ImportedPlan& plan) {
  std::vector<int> numbers;
  for (const UnplacedLine& line : plan.unplaced) {
    numbers.push_back(line.line_number);
  }
  return numbers;
}

// The line numbers the notes start with ("line 65: ..."), in order.
inline std::vector<int> NoteLineNumbers(const ImportedPlan& plan) {
  std::vector<int> numbers;
  for (const std::string& note : plan.notes) {
    if (note.rfind("line ", 0) == 0) {
      numbers.push_back(std::stoi(note.substr(5)));
    }
  }
  return numbers;
}

inline bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Every code in the tree non-empty and unique under its parent.
inline void ExpectCodesUniqueUnderParents(const goldenthread::v1::PlanTree& tree) {
  std::map<std::string, int> priorities;
  for (const auto& p : tree.priorities()) {
    EXPECT_FALSE(p.code().empty());
    EXPECT_EQ(++priorities[p.code()], 1) << "priority " << p.code();
    std::map<std::string, int> outcomes;
    for (const auto& o : p.outcomes()) {
      EXPECT_FALSE(o.code().empty());
      EXPECT_EQ(++outcomes[o.code()], 1) << "outcome " << o.code();
      std::map<std::string, int> activities;
      for (const auto& a : o.activities()) {
        EXPECT_FALSE(a.code().empty());
        EXPECT_FALSE(a.title().empty()) << "activity " << a.code();
        EXPECT_EQ(++activities[a.code()], 1) << "activity " << a.code();
      }
    }
  }
}

}  // namespace gt::importers::testing
