// Class-incremental task replay; see data_tasks.hpp.
#include "drift/data_tasks.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "drift/rng.hpp"

namespace tinyfleet {
namespace {

// The probe draw and the pass order use separate streams of the generator seed.
constexpr uint64_t kProbePurpose = 0x7A5C9B0Eull;

template <class T>
void shuffle_rows(std::vector<T>& v, SplitMix64& r) {  // Fisher–Yates
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[r.next_below(i)]);
}

std::vector<int> parse_class_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto dash = item.find('-', 1);
    std::size_t used = 0;
    const int a = std::stoi(item.substr(0, dash), &used);
    const int b = dash == std::string::npos ? a : std::stoi(item.substr(dash + 1));
    if (b < a) throw std::invalid_argument("range");
    for (int c = a; c <= b; ++c) out.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<std::vector<int>> task_classes(const std::string& list, int per_task, int classes) {
  std::vector<std::vector<int>> tasks;
  if (!list.empty()) {
    std::stringstream ss(list);
    std::string task;
    while (std::getline(ss, task, ';')) {
      try {
        tasks.push_back(parse_class_list(task));
      } catch (const std::exception&) {
        throw std::invalid_argument(
            "tasks: `tasks` lists each task's classes, tasks separated by ';', e.g. "
            "'0,1;2,3' or '0-4;5-9', not '" +
            list + "'");
      }
      if (tasks.back().empty())
        throw std::invalid_argument("tasks: an empty task in '" + list + "'");
    }
  } else {
    if (per_task < 1) throw std::invalid_argument("tasks: classes_per_task must be >= 1");
    for (int c = 0; c < classes; c += per_task) {
      tasks.emplace_back();
      for (int k = c; k < std::min(classes, c + per_task); ++k) tasks.back().push_back(k);
    }
  }
  std::vector<bool> used(static_cast<std::size_t>(std::max(classes, 0)), false);
  for (const auto& t : tasks)
    for (int c : t) {
      if (c < 0 || c >= classes)
        throw std::invalid_argument("tasks: class " + std::to_string(c) + " outside 0.." +
                                    std::to_string(classes - 1));
      if (used[static_cast<std::size_t>(c)])
        throw std::invalid_argument("tasks: class " + std::to_string(c) + " belongs to two tasks");
      used[static_cast<std::size_t>(c)] = true;
    }
  return tasks;
}

TaskReplay::TaskReplay(std::shared_ptr<const Dataset> data, const std::vector<int>& rows,
                       const TaskConfig& cfg, uint64_t seed)
    : data_(std::move(data)), rng_state_(seed) {
  if (cfg.probe_per_task < 0) throw std::invalid_argument("tasks: probe_per_task must be >= 0");
  if (cfg.samples_per_task < 0) throw std::invalid_argument("tasks: samples_per_task must be >= 0");
  auto set = std::make_shared<TaskSet>();
  set->data = data_;
  set->classes = cfg.classes;
  std::vector<int> task_of(static_cast<std::size_t>(data_->classes), -1);
  for (std::size_t t = 0; t < cfg.classes.size(); ++t)
    for (int c : cfg.classes[t]) task_of.at(static_cast<std::size_t>(c)) = static_cast<int>(t);
  std::vector<std::vector<int>> by_task(cfg.classes.size());
  for (int r : rows) {  // partition order: independent of the stream seed's draws below
    const int t = task_of[static_cast<std::size_t>(data_->y[static_cast<std::size_t>(r)])];
    if (t >= 0) by_task[static_cast<std::size_t>(t)].push_back(r);
  }
  SplitMix64 probe_rng(derive_seed(seed, 0, kProbePurpose));
  const auto probe = static_cast<std::size_t>(cfg.probe_per_task);
  for (std::size_t t = 0; t < by_task.size(); ++t) {
    auto& all = by_task[t];
    std::sort(all.begin(), all.end());
    shuffle_rows(all, probe_rng);
    if (all.size() <= probe)
      throw std::invalid_argument(
          "tasks: task " + std::to_string(t) + " has " + std::to_string(all.size()) +
          " rows on this device, not more than probe_per_task = " + std::to_string(probe) +
          ": lower probe_per_task");
    set->probe_rows.emplace_back(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(probe));
    train_.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(probe), all.end());
    std::sort(train_.back().begin(), train_.back().end());
    set->starts.push_back(set->samples);
    set->samples += cfg.samples_per_task > 0 ? cfg.samples_per_task
                                             : static_cast<int64_t>(train_.back().size());
  }
  info_.features = data_->d;
  info_.classes = data_->classes;
  info_.lo = data_->lo;
  info_.hi = data_->hi;
  // Each new task is a change of the stream (new classes), dated like a data set's own changes.
  for (std::size_t t = 1; t < set->starts.size(); ++t)
    info_.changes.push_back({set->starts[t], "new_classes"});
  info_.samples = set->samples;
  info_.tasks = std::move(set);
  if (!train_.empty()) start_pass();
}

void TaskReplay::start_pass() {
  SplitMix64 r(rng_state_);
  shuffle_rows(train_[task_], r);
  rng_state_ = r.next_u64();
  pos_ = 0;
}

int TaskReplay::next(float* x) {
  const TaskSet& set = *info_.tasks;
  if (emitted_ >= set.samples)
    throw std::out_of_range("task stream: no sample after the last task");
  const std::size_t task = static_cast<std::size_t>(
      std::upper_bound(set.starts.begin(), set.starts.end(), emitted_) - set.starts.begin() - 1);
  if (task != task_) {
    task_ = task;
    start_pass();
  } else if (pos_ == train_[task_].size()) {
    start_pass();
  }
  ++emitted_;
  const auto i = static_cast<std::size_t>(train_[task_][pos_++]);
  const auto d = static_cast<std::size_t>(data_->d);
  std::copy_n(data_->x.begin() + static_cast<std::ptrdiff_t>(i * d), d, x);
  return data_->y[i];
}

}  // namespace tinyfleet
