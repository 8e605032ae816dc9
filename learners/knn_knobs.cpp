// The kNN's reconfiguration knob (learners/reconfigurable.hpp): the live
// knowledge-base capacity. Kept apart from knn.cpp so the kernel stays one job.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "learners/knn.hpp"

namespace tinyfleet {
namespace {
constexpr const char* kKbBudget = "kb_budget";
}

std::vector<KnobInfo> KnnLearner::knobs() const {
  return {{kKbBudget, static_cast<double>(cfg_.k), static_cast<double>(cfg_.budget), true}};
}

double KnnLearner::knob(const std::string& name) const {
  if (name != kKbBudget) throw std::invalid_argument("knn: no knob '" + name + "'");
  return static_cast<double>(live_capacity_);
}

double KnnLearner::set_knob(const std::string& name, double value, OpCounter& ops) {
  if (name != kKbBudget) throw std::invalid_argument("knn: no knob '" + name + "'");
  const double v =
      std::clamp(std::round(value), static_cast<double>(cfg_.k), static_cast<double>(cfg_.budget));
  set_capacity(static_cast<std::size_t>(v), ops);
  return v;
}

// Re-lays the ring out from slot 0 with the newest min(size, cap) entries.
// Counted as on the device: per kept entry (d + 3) loads and stores (features,
// label, 64-bit index), then 1 store for the new size and capacity.
void KnnLearner::set_capacity(std::size_t cap, OpCounter& ops) {
  if (cap == live_capacity_) return;
  const std::size_t d = dim(), keep = std::min(size_, cap), first = size_ - keep;
  std::vector<int8_t> features(keep * d);
  std::vector<int16_t> labels(keep);
  std::vector<uint64_t> added(keep);
  for (std::size_t i = 0; i < keep; ++i) {
    const std::size_t s = slot(first + i);
    for (std::size_t j = 0; j < d; ++j) features[i * d + j] = kb_[j * stride_ + s];
    labels[i] = labels_[s];
    added[i] = added_[s];
  }
  for (std::size_t i = 0; i < keep; ++i) {
    for (std::size_t j = 0; j < d; ++j) kb_[j * stride_ + i] = features[i * d + j];
    labels_[i] = labels[i];
    added_[i] = added[i];
  }
  head_ = 0;
  size_ = keep;
  live_capacity_ = cap;
  ++kb_version_;
  ops.add(Op::Load, keep * (d + 3));
  ops.add(Op::Store, keep * (d + 3) + 1);
}

}  // namespace tinyfleet
