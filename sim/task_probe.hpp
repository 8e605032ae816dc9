#pragma once
// The experimenter's oracle measurement of a task-structured run (docs/METRICS.md
// "Continual learning"): the device's learner predicts every task's held-out
// probe set (drift/data_tasks.hpp) without learning. It is not device work:
// the operations go to a scratch counter that is never charged, and nothing
// is scored prequentially. Learners' predict() leaves no state that a later
// learn() or predict() reads (scratch buffers, the last prediction's
// confidence, kNN's memo of an unchanged query), so a probe does not change
// what the device does afterwards (tests/test_tasks.cpp checks it per kernel).
#include <cstdint>
#include <vector>

#include "drift/data_tasks.hpp"
#include "learners/learner.hpp"

namespace tinyfleet {

// Right predictions of `learner` on each task's probe set, in task order.
std::vector<uint64_t> probe_tasks(Learner& learner, const TaskSet& tasks);

}  // namespace tinyfleet
