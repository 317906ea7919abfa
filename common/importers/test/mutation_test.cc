// Seeded mutation test: 10,000 damaged versions of the five seeds (2,000
// each), every one read by its own reader and every 10th by all five and by
// ReadDocument. A reader must answer ok or an error, never crash or hang,
// and an ok answer must be internally consistent and serialisable.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "common/importers/importers.h"
#include "common/importers/test/seed_test_util.h"
#include "gtest/gtest.h"

namespace gt::importers::testing {
namespace {

using Reader = std::function<absl::StatusOr<ImportedPlan>(std::string_view)>;

struct Seed {
  const char* name;
  Reader reader;
};

const std::vector<Seed>& Seeds() {
  static const auto* seeds = new std::vector<Seed>{
      {kCompleted2007, ReadCompletedActivities2007}, {kOverdue2007, ReadOverdueActivities2007},
      {kActionPlan2012, ReadActionPlan2012},         {kMonitoring2017, ReadMonitoring2017},
      {kStrategicPlan2019, ReadStrategicPlan2019},
  };
  return *seeds;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string text;
  for (size_t i = 0; i < lines.size(); ++i) {
    text += lines[i];
    if (i + 1 < lines.size()) {
      text += '\n';
    }
  }
  return text;
}

// Fragments that reach the readers' special cases.
const char* const kTricky[] = {
    "\t",
    "\n",
    "(",
    ")",
    "<p>",
    "<ul style=",
    "</",
    "31/09/17",
    "1.1.1 1.",
    "Cllr ",
    " (D&R) and ",
    "(March 2013)",
    "On Target",
    "Overdue",
    "75%",
    "01.01.01a",
    "Priority 3:",
    "Outcome 4:",
    "- 1. ",
    "**",
    "\\*",
    "\xff",
    "\xe2\x80",
    "Strategic Action\t",
    "Strategic Priority 1.1: ",
    "What actions will we take?",
    "\r",
};

class Mutator {
 public:
  explicit Mutator(uint32_t seed) : rng_(seed) {}

  size_t Below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  std::string Mutate(const std::string& text, int kind) {
    std::string out = text;
    switch (kind) {
      case 0:  // truncation, possibly inside a UTF-8 sequence
        out.resize(Below(out.size() + 1));
        break;
      case 1: {  // shuffled lines, all or a window
        std::vector<std::string> lines = Lines(out);
        auto from = static_cast<std::ptrdiff_t>(Below(lines.size()));
        auto to = std::min(static_cast<std::ptrdiff_t>(lines.size()),
                           from + 1 + static_cast<std::ptrdiff_t>(Below(lines.size())));
        std::shuffle(lines.begin() + from, lines.begin() + to, rng_);
        out = Join(lines);
        break;
      }
      case 2:  // random bytes
        for (size_t n = 1 + Below(64); n > 0 && !out.empty(); --n) {
          out[Below(out.size())] = static_cast<char>(Below(256));
        }
        break;
      case 3: {  // deleted tabs, all or some
        bool all = Below(2) == 0;
        std::string kept;
        for (char c : out) {
          if (c != '\t' || (!all && Below(3) != 0)) {
            kept.push_back(c);
          }
        }
        out = std::move(kept);
        break;
      }
      case 4: {  // lines deleted, duplicated or swapped
        std::vector<std::string> lines = Lines(out);
        for (size_t n = 1 + Below(40); n > 0 && !lines.empty(); --n) {
          size_t i = Below(lines.size());
          auto at = lines.begin() + static_cast<std::ptrdiff_t>(i);
          switch (Below(3)) {
            case 0:
              lines.erase(at);
              break;
            case 1:
              lines.insert(at, std::string(lines[Below(lines.size())]));
              break;
            default:
              std::swap(lines[i], lines[Below(lines.size())]);
          }
        }
        out = Join(lines);
        break;
      }
      case 5:  // tricky fragments spliced in
        for (size_t n = 1 + Below(30); n > 0; --n) {
          out.insert(Below(out.size() + 1), kTricky[Below(std::size(kTricky))]);
        }
        break;
      default:  // a 1 MB line of one repeated fragment, or of random bytes
        out.insert(Below(out.size() + 1), "\n" + HugeLine() + "\n");
    }
    return out;
  }

 private:
  std::string HugeLine() {
    constexpr size_t kSize = 1 << 20;
    std::string line;
    line.reserve(kSize + 64);
    if (Below(4) == 0) {
      while (line.size() < kSize) {
        line.push_back(static_cast<char>(Below(256)));
        if (line.back() == '\n') {
          line.back() = ' ';
        }
      }
      return line;
    }
    const char* fragment = kTricky[Below(std::size(kTricky))];
    if (std::string_view(fragment) == "\n") {
      fragment = "(";
    }
    while (line.size() < kSize) {
      line += fragment;
    }
    return line;
  }

