#include "sim/device.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/detection.hpp"
#include "analysis/recovery.hpp"
#include "drift/data_tasks.hpp"
#include "drift/rng.hpp"
#include "learners/pretrain.hpp"
#include "sim/lifecycle_state.hpp"
#include "sim/task_probe.hpp"

namespace tinyfleet {
namespace {
// Min-heap order of labels on their way: earliest arrival first, then sample order.
struct LaterArrival {
  template <class P>
  bool operator()(const P& a, const P& b) const {
    return a.arrival != b.arrival ? a.arrival > b.arrival : a.index > b.index;
  }
};
constexpr LaterArrival later_arrival{};

// Purposes for derive_seed: one independent stream per (device, purpose).
enum SeedPurpose : uint64_t {
  kStreamSeed = 1,
  kLabelSeed = 2,
  kLearnerSeed = 3,
  kFactoryLearnerSeed = 4,  // per group: a pre-trained model is the same on every device
  kFactorySeed = 5,         // per group: the factory data and their order
};

// The group's stream, told which device of the group reads it: generators
// that partition a data set across devices declare `device` and `devices`
// parameters, which the simulator fills in.
StreamSpec device_stream(const DeviceSetup& setup) {
  StreamSpec stream = setup.spec->stream;
  auto& n = stream.params.numbers;
  if (n.count("device") && n.count("devices")) {
    n["device"] = setup.index_in_group;
    n["devices"] = setup.spec->count;
  }
  return stream;
}

// The learner's initialisation seed: per device, or per group when the group's
// model is pre-trained at the factory (learners/pretrain.hpp).
uint64_t group_learner_seed(const DeviceSetup& setup) {
  if (setup.spec->learner.pretrain.enabled)
    return derive_seed(setup.seed, static_cast<uint64_t>(setup.group), kFactoryLearnerSeed);
  return derive_seed(setup.seed, static_cast<uint64_t>(setup.id), kLearnerSeed);
}

// Predictions in the sliding window of the windowed accuracy and ECE.
std::size_t window_samples(const DeviceSetup& setup) {
  return static_cast<std::size_t>(
      std::max(1.0, std::round(setup.window_s * setup.spec->stream.rate_hz)));
}

std::string format_double(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}
}  // namespace

Device::Device(DeviceSetup setup)
    : setup_(std::move(setup)),
      cost_(*setup_.profile),
      energy_(setup_.profile->power),
      battery_(setup_.battery_joules),
      memory_(setup_.spec->ram_kib > 0 ? static_cast<uint64_t>(setup_.spec->ram_kib * 1024)
                                       : setup_.profile->ram_bytes),
      stream_(device_stream(setup_), setup_.drifts,
              derive_seed(setup_.seed, setup_.id, kStreamSeed)),
      labels_(setup_.spec->labels, derive_seed(setup_.seed, setup_.id, kLabelSeed)),
      learner_(make_learner(setup_.spec->learner, stream_.info(), group_learner_seed(setup_))),
      evaluator_(window_samples(setup_), kDefaultFadingFactor,
                 static_cast<std::size_t>(stream_.info().classes) + 1),  // + open-set "unknown"
      window_calibration_(window_samples(setup_)) {
  if (const PretrainSpec& pre = setup_.spec->learner.pretrain; pre.enabled) {
    // Factory work: its operations are logged, never charged (scenarios/FORMAT.md).
    const OpCounter factory = factory_pretrain(*learner_);
    log(0, "pretrain",
        "samples=" + std::to_string(pre.samples) + " epochs=" + std::to_string(pre.epochs) +
            " factory_ops=" + std::to_string(factory.total()));
  }
  const auto& det = setup_.spec->learner.detector;
  // A detector runs for a learner that adapts to its alarms, or to report
  // alarms to the fleet detector (setup_.alarm_bytes > 0).
  if (!det.kind.empty() && (learner_->adapts_on_drift() || setup_.alarm_bytes > 0)) {
    detector_ = make_detector(det, stream_.info().features);
    detector_input_ = det.input == "features"     ? DetectorInput::Features
                      : det.input == "confidence" ? DetectorInput::Confidence
                                                  : DetectorInput::Errors;
  }
  if (setup_.federated) {
    federable_ = learner_->federable();
    if (!federable_)
      throw std::invalid_argument("group '" + setup_.spec->name + "': learner '" +
                                  setup_.spec->learner.kind + "' cannot be federated");
    federable_->set_federated(setup_.local_learning);
  }
  d_ = stream_.info().features;
  period_ = 1.0 / setup_.spec->stream.rate_hz;
  next_sample_ = setup_.phase_s;
  ticks_total_ = static_cast<uint64_t>(setup_.end_s / setup_.output_every_s + 1e-9);
  next_tick_ = ticks_total_ > 0 ? setup_.output_every_s : kNever;
  next_status_ = setup_.phase_s + setup_.spec->status_every_s;
  if (next_status_ > setup_.end_s) next_status_ = kNever;
  totals_.id = setup_.id;
  totals_.group = setup_.group;
  totals_.name = setup_.name;
  totals_.ram_budget = memory_.budget();
  // A real data set's own changes (seattle-weather's label switch) join the injected drifts.
  stream_.schedule_data_changes(setup_.phase_s, period_, setup_.end_s,
                                setup_.spec->stream.generator);
  for (const ChangePoint& change : stream_.change_points()) {
    first_drift_s_ = std::min(first_drift_s_, change.start_s);
    totals_.drifts.push_back({change.start_s, false, 0});
    if (change.start_s <= setup_.end_s) log(change.start_s, "drift", change.kind);
  }
  tasks_ = stream_.info().tasks;
  if (tasks_) {
    // Every task must be presented in full: the matrix would say nothing otherwise.
    const double presented = std::ceil((setup_.end_s - setup_.phase_s) / period_ - 1e-9);
    if (presented < static_cast<double>(tasks_->samples))
      throw std::invalid_argument(
          "group '" + setup_.spec->name + "': its " + std::to_string(tasks_->tasks()) +
          " tasks present " + std::to_string(tasks_->samples) + " samples, the run only " +
          format_double("%.0f", presented) + ": set duration >= " +
          format_double("%.10g", static_cast<double>(tasks_->samples + 1) * period_) + " s");
    totals_.continual.reset(tasks_->tasks());
    for (std::size_t j = 0; j < tasks_->probe_rows.size(); ++j)
      totals_.continual.probe[j] = tasks_->probe_rows[j].size();
  }
  memory_.add_item("reserved", setup_.profile->ram_reserved_bytes);
  mem_learner_ = memory_.add_item("learner");
  mem_detector_ = memory_.add_item("detector");
  mem_labels_ = memory_.add_item("label_queue");
  mem_evaluation_ = memory_.add_item("evaluation");
  if (setup_.lifecycle.active) init_lifecycle();
  update_memory(0);
}

uint64_t Device::learner_seed() const {
  return group_learner_seed(setup_);
}

OpCounter Device::factory_pretrain(Learner& learner) const {
  return pretrain_learner(
      learner, setup_.spec->learner.pretrain, stream_.info(),
      derive_seed(setup_.seed, static_cast<uint64_t>(setup_.group), kFactorySeed));
}

Device::Next Device::next_kind() const {
  if (!alive_) return Next::None;
  // Ties: a label that arrives at a sample's time is learned before that sample is
  // predicted; the output tick sees both.
  // Labels due after the end of the run never arrive.
  const double label = pending_.empty() || pending_.front().arrival > setup_.end_s
                           ? kNever
                           : pending_.front().arrival;
  const double sample = next_sample_ < setup_.end_s ? next_sample_ : kNever;
  const double tick = next_tick_;
  const double life = life_ ? lifecycle_next_time() : kNever;
  if (label == kNever && sample == kNever && tick == kNever && life == kNever) return Next::None;
  // Lifecycle items (budget changes, interventions, ...) come first at equal times.
  if (life <= label && life <= sample && life <= tick) return Next::Lifecycle;
  if (label <= sample && label <= tick) return Next::Label;
  if (sample <= tick) return Next::Sample;
  return Next::Tick;
}

double Device::next_local_time() const {
  return time_of(next_kind());
}

double Device::time_of(Next kind) const {
  switch (kind) {
    case Next::Lifecycle:
      return lifecycle_next_time();
    case Next::Label:
      return pending_.front().arrival;
    case Next::Sample:
      return next_sample_;
    case Next::Tick:
      return next_tick_;
    default:
      return kNever;
  }
}

void Device::step() {
  run(next_kind());
}

bool Device::step_if_due(double limit) {
  const Next kind = next_kind();
  if (kind == Next::None || time_of(kind) > limit) return false;
  run(kind);
  return true;
}

void Device::run(Next kind) {
  switch (kind) {
    case Next::Lifecycle:
      on_lifecycle();
      break;
    case Next::Label:
      on_label();
      break;
    case Next::Sample:
      on_sample();
      break;
    case Next::Tick:
      on_tick();
      break;
    case Next::None:
      break;
  }
}

void Device::advance_to(double t) {
  for (double next = next_local_time(); next != kNever && next <= t; next = next_local_time())
    step();
}

void Device::on_sample() {
  const double t = next_sample_;
  const uint64_t index = next_index_++;
  next_sample_ = setup_.phase_s + static_cast<double>(next_index_) * period_;
  if (tasks_) {
    // A task starts with this sample: measure before it (b, or the row of the task just done).
    if (task_probes_ < tasks_->starts.size() &&
        static_cast<int64_t>(index) == tasks_->starts[task_probes_])
      probe_task_boundary(t);
    if (static_cast<int64_t>(next_index_) >= tasks_->samples) next_sample_ = kNever;  // the end
  }

  Sample s = stream_.next(t);
  OpCounter sense;  // reading d features from the sensor front end into RAM
  sense.add(Op::Load, d_);
  sense.add(Op::Store, d_);
  charge_compute(EnergyCategory::Sense, sense, t);
  if (!alive_) return;

  OpCounter infer;
  const int predicted = learner_->predict(s.x, infer);
  const double confidence = learner_->confidence();  // of this prediction, before any learning
  charge_compute(EnergyCategory::Infer, infer, t);
  if (!alive_) return;
  if (life_) observe_inference(t, busy_until_ - t, confidence);
  evaluator_.add(s.y, predicted);
  calibration_.add(t, confidence, s.y == predicted, totals_.drifts);
  window_calibration_.add(confidence, s.y == predicted);
  for (InterventionResponse& r : totals_.interventions)  // the H predictions after it are in
    if (!r.complete && evaluator_.count() == r.due_sample) {
      r.complete = true;
      r.accuracy_after = evaluator_.windowed();
      r.ece_after = window_calibration_.ece();
    }
  ++totals_.samples;

  if (!learning_) return;
  // A label-free detector watches every sample (scenarios/FORMAT.md, detector.input).
  if (detector_ && detector_input_ != DetectorInput::Errors) {
    if (!detect(t, index, confidence, detector_input_ == DetectorInput::Features ? s.x : nullptr))
      return;
    // Its state may grow on the first vectors (loglik's fit), and labels may never come.
    if (memory_.items()[mem_detector_].second != detector_->memory_bytes()) update_memory(t);
  }
  std::optional<double> arrival = life_ ? burst_label(t) : std::nullopt;
  if (!arrival) arrival = labels_.arrival_time(t, learner_->uncertainty());
  if (arrival) {
    const std::size_t slot = acquire_slot();
    std::copy(s.x, s.x + d_, pending_x_.begin() + static_cast<std::ptrdiff_t>(slot * d_));
    pending_.push_back({*arrival, index, s.y, predicted, slot});
    std::push_heap(pending_.begin(), pending_.end(), later_arrival);
    if (pending_.size() > peak_pending_) {
      peak_pending_ = pending_.size();
      update_memory(t);
    }
  } else if (labels_.self_labelling()) {  // pseudo-label (drift/self_labelling.hpp)
    OpCounter self;
    if (auto y = labels_.pseudo_label(s.x, d_, self)) {
      ++totals_.self_labels;
      totals_.self_labels_wrong += *y != s.y;  // the simulator knows the truth, the device not
      totals_.adaptation.learn_updates += !learner_->frozen();
      learner_->learn(s.x, *y, index, self);
    }
    charge_compute(EnergyCategory::Learn, self, t);
    update_memory(t);
  }
}

std::size_t Device::acquire_slot() {
  if (!free_slots_.empty()) {
    const std::size_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  const std::size_t slot = pending_x_.size() / static_cast<std::size_t>(d_ > 0 ? d_ : 1);
  pending_x_.resize(pending_x_.size() + static_cast<std::size_t>(d_));
  return slot;
}

void Device::on_label() {
  std::pop_heap(pending_.begin(), pending_.end(), later_arrival);
  const Pending p = pending_.back();
  pending_.pop_back();
  free_slots_.push_back(p.slot);
  const double t = p.arrival;
  if (!learning_) return;
  const float* x = pending_x_.data() + p.slot * static_cast<std::size_t>(d_);
  ++totals_.labels;

  if (detector_ && detector_input_ == DetectorInput::Errors &&
      !detect(t, p.index, p.predicted != p.y ? 1.0 : 0.0))
    return;
  OpCounter learn;
  labels_.observe_label(x, d_, p.y, learn);
  if (!life_ || take_update()) {
    totals_.adaptation.learn_updates += !learner_->frozen();
    learner_->learn(x, p.y, p.index, learn);
  }
  charge_compute(EnergyCategory::Learn, learn, t);
  update_memory(t);
}

bool Device::detect(double t, uint64_t index, double value, const float* x) {
  OpCounter detect;
  if (x)
    detector_->update_vector(x, d_, index, detect);
  else
    detector_->update(value, index, detect);
  charge_compute(EnergyCategory::Detect, detect, t);
  if (!alive_) return false;
  if (detector_->drift_detected()) {
    const uint64_t estimate = detector_->change_estimate();
    ++totals_.alarms;
    alarm_unreported_ = true;
    if (setup_.alarm_immediate) alarm_due_ = std::min(alarm_due_, t);
    alarm_times_.push_back(t);
    if (life_) note_alarm();
    log(t, "alarm", "estimated_change_sample=" + std::to_string(estimate));
    OpCounter adapt;
    ++totals_.adaptation.drift_adaptations;
    learner_->on_drift({index, estimate}, adapt);
    charge_compute(EnergyCategory::Learn, adapt, t);
    if (!alive_) return false;
  }
  return true;
}

void Device::on_tick() {
  const double t = next_tick_;
  // Tick times are k · every, computed, not accumulated, so no rounding drift.
  ++ticks_done_;
  next_tick_ = ticks_done_ < ticks_total_
                   ? static_cast<double>(ticks_done_ + 1) * setup_.output_every_s
                   : kNever;
  sleep_until(t);
  if (!alive_) return;
  const double window = evaluator_.windowed();
  if (t <= first_drift_s_) {
    totals_.accuracy_window_before = window;
  } else if (!seen_tick_after_drift_ || window < totals_.accuracy_window_min_after) {
    totals_.accuracy_window_min_after = window;
    seen_tick_after_drift_ = true;
  }
  totals_.accuracy_window_end = window;
  totals_.ece_window_end = window_calibration_.ece();
  observe_recovery(totals_.drifts, t, window, kDefaultRecoveryEpsilon);
  if (setup_.curves) {
    CurvePoint& p = setup_.curves->at(static_cast<std::size_t>(setup_.group), ticks_done_ - 1);
    p.devices += 1;
    p.window_correct += evaluator_.window_correct();
    p.window_seen += evaluator_.window_count();
    p.correct += evaluator_.correct();
    p.seen += evaluator_.count();
    p.energy_nj += static_cast<uint64_t>(std::llround(energy_.total_joules() * 1e9));
    p.memory_bytes += memory_.total();
    p.calibration_window += window_calibration_.bins();
    if (life_) add_budget_point(p);
  }
  if (!setup_.per_device_rows) return;
  if (evaluator_.window_count() > 0) accuracy_windows_.push_back(window);
  const int id = setup_.id;
  rows_.push_back({t, id, kAccuracy, evaluator_.cumulative()});
  rows_.push_back({t, id, kAccuracyWindow, window});
  rows_.push_back({t, id, kEnergy, energy_.total_joules()});
  rows_.push_back({t, id, kMemory, static_cast<double>(memory_.total())});
  rows_.push_back({t, id, kEceWindow, window_calibration_.ece()});
}

Device::Report Device::send_status() {
  if (alarm_due_ <= next_status_) return send_alarm();
  const double t = next_status_;
  next_status_ += setup_.spec->status_every_s;
  if (next_status_ > setup_.end_s) next_status_ = kNever;
  sleep_until(t);
  if (!alive_) return {};
  if (life_ && link_down()) {  // dropped; its alarm flag waits for the next report
    ++totals_.budget.reports_dropped;
    return {};
  }
  const double start = std::max(t, busy_until_);
  if (start < radio_quiet_until_) {
    ++totals_.status_skipped;
    return {};
  }
  const bool alarm = setup_.alarm_bytes > 0 && !setup_.alarm_immediate && alarm_unreported_;
  if (alarm) alarm_unreported_ = false;
  const int payload = setup_.spec->status_bytes + (alarm ? setup_.alarm_bytes : 0);
  const double air = setup_.link->airtime_s(payload);
  busy_until_ = start + air;
  radio_quiet_until_ = busy_until_ + setup_.link->quiet_after_s(air);
  energy_.transmit(air);
  ++totals_.status_messages;
  totals_.alarm_reports += alarm;
  const double framed = setup_.link->framed_bytes(payload);
  totals_.radio_bytes += framed;
  if (battery_.depleted(energy_.total_joules())) die(busy_until_);
  return {start, static_cast<int>(framed), alarm};
}

// An alarm in a message of its own, as soon as the CPU is done and the duty
// cycle lets the radio speak.
Device::Report Device::send_alarm() {
  const double t = alarm_due_;
  alarm_due_ = kNever;
  sleep_until(t);
  if (!alive_) return {};
  if (life_ && link_down()) return {};  // sent when the link is back (device_lifecycle.cpp)
  const double start = std::max(t, busy_until_);
  if (start < radio_quiet_until_) {
    alarm_due_ = radio_quiet_until_;
    return {};
  }
  alarm_unreported_ = false;
  const double air = setup_.link->airtime_s(setup_.alarm_bytes);
  busy_until_ = start + air;
  radio_quiet_until_ = busy_until_ + setup_.link->quiet_after_s(air);
  energy_.transmit(air);
  ++totals_.alarm_reports;
  const double framed = setup_.link->framed_bytes(setup_.alarm_bytes);
  totals_.radio_bytes += framed;
  if (battery_.depleted(energy_.total_joules())) die(busy_until_);
  return {start, static_cast<int>(framed), true};
}

// The broadcast was on air for its airtime before `t`; the radio listens for
// that long, after any computation still running.
bool Device::receive_model(double t, const std::vector<int32_t>& params, int bytes) {
  sleep_until(t);
  if (!alive_) return false;
  if (life_ && link_down()) {  // the link is down: the broadcast is not heard
    ++totals_.budget.messages_missed;
    return false;
  }
  const double air = setup_.link->airtime_s(bytes);
  const double start = std::max(t - air, busy_until_);
  busy_until_ = std::max(busy_until_, start + air);
  energy_.receive(air);
  totals_.model_bytes_rx += setup_.link->framed_bytes(bytes);
  ++totals_.models_received;
  if (battery_.depleted(energy_.total_joules())) {
    die(busy_until_);
    return false;
  }
  federable_->import_params(params);
  ++totals_.adaptation.models_loaded;
  return true;
}

Device::RoundWork Device::train_round(double t, int layer, int epochs, bool first_in_session) {
  sleep_until(t);
  if (!alive_) return {};
  if (first_in_session) federable_->begin_session();
  OpCounter ops;
  if (learning_) federable_->train_round(epochs, layer, ops);
  charge_compute(EnergyCategory::Learn, ops, t);
  if (!alive_) return {};
  ++totals_.rounds_trained;
  update_memory(t);
  return {true, busy_until_, federable_->export_params(layer)};
}

// Under a duty cycle the message's frames (and retries) are spread out: the
// radio's on-air time is billed as one stretch, the silences between frames
// are sleep, and the message is through before the last frame's silence.
double Device::transmit_model(double t, int bytes, int attempts) {
  sleep_until(t);
  if (!alive_) return t;
  const double air = setup_.link->airtime_s(bytes) * attempts;
  const double start = std::max({t, busy_until_, radio_quiet_until_});
  const double quiet = setup_.link->quiet_after_s(air);
  const int frames = setup_.link->frames(bytes) * attempts;
  busy_until_ = start + air;
  radio_quiet_until_ = busy_until_ + quiet;
  energy_.transmit(air);
  totals_.model_bytes_tx += setup_.link->framed_bytes(bytes) * attempts;
  if (battery_.depleted(energy_.total_joules())) die(busy_until_);
  return start + air + quiet * (frames - 1) / frames;
}

void Device::end_session(bool consume) {
  if (federable_) federable_->end_session(consume);
}

bool Device::reset_knowledge(double t) {
  sleep_until(t);
  if (!alive_) return false;
  if (life_ && link_down()) {  // the command is not heard
    ++totals_.budget.messages_missed;
    return false;
  }
  OpCounter ops;
  ++totals_.adaptation.resets;
  learner_->on_drift({next_index_, next_index_}, ops);
  charge_compute(EnergyCategory::Learn, ops, t);
  if (alive_) log(t, "knowledge_reset", "by=fleet");
  return alive_;
}

void Device::charge_compute(EnergyCategory cat, const OpCounter& ops, double t) {
  sleep_until(t);
  if (!alive_) return;
  const double secs = cost_.seconds(ops);
  busy_until_ = std::max(t, busy_until_) + secs;
  energy_.compute(cat, secs);
  if (battery_.depleted(energy_.total_joules())) die(busy_until_);
}

// The device sleeps whenever it is not busy; sleep energy is charged lazily up
// to the next moment it has something to do, with the exact brown-out time if
// the battery runs out while asleep.
void Device::sleep_until(double t) {
  if (!alive_ || t <= busy_until_) return;
  const double secs = t - busy_until_;
  const double left = battery_.remaining(energy_.total_joules());
  const double p = energy_.power_of(PowerState::Sleep);
  if (p > 0 && secs * p >= left) {
    energy_.sleep(left / p);
    die(busy_until_ + left / p);
    return;
  }
  energy_.sleep(secs);
  busy_until_ = t;
}

void Device::update_memory(double t) {
  memory_.set(mem_learner_, learner_->memory_bytes());
  if (detector_) memory_.set(mem_detector_, detector_->memory_bytes());
  memory_.set(mem_labels_, peak_pending_ * (static_cast<std::size_t>(d_) * sizeof(float) + 16) +
                               labels_.memory_bytes());
  memory_.set(mem_evaluation_, evaluator_.memory_bytes());
  if (learning_ && memory_.over_budget()) {
    learning_ = false;
    learner_->freeze();
    totals_.memory_breached = true;
    log(t, "memory_exceeded",
        "used=" + std::to_string(memory_.total()) + " budget=" + std::to_string(memory_.budget()));
  }
  if (life_) check_ram_cap(t);
}

void Device::die(double t) {
  alive_ = false;
  totals_.died = true;
  totals_.death_s = t;
  busy_until_ = t;
  log(t, "battery_depleted", format_double("drawn_j=%.6g", energy_.total_joules()));
}

void Device::probe_task_boundary(double t) {
  sleep_until(t);  // the energy drawn up to the boundary, sleep included
  const std::vector<uint64_t> right = probe_tasks(*learner_, *tasks_);
  TaskAccuracyCounts& c = totals_.continual;
  const auto T = static_cast<std::size_t>(c.tasks);
  if (task_probes_ == 0) {
    c.baseline = right;
  } else {
    const std::size_t row = task_probes_ - 1;
    std::copy(right.begin(), right.end(), c.correct.begin() + static_cast<std::ptrdiff_t>(row * T));
    c.task_energy_j[row] = energy_.total_joules() - task_energy_mark_;
  }
  task_energy_mark_ = energy_.total_joules();
  ++task_probes_;
}

void Device::finish() {
  if (finished_) return;
  finished_ = true;
  if (tasks_) {
    // The last row when the last task is over (rows a dead device never reached: its final model).
    const double end_of_tasks = setup_.phase_s + static_cast<double>(tasks_->samples) * period_;
    while (task_probes_ <= tasks_->starts.size())
      probe_task_boundary(std::min(end_of_tasks, setup_.end_s));
  }
  sleep_until(setup_.end_s);
  if (life_) close_lifecycle();
}

void Device::log(double t, const char* type, std::string detail) {
  events_.push_back({t, setup_.id, type, std::move(detail)});
}

DeviceTotals Device::totals() const {
  DeviceTotals t = totals_;
  t.accuracy = evaluator_.cumulative();
  t.accuracy_fading = evaluator_.fading();
  t.classification = evaluator_.counts();
  t.classes = stream_.info().classes;
  const auto phases = calibration_.phases(t.drifts);
  t.calibration_phases.assign(phases.begin(), phases.end());
  for (const auto& phase : t.calibration_phases) t.calibration += phase;
  t.accuracy_windows = accuracy_windows_;
  t.accuracy_seconds = static_cast<double>(evaluator_.correct()) * period_;
  for (std::size_t c = 0; c < kEnergyCategories; ++c)
    t.energy_by_category[c] = energy_.joules_in(static_cast<EnergyCategory>(c));
  for (std::size_t s = 0; s < kPowerStates; ++s) {
    t.seconds_by_state[s] = energy_.seconds_in(static_cast<PowerState>(s));
    t.watts_by_state[s] = energy_.power_of(static_cast<PowerState>(s));
  }
  t.energy_j = energy_.total_joules();
  t.battery_left = battery_.fraction_left(energy_.total_joules());
  t.battery_j = battery_.capacity();
  t.peak_memory = memory_.peak();
  t.budget.brownouts = t.died ? 1 : 0;
  if (!seen_tick_after_drift_) t.accuracy_window_min_after = t.accuracy_window_end;
  const DetectionScore score = score_detections(alarm_times_, setup_.max_delay_s, t.drifts);
  t.false_alarms = score.false_alarms;
  t.false_alarm_gap_sum_s = score.false_alarm_gap_sum_s;
  t.false_alarm_gaps = score.false_alarm_gaps;
  return t;
}

std::size_t Device::overhead_bytes() const {
  return sizeof(Device) + pending_x_.capacity() * sizeof(float) +
         free_slots_.capacity() * sizeof(std::size_t) + events_.capacity() * sizeof(Event) +
         rows_.capacity() * sizeof(MetricRow) + evaluator_.memory_bytes() +
         window_calibration_.memory_bytes() + accuracy_windows_.capacity() * sizeof(double) +
         (life_ ? sizeof(LifecycleState) : 0);
}

}  // namespace tinyfleet
