#pragma once
// The typed, immutable result of loading a scenario file: every default
// resolved, every value validated. Nothing downstream reads YAML.
#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/params.hpp"

namespace tinyfleet {

// Which devices of a group a drift applies to.
struct DeviceSelector {
  enum class Kind { All, Fraction, List };
  Kind kind = Kind::All;
  double fraction = 1.0;     // Kind::Fraction, in (0, 1]; "40%" → 0.4
  std::vector<int> indices;  // Kind::List: indices within the group (0-based)
  bool operator==(const DeviceSelector&) const = default;
};

// One change of a group's stream. Kinds (streams.md §2):
// - abrupt: the new concept from `at_s` on;
// - gradual: MOA's sigmoid, centred on `at_s`, `width_s` wide;
// - incremental: numeric parameters move linearly from their current values to
//   `to` over [at_s, at_s + width_s], in `steps` abrupt steps;
// - recurring: the new concept from `at_s`, the previous one back after
//   `period_s`, and so on, `repeat` switches in all (gradual switches if width_s > 0).
// A change may also set new class priors (`priors`: prior, i.e. virtual, drift).
struct DriftSpec {
  enum class Kind { Abrupt, Gradual, Incremental, Recurring };
  Kind kind = Kind::Abrupt;
  double at_s = 0;  // simulated time of the change (centre of a gradual change)
  double width_s =
      0;  // gradual: sigmoid width; incremental: ramp length; recurring: switch width (0 = abrupt)
  int steps = 10;       // incremental only
  double period_s = 0;  // recurring only: time between switches
  int repeat = 1;       // recurring only: number of switches
  double jitter_s = 0;  // each device's change is delayed by its own uniform draw in [0, jitter_s)
  Params to;            // the new concept: generator parameters that change (subset; may be empty)
  std::vector<double> priors;  // new class priors (empty: unchanged)
  DeviceSelector devices;
  bool operator==(const DriftSpec&) const = default;
};

struct StreamSpec {
  std::string generator;       // registered generator name, e.g. "sea"
  Params params;               // resolved generator parameters
  double rate_hz = 1.0;        // samples per second, > 0
  std::vector<double> priors;  // class priors (imbalance); empty: the generator's own distribution
  bool operator==(const StreamSpec&) const = default;
};

struct LabelSpec {
  double fraction = 1.0;        // share of samples whose label is ever delivered, [0, 1]
  double delay_s = 0.0;         // delay between the sample and its label, >= 0
  double delay_jitter_s = 0.0;  // + a uniform draw in [0, delay_jitter_s) per label
  int budget = 0;               // at most this many labels per budget window (0: no budget)
  // Active learning (uncertainty sampling): > 0 asks for a label only when the
  // learner's uncertainty about the sample is at least this.
  double query_uncertainty = 0;
  double budget_window_s = 3600;
  bool operator==(const LabelSpec&) const = default;
};

struct DetectorSpec {
  std::string kind;  // "" = none; else a registered detector name, e.g. "page_hinkley"
  Params params;
  bool operator==(const DetectorSpec&) const = default;
};

struct LearnerSpec {
  std::string kind;  // registered learner name, e.g. "knn", "static"
  Params params;
  DetectorSpec detector;
  bool operator==(const LearnerSpec&) const = default;
};

struct GroupSpec {
  std::string name;
  int count = 1;           // devices in the group, >= 1
  std::string device;      // board catalog name
  double battery_mah = 0;  // > 0: replaces the board's battery capacity (a smaller or larger cell)
  StreamSpec stream;
  std::vector<DriftSpec> drifts;  // sorted by at_s
  LabelSpec labels;
  LearnerSpec learner;
  double status_every_s = 60;  // period of the status report to the gateway
  int status_bytes = 64;       // payload of one status report
  bool operator==(const GroupSpec&) const = default;
};

struct NetworkSpec {
  std::string topology = "star";
  std::string link = "ble";  // link preset name (devices/link_preset.hpp)
  // Gateway medium access: reports queue for the next slot boundary, then at
  // most `channels` transmissions are on air at once (sim/gateway.hpp).
  double slot_s = 0.01;
  int channels = 4;
  // Devices per gateway cell: each cell has its own gateway host, medium and
  // driver (a real deployment spreads a large fleet over many gateways).
  int cell_devices = 1000;
  bool operator==(const NetworkSpec&) const = default;
};

struct OutputSpec {
  double every_s = 60;        // metric sampling period, > 0
  double window_s = 600;      // sliding window for windowed accuracy, > 0
  double max_delay_s = 1800;  // an alarm later than this after a drift's start is not its detection
  // Per-device metric rows and the per-device list in summary.json: "auto"
  // keeps them for fleets of at most 1000 devices (they grow with the fleet).
  std::string per_device = "auto";
  bool operator==(const OutputSpec&) const = default;
};

struct Scenario {
  std::string file;  // path it was loaded from ("<builtin>/..." if embedded)
  std::string name;
  uint64_t seed = 1;
  double duration_s = 0;  // > 0
  std::vector<GroupSpec> groups;
  NetworkSpec network;
  OutputSpec output;
  bool operator==(const Scenario&) const = default;
};

}  // namespace tinyfleet
