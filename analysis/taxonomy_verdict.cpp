#include "analysis/taxonomy_verdict.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "analysis/mean_difference.hpp"

namespace tinyfleet {
namespace {

constexpr double kLevel = 0.95;

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  std::string s = buf;
  if (s == "-0" || s.find_first_not_of("-0.") == std::string::npos) s = s.substr(s[0] == '-');
  return s;
}

// Degrees of freedom: whole for paired and one-sample, one decimal for Welch's.
std::string df_text(double df) {
  return df == std::floor(df) ? fixed(df, 0) : fixed(df, 1);
}

std::size_t metric_index(const TaxonomyExperiment& x, const std::string& name) {
  for (std::size_t i = 0; i < x.metrics.size(); ++i)
    if (x.metrics[i].name == name) return i;
  return x.metrics.size();
}

struct Side {
  std::string label;
  const TaxonomyCell* cell = nullptr;  // null for a constant
  double constant = NAN;
  bool known() const { return !cell || !cell->values.empty(); }
  std::size_t n() const { return cell ? cell->values.size() : 0; }
};

// "90.0 ± 1.0 (n=3)", "90.0 ± 1.0 (n=2 of 3)", "90.0 (n=1)", "— (0/3)".
std::string cell_numbers(const TaxonomyCell* c, const TaxonomyMetric& m) {
  if (!c || c->values.empty()) return format_cell(c, m);
  const std::size_t n = c->values.size();
  std::string s = fixed(c->mean(), m.digits);
  if (n > 1) s += " ± " + fixed(c->stddev(), m.digits);
  s += " (n=" + std::to_string(n);
  if (n < c->points) s += " of " + std::to_string(c->points);
  return s + ")";
}

Side side(const TaxonomyExperiment& x, const TaxonomyTable& t, const TaxonomyOperand& o,
          const TaxonomyMetric*& metric) {
  Side s;
  if (o.number) {
    s.constant = *o.number;
    s.label = fixed(*o.number, metric ? metric->digits : 3);
    return s;
  }
  const std::size_t m = metric_index(x, o.metric);
  metric = &x.metrics[m];
  const std::string section =
      o.section.empty() && !t.sections.empty() ? t.sections.front() : o.section;
  s.cell = t.find(section, o.row, m);
  s.label = o.row + (section.empty() ? "" : " @" + section) + " " + o.metric + " " +
            cell_numbers(s.cell, *metric);
  return s;
}

// The right cell's values in the order of the left cell's seeds, when both
// cells hold exactly one value for each of the same seeds; otherwise none.
std::optional<std::vector<double>> paired_right(const TaxonomyCell& l, const TaxonomyCell& r) {
  if (l.seeds.size() != l.values.size() || r.seeds.size() != r.values.size() ||
      l.values.size() != r.values.size())
    return std::nullopt;
  std::map<long long, double> by_seed;
  for (std::size_t i = 0; i < r.values.size(); ++i)
    if (!by_seed.emplace(r.seeds[i], r.values[i]).second) return std::nullopt;
  std::set<long long> seen;
  std::vector<double> out;
  for (long long seed : l.seeds) {
    const auto it = by_seed.find(seed);
    if (!seen.insert(seed).second || it == by_seed.end()) return std::nullopt;
    out.push_back(it->second);
  }
  return out;
}

struct Decision {
  std::string test;  // e.g. "paired t over 3 seeds"
  MeanDifference d;
};

// The interval on left − right, or the reason there is none.
std::optional<Decision> decide(const Side& l, const Side& r, std::string& why) {
  if (!l.known() || !r.known()) {
    why = "a side has no value";
    return std::nullopt;
  }
  if ((l.cell && l.n() < 2) || (r.cell && r.n() < 2)) {
    why = "a cell has one value: no spread to judge by";
    return std::nullopt;
  }
  if (!r.cell)
    return Decision{"one-sample t", one_sample_difference(l.cell->values, r.constant, kLevel)};
  if (!l.cell) {
    // c − R: the interval of R − c, mirrored.
    const MeanDifference d = one_sample_difference(r.cell->values, l.constant, kLevel);
    return Decision{"one-sample t", {-d.diff, -d.high, -d.low, d.df}};
  }
  if (const auto right = paired_right(*l.cell, *r.cell))
    return Decision{"paired t over " + std::to_string(right->size()) + " seeds",
                    paired_difference(l.cell->values, *right, kLevel)};
  return Decision{"Welch t (the cells do not share their seeds)",
                  welch_difference(l.cell->values, r.cell->values, kLevel)};
}

// For < and >, a difference of exactly 0 is on the other side; for <= and >=,
// on the claimed one.
std::string outcome_of(const std::string& op, const MeanDifference& d, double within) {
  bool held = false, failed = false;
  if (op == ">") {
    held = d.low > 0;
    failed = d.high <= 0;
  } else if (op == ">=") {
    held = d.low >= 0;
    failed = d.high < 0;
  } else if (op == "<") {
    held = d.high < 0;
    failed = d.low >= 0;
  } else if (op == "<=") {
    held = d.high <= 0;
    failed = d.low > 0;
  } else {  // ~
    held = d.low >= -within && d.high <= within;
    failed = d.low > within || d.high < -within;
  }
  return held ? "held" : failed ? "did not hold" : "inconclusive";
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
    if (e.op == "~") v.numbers += " (within " + fixed(e.within, metric->digits) + ")";
    std::string why;
    const auto decision = decide(l, r, why);
    if (!decision) {
      v.numbers += "; " + why;
    } else {
      // One decimal more than the cells, so a bound near 0 shows its side.
      const int digits = metric->digits + 1;
      const MeanDifference& d = decision->d;
      v.numbers += "; " + decision->test + ": difference " + fixed(d.diff, digits) + ", 95 % CI [" +
                   fixed(d.low, digits) + ", " + fixed(d.high, digits) + "] " +
                   (d.df > 0 ? "(df " + df_text(d.df) + ")" : "(no spread)");
      v.outcome = outcome_of(e.op, d, e.within);
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace tinyfleet
