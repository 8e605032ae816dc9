#pragma once
// Change-detection tests. One uniform API (River style): update() then
// drift_detected(). Each update counts its operations.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "devices/op_counter.hpp"
#include "scenarios/params.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet {

class Detector {
 public:
  virtual ~Detector() = default;
  // Feeds one observation `x` observed at time index `t` (the caller's clock, e.g.
  // the sample index it belongs to). Sets drift_detected() for this update only.
  virtual void update(double x, uint64_t t, OpCounter& ops) = 0;
  virtual bool drift_detected() const = 0;
  // Best estimate of when the change began, in the caller's `t` units; valid
  // when drift_detected() is true.
  virtual uint64_t change_estimate() const = 0;
  // Forget everything (called after an alarm has been handled, if the test does not reset itself).
  virtual void reset() = 0;
  virtual std::size_t memory_bytes() const = 0;

  // Warning zone (DDM, EDDM, HDDM_A/W: River's BinaryDriftAndWarningDetector);
  // valid for the last update only. Detectors without a warning level say false.
  virtual bool warning_detected() const { return false; }
  // Multivariate detectors (e.g. loglik) take vectors through update_vector();
  // scalar ones refuse them.
  virtual bool multivariate() const { return false; }
  // Feeds one observation x[0..d) (same d on every call until reset()).
  virtual void update_vector(const float* x, int d, uint64_t t, OpCounter& ops) {
    (void)x, (void)d, (void)t, (void)ops;
    throw std::logic_error("this detector is scalar: use update(), not update_vector()");
  }
};

const std::vector<ComponentInfo>& detector_catalog();
std::unique_ptr<Detector> make_detector(const std::string& kind, const Params& params);
// The `DetectorSpec::input`s detector `kind` may watch ("errors", "features", "confidence").
std::vector<std::string> detector_inputs(const std::string& kind);
// The detector a device runs on `spec.input`; a scalar test on features becomes a
// per-component FeatureBank over `features` components (drift/det_feature_bank.hpp).
// Throws std::invalid_argument if the detector cannot watch that input.
std::unique_ptr<Detector> make_detector(const DetectorSpec& spec, int features);

}  // namespace tinyfleet
