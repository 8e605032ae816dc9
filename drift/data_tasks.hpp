#pragma once
// Task-structured (continual-learning) replay of a labelled data set: the
// classes are split into T tasks presented one after the other, class-
// incrementally (labels keep their identity), the setting of the survey's
// continual-learning regime (/work/shared/reference/taxonomy.md §2 E5).
//
// For each device and task j, the rows of the device's partition whose class
// belongs to task j are shuffled with a seeded draw; the first
// `probe_per_task` of them are the task's held-out probe set (never streamed),
// the rest its training rows. The stream presents task 0 for
// `samples_per_task` samples (0: each of its training rows once), walking its
// training rows in a shuffled order (reshuffled at every pass), then task 1,
// and so on; after the last task the stream has no more samples. The
// simulator measures the learner on every task's probe set at each task
// boundary (sim/task_probe.hpp) to fill the task-accuracy matrix of
// analysis/continual.hpp.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "drift/dataset.hpp"

namespace tinyfleet {

// What the simulator needs of a task stream (StreamInfo::tasks).
struct TaskSet {
  std::shared_ptr<const Dataset> data;
  std::vector<std::vector<int>> classes;     // per task, its classes
  std::vector<std::vector<int>> probe_rows;  // per task, held-out rows of `data`
  std::vector<int64_t> starts;               // stream sample index where each task starts
  int64_t samples = 0;                       // samples of the whole sequence
  int tasks() const { return static_cast<int>(classes.size()); }
};

struct TaskConfig {
  std::vector<std::vector<int>> classes;  // per task (task_classes())
  int samples_per_task = 0;               // 0: each task's training rows once
  int probe_per_task = 200;
};

// The tasks' classes: `list` "0,1;2,3" (tasks separated by ';', classes by ','
// or ranges "0-4"), else consecutive chunks of `per_task` classes of
// 0..classes-1 (the last chunk may be smaller). Every class at most once.
// Throws std::invalid_argument naming the problem.
std::vector<std::vector<int>> task_classes(const std::string& list, int per_task, int classes);

class TaskReplay final : public Generator {
 public:
  // `rows`: this device's partition of `data`. Throws std::invalid_argument
  // when a task has no training row left after its probe set.
  TaskReplay(std::shared_ptr<const Dataset> data, const std::vector<int>& rows,
             const TaskConfig& cfg, uint64_t seed);
  const StreamInfo& info() const override { return info_; }
  // Throws std::out_of_range past the last task's last sample.
  int next(float* x) override;
  const std::vector<int>& training_rows(int task) const {
    return train_[static_cast<std::size_t>(task)];
  }

 private:
  void start_pass();
  std::shared_ptr<const Dataset> data_;
  StreamInfo info_;
  std::vector<std::vector<int>> train_;  // per task, in the current pass order
  int64_t emitted_ = 0;
  std::size_t task_ = 0, pos_ = 0;
  uint64_t rng_state_;
};

}  // namespace tinyfleet
