#include "measure_status.h"

#include <cmath>

#include "report_model.h"

namespace gt::report {

namespace {

absl::CivilDay Day(const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::CivilDay(1970, 1, 1);
  }
  return day;
}

bool HigherIsBetter(v1::MeasureDirection d) { return d == v1::HIGHER_IS_BETTER; }

}  // namespace

const v1::MeasureTarget* TargetFor(const v1::Measure& measure, absl::CivilDay day) {
  const v1::MeasureTarget* best = nullptr;
  int64_t best_span = 0;
  for (const v1::MeasureTarget& t : measure.targets()) {
    absl::CivilDay from = Day(t.from_date());
    absl::CivilDay to = Day(t.to_date());
    if (day < from || day > to) {
      continue;
    }
    int64_t span = to - from;
    if (best == nullptr || span < best_span) {
      best = &t;
      best_span = span;
    }
  }
  return best;
}

v1::Rag RagOf(const v1::Measure& measure, double target, double actual) {
  const v1::MeasureDirection direction = measure.direction();
  if (direction != v1::HIGHER_IS_BETTER && direction != v1::LOWER_IS_BETTER) {
    return v1::RAG_UNSPECIFIED;
  }
  // How far the actual falls short of the target (<= 0: met).
  const double shortfall = HigherIsBetter(direction) ? target - actual : actual - target;
  if (shortfall <= 0) {
    return v1::GREEN;
  }
  double tolerance = 0;
  if (measure.has_amber_within_units()) {
    tolerance = measure.amber_within_units();
  } else if (measure.has_amber_within_percent()) {
    tolerance = std::fabs(target) * measure.amber_within_percent() / 100.0;
  }
  // A hair of rounding (values arrive as decimal text) is not a miss.
  return shortfall <= tolerance + 1e-9 * std::max(1.0, std::fabs(target)) ? v1::AMBER : v1::RED;
}

v1::Trend TrendOf(v1::MeasureDirection direction, double before, double now) {
  if (direction != v1::HIGHER_IS_BETTER && direction != v1::LOWER_IS_BETTER) {
    return v1::TREND_UNSPECIFIED;
  }
  if (now == before) {
    return v1::NO_CHANGE;
  }
  return (now > before) == HigherIsBetter(direction) ? v1::IMPROVING : v1::WORSENING;
}

v1::ReportMeasure JudgeMeasure(const v1::Measure& measure,
                               const std::vector<const v1::MeasureValue*>& values,
                               absl::CivilDay as_of) {
  v1::ReportMeasure out = ToReportMeasure(measure);
  out.set_direction(measure.direction());
  // The actual: the latest date on or before as_of.
  const v1::MeasureValue* actual = nullptr;
  const v1::MeasureValue* previous = nullptr;
  for (const v1::MeasureValue* v : values) {
    if (Day(v->date()) > as_of) {
      continue;
    }
    if (actual == nullptr || v->date() > actual->date()) {
      previous = actual;
      actual = v;
    } else if (previous == nullptr || v->date() > previous->date()) {
      previous = v;
    }
  }
  absl::CivilDay judged_on = actual != nullptr ? Day(actual->date()) : as_of;
  if (const v1::MeasureTarget* t = TargetFor(measure, judged_on); t != nullptr) {
    out.clear_target();
    out.set_target_text(t->text());
    if (t->has_value()) {
      out.set_target(t->value());
    }
    out.set_target_label(t->label());
  }
  if (actual == nullptr) {
    return out;
  }
  out.set_latest_value(actual->value());
  out.set_latest_value_date(actual->date());
  out.set_provisional(actual->provisional());
  out.set_note(actual->note());
  if (out.has_target()) {
    out.set_rag(RagOf(measure, out.target(), actual->value()));
  }
  if (previous != nullptr) {
    out.set_previous_value(previous->value());
    out.set_trend_previous(TrendOf(measure.direction(), previous->value(), actual->value()));
  }
  // The same date a year earlier, give or take 15 days (quarter ends move).
  const absl::CivilDay year_ago(judged_on.year() - 1, judged_on.month(), judged_on.day());
  const v1::MeasureValue* year = nullptr;
  for (const v1::MeasureValue* v : values) {
    int64_t off = Day(v->date()) - year_ago;
    if (off >= -15 && off <= 15 &&
        (year == nullptr || std::llabs(off) < std::llabs(Day(year->date()) - year_ago))) {
      year = v;
    }
  }
  if (year != nullptr) {
    out.set_year_earlier_value(year->value());
    out.set_trend_year(TrendOf(measure.direction(), year->value(), actual->value()));
  }
  return out;
}

}  // namespace gt::report
