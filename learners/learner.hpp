#pragma once
// The on-device learning kernel interface. Kernels count the operations they
// really execute into the OpCounter they are handed.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "devices/op_counter.hpp"
#include "drift/stream.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet {

class Federable;       // learners/federable.hpp
class Reconfigurable;  // learners/reconfigurable.hpp
struct LabelledSet;    // learners/pretrain.hpp

struct DriftInfo {
  uint64_t alarm_index = 0;             // sample index at which the detector fired
  uint64_t estimated_change_index = 0;  // sample index where the change is estimated to begin
};

class Learner {
 public:
  virtual ~Learner() = default;
  virtual int predict(const float* x, OpCounter& ops) = 0;
  // A label arrived for the sample with index `sample_index` (features `x`).
  virtual void learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) = 0;
  // A change was detected: adapt (e.g. drop knowledge older than the change).
  virtual void on_drift(const DriftInfo& info, OpCounter& ops) = 0;
  // Whether this learner wants its error stream monitored by the configured detector.
  virtual bool adapts_on_drift() const = 0;
  // Uncertainty of the last prediction, in [0, 1] (0: sure, 1: knows nothing);
  // the label policy's active-learning query reads it. Kernels without a
  // measure of their own return 1 (always worth a label).
  virtual double uncertainty() const { return 1.0; }
  // Confidence of the last prediction: the probability the learner gives to
  // the class predict() returned, in [0, 1]; read right after predict()
  // (learning may overwrite the state it is read from). A learner with no
  // opinion yet says 1/C. Each kernel's definition is in its header and
  // docs/METRICS.md ("Calibration"); integer networks: learners/confidence.hpp.
  virtual double confidence() const = 0;
  // Bytes of every live structure the kernel holds (model, buffers, knowledge base).
  virtual std::size_t memory_bytes() const = 0;
  // The federated-rounds side of the kernel (learners/federable.hpp); null if
  // it cannot take part.
  virtual Federable* federable() { return nullptr; }
  // The knobs a reconfiguration policy may turn (learners/reconfigurable.hpp); null if none.
  virtual Reconfigurable* reconfigurable() { return nullptr; }
  // Factory pre-training (learners/pretrain.hpp) on `set`, `epochs` passes in
  // the orders epoch_order(n, seed, e) gives; `ops` is the factory's counter,
  // never the device's. Default: learn() on each sample (index 0: before
  // deployment). A kernel with a factory-only phase overrides it (TyBox trains
  // its whole network here, only its head on the device).
  virtual void pretrain(const LabelledSet& set, int epochs, uint64_t seed, OpCounter& ops);
  // Stop learning for good (e.g. after a RAM breach); predictions go on.
  void freeze() { frozen_ = true; }
  bool frozen() const { return frozen_; }

 protected:
  bool frozen_ = false;
};

const std::vector<ComponentInfo>& learner_catalog();
std::unique_ptr<Learner> make_learner(const LearnerSpec& spec, const StreamInfo& info,
                                      uint64_t seed);

}  // namespace tinyfleet
