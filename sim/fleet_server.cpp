#include "sim/fleet_server.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include "drift/rng.hpp"
#include "drift/stream.hpp"
#include "sim/drive.hpp"
#include "sim/federation_rules.hpp"

namespace sg4 = simgrid::s4u;

namespace tinyfleet {
namespace {
// derive_seed purposes of the fleet server (fleet-level: 200+; 201–203 in federation_rules.cpp).
constexpr uint64_t kHoldoutSeed = 204;
constexpr uint64_t kUplinkLossSeed = 205;
constexpr uint64_t kBroadcastLossSeed = 206;
constexpr uint64_t kServerModelSeed = 207;
constexpr uint64_t kUnicastLossSeed = 208;
constexpr int kResetCommandBytes = 8;

double now() {
  return sg4::Engine::get_clock();
}

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}
}  // namespace

struct FleetServer::Round {
  RoundRecord rec;
  uint64_t index = 0;
  double deadline = 0;
  std::set<int> selected;
  std::map<int, std::vector<int32_t>> updates;  // by device id
  std::map<int, int> samples;                   // by device id: FedAvg's weight n_k
  int pending = 0;
  bool closed = false;
  sg4::MutexPtr mutex = sg4::Mutex::create();
  sg4::ConditionVariablePtr done = sg4::ConditionVariable::create();
};

FleetServer::FleetServer(const Scenario& scenario, std::vector<std::unique_ptr<Device>>& devices,
                         const Platform& platform, Gateways& gateways)
    : sc_(scenario), devices_(devices), platform_(platform), gateways_(gateways) {
  std::vector<int> group_sizes(sc_.groups.size(), 0);
  for (const auto& d : devices_) {
    group_of_.push_back(d->setup().group);
    ++group_sizes[static_cast<std::size_t>(d->setup().group)];
    if (d->setup().federated) members_.push_back(d->id());
  }
  if (sc_.fleet_detector.enabled)
    detector_ = std::make_unique<FleetDetector>(sc_.fleet_detector, group_sizes);
  for (std::size_t c = 0; c < gateways_.size(); ++c)
    channels_.push_back(sg4::Semaphore::create(static_cast<unsigned>(sc_.network.channels)));
  layer_of_.assign(devices_.size(), -1);
  const FederationSpec& fed = sc_.federation;
  results_.federation = fed.enabled && !members_.empty();
  if (!results_.federation) return;
  results_.mode = fed.mode;
  results_.members = static_cast<int>(members_.size());
  const Device& first = *devices_[static_cast<std::size_t>(members_.front())];
  // A pre-trained group's global model starts as its factory model.
  const bool factory = first.setup().spec->learner.pretrain.enabled;
  server_model_ =
      make_learner(first.setup().spec->learner, first.stream_info(),
                   factory ? first.learner_seed() : derive_seed(sc_.seed, 0, kServerModelSeed));
  if (factory) (void)first.factory_pretrain(*server_model_);
  Federable& model = *server_model_->federable();
  global_ = model.export_params(-1);
  layers_ = model.layers();
  wire_bytes_ = model.wire_bytes_per_param();
  float_params_ = model.float_params();
  results_.model_params = global_.size();
  results_.model_bytes = static_cast<int>(global_.size()) * wire_bytes_ + fed.header_bytes;
  if (fed.mode == "single_layer")
    for (std::size_t i = 0; i < members_.size(); ++i)
      layer_of_[static_cast<std::size_t>(members_[i])] =
          assigned_layer(static_cast<int>(i), static_cast<int>(members_.size()), layers_);
  if (fed.evaluate_samples > 0) {
    // A hold-out set from the first federated group's stream, with the
    // parameter overrides (e.g. the test subset) and the whole data set (not
    // one device's share).
    StreamSpec spec = first.setup().spec->stream;
    for (const auto& [k, v] : fed.evaluate_params.numbers) spec.params.numbers[k] = v;
    for (const auto& [k, v] : fed.evaluate_params.strings) spec.params.strings[k] = v;
    auto& n = spec.params.numbers;
    if (n.count("device") && n.count("devices")) {
      n["device"] = 0;
      n["devices"] = 1;
    }
    auto gen = make_generator(spec.generator, spec.params, derive_seed(sc_.seed, 0, kHoldoutSeed));
    const auto d = static_cast<std::size_t>(gen->info().features);
    holdout_x_.resize(d * static_cast<std::size_t>(fed.evaluate_samples));
    for (int i = 0; i < fed.evaluate_samples; ++i)
      holdout_y_.push_back(gen->next(holdout_x_.data() + d * static_cast<std::size_t>(i)));
  }
  // A model push that reaches federated members sends them the server's global model.
  for (std::size_t k = 0; k < sc_.interventions.size(); ++k) {
    if (sc_.interventions[k].kind != InterventionSpec::Kind::ModelPush ||
        sc_.interventions[k].at_s >= sc_.duration_s)
      continue;
    bool reaches_member = false;
    for (int id : members_)
      for (const auto& p : devices_[static_cast<std::size_t>(id)]->setup().lifecycle.interventions)
        reaches_member = reaches_member || p.id == static_cast<int>(k);
    if (reaches_member) pushes_.emplace_back(sc_.interventions[k].at_s, static_cast<int>(k));
  }
  if (fed.every_s > 0)
    for (double t = fed.start_s + fed.every_s; t < sc_.duration_s; t += fed.every_s)
      announced_.insert(t);
  if (fed.after_samples > 0) {
    // Session k starts once the label of every member's (k·N)-th sample can
    // have arrived: sample times are known in advance (phase + i/rate).
    for (int k = 1;; ++k) {
      double t = 0;
      for (int id : members_) {
        const DeviceSetup& s = devices_[static_cast<std::size_t>(id)]->setup();
        const double sample =
            s.phase_s + (static_cast<double>(k) * fed.after_samples - 1) / s.spec->stream.rate_hz;
        t = std::max(t, sample + s.spec->labels.delay_s + s.spec->labels.delay_jitter_s);
      }
      if (t >= sc_.duration_s) break;
      announced_.insert(t);
    }
  }
}

