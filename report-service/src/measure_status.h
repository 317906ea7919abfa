#pragma once

// A measure's actual judged against its target (RAG) and against earlier
// values (direction of travel), as a report sees it at a date. Pure
// functions: no gRPC, no I/O.

#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "goldenthread/v1/plan.pb.h"
#include "goldenthread/v1/report.pb.h"

namespace gt::report {

namespace v1 = goldenthread::v1;

// The target a value dated `day` is judged against: the narrowest of the
// measure's period targets whose dates hold the day (the earlier on a tie),
// else nullptr (the measure's own target applies).
const v1::MeasureTarget* TargetFor(const v1::Measure& measure, absl::CivilDay day);

// GREEN when `actual` is at or better than `target` by the direction; AMBER
// when worse by at most the tolerance (amber_within_units, or
// amber_within_percent of |target|); RED beyond. RAG_UNSPECIFIED without a
// direction.
v1::Rag RagOf(const v1::Measure& measure, double target, double actual);

// IMPROVING / WORSENING / NO_CHANGE from `before` to `now` by the direction;
// TREND_UNSPECIFIED without a direction.
v1::Trend TrendOf(v1::MeasureDirection direction, double before, double now);

// The report's row for `measure` as of `as_of`, from its current values
// (oldest first; as published, when the report is): target (period or
// own), actual, RAG, trend against the previous value and the value a year
// earlier.
v1::ReportMeasure JudgeMeasure(const v1::Measure& measure,
                               const std::vector<const v1::MeasureValue*>& values,
                               absl::CivilDay as_of);

}  // namespace gt::report