  std::mt19937 rng_;
};

// An ok answer has paths inside its tree, line numbers inside its document,
// and strings that survive a proto round trip (valid UTF-8).
void ExpectConsistent(const ImportedPlan& plan, size_t line_count, const std::string& context) {
  const auto& tree = plan.tree;
  for (const ImportedMilestone& m : plan.milestones) {
    ASSERT_EQ(m.activity_path.size(), 3u) << context;
    ASSERT_LT(m.activity_path[0], tree.priorities_size()) << context;
    const auto& p = tree.priorities(m.activity_path[0]);
    ASSERT_LT(m.activity_path[1], p.outcomes_size()) << context;
    ASSERT_LT(m.activity_path[2], p.outcomes(m.activity_path[1]).activities_size()) << context;
  }
  for (const UnplacedLine& line : plan.unplaced) {
    ASSERT_GE(line.line_number, 1) << context;
    ASSERT_LE(static_cast<size_t>(line.line_number), line_count) << context;
  }
  std::string bytes;
  ASSERT_TRUE(tree.SerializeToString(&bytes)) << context;
  goldenthread::v1::PlanTree back;
  ASSERT_TRUE(back.ParseFromString(bytes)) << context;
  for (const ImportedMilestone& m : plan.milestones) {
    ASSERT_TRUE(m.milestone.SerializeToString(&bytes)) << context;
    goldenthread::v1::Milestone milestone;
    ASSERT_TRUE(milestone.ParseFromString(bytes)) << context;
  }
}

size_t LineCount(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
}

TEST(MutationTest, TenThousandDamagedDocuments) {
  constexpr int kPerSeed = 2000;
  // Kinds 0-5 share the inputs evenly; one input in a hundred gets a 1 MB line.
  constexpr int kKinds = 6;
  auto start = std::chrono::steady_clock::now();
  int ok = 0;
  int refused = 0;
  for (size_t s = 0; s < Seeds().size(); ++s) {
    const Seed& seed = Seeds()[s];
    const std::string text = ReadSeed(seed.name);
    Mutator mutator(0x60D0u + static_cast<uint32_t>(s));
    for (int i = 0; i < kPerSeed; ++i) {
      int kind = i % 100 == 99 ? kKinds : i % kKinds;
      std::string input = mutator.Mutate(text, kind);
      std::string context = std::string(seed.name) + " mutation " + std::to_string(i) + " kind " +
                            std::to_string(kind);
      absl::StatusOr<ImportedPlan> read = seed.reader(input);
      if (read.ok()) {
        ++ok;
        ExpectConsistent(*read, LineCount(input), context);
      } else {
        ++refused;
        EXPECT_NE(read.status().code(), absl::StatusCode::kInternal) << context;
      }
      if (i % 10 == 0) {
        for (const Seed& other : Seeds()) {
          absl::StatusOr<ImportedPlan> cross = other.reader(input);
          if (cross.ok()) {
            ExpectConsistent(*cross, LineCount(input), context + " by another reader");
          }
        }
        absl::StatusOr<ImportedPlan> any = ReadDocument(input);
        if (any.ok()) {
          ExpectConsistent(*any, LineCount(input), context + " by ReadDocument");
        }
      }
      if (::testing::Test::HasFatalFailure()) {
        return;
      }
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(ok + refused, kPerSeed * static_cast<int>(Seeds().size()));
  // Most damage leaves a readable document: the readers are lenient.
  EXPECT_GT(ok, refused);
  RecordProperty("seconds", std::to_string(seconds));
  std::printf("mutation test: %d read, %d refused, %.1f s\n", ok, refused, seconds);
}

// Linear, not quadratic: four times the input takes nowhere near sixteen
// times as long.
TEST(MutationTest, LongLinesAreReadInLinearTime) {
  const std::string text = ReadSeed(kMonitoring2017);
  for (const char* fragment : {"(", "<a", "\t", "1.1 ", "Cllr A B (D&R) and "}) {
    auto time = [&](size_t size) {
      std::string line;
      while (line.size() < size) {
        line += fragment;
      }
      std::string input = text;
      input.append("\n").append(line).append("\n").append(text);
      auto start = std::chrono::steady_clock::now();
      for (const Seed& seed : Seeds()) {
        (void)seed.reader(input);
      }
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    double small = time(1 << 20);
    double large = time(4 << 20);
    EXPECT_LT(large, 10 * small + 0.5) << "fragment '" << fragment << "'";
  }
}

}  // namespace
}  // namespace gt::importers::testing
