#pragma once
// The typed, immutable result of loading a scenario file: every default
// resolved, every value validated. Nothing downstream reads YAML.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/availability_trace.hpp"
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

// Self-labelling (drift/self_labelling.hpp): pseudo-labels for the samples the
// label policy leaves unlabelled, from the Euclidean distance to class prototypes.
struct SelfLabelSpec {
  bool enabled = false;
  std::string prototypes_file;                 // CSV "label,f1,...,fd" per row ("" = none)
  std::vector<int> prototype_labels;           // read from prototypes_file by the loader
  std::vector<std::vector<float>> prototypes;  // one feature vector per row of the file
  int from_first_labels = 0;  // K > 0: class prototype = mean of its first K true labels
  double positive = 0;        // nearest distance < positive → that prototype's class
  double negative = 0;        // > 0: nearest distance > negative → negative_class
  int negative_class = -1;    // class of far samples; -1: they stay unlabelled
  // Thresholds calibrated per prototype from the shots (kernels.md §6, the
  // α_p/α_n rule) instead of positive/negative; needs from_first_labels.
  bool calibrate = false;
  double alpha_p = 0.2;  // positive threshold: α_p of the way from the shots to the negatives
  double alpha_n = 0.9;  // negative threshold: α_n of the way
  double cap = 0.5;      // bound of α_p·gap (the reference's 0.5, in feature-distance units)
  // Distances between L2-normalised vectors (the reference's embeddings), so
  // thresholds and cap are in units of the vectors' norm (1).
  bool l2_normalize = false;
  bool operator==(const SelfLabelSpec&) const = default;
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
  SelfLabelSpec self{};  // self-labelling of unlabelled samples (off by default)
  bool operator==(const LabelSpec&) const = default;
};

struct DetectorSpec {
  std::string kind;  // "" = none; else a registered detector name, e.g. "page_hinkley"
  Params params;
  // What it watches: "errors" (0/1 prediction errors, on each label), "features"
  // (the sample's feature vector) or "confidence" (of the prediction), on every sample.
  std::string input = "errors";
  bool operator==(const DetectorSpec&) const = default;
};

// Factory pre-training (learners/pretrain.hpp): before deployment the group's
// learner is trained on `samples` labelled samples of another stream (data the
// device never sees), pooled over `partitions` partitions of its split, for
// `epochs` passes. Factory work: never charged to the device.
struct PretrainSpec {
  bool enabled = false;
  StreamSpec stream;   // the factory data (drifts never apply to it)
  int partitions = 1;  // pool partitions 0..partitions-1 of the stream's split (device/devices)
  int samples = 0;     // labelled samples drawn, round-robin over the partitions
  int epochs = 1;      // passes over them
  bool operator==(const PretrainSpec&) const = default;
};

struct LearnerSpec {
  std::string kind;  // registered learner name, e.g. "knn", "static"
  Params params;
  DetectorSpec detector;
  PretrainSpec pretrain{};
  bool operator==(const LearnerSpec&) const = default;
};

// One step of a group's time-varying budgets (sim/budget_schedule.hpp,
// docs/LIFECYCLE.md): from `at_s` on, each value >= 0 replaces the one in
// force; a negative value leaves it unchanged; 0 means "no limit".
struct BudgetStep {
  double at_s = 0;
  double energy_j = -1;    // joules per budget window
  double ram_kib = -1;     // RAM cap on the device's used RAM (KiB)
  double duty_cycle = -1;  // share of a window the device may be awake, (0, 1]
  double deadline_s = -1;  // latency deadline of one inference (sample → prediction)
  DeviceSelector devices;  // a step of `budgets.steps`: which devices of the group it changes
  bool operator==(const BudgetStep&) const = default;
};

// A period when the device's radio link is down.
struct RadioOutage {
  double at_s = 0, for_s = 0;
  DeviceSelector devices;  // which devices of the group lose their link
  bool operator==(const RadioOutage&) const = default;
};

struct BudgetSpec {
  bool enabled = false;
  double window_s = 3600;            // energy, duty-cycle and deadline accounting window
  std::vector<BudgetStep> steps;     // steps[0] holds the values at t = 0; sorted by at_s
  std::vector<RadioOutage> outages;  // sorted by at_s, not overlapping
  bool operator==(const BudgetSpec&) const = default;
};

// The reconfiguration policy of a group (sim/policy_rules.hpp): `fixed` never
// changes a knob; `rules` applies the documented rules every `every_s`.
struct PolicySpec {
  std::string kind = "fixed";  // fixed | rules
  double every_s = 60;
  double ram_high = 0.9, ram_low = 0.6;        // of the RAM cap
  double energy_high = 0.9, energy_low = 0.5;  // of the energy budget (projected over the window)
  double accuracy_drop = 0.1;                  // windowed-accuracy drop that sharpens the detector
  double battery_low = 0.2;                    // battery fraction below which learning slows
  int max_update_every = 8;                    // slowest update rate: learn every 8th label
  double min_kb_fraction = 0.125;              // smallest knowledge base, of the configured one
  bool operator==(const PolicySpec&) const = default;
};

