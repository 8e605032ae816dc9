#pragma once
// The server side of the fleet, on the gateway host of cell 0: federated
// sessions (broadcast the global model, participants train on their buffers
// and upload, TIFeD's integer mean or float FedAvg, broadcast again), the fleet detector fed
// by the alarm flags of status reports, and fleet commands (reset). Its
// traffic is real SimGrid traffic on the device links: one broadcast airing
// per cell, uploads through at most `channels` concurrent transfers per cell.
//
// Timing rules (why they keep every schedule's results identical):
// - Sessions start only at announced times: periodic ones are announced at
//   the start; one triggered by a fleet alarm at D starts at the next
//   multiple of the driver horizon after D, which no driver has passed yet.
// - While a session runs, devices are held at the clock (safe_time()), so a
//   broadcast reaching a device at t finds it at or before t.
// - A device is advanced only through drive_device (sim/drive.hpp).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "analysis/results.hpp"
#include "learners/learner.hpp"
#include "sim/barrier.hpp"
#include "sim/device.hpp"
#include "sim/fleet_detector.hpp"
#include "sim/platform.hpp"
#include "sim/schedulers.hpp"

namespace tinyfleet {

struct RoundRecord {
  int session = 0, round = 0;
  double start_s = 0, end_s = 0;  // broadcast sent, aggregation done
  int selected = 0, received = 0, stragglers = 0, dropouts = 0, lost = 0;
  double bytes_down = 0, bytes_up = 0;  // on air, retransmissions included
  double test_accuracy = -1;            // of the aggregated model (−1: not evaluated)
};

struct FleetServerResults {
  bool federation = false;
  std::string mode;
  int members = 0;  // federated devices
  std::size_t model_params = 0;
  int model_bytes = 0;  // full model message (parameters × width + header)
  int sessions = 0, sessions_skipped = 0, resets = 0;
  std::vector<RoundRecord> rounds;
  std::vector<FleetAlarm> fleet_alarms;
  uint64_t alarm_reports = 0;  // reports with an alarm flag that reached the gateway
};

class FleetServer final : public InteractionBarrier {
 public:
  FleetServer(const Scenario& scenario, std::vector<std::unique_ptr<Device>>& devices,
              const Platform& platform, Gateways& gateways);
  ~FleetServer() override;
  // Hooks the gateways and starts the server actors.
  void start();
  double safe_time() const override;
  FleetServerResults results() const { return results_; }
  std::vector<Event>& events() { return events_; }

 private:
  enum class Kind { Federated, Reset };
  struct Round;
  void announce(double t);
  void run_periodic();
  void run_pushes();  // model-push interventions to federated members (docs/LIFECYCLE.md)
  void run_session(double t, Kind kind, int scope);
  void run_round(int session, int round);
  void run_sequential_round(int session, int round);
  std::shared_ptr<Round> open_round(int session, int round);
  std::size_t layer_offset(int layer) const;  // of layer `layer` in a full parameter vector
  int broadcast(const std::vector<int>& targets, int bytes, uint64_t round,
                const std::function<void(Device&, double)>& on_heard);
  void participate(const std::shared_ptr<Round>& round, int id, double heard_s);
  void aggregate(Round& round);
  void on_alarm_report(const RadioMessage& m, double t);
  double evaluate_global();
  void log(double t, const char* type, std::string detail);
  Gateway& gateway_of(int id);
  simgrid::s4u::Host* host_of(int id) const;

  const Scenario& sc_;
  std::vector<std::unique_ptr<Device>>& devices_;
  const Platform& platform_;
  Gateways& gateways_;
  std::vector<int> members_;   // federated device ids, ascending
  std::vector<int> layer_of_;  // by device id (single-layer mode), −1 otherwise
  std::vector<simgrid::s4u::SemaphorePtr> channels_;  // upload slots per cell
  std::unique_ptr<Learner> server_model_;             // holds the global model for evaluation
  std::vector<int32_t> global_;
  int layers_ = 1, wire_bytes_ = 4;
  bool float_params_ = false;  // fp32 model: FedAvg's weighted mean, else TIFeD's integer mean
  std::vector<float> holdout_x_;
  std::vector<int> holdout_y_;
  std::unique_ptr<FleetDetector> detector_;
  std::vector<int> group_of_;
  std::multiset<double> announced_;
  std::vector<std::pair<double, int>> pushes_;  // (time, intervention index), by time
  std::size_t next_push_ = 0;
  bool pushing_ = false;
  bool active_ = false;
  uint64_t round_counter_ = 0;
  std::set<int> trained_in_session_;
  FleetServerResults results_;
  std::vector<Event> events_;
};

}  // namespace tinyfleet
