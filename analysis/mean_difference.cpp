#include "analysis/mean_difference.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <stdexcept>

namespace tinyfleet {
namespace {

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

// Sample variance (n − 1).
double variance_of(const std::vector<double>& v) {
  const double m = mean_of(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return ss / static_cast<double>(v.size() - 1);
}

void need_two(const std::vector<double>& v, const char* what) {
  if (v.size() < 2)
    throw std::invalid_argument(std::string(what) + ": a t interval needs at least two values");
}

// diff ± t_{(1+level)/2}(df) · se; the point when se is 0.
MeanDifference interval(double diff, double se, double df, double level) {
  if (!(se > 0)) return {diff, diff, diff, 0};
  const double half = student_t_quantile(0.5 + level / 2, df) * se;
  return {diff, diff - half, diff + half, df};
}

}  // namespace

double student_t_quantile(double p, double df) {
  if (!(df > 0) || !(p > 0) || !(p < 1))
    throw std::invalid_argument("student_t_quantile: need df > 0 and 0 < p < 1");
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), p);
}

MeanDifference one_sample_difference(const std::vector<double>& v, double constant, double level) {
  need_two(v, "one-sample difference");
  const double n = static_cast<double>(v.size());
  return interval(mean_of(v) - constant, std::sqrt(variance_of(v) / n), n - 1, level);
}

MeanDifference paired_difference(const std::vector<double>& left, const std::vector<double>& right,
                                 double level) {
  if (left.size() != right.size())
    throw std::invalid_argument("paired difference: the two samples differ in size");
  std::vector<double> d(left.size());
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = left[i] - right[i];
  need_two(d, "paired difference");
  return one_sample_difference(d, 0, level);
}

MeanDifference welch_difference(const std::vector<double>& left, const std::vector<double>& right,
                                double level) {
  need_two(left, "Welch difference");
  need_two(right, "Welch difference");
  const double nl = static_cast<double>(left.size()), nr = static_cast<double>(right.size());
  const double ql = variance_of(left) / nl, qr = variance_of(right) / nr;
  const double se2 = ql + qr;
  // Welch–Satterthwaite; a side without spread adds nothing (0/0 avoided).
  double denom = 0;
  if (ql > 0) denom += ql * ql / (nl - 1);
  if (qr > 0) denom += qr * qr / (nr - 1);
  const double df = denom > 0 ? se2 * se2 / denom : 0;
  return interval(mean_of(left) - mean_of(right), std::sqrt(se2), df, level);
}

}  // namespace tinyfleet