FleetServer::~FleetServer() = default;

void FleetServer::start() {
  for (auto& g : gateways_)
    g->on_delivery([this](const RadioMessage& m, double t) {
      if (m.alarm) on_alarm_report(m, t);
    });
  if (results_.federation && !announced_.empty())
    sg4::Actor::create("fleet-server", platform_.gateways[0], [this] {
      run_periodic();
    })->daemonize();
  if (!pushes_.empty())
    sg4::Actor::create("fleet-push", platform_.gateways[0], [this] { run_pushes(); })->daemonize();
}

// Like a session, a push holds the devices at the clock while its broadcast
// is on air (safe_time), so it finds each device at or before its reception.
// Its loss and availability draws use their own round numbers.
void FleetServer::run_pushes() {
  constexpr uint64_t kPushRoundBase = uint64_t{1} << 40;
  while (next_push_ < pushes_.size()) {
    const auto [t, k] = pushes_[next_push_];
    if (t > now()) sg4::this_actor::sleep_until(t);
    pushing_ = true;
    std::vector<int> targets;
    for (int id : members_)
      for (const auto& planned :
           devices_[static_cast<std::size_t>(id)]->setup().lifecycle.interventions)
        if (planned.id == k) targets.push_back(id);
    log(now(), "model_push", "devices=" + std::to_string(targets.size()));
    broadcast(targets, results_.model_bytes, kPushRoundBase + static_cast<uint64_t>(k),
              [this](Device& d, double at) {
                d.receive_pushed_model(at, global_, results_.model_bytes);
              });
    pushing_ = false;
    ++next_push_;
  }
}

double FleetServer::safe_time() const {
  const double clock = now();
  if (active_ || pushing_) return clock;
  double next = announced_.empty() ? kNever : *announced_.begin();
  if (next_push_ < pushes_.size()) next = std::min(next, pushes_[next_push_].first);
  if (next == kNever) return kNever;
  return std::max(clock, next);
}

