#include "analysis/taxonomy_verdict.hpp"

#include <cmath>
#include <cstdio>

namespace tinyfleet {
namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  std::string s = buf;
  if (s == "-0" || s.find_first_not_of("-0.") == std::string::npos) s = s.substr(s[0] == '-');
  return s;
}

std::size_t metric_index(const TaxonomyExperiment& x, const std::string& name) {
  for (std::size_t i = 0; i < x.metrics.size(); ++i)
    if (x.metrics[i].name == name) return i;
  return x.metrics.size();
}

struct Side {
  std::string label;
  double mean = NAN, sd = NAN;
  bool known = false;
  bool constant = false;
  std::size_t n = 0;  // values in the cell
};

Side side(const TaxonomyExperiment& x, const TaxonomyTable& t, const TaxonomyOperand& o,
          const TaxonomyMetric*& metric) {
  Side s;
  s.constant = o.number.has_value();
  if (o.number) {
    s.mean = *o.number;
    s.sd = 0;
    s.known = true;
    s.label = fixed(*o.number, metric ? metric->digits : 3);
    return s;
  }
  const std::size_t m = metric_index(x, o.metric);
  metric = &x.metrics[m];
  const std::string section =
      o.section.empty() && !t.sections.empty() ? t.sections.front() : o.section;
  const TaxonomyCell* c = t.find(section, o.row, m);
  s.label = o.row + (section.empty() ? "" : " @" + section) + " " + o.metric + " " +
            format_cell(c, *metric);
  if (c && !c->values.empty()) {
    s.n = c->values.size();
    s.mean = c->mean();
    s.sd = c->stddev();
    s.known = true;
  }
  return s;
}

bool satisfies(double l, const std::string& op, double r) {
  if (op == "<") return l < r;
  if (op == "<=") return l <= r;
  if (op == ">") return l > r;
  return l >= r;
}

}  // namespace

std::string format_cell(const TaxonomyCell* c, const TaxonomyMetric& m) {
  if (!c || c->values.empty())
    return c && c->points ? "— (0/" + std::to_string(c->points) + ")" : "—";
  std::string s = fixed(c->mean(), m.digits);
  if (c->values.size() > 1) s += " ± " + fixed(c->stddev(), m.digits);
  if (c->values.size() < c->points)
    s += " (" + std::to_string(c->values.size()) + "/" + std::to_string(c->points) + ")";
  return s;
}

std::vector<TaxonomyVerdict> judge_expectations(const TaxonomyExperiment& x,
                                                const TaxonomyTable& t) {
  std::vector<TaxonomyVerdict> out;
  for (const auto& e : x.expectations) {
    TaxonomyVerdict v{e.claim, e.tag, "inconclusive", ""};
    // The cell side first, so a constant is shown with that metric's decimals.
    const TaxonomyMetric* metric = nullptr;
    Side l, r;
    if (e.left.number) {
      r = side(x, t, e.right, metric);
      l = side(x, t, e.left, metric);
    } else {
      l = side(x, t, e.left, metric);
      r = side(x, t, e.right, metric);
    }
    v.numbers = l.label + " " + e.op + " " + r.label;
    if (!l.known || !r.known) {
      v.numbers += "; a side has no value";
    } else if ((!l.constant && l.n < 2) || (!r.constant && r.n < 2)) {
      v.numbers += "; a cell has one value: no spread to judge by";
    } else if (e.op == "~") {
      // Held when the means are within the tolerance; did not hold when they
      // are apart by more than it even after the seeds' spread.
      const double diff = std::fabs(l.mean - r.mean), noise = l.sd + r.sd;
      v.numbers += " (within " + fixed(e.within, metric->digits) + ")";
      if (diff <= e.within)
        v.outcome = "held";
      else if (diff - noise > e.within)
        v.outcome = "did not hold";
      else
        v.numbers += "; |difference| " + fixed(diff, metric->digits) + " - std sum " +
                     fixed(noise, metric->digits) + " <= tolerance";
    } else {
      const double diff = std::fabs(l.mean - r.mean), noise = l.sd + r.sd;
      if (!(diff > noise)) {
        v.numbers += "; |difference| " + fixed(diff, metric->digits) + " <= std sum " +
                     fixed(noise, metric->digits);
      } else {
        v.outcome = satisfies(l.mean, e.op, r.mean) ? "held" : "did not hold";
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace tinyfleet
