#include "sim/task_probe.hpp"

namespace tinyfleet {

std::vector<uint64_t> probe_tasks(Learner& learner, const TaskSet& tasks) {
  const Dataset& data = *tasks.data;
  const auto d = static_cast<std::size_t>(data.d);
  std::vector<uint64_t> correct(tasks.probe_rows.size(), 0);
  OpCounter uncharged;  // the oracle's work, not the device's
  for (std::size_t j = 0; j < tasks.probe_rows.size(); ++j)
    for (int r : tasks.probe_rows[j]) {
      const auto row = static_cast<std::size_t>(r);
      correct[j] += learner.predict(data.x.data() + row * d, uncharged) == data.y[row];
    }
  return correct;
}

}  // namespace tinyfleet