struct GroupSpec {
  std::string name;
  int count = 1;           // devices in the group, >= 1
  std::string device;      // board catalog name
  double battery_mah = 0;  // > 0: replaces the board's battery capacity (a smaller or larger cell)
  double ram_kib = 0;      // > 0: replaces the board's RAM budget (e.g. a module with PSRAM)
  StreamSpec stream;
  std::vector<DriftSpec> drifts;  // sorted by at_s
  LabelSpec labels;
  LearnerSpec learner;
  double status_every_s = 60;  // period of the status report to the gateway
  int status_bytes = 64;       // payload of one status report
  BudgetSpec budgets;          // time-varying budgets (none by default)
  PolicySpec policy;           // reconfiguration policy (fixed by default)
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
  // Windowed accuracy a device should keep: time below it is a tail-risk
  // metric (docs/METRICS.md "Tail risk"), in [0, 1].
  double service_level = 0.8;
  bool operator==(const OutputSpec&) const = default;
};

// When a device can take part in a federated round (sim/federation.hpp).
struct AvailabilitySpec {
  std::string kind = "always";  // always | probability | duty_cycle | trace
  double probability = 1;       // probability: available in a round with this chance
  double period_s = 0,
         on_s = 0;          // duty_cycle: on for `on` of every `period` (own phase per device)
  std::string trace_file;   // trace: the CSV it was read from (scenarios/availability_trace.hpp)
  AvailabilityTrace trace;  // trace: reachable intervals per device
  bool operator==(const AvailabilitySpec&) const = default;
};

// Federated rounds of an integer learner across the groups that take part.
struct FederationSpec {
  bool enabled = false;
  std::vector<std::string> groups;  // empty: every group whose learner is federable
  std::string mode = "full";        // full | single_layer
  // mean: participants train in parallel from the broadcast model (FedAvg);
  // sequential: they train in turn, each from the model the previous one
  // uploaded (cyclic transfer), and the round ends with the mean of their models.
  std::string aggregation = "mean";
  double participation = 1;     // fraction of the available devices per round
  double every_s = 0;           // a session every `every` (0: none)
  double start_s = 0;           // first periodic session at start + every
  int after_samples = 0;        // a session each time every member has N new samples (0: none)
  bool on_fleet_alarm = false;  // a fleet alarm starts a session
  int rounds = 1;               // rounds (aggregations) per session
  int epochs = 1;               // local epochs over the buffer per round
  double deadline_s = 600;      // an update arriving later than start + deadline is dropped
  double loss = 0;              // probability a model message is lost on a link
  int max_retries = 3;          // retransmissions of a lost message
  int header_bytes = 16;        // protocol header of a model message (beyond link framing)
  bool local_learning = false;  // devices also train on their own between rounds
  bool clear_buffer = true;     // a session consumes the local buffer
  AvailabilitySpec availability;
  int evaluate_samples = 0;  // server-side hold-out set size (0: none)
  Params evaluate_params;    // stream parameter overrides for the hold-out set
  bool operator==(const FederationSpec&) const = default;
};

// Quorum over the alarms devices report (sim/fleet_detector.hpp).
struct FleetDetectorSpec {
  bool enabled = false;
  double quorum_fraction = 0;  // of the devices (of the group with per_group)
  int quorum_count = 0;        // or an absolute count; the larger of the two applies
  double window_s = 600;       // alarms count if delivered within the last `window`
  bool per_group = false;      // quorum within each group instead of fleet-wide
  std::string action = "log";  // log | round | reset
  int alarm_bytes = 4;         // added to the status report that carries an alarm
  // piggyback: alarms ride on the next status report; immediate: each goes out
  // at once in an `alarm_bytes` message of its own.
  std::string send = "piggyback";
  bool operator==(const FleetDetectorSpec&) const = default;
};

// A scheduled intervention (sim/intervention.hpp, docs/LIFECYCLE.md).
struct InterventionSpec {
  enum class Kind { ModelPush, Reset, LabelBurst, Budget };
  Kind kind = Kind::ModelPush;
  double at_s = 0;
  std::vector<std::string> groups;  // target groups (empty: every group)
  DeviceSelector devices;           // which devices of each target group
  int samples = 200;                // model push: samples the reference model is trained on
  int count = 100;                  // label burst: the next `count` samples get a label
  BudgetStep budget;                // budget change: the new values (at_s = at_s)
  bool operator==(const InterventionSpec&) const = default;
};

// The survey's scenario tags (reference taxonomy.md §1), in canonical key order.
struct TaxonomySpec {
  std::vector<std::pair<std::string, std::string>> tags;
  bool operator==(const TaxonomySpec&) const = default;
};

struct Scenario {
  std::string file;  // path it was loaded from ("<builtin>/..." if embedded)
  std::string name;
  uint64_t seed = 1;
  double duration_s = 0;  // > 0
  std::vector<GroupSpec> groups;
  NetworkSpec network;
  OutputSpec output;
  FederationSpec federation;
  FleetDetectorSpec fleet_detector;
  std::vector<InterventionSpec> interventions;  // sorted by at_s (stable)
  TaxonomySpec taxonomy;
  bool operator==(const Scenario&) const = default;
};

}  // namespace tinyfleet
