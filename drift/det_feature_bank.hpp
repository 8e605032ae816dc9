#pragma once
// A scalar CDT on a feature vector: one copy of the test per component, an
// alarm when any copy raises one — the reduction of Alippi & Roveri's
// just-in-time classifiers (IEEE TNN 2008, Part I), which run an ICI CDT on
// each input feature independently. A component's change is detected as soon
// as it is visible in that component; a change only in the joint
// distribution (e.g. a rotation that keeps every marginal) is not.
// change_estimate is the estimate of the copy that fired (the lowest index if
// several fired on the same vector). The update after an alarm restarts every
// copy (the whole test re-trains, as one test would).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "drift/detector.hpp"

namespace tinyfleet {

class FeatureBank final : public Detector {
 public:
  // `copies[i]` watches component i; all must be scalar tests.
  explicit FeatureBank(std::vector<std::unique_ptr<Detector>> copies);

  void update(double x, uint64_t t, OpCounter& ops) override;
  void update_vector(const float* x, int d, uint64_t t, OpCounter& ops) override;
  bool multivariate() const override { return true; }
  bool drift_detected() const override { return fired_ >= 0; }
  uint64_t change_estimate() const override;
  void reset() override;
  std::size_t memory_bytes() const override;

  int dimension() const { return static_cast<int>(copies_.size()); }

 private:
  std::vector<std::unique_ptr<Detector>> copies_;
  int fired_ = -1;  // the copy whose alarm this update raised; -1: none
};

}  // namespace tinyfleet
