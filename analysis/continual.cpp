#include "analysis/continual.hpp"

#include <stdexcept>

namespace tinyfleet {

ContinualMetrics continual_metrics(const std::vector<std::vector<double>>& r,
                                   const std::vector<double>& b) {
  const std::size_t t = r.size();
  if (t == 0) throw std::invalid_argument("continual metrics: empty accuracy matrix");
  for (const auto& row : r)
    if (row.size() != t) throw std::invalid_argument("continual metrics: R must be T x T");
  if (b.size() != t) throw std::invalid_argument("continual metrics: b must have T entries");
  ContinualMetrics m;
  for (std::size_t j = 0; j < t; ++j) m.average_accuracy += r[t - 1][j];
  m.average_accuracy /= static_cast<double>(t);
  if (t == 1) return m;
  double bwt = 0, fwt = 0;
  for (std::size_t j = 0; j + 1 < t; ++j) bwt += r[t - 1][j] - r[j][j];
  for (std::size_t j = 1; j < t; ++j) fwt += r[j - 1][j] - b[j];
  m.bwt = bwt / static_cast<double>(t - 1);
  m.fwt = fwt / static_cast<double>(t - 1);
  return m;
}

}  // namespace tinyfleet