void FleetServer::run_periodic() {
  std::vector<double> times(announced_.begin(), announced_.end());
  for (double t : times) {
    if (t > now()) sg4::this_actor::sleep_until(t);
    run_session(t, Kind::Federated, -1);
  }
}

void FleetServer::run_session(double t, Kind kind, int scope) {
  announced_.erase(announced_.find(t));
  if (active_ || now() >= sc_.duration_s) {
    ++results_.sessions_skipped;
    log(now(), "session_skipped", active_ ? "reason=busy" : "reason=end");
    return;
  }
  active_ = true;
  if (kind == Kind::Reset) {
    ++results_.resets;
    std::vector<int> targets;
    for (const auto& d : devices_)
      if (scope < 0 || d->setup().group == scope) targets.push_back(d->id());
    log(now(), "fleet_reset", "devices=" + std::to_string(targets.size()));
    broadcast(targets, sc_.federation.header_bytes + kResetCommandBytes, round_counter_++,
              [](Device& d, double at) { d.reset_knowledge(at); });
  } else {
    const int session = ++results_.sessions;
    trained_in_session_.clear();
    for (int r = 1; r <= sc_.federation.rounds && now() < sc_.duration_s; ++r) {
      if (sc_.federation.aggregation == "sequential")
        run_sequential_round(session, r);
      else
        run_round(session, r);
    }
    // The last aggregate reaches everyone; a session consumes what it trained on.
    const bool clear = sc_.federation.clear_buffer;
    broadcast(members_, results_.model_bytes, round_counter_++,
              [this, clear](Device& d, double at) {
                if (d.receive_model(at, global_, results_.model_bytes) &&
                    trained_in_session_.count(d.id()))
                  d.end_session(clear);
              });
    log(now(), "session_end", "session=" + std::to_string(session));
  }
  active_ = false;
}

std::shared_ptr<FleetServer::Round> FleetServer::open_round(int session, int round) {
  const FederationSpec& fed = sc_.federation;
  auto R = std::make_shared<Round>();
  R->rec.session = session;
  R->rec.round = round;
  R->rec.start_s = now();
  R->index = round_counter_++;
  R->deadline = now() + fed.deadline_s;
  const auto chosen = select_participants(members_, fed.participation, sc_.seed, R->index);
  R->selected.insert(chosen.begin(), chosen.end());
  R->rec.selected = static_cast<int>(chosen.size());
  R->pending = R->rec.selected;
  log(now(), "round_start",
      "session=" + std::to_string(session) + " round=" + std::to_string(round) +
          " selected=" + std::to_string(R->rec.selected));
  return R;
}

void FleetServer::run_round(int session, int round) {
  auto R = open_round(session, round);
  const std::vector<int> chosen(R->selected.begin(), R->selected.end());
  std::set<int> heard;
  const int airings =
      broadcast(members_, results_.model_bytes, R->index, [&](Device& d, double at) {
        if (!d.receive_model(at, global_, results_.model_bytes)) return;
        heard.insert(d.id());
        if (R->selected.count(d.id()))
          sg4::Actor::create("participant", platform_.gateways[0], [this, R, id = d.id(), at] {
            participate(R, id, at);
          })->daemonize();
      });
  R->rec.bytes_down = devices_.front()->setup().link->framed_bytes(results_.model_bytes) * airings;
  std::unique_lock lock(*R->mutex);
  for (int id : chosen)
    if (!heard.count(id)) {  // asleep, unavailable, dead, or the broadcast was lost
      ++R->rec.dropouts;
      --R->pending;
    }
  while (R->pending > 0 && now() < R->deadline) R->done->wait_until(lock, R->deadline);
  R->rec.stragglers = R->pending;
  R->closed = true;
  aggregate(*R);
}

