// A device's budgets, interventions and reconfiguration policy
// (docs/LIFECYCLE.md). Every item here is a local event of the device (its
// calendar is in LifecycleState), so the per-sample and calendar schedules run
// them identically. Violations are events; the device goes on.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "drift/rng.hpp"
#include "learners/federable.hpp"
#include "learners/reconfigurable.hpp"
#include "sim/device.hpp"
#include "sim/lifecycle_state.hpp"

namespace tinyfleet {
namespace {
// derive_seed purposes of a model push (per group and intervention, not per
// device: every device of a group receives the same reference model).
constexpr uint64_t kPushStreamSeed = 302;
constexpr uint64_t kPushLearnerSeed = 303;
constexpr const char* kThresholdParam = "threshold";

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

std::string budget_text(const BudgetStep& s) {
  std::string out;
  auto add = [&](const char* key, double v) {
    if (v >= 0) out += std::string(out.empty() ? "" : " ") + key + "=" + num(v);
  };
  add("energy_j", s.energy_j);
  add("ram_kib", s.ram_kib);
  add("duty_cycle", s.duty_cycle);
  add("deadline_s", s.deadline_s);
  return out;
}
}  // namespace

Device::~Device() = default;

void Device::init_lifecycle() {
  life_ = std::make_unique<LifecycleState>();
  LifecycleState& L = *life_;
  L.plan = setup_.lifecycle;
  const BudgetSpec& B = L.plan.budgets;
  const double end = setup_.end_s;
  using K = LifecycleState::Kind;
  L.next_window = kNever;
  if (B.enabled) {
    L.in_force = B.steps.front();
    for (std::size_t i = 1; i < B.steps.size(); ++i)
      if (B.steps[i].at_s <= end) L.items.push_back({B.steps[i].at_s, K::BudgetStep, int(i)});
    for (std::size_t i = 0; i < B.outages.size(); ++i) {
      const RadioOutage& o = B.outages[i];
      if (o.at_s > end) continue;
      L.items.push_back({o.at_s, K::OutageStart, int(i)});
      if (o.at_s + o.for_s <= end) L.items.push_back({o.at_s + o.for_s, K::OutageEnd, int(i)});
      totals_.budget.outage_s += std::min(o.at_s + o.for_s, end) - o.at_s;
    }
    if (B.window_s <= end) L.next_window = B.window_s;
  }
  for (std::size_t i = 0; i < L.plan.interventions.size(); ++i)
    // A federated member's model push comes from the fleet server (receive_pushed_model).
    if (L.plan.interventions[i].spec.at_s <= end &&
        !(setup_.federated &&
          L.plan.interventions[i].spec.kind == InterventionSpec::Kind::ModelPush))
      L.items.push_back({L.plan.interventions[i].spec.at_s, K::Intervention, int(i)});
  std::stable_sort(L.items.begin(), L.items.end(), [](const auto& a, const auto& b) {
    return a.t != b.t ? a.t < b.t : a.kind < b.kind;
  });
  L.policy = make_policy(L.plan.policy);
  L.next_policy = L.policy && L.plan.policy.every_s <= end ? L.plan.policy.every_s : kNever;
  const DetectorSpec& det = setup_.spec->learner.detector;
  if (detector_ && det.params.numbers.count(kThresholdParam))
    L.detector_threshold = L.detector_threshold_initial = det.params.numbers.at(kThresholdParam);
  if (Reconfigurable* r = learner_->reconfigurable())
    for (const KnobInfo& k : r->knobs())
      L.learner_knobs_initial.emplace_back(k.name, r->knob(k.name));
  totals_.budget.tracked = true;
}

double Device::lifecycle_next_time() const {
  const LifecycleState& L = *life_;
  double t = std::min(L.next_window, L.next_policy);
  if (L.next_item < L.items.size()) t = std::min(t, L.items[L.next_item].t);
  return t;
}

// The earliest item; at equal times: window close, dated items (in their
// kind order), policy tick.
void Device::on_lifecycle() {
  LifecycleState& L = *life_;
  const double item = L.next_item < L.items.size() ? L.items[L.next_item].t : kNever;
  if (L.next_window <= item && L.next_window <= L.next_policy) {
    const double t = L.next_window;
    ++L.windows_closed;
    const double next = static_cast<double>(L.windows_closed + 1) * L.plan.budgets.window_s;
    L.next_window = next <= setup_.end_s ? next : kNever;
    close_window(t, false);
    return;
  }
  if (item <= L.next_policy) {
    const LifecycleState::Item it = L.items[L.next_item++];
    using K = LifecycleState::Kind;
    switch (it.kind) {
      case K::BudgetStep:
        apply_budget_step(L.plan.budgets.steps[static_cast<std::size_t>(it.index)], it.t,
                          "schedule");
        break;
      case K::OutageStart:
        sleep_until(it.t);
        L.outage = true;
        if (alive_)
          log(it.t, "radio_outage_start",
              "for_s=" + num(L.plan.budgets.outages[static_cast<std::size_t>(it.index)].for_s));
        break;
      case K::OutageEnd: {
        sleep_until(it.t);
        L.outage = false;
        if (alive_) log(it.t, "radio_outage_end", "");
        // An immediate alarm raised during the outage goes out now.
        if (setup_.alarm_immediate && alarm_unreported_) alarm_due_ = std::min(alarm_due_, it.t);
        std::vector<int> waiting;
        waiting.swap(L.deferred_pushes);
        for (int k : waiting) model_push(k, it.t);
        break;
      }
      case K::Intervention:
        run_intervention(it.index, it.t);
        break;
      default:
        break;
    }
    return;
  }
  const double t = L.next_policy;
  ++L.policy_ticks;
  const double next = static_cast<double>(L.policy_ticks + 1) * L.plan.policy.every_s;
  L.next_policy = next <= setup_.end_s ? next : kNever;
  policy_tick(t);
}

// Energy, duty cycle and deadline of the window ending at t (`partial`: the
// run ends inside it; budgets scale with its length).
void Device::close_window(double t, bool partial) {
  LifecycleState& L = *life_;
  sleep_until(t);
  if (!alive_) return;
  const double len = t - L.window_start_s;
  if (len <= 0) return;
  const double share = partial ? len / L.plan.budgets.window_s : 1.0;
  const double used = energy_.total_joules() - L.window_start_j;
  double awake = 0;
  for (std::size_t s = 0; s < kPowerStates; ++s)
    if (static_cast<PowerState>(s) != PowerState::Sleep)
      awake += energy_.seconds_in(static_cast<PowerState>(s));
  const double awake_in_window = awake - L.window_start_awake_s;
  BudgetCompliance& c = totals_.budget;
  const std::string window = "window_start_s=" + num(L.window_start_s);
  if (L.in_force.energy_j > 0) {
    ++c.energy_windows;
    const double budget = L.in_force.energy_j * share;
    if (used > budget) {
      ++c.energy_windows_over;
      c.energy_over_j += used - budget;
      log(t, "energy_budget_exceeded",
          window + " used_j=" + num(used) + " budget_j=" + num(budget) +
              " over_j=" + num(used - budget));
    }
  }
  if (L.in_force.duty_cycle > 0) {
    ++c.duty_windows;
    const double duty = awake_in_window / len;
    if (duty > L.in_force.duty_cycle) {
      ++c.duty_windows_over;
      log(t, "duty_cycle_exceeded",
          window + " duty=" + num(duty) + " budget=" + num(L.in_force.duty_cycle) +
              " over=" + num(duty - L.in_force.duty_cycle));
    }
  }
  if (L.window_misses > 0)
    log(t, "deadline_missed",
        window + " misses=" + std::to_string(L.window_misses) + " inferences=" +
            std::to_string(L.window_inferences) + " worst_s=" + num(L.window_worst_latency_s) +
            " deadline_s=" + num(L.in_force.deadline_s) +
            " over_s=" + num(L.window_worst_latency_s - L.in_force.deadline_s));
  if (!partial) L.previous_window_j = used;
  L.window_start_s = t;
  L.window_start_j = energy_.total_joules();
  L.window_start_awake_s = awake;
  L.window_inferences = L.window_misses = 0;
  L.window_worst_latency_s = 0;
}

void Device::add_budget_point(CurvePoint& p) const {
  const LifecycleState& L = *life_;
  if (L.in_force.energy_j <= 0 || L.previous_window_j < 0) return;
  p.budget_devices += 1;
  p.energy_budget_nj += static_cast<uint64_t>(std::llround(L.in_force.energy_j * 1e9));
  p.energy_window_nj += static_cast<uint64_t>(std::llround(L.previous_window_j * 1e9));
}

void Device::apply_budget_step(const BudgetStep& step, double t, const char* by) {
  LifecycleState& L = *life_;
  sleep_until(t);
  if (!alive_) return;
  if (step.energy_j >= 0) L.in_force.energy_j = step.energy_j;
  if (step.ram_kib >= 0) L.in_force.ram_kib = step.ram_kib;
  if (step.duty_cycle >= 0) L.in_force.duty_cycle = step.duty_cycle;
  if (step.deadline_s >= 0) L.in_force.deadline_s = step.deadline_s;
  log(t, "budget_change", std::string("by=") + by + " " + budget_text(step));
  check_ram_cap(t);
}

// Response (analysis/lifecycle_efficiency.hpp): the window before it now, the
// window after it once H = window more predictions are made (on_sample).
void Device::note_intervention(double t) {
  InterventionResponse response;
  response.t = t;
  response.accuracy_before = evaluator_.windowed();
  response.ece_before = window_calibration_.ece();
  response.due_sample = evaluator_.count() + window_calibration_.window();
  totals_.interventions.push_back(response);
}

void Device::run_intervention(int index, double t) {
  LifecycleState& L = *life_;
  const InterventionSpec& spec = L.plan.interventions[static_cast<std::size_t>(index)].spec;
  sleep_until(t);
  if (!alive_) return;
  BudgetCompliance& c = totals_.budget;
  ++c.interventions;
  // A model push is scored when it reaches the device (model_push).
  if (spec.kind != InterventionSpec::Kind::ModelPush) note_intervention(t);
  switch (spec.kind) {
    case InterventionSpec::Kind::ModelPush:
      if (link_down()) {  // the server's message waits for the link
        ++c.pushes_deferred;
        L.deferred_pushes.push_back(index);
        log(t, "intervention", "kind=model_push deferred=radio_outage");
        return;
      }
      model_push(index, t);
      return;
    case InterventionSpec::Kind::Reset: {
      ++c.resets;
      ++totals_.adaptation.resets;
      OpCounter ops;
      learner_->on_drift({next_index_, next_index_}, ops);
      charge_compute(EnergyCategory::Learn, ops, t);
      if (alive_) log(t, "intervention", "kind=reset");
      update_memory(t);
      return;
    }
    case InterventionSpec::Kind::LabelBurst:
      L.burst_left += spec.count;
      log(t, "intervention", "kind=label_burst count=" + std::to_string(spec.count));
      return;
    case InterventionSpec::Kind::Budget:
      ++c.budget_changes;
      log(t, "intervention", "kind=budget " + budget_text(spec.budget));
      apply_budget_step(spec.budget, t, "intervention");
      return;
  }
}

// The server's reference model: a fresh learner of the group's kind (the
// factory model if the group is pre-trained), trained on `samples` labelled samples of the group's
// stream as it is at t (every drift of the group applied), the same for every device of the group.
// A federable learner imports its parameters (keeping its buffers); any other learner is replaced,
// keeping the knob values the policy set. The device pays for receiving it (state bytes on air);
// the server's training is not a device cost.
void Device::model_push(int index, double t) {
  LifecycleState& L = *life_;
  const LifecyclePlan::Planned& p = L.plan.interventions[static_cast<std::size_t>(index)];
  sleep_until(t);
  if (!alive_) return;
  note_intervention(t);
  StreamSpec spec = setup_.spec->stream;
  auto& n = spec.params.numbers;
  if (n.count("device") && n.count("devices")) {  // the whole data set, not one device's share
    n["device"] = 0;
    n["devices"] = 1;
  }
  const uint64_t key = static_cast<uint64_t>(setup_.group) * 65536 + static_cast<uint64_t>(p.id);
  DriftingStream ref(spec, setup_.spec->drifts, derive_seed(setup_.seed, key, kPushStreamSeed));
  // A pre-trained group's reference starts from its factory model.
  const bool factory = setup_.spec->learner.pretrain.enabled;
  std::unique_ptr<Learner> model =
      make_learner(setup_.spec->learner, ref.info(),
                   factory ? learner_seed() : derive_seed(setup_.seed, key, kPushLearnerSeed));
  OpCounter server;
  if (factory) server = factory_pretrain(*model);
  for (int i = 0; i < p.spec.samples; ++i) {
    const Sample s = ref.next(t);
    model->learn(s.x, s.y, next_index_, server);
  }
  double bytes = 0;
  if (federable_) {
    const std::vector<int32_t> params = model->federable()->export_params(-1);
    bytes = static_cast<double>(params.size()) * federable_->wire_bytes_per_param();
    federable_->import_params(params);
  } else {
    bytes = static_cast<double>(model->memory_bytes());
    std::vector<std::pair<std::string, double>> knobs;
    if (Reconfigurable* r = learner_->reconfigurable())
      for (const KnobInfo& k : r->knobs()) knobs.emplace_back(k.name, r->knob(k.name));
    learner_ = std::move(model);
    if (!learning_) learner_->freeze();
    if (Reconfigurable* r = learner_->reconfigurable()) {
      OpCounter ops;
      for (const auto& [name, value] : knobs) r->set_knob(name, value, ops);
      charge_compute(EnergyCategory::Learn, ops, t);
      if (!alive_) return;
    }
  }
  ++totals_.adaptation.models_loaded;
  const double air = setup_.link->airtime_s(bytes);
  const double start = std::max(t, busy_until_);
  busy_until_ = start + air;
  energy_.receive(air);
  const double on_air = bytes + setup_.link->header_bytes;
  totals_.model_bytes_rx += on_air;
  totals_.budget.push_bytes += on_air;
  ++totals_.budget.model_pushes;
  log(t, "intervention",
      "kind=model_push samples=" + std::to_string(p.spec.samples) + " bytes=" + num(on_air));
  if (battery_.depleted(energy_.total_joules())) {
    die(busy_until_);
    return;
  }
  update_memory(t);
}

bool Device::receive_pushed_model(double t, const std::vector<int32_t>& params, int bytes) {
  if (!receive_model(t, params, bytes)) return false;
  const double on_air = bytes + setup_.link->header_bytes;
  if (life_) {
    ++totals_.budget.interventions;
    ++totals_.budget.model_pushes;
    totals_.budget.push_bytes += on_air;
  }
  log(t, "intervention", "kind=model_push source=global_model bytes=" + num(on_air));
  update_memory(t);
  return true;
}

void Device::policy_tick(double t) {
  LifecycleState& L = *life_;
  sleep_until(t);
  if (!alive_) return;
  Telemetry now;
  now.t = t;
  now.battery_left = battery_.fraction_left(energy_.total_joules());
  now.ram_used = static_cast<double>(memory_.total());
  now.ram_cap = L.in_force.ram_kib * 1024;
  if (L.plan.budgets.enabled && L.in_force.energy_j > 0) {
    now.energy_budget_j = L.in_force.energy_j;
    // Early in a window its own rate says little: the last window stands for it.
    const double elapsed = t - L.window_start_s;
    now.energy_projected_j = elapsed < L.plan.policy.every_s && L.previous_window_j >= 0
                                 ? L.previous_window_j
                                 : (energy_.total_joules() - L.window_start_j) /
                                       std::max(elapsed, L.plan.policy.every_s) *
                                       L.plan.budgets.window_s;
  }
  now.deadline_misses = L.misses_since_tick;
  now.alarms = L.alarms_since_tick;
  now.scored = evaluator_.window_count() > 0;
  now.accuracy_window = evaluator_.windowed();
  now.confidence = L.confidence_n > 0 ? L.confidence_sum / static_cast<double>(L.confidence_n) : -1;
  L.misses_since_tick = L.alarms_since_tick = 0;
  L.confidence_sum = 0;
  L.confidence_n = 0;

  std::vector<KnobState> knobs;
  knobs.push_back({{kKnobUpdateEvery, 1, 1000, true}, static_cast<double>(L.update_every), 1});
  if (L.detector_threshold_initial > 0)
    knobs.push_back({{kKnobDetectorThreshold, L.detector_threshold_initial / 8,
                      L.detector_threshold_initial, false},
                     L.detector_threshold,
                     L.detector_threshold_initial});
  if (Reconfigurable* r = learner_->reconfigurable())
    for (const KnobInfo& k : r->knobs()) {
      double initial = r->knob(k.name);
      for (const auto& [name, v] : L.learner_knobs_initial)
        if (name == k.name) initial = v;
      knobs.push_back({k, r->knob(k.name), initial});
    }
  for (const KnobChange& change : L.policy->decide(now, knobs)) {
    set_knob(change.knob, change.value, change.reason, t);
    if (!alive_) return;
  }
}

void Device::set_knob(const std::string& name, double value, const std::string& reason, double t) {
  LifecycleState& L = *life_;
  double from = 0;
  if (name == kKnobUpdateEvery) {
    from = L.update_every;
    L.update_every = std::max(1, static_cast<int>(value));
  } else if (name == kKnobDetectorThreshold) {
    from = L.detector_threshold;
    L.detector_threshold = value;
    // The detector restarts with the new threshold (its statistics describe the old one).
    const DetectorSpec& det = setup_.spec->learner.detector;
    Params params = det.params;
    params.numbers[kThresholdParam] = value;
    detector_ = make_detector({det.kind, params, det.input}, d_);
  } else if (Reconfigurable* r = learner_->reconfigurable()) {
    from = r->knob(name);
    OpCounter ops;
    value = r->set_knob(name, value, ops);
    charge_compute(EnergyCategory::Learn, ops, t);
    if (!alive_) return;
  } else {
    return;
  }
  ++totals_.budget.reconfigurations;
  log(t, "reconfigure",
      "knob=" + name + " from=" + num(from) + " to=" + num(value) + " reason=" + reason);
  update_memory(t);
}

void Device::observe_inference(double t, double latency_s, double confidence) {
  LifecycleState& L = *life_;
  L.confidence_sum += confidence;
  ++L.confidence_n;
  (void)t;
  if (L.in_force.deadline_s <= 0) return;
  BudgetCompliance& c = totals_.budget;
  ++c.inferences;
  ++L.window_inferences;
  c.worst_latency_s = std::max(c.worst_latency_s, latency_s);
  if (latency_s <= L.in_force.deadline_s) return;
  ++c.deadline_misses;
  ++L.window_misses;
  ++L.misses_since_tick;
  L.window_worst_latency_s = std::max(L.window_worst_latency_s, latency_s);
}

std::optional<double> Device::burst_label(double t) {
  LifecycleState& L = *life_;
  if (L.burst_left <= 0) return std::nullopt;
  --L.burst_left;
  ++totals_.budget.burst_labels;
  return t + setup_.spec->labels.delay_s;
}

bool Device::take_update() {
  LifecycleState& L = *life_;
  return L.labels_seen++ % static_cast<uint64_t>(L.update_every) == 0;
}

void Device::note_alarm() {
  ++life_->alarms_since_tick;
}

void Device::check_ram_cap(double t) {
  LifecycleState& L = *life_;
  const double cap = L.in_force.ram_kib * 1024;
  const double used = static_cast<double>(memory_.total());
  const bool over = cap > 0 && used > cap;
  if (over && !L.over_cap) {
    L.over_cap = true;
    L.over_cap_since = t;
    ++totals_.budget.ram_cap_breaches;
    log(t, "ram_cap_exceeded",
        "used=" + num(used) + " cap=" + num(cap) + " over=" + num(used - cap));
  } else if (!over && L.over_cap) {
    L.over_cap = false;
    totals_.budget.ram_over_cap_s += t - L.over_cap_since;
    log(t, "ram_cap_restored", "used=" + num(used) + " cap=" + num(cap));
  }
}

bool Device::link_down() const {
  return life_->outage;
}

// The end of the run: the last, partial window and the time still over the cap.
void Device::close_lifecycle() {
  LifecycleState& L = *life_;
  const double end = alive_ ? setup_.end_s : totals_.death_s;
  if (L.plan.budgets.enabled && alive_) close_window(setup_.end_s, true);
  if (L.over_cap) totals_.budget.ram_over_cap_s += std::max(0.0, end - L.over_cap_since);
}

}  // namespace tinyfleet
