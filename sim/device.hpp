#pragma once
// One simulated MCU as a plain object: it samples its stream, predicts, is
// scored prequentially, receives labels, learns, runs its change detector and
// pays for all of it through its board's cost model. It knows nothing of
// SimGrid: a scheduler (sim/schedulers.hpp) decides when it runs, so every
// schedule yields the same device history.
#include <algorithm>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/calibration_phases.hpp"
#include "analysis/evaluator.hpp"
#include "analysis/group_curves.hpp"
#include "analysis/results.hpp"
#include "devices/battery.hpp"
#include "devices/cost_model.hpp"
#include "devices/energy_ledger.hpp"
#include "devices/link_preset.hpp"
#include "devices/memory_ledger.hpp"
#include "drift/detector.hpp"
#include "drift/drifting_stream.hpp"
#include "drift/label_policy.hpp"
#include "learners/federable.hpp"
#include "learners/learner.hpp"
#include "scenarios/scenario.hpp"
#include "sim/lifecycle_plan.hpp"

namespace tinyfleet {

struct LifecycleState;  // sim/lifecycle_state.hpp

inline constexpr double kNever = std::numeric_limits<double>::infinity();

// Everything a device needs, resolved by the fleet builder (sim/fleet.hpp).
struct DeviceSetup {
  int id = 0;
  int group = 0;
  int index_in_group = 0;
  std::string name;
  const GroupSpec* spec = nullptr;
  const Profile* profile = nullptr;
  const LinkPreset* link = nullptr;
  double battery_joules = 0;  // the board's cell, or the group's override
  double end_s = 0;
  double output_every_s = 60;
  double window_s = 600;
  double max_delay_s =
      1800;            // an alarm later than this after a drift does not count as its detection
  double phase_s = 0;  // time of the first sample, in [0, 1/rate)
  uint64_t seed = 0;
  std::vector<DriftSpec> drifts;  // the drifts that reach this device
  GroupCurves* curves = nullptr;  // shared group series the device adds to at each tick
  bool per_device_rows = true;    // keep this device's own metric rows
  int cell = 0;                   // the gateway cell that serves it
  bool federated = false;         // takes part in federated rounds (sim/fleet_server.hpp)
  bool local_learning = true;     // federated: also trains on its own between rounds
  int alarm_bytes = 0;            // > 0: a status report flags the alarms raised since the last one
  bool alarm_immediate =
      false;                // with alarm_bytes: an alarm goes out at once in a message of its own
  LifecyclePlan lifecycle;  // budgets, interventions, policy (docs/LIFECYCLE.md)
};

class Device {
 public:
  explicit Device(DeviceSetup setup);
  ~Device();

  // Next purely local event (sample, label arrival, output tick); kNever if none.
  double next_local_time() const;
  // Runs the next local event.
  void step();
  // Runs every local event at or before `t`.
  void advance_to(double t);
  // Runs the next local event if it is at or before `limit`; whether it did.
  // (One look at the device's clocks instead of next_local_time() + step().)
  bool step_if_due(double limit);

  // Next message to the gateway — a status report or an immediate alarm (an
  // interaction with the network); kNever if none.
  double next_status_time() const { return alive_ ? std::min(next_status_, alarm_due_) : kNever; }
  // Whether an alarm can create an interaction between two reports: its
  // drivers must then visit it at each local event (sim/schedulers.cpp).
  bool sends_alarms_immediately() const { return setup_.alarm_immediate; }
  // Pays for the message due now. It goes on air when the CPU is free: at its
  // time, or later if a computation is still running. Under a duty cycle
  // (LoRa) a report due while the radio must stay silent is skipped (its alarm
  // flag waits for the next one); an immediate alarm waits for the radio.
  struct Report {
    double on_air_s = 0;
    int bytes = 0;       // 0: no report (the device died)
    bool alarm = false;  // flags detector alarms raised since the previous report
  };
  Report send_status();
  // The device's learner seed (its group's when the group is pre-trained), and
  // the group's factory pre-training (learner.pretrain) of `learner` with the
  // factory's draws: what the fleet server and a model push start from.
  // Returns the factory's ops (never charged).
  uint64_t learner_seed() const;
  OpCounter factory_pretrain(Learner& learner) const;

  // --- Federated rounds and fleet commands (sim/fleet_server.hpp) ---------
  // The caller has driven the device to `t` (local events and reports at or
  // before it are done). Each returns false if the device is dead.
  // A model broadcast heard at `t` (`bytes` on air): the learner takes it.
  bool receive_model(double t, const std::vector<int32_t>& params, int bytes);
  // The same, as a model-push intervention (the server's global model; docs/LIFECYCLE.md).
  bool receive_pushed_model(double t, const std::vector<int32_t>& params, int bytes);
  // Local training of one round from the current model: `epochs` over the
  // buffer, only `layer` (−1: all). `ready_s` is when the CPU is done.
  struct RoundWork {
    bool ok = false;
    double ready_s = 0;
    std::vector<int32_t> update;  // the trained layer (or every layer)
  };
  // `first_in_session`: the session's training set is fixed now (learners/federable.hpp).
  RoundWork train_round(double t, int layer, int epochs, bool first_in_session);
  // Puts a model message of `bytes` on air `attempts` times; returns when the
  // radio is done (its start waits for the CPU).
  double transmit_model(double t, int bytes, int attempts);
  // The session is over; `consume`: its training set leaves the buffer.
  void end_session(bool consume);
  // A fleet command: forget what was learned before now (the learner's drift handling).
  bool reset_knowledge(double t);
  Federable* federable() const { return federable_; }