// Cyclic transfer: the model goes to the selected devices one after the
// other (an acknowledged unicast, retried on loss), each trains it from where
// the previous one left it and uploads; the round's model is the integer mean
// of those uploads. This is the schedule the TIFeD reference code computes
// in effect (its workers share one array: docs/FIDELITY.md), made a protocol.
// A device that misses its turn (asleep, unavailable, dead, lost) is skipped;
// once the deadline has passed, the devices still waiting are stragglers.
void FleetServer::run_sequential_round(int session, int round) {
  const FederationSpec& fed = sc_.federation;
  auto R = open_round(session, round);
  std::vector<int32_t> model = global_;
  std::size_t turn = 0;
  for (int id : R->selected) {
    ++turn;
    if (now() >= R->deadline || now() >= sc_.duration_s) {
      R->rec.stragglers += static_cast<int>(R->selected.size() - turn + 1);
      break;
    }
    Device& d = *devices_[static_cast<std::size_t>(id)];
    const int cell = d.setup().cell;
    const double down = d.setup().link->framed_bytes(results_.model_bytes);
    const Attempts sent_down =
        draw_attempts(fed.loss, fed.max_retries, sc_.seed, id, R->index, kUnicastLossSeed);
    for (int i = 0; i < sent_down.sent; ++i)
      sg4::Comm::sendto(platform_.gateways[static_cast<std::size_t>(cell)], host_of(id),
                        static_cast<uint64_t>(down));
    R->rec.bytes_down += down * sent_down.sent;
    const double heard = now();
    if (heard >= sc_.duration_s) return;
    if (!sent_down.delivered || !available(fed.availability, sc_.seed, id, R->index, heard)) {
      ++R->rec.dropouts;
      continue;
    }
    drive_device(d, heard, gateway_of(id));
    if (!d.receive_model(heard, model, results_.model_bytes)) {
      ++R->rec.dropouts;
      continue;
    }
    const bool first = trained_in_session_.insert(id).second;
    const int layer = layer_of_[static_cast<std::size_t>(id)];
    Device::RoundWork work = d.train_round(heard, layer, fed.epochs, first);
    if (!work.ok) {
      ++R->rec.dropouts;
      continue;
    }
    const int n_k = d.federable()->session_samples();
    if (work.ready_s > now()) sg4::this_actor::sleep_until(work.ready_s);
    if (now() >= sc_.duration_s) return;
    drive_device(d, now(), gateway_of(id));
    const int bytes = static_cast<int>(work.update.size()) * wire_bytes_ + fed.header_bytes;
    const Attempts tries =
        draw_attempts(fed.loss, fed.max_retries, sc_.seed, id, R->index, kUplinkLossSeed);
    d.transmit_model(now(), bytes, tries.sent);
    const double framed = d.setup().link->framed_bytes(bytes);
    channels_[static_cast<std::size_t>(cell)]->acquire();
    for (int i = 0; i < tries.sent; ++i)
      sg4::Comm::sendto(host_of(id), platform_.gateways[static_cast<std::size_t>(cell)],
                        static_cast<uint64_t>(framed));
    channels_[static_cast<std::size_t>(cell)]->release();
    R->rec.bytes_up += framed * tries.sent;
    if (!tries.delivered) {
      ++R->rec.lost;
      continue;
    }
    if (!d.alive()) {
      ++R->rec.dropouts;
      continue;
    }
    if (now() > R->deadline) {
      ++R->rec.stragglers;
      continue;
    }
    ++R->rec.received;
    // The next device starts from this one's model (only its layer changed in single-layer mode).
    std::copy(work.update.begin(), work.update.end(),
              model.begin() + static_cast<std::ptrdiff_t>(layer < 0 ? 0 : layer_offset(layer)));
    R->updates[id] = std::move(work.update);
    R->samples[id] = n_k;
  }
  R->closed = true;
  aggregate(*R);
}

std::size_t FleetServer::layer_offset(int layer) const {
  std::size_t offset = 0;
  for (int l = 0; l < layer; ++l) offset += server_model_->federable()->param_count(l);
  return offset;
}

