#include "analysis/continual.hpp"

#include <stdexcept>
#include <string>

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

void TaskAccuracyCounts::reset(int t) {
  const auto n = static_cast<std::size_t>(t);
  tasks = t;
  devices = 1;
  probe.assign(n, 0);
  baseline.assign(n, 0);
  correct.assign(n * n, 0);
  task_energy_j.assign(n, 0.0);
}

TaskAccuracyCounts& TaskAccuracyCounts::operator+=(const TaskAccuracyCounts& o) {
  if (o.tasks == 0) return *this;
  if (tasks == 0) return *this = o;
  if (o.tasks != tasks)
    throw std::invalid_argument("continual counts: " + std::to_string(tasks) + " vs " +
                                std::to_string(o.tasks) + " tasks");
  devices += o.devices;
  for (std::size_t j = 0; j < probe.size(); ++j) {
    probe[j] += o.probe[j];
    baseline[j] += o.baseline[j];
    task_energy_j[j] += o.task_energy_j[j];
  }
  for (std::size_t k = 0; k < correct.size(); ++k) correct[k] += o.correct[k];
  return *this;
}

namespace {
double share(uint64_t right, uint64_t n) {
  return n > 0 ? static_cast<double>(right) / static_cast<double>(n) : 0.0;
}
}  // namespace

std::vector<std::vector<double>> TaskAccuracyCounts::matrix() const {
  const auto t = static_cast<std::size_t>(tasks);
  std::vector<std::vector<double>> r(t, std::vector<double>(t, 0.0));
  for (std::size_t i = 0; i < t; ++i)
    for (std::size_t j = 0; j < t; ++j) r[i][j] = share(correct[i * t + j], probe[j]);
  return r;
}

std::vector<double> TaskAccuracyCounts::baseline_accuracy() const {
  std::vector<double> b(probe.size());
  for (std::size_t j = 0; j < b.size(); ++j) b[j] = share(baseline[j], probe[j]);
  return b;
}

}  // namespace tinyfleet
