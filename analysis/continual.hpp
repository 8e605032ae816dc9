#pragma once
// Continual-learning metrics of Lopez-Paz & Ranzato, "Gradient Episodic Memory
// for Continual Learning" (NeurIPS 2017, §2 eqs. (2)-(4)), from a task-accuracy
// matrix R (T×T): R[i][j] = test accuracy on task j after training on tasks
// 0..i, and b[j] = the accuracy of the untrained (random-init) model on task j:
//   ACC = (1/T) Σ_j R[T−1][j]
//   BWT = 1/(T−1) Σ_{j<T−1} (R[T−1][j] − R[j][j])      (< 0: forgetting)
//   FWT = 1/(T−1) Σ_{j≥1}  (R[j−1][j] − b[j])           (> 0: transfer)
// No stream of the simulator has tasks yet (docs/METRICS.md), so this is not
// wired into summary.json.
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

}  // namespace tinyfleet