void FleetServer::participate(const std::shared_ptr<Round>& R, int id, double heard_s) {
  const FederationSpec& fed = sc_.federation;
  Device& d = *devices_[static_cast<std::size_t>(id)];
  auto finish = [&](int RoundRecord::*counter) {
    std::unique_lock lock(*R->mutex);
    if (R->closed) return;
    if (counter) ++(R->rec.*counter);
    --R->pending;
    R->done->notify_all();
  };
  const bool first = trained_in_session_.insert(id).second;
  Device::RoundWork work =
      d.train_round(heard_s, layer_of_[static_cast<std::size_t>(id)], fed.epochs, first);
  if (!work.ok) return finish(&RoundRecord::dropouts);
  const int n_k = d.federable()->session_samples();
  if (work.ready_s > now()) sg4::this_actor::sleep_until(work.ready_s);
  if (now() >= sc_.duration_s) return;
  drive_device(d, now(), gateway_of(id));
  const int bytes = static_cast<int>(work.update.size()) * wire_bytes_ + fed.header_bytes;
  const Attempts tries =
      draw_attempts(fed.loss, fed.max_retries, sc_.seed, id, R->index, kUplinkLossSeed);
  d.transmit_model(now(), bytes, tries.sent);
  const int cell = d.setup().cell;
  const double framed = d.setup().link->framed_bytes(bytes);
  channels_[static_cast<std::size_t>(cell)]->acquire();
  for (int i = 0; i < tries.sent; ++i)
    sg4::Comm::sendto(host_of(id), platform_.gateways[static_cast<std::size_t>(cell)],
                      static_cast<uint64_t>(framed));
  channels_[static_cast<std::size_t>(cell)]->release();
  R->rec.bytes_up += framed * tries.sent;
  if (!tries.delivered) return finish(&RoundRecord::lost);
  if (!d.alive()) return finish(&RoundRecord::dropouts);
  {
    std::unique_lock lock(*R->mutex);
    if (R->closed) return;
    R->updates[id] = std::move(work.update);
    R->samples[id] = n_k;
  }
  finish(&RoundRecord::received);
}

void FleetServer::aggregate(Round& R) {
  Federable& model = *server_model_->federable();
  // TIFeD's integer mean, or FedAvg's sample-weighted float mean (federation_rules.hpp).
  auto mean_of = [&](int layer) {
    std::vector<const std::vector<int32_t>*> ups;
    std::vector<int> weights;
    for (const auto& [id, u] : R.updates)
      if (layer < 0 || layer_of_[static_cast<std::size_t>(id)] == layer) {
        ups.push_back(&u);
        weights.push_back(R.samples[id]);
      }
    return float_params_ ? fedavg_mean(ups, weights) : integer_mean(ups);
  };
  if (sc_.federation.mode == "single_layer") {
    std::size_t offset = 0;
    for (int l = 0; l < layers_; ++l) {
      if (auto mean = mean_of(l))
        std::copy(mean->begin(), mean->end(),
                  global_.begin() + static_cast<std::ptrdiff_t>(offset));
      offset += model.param_count(l);
    }
  } else if (auto mean = mean_of(-1)) {
    global_ = std::move(*mean);
  }
  R.rec.end_s = now();
  // The hold-out test runs once per session, on the model it ends with (as
  // the reference evaluates once per buffer).
  if (!holdout_y_.empty() && R.rec.round == sc_.federation.rounds)
    R.rec.test_accuracy = evaluate_global();
  log(now(), "round_end",
      "session=" + std::to_string(R.rec.session) + " round=" + std::to_string(R.rec.round) +
          " received=" + std::to_string(R.rec.received) +
          " stragglers=" + std::to_string(R.rec.stragglers) +
          " dropouts=" + std::to_string(R.rec.dropouts) + " lost=" + std::to_string(R.rec.lost) +
          fmt(" bytes_up=%.0f", R.rec.bytes_up) + fmt(" bytes_down=%.0f", R.rec.bytes_down) +
          (R.rec.test_accuracy >= 0 ? fmt(" test_accuracy=%.6f", R.rec.test_accuracy) : ""));
  results_.rounds.push_back(R.rec);
}

