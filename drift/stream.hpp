#pragma once
// Data streams: a Generator produces labelled samples of one concept. The
// DriftingStream (drift/drifting_stream.hpp) switches concepts over time.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "scenarios/params.hpp"

namespace tinyfleet {

struct TaskSet;  // drift/data_tasks.hpp

// A ground-truth change carried by the data itself (a real data set replayed
// in time order): it starts at the stream's `sample`-th sample (0-based).
struct DataChange {
  int64_t sample = 0;
  const char* kind = "abrupt";
};

// Shape of a stream's samples; learners size and quantise themselves from it.
struct StreamInfo {
  int features = 0;
  int classes = 0;
  std::vector<float> lo, hi;  // per-feature value range (for int8 quantisation)
  // Real data only (drift/dataset.hpp). `changes` repeat every `cycle_samples`
  // samples when > 0 (a replay that cycles); `samples` > 0 = the stream ends
  // after that many samples (a single pass).
  std::vector<DataChange> changes{};
  int64_t cycle_samples = 0;
  int64_t samples = 0;
  // A task-structured stream (drift/data_tasks.hpp): its tasks and probe sets.
  // The stream then ends after `samples` samples and the device idles.
  std::shared_ptr<const TaskSet> tasks{};
};

// One sample. `x` points at `features` floats owned by the producer, valid
// until its next call.
struct Sample {
  const float* x = nullptr;
  int y = 0;
  // 0 = initial concept, i = after the i-th drift that reached this device.
  // (Named concept_id: `concept` is a C++20 keyword.)
  int concept_id = 0;
};

class Generator {
 public:
  virtual ~Generator() = default;
  virtual const StreamInfo& info() const = 0;
  // Writes the next sample's features to `x` (info().features floats) and returns its label.
  virtual int next(float* x) = 0;
};

// Registered generators and their parameters (e.g. "sea": variant, noise, balance).
const std::vector<ComponentInfo>& generator_catalog();
// `params` must be resolved (validated, defaults filled). Throws std::invalid_argument otherwise.
std::unique_ptr<Generator> make_generator(const std::string& name, const Params& params,
                                          uint64_t seed);

}  // namespace tinyfleet
