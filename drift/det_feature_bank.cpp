#include "drift/det_feature_bank.hpp"

#include <stdexcept>
#include <string>

namespace tinyfleet {

FeatureBank::FeatureBank(std::vector<std::unique_ptr<Detector>> copies)
    : copies_(std::move(copies)) {
  if (copies_.empty()) throw std::invalid_argument("feature bank: needs at least one component");
  for (const auto& c : copies_)
    if (!c || c->multivariate())
      throw std::invalid_argument("feature bank: every component test must be scalar");
}

void FeatureBank::update(double x, uint64_t t, OpCounter& ops) {
  const float xf = static_cast<float>(x);
  update_vector(&xf, 1, t, ops);
}

void FeatureBank::update_vector(const float* x, int d, uint64_t t, OpCounter& ops) {
  if (d != dimension())
    throw std::invalid_argument("feature bank: got a " + std::to_string(d) +
                                "-d vector, built for " + std::to_string(dimension()));
  if (fired_ >= 0) reset();
  for (int i = 0; i < d; ++i) {
    copies_[static_cast<std::size_t>(i)]->update(x[i], t, ops);
    if (fired_ < 0 && copies_[static_cast<std::size_t>(i)]->drift_detected()) fired_ = i;
  }
  ops.add(Op::Compare, static_cast<uint64_t>(d));  // the "any alarm?" test
}

uint64_t FeatureBank::change_estimate() const {
  return fired_ >= 0 ? copies_[static_cast<std::size_t>(fired_)]->change_estimate() : 0;
}

void FeatureBank::reset() {
  for (auto& c : copies_) c->reset();
  fired_ = -1;
}

std::size_t FeatureBank::memory_bytes() const {
  std::size_t bytes = sizeof(int);
  for (const auto& c : copies_) bytes += c->memory_bytes();
  return bytes;
}

}  // namespace tinyfleet