  // Sleeps to the end of the run and closes the books. Call once, after all events.
  void finish();

  bool alive() const { return alive_; }
  int id() const { return setup_.id; }
  const DeviceSetup& setup() const { return setup_; }
  const StreamInfo& stream_info() const { return stream_.info(); }
  DeviceTotals totals() const;
  std::vector<Event>& events() { return events_; }
  std::vector<MetricRow>& metric_rows() { return rows_; }
  // Bytes the simulator keeps per device beyond the learner's own state.
  std::size_t overhead_bytes() const;

 private:
  struct Pending {  // a label on its way
    double arrival = 0;
    uint64_t index = 0;
    int y = 0;
    int predicted = 0;
    std::size_t slot = 0;  // features live at pending_x_[slot * d]
  };
  enum class Next { Lifecycle, Label, Sample, Tick, None };

  Next next_kind() const;
  double time_of(Next kind) const;
  void run(Next kind);
  void on_sample();
  void on_label();
  void on_tick();
  // Feeds the detector `value` (or the vector `x`) of sample `index` and handles
  // an alarm; false if the device died.
  bool detect(double t, uint64_t index, double value, const float* x = nullptr);
  void charge_compute(EnergyCategory cat, const OpCounter& ops, double t);
  void sleep_until(double t);
  void update_memory(double t);
  void die(double t);
  // Task-structured streams (sim/task_probe.hpp): measurement number
  // task_probes_ (0: b before the first task, k: row k−1 of R) at time t.
  void probe_task_boundary(double t);
  void log(double t, const char* type, std::string detail);
  std::size_t acquire_slot();

  // --- Budgets, interventions, policy (sim/device_lifecycle.cpp) ----------
  void init_lifecycle();
  double lifecycle_next_time() const;
  void on_lifecycle();
  void close_window(double t, bool partial);
  void apply_budget_step(const BudgetStep& step, double t, const char* by);
  void run_intervention(int index, double t);
  void note_intervention(double t);  // starts scoring its response
  void model_push(int index, double t);
  void policy_tick(double t);
  void set_knob(const std::string& name, double value, const std::string& reason, double t);
  void observe_inference(double t, double latency_s, double confidence);
  std::optional<double> burst_label(double t);
  bool take_update();
  void note_alarm();
  void check_ram_cap(double t);
  bool link_down() const;
  void close_lifecycle();
  void add_budget_point(CurvePoint& p) const;  // the energy budget series of metrics.csv

  DeviceSetup setup_;
  CostModel cost_;
  EnergyLedger energy_;
  Battery battery_;
  MemoryLedger memory_;
  std::size_t mem_learner_ = 0, mem_detector_ = 0, mem_labels_ = 0, mem_evaluation_ = 0;
  DriftingStream stream_;
  LabelPolicy labels_;
  std::unique_ptr<Learner> learner_;
  std::unique_ptr<Detector> detector_;
  // What the detector watches (learner.detector.input).
  enum class DetectorInput : uint8_t { Errors, Features, Confidence };
  DetectorInput detector_input_ = DetectorInput::Errors;

  ClassificationEvaluator evaluator_;  // prequential score of the predictions
  // Calibration of the confidences (analysis/calibration*.hpp): whole run by
  // phase, and over the accuracy's sliding window. Host-side measurement, not
  // charged to the device's RAM.
  PhasedCalibration calibration_;
  WindowedCalibration window_calibration_;
  std::vector<double> accuracy_windows_;  // A_w at the ticks that scored (per-device rows only)

  int d_ = 0;
  double period_ = 1;
  uint64_t next_index_ = 0;
  uint64_t ticks_total_ = 0, ticks_done_ = 0;
  double next_sample_ = 0, next_tick_ = 0, next_status_ = 0;
  double busy_until_ = 0;  // the CPU/radio is busy until then; idle time before it is not sleep
  bool alive_ = true, learning_ = true, finished_ = false;
  bool alarm_unreported_ = false;
  double alarm_due_ = kNever;     // an immediate alarm message waiting to go out
  double radio_quiet_until_ = 0;  // duty cycle: no transmission may start before this
  Report send_alarm();
  Federable* federable_ = nullptr;

  std::vector<Pending> pending_;  // min-heap by (arrival, sample index)
  std::vector<float> pending_x_;  // feature slots
  std::vector<std::size_t> free_slots_;
  std::size_t peak_pending_ = 0;

  DeviceTotals totals_;
  std::vector<double> alarm_times_;
  double first_drift_s_ = kNever;
  bool seen_tick_after_drift_ = false;
  std::vector<Event> events_;
  std::vector<MetricRow> rows_;
  std::unique_ptr<LifecycleState> life_;  // null without budgets, interventions or policy
  std::shared_ptr<const TaskSet> tasks_;  // null unless the stream has tasks
  std::size_t task_probes_ = 0;           // measurements done (b, then rows of R)
  double task_energy_mark_ = 0;           // energy drawn at the current task's start
};

}  // namespace tinyfleet
