#pragma once
// Continual-learning metrics of Lopez-Paz & Ranzato, "Gradient Episodic Memory
// for Continual Learning" (NeurIPS 2017, §2 eqs. (2)-(4)), from a task-accuracy
// matrix R (T×T): R[i][j] = test accuracy on task j after training on tasks
// 0..i, and b[j] = the accuracy of the untrained (random-init) model on task j:
//   ACC = (1/T) Σ_j R[T−1][j]
//   BWT = 1/(T−1) Σ_{j<T−1} (R[T−1][j] − R[j][j])      (< 0: forgetting)
//   FWT = 1/(T−1) Σ_{j≥1}  (R[j−1][j] − b[j])           (> 0: transfer)
// A task-structured stream (drift/data_tasks.hpp) makes the simulator measure
// R per device (sim/task_probe.hpp); summary.json's `continual` block
// (analysis/lifecycle_json.hpp) reports it per device and per group.
#include <cstdint>
#include <optional>
#include <vector>

namespace tinyfleet {

struct ContinualMetrics {
  double average_accuracy = 0;
  std::optional<double> bwt, fwt;  // none for T = 1
};

// Throws std::invalid_argument unless R is T×T (T ≥ 1) and b has T entries.
ContinualMetrics continual_metrics(const std::vector<std::vector<double>>& r,
                                   const std::vector<double>& b);

// The probe counts behind R and b, additive over devices: a group's matrix is
// its devices' pooled counts (with equal probe sets per device, the mean of
// their matrices).
struct TaskAccuracyCounts {
  int tasks = 0;                      // T; 0 = the stream has no tasks
  int devices = 0;                    // devices added
  std::vector<uint64_t> probe;        // T: probe samples per task
  std::vector<uint64_t> baseline;     // T: right before any learning (b)
  std::vector<uint64_t> correct;      // T×T, row-major: row i after task i (R)
  std::vector<double> task_energy_j;  // T: energy drawn while each task was presented
  void reset(int t);                  // T tasks, one device, zero counts
  // Adds another device's (or group's) counts; std::invalid_argument if T differs.
  TaskAccuracyCounts& operator+=(const TaskAccuracyCounts& o);
  std::vector<std::vector<double>> matrix() const;  // R (a task with no probe: 0)
  std::vector<double> baseline_accuracy() const;    // b
};

}  // namespace tinyfleet