double FleetServer::evaluate_global() {
  server_model_->federable()->import_params(global_);
  const std::size_t d = holdout_x_.size() / holdout_y_.size();
  OpCounter ops;  // the server is not a costed device
  std::size_t ok = 0;
  for (std::size_t i = 0; i < holdout_y_.size(); ++i)
    ok += server_model_->predict(holdout_x_.data() + i * d, ops) == holdout_y_[i];
  return static_cast<double>(ok) / static_cast<double>(holdout_y_.size());
}

// One airing per cell with targets (a radio broadcast is heard by every
// listening device at once): the transfer to the cell's first target stands
// for it. Returns the number of airings.
int FleetServer::broadcast(const std::vector<int>& targets, int bytes, uint64_t round,
                           const std::function<void(Device&, double)>& on_heard) {
  std::map<int, std::vector<int>> by_cell;
  for (int id : targets)
    by_cell[devices_[static_cast<std::size_t>(id)]->setup().cell].push_back(id);
  std::vector<sg4::ActorPtr> airings;
  for (auto& [cell, ids] : by_cell) {
    airings.push_back(sg4::Actor::create(
        "broadcast", platform_.gateways[static_cast<std::size_t>(cell)],
        [this, cell = cell, ids = ids, bytes, round, &on_heard] {
          const double framed =
              devices_[static_cast<std::size_t>(ids.front())]->setup().link->framed_bytes(bytes);
          sg4::Comm::sendto(platform_.gateways[static_cast<std::size_t>(cell)],
                            host_of(ids.front()), static_cast<uint64_t>(framed));
          const double t = now();
          if (t >= sc_.duration_s) return;
          for (int id : ids) {
            if (!available(sc_.federation.availability, sc_.seed, id, round, t)) continue;
            // A broadcast is not acknowledged, so a lost one is not sent again.
            if (!draw_attempts(sc_.federation.loss, 0, sc_.seed, id, round, kBroadcastLossSeed)
                     .delivered)
              continue;
            Device& d = *devices_[static_cast<std::size_t>(id)];
            drive_device(d, t, gateway_of(id));
            on_heard(d, t);
          }
        }));
  }
  for (auto& a : airings) a->join();
  return static_cast<int>(airings.size());
}

void FleetServer::on_alarm_report(const RadioMessage& m, double t) {
  ++results_.alarm_reports;
  if (!detector_) return;
  const auto alarm =
      detector_->on_alarm_report(m.device, group_of_[static_cast<std::size_t>(m.device)], t);
  if (!alarm) return;
  results_.fleet_alarms.push_back(*alarm);
  const std::string scope =
      alarm->scope < 0 ? "fleet"
                       : "group:" + sc_.groups[static_cast<std::size_t>(alarm->scope)].name;
  log(t, "fleet_alarm",
      "scope=" + scope + " devices=" + std::to_string(alarm->devices) +
          " quorum=" + std::to_string(detector_->quorum(alarm->scope)));
  const std::string& action = sc_.fleet_detector.action;
  if (action == "log") return;
  // The next horizon boundary: no driver has run a device past it yet.
  const double start = (std::floor(t / kDriverHorizon) + 1) * kDriverHorizon;
  if (start >= sc_.duration_s) return;
  announce(start);
  const Kind kind = action == "reset" ? Kind::Reset : Kind::Federated;
  const int scope_id = alarm->scope;
  sg4::Actor::create("fleet-session", platform_.gateways[0], [this, start, kind, scope_id] {
    sg4::this_actor::sleep_until(start);
    run_session(start, kind, scope_id);
  })->daemonize();
}

void FleetServer::announce(double t) {
  announced_.insert(t);
}

void FleetServer::log(double t, const char* type, std::string detail) {
  events_.push_back({t, -1, type, std::move(detail)});
}

Gateway& FleetServer::gateway_of(int id) {
  return *gateways_[static_cast<std::size_t>(devices_[static_cast<std::size_t>(id)]->setup().cell)];
}

sg4::Host* FleetServer::host_of(int id) const {
  return platform_.devices[static_cast<std::size_t>(id)];
}

}  // namespace tinyfleet
