#pragma once
// The gateway's shared radio medium. Devices (or their drivers) submit
// reports; a channel actor on the gateway host serves them with slotted
// access: a report waits for the next slot boundary, then at most `channels`
// transmissions are on air at once (SimGrid's flow model shares the links
// among them). This keeps the flow model small at 100 000 devices and makes
// the order of transmissions canonical — (submit time, device) — whichever
// schedule submitted them.
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <vector>

#include <simgrid/s4u.hpp>

#include "scenarios/scenario.hpp"

namespace tinyfleet {

struct RadioMessage {
  double t = 0;  // submit time
  int device = 0;
  int bytes = 0;
  bool alarm = false;  // the report flags detector alarms (sim/fleet_detector.hpp)
};

struct NetworkStats {
  uint64_t submitted = 0, delivered = 0;
  double bytes = 0;
  double mean_latency_s = 0, max_latency_s = 0;  // submit → delivered at the gateway
};

class Gateway {
 public:
  // `device_hosts` (indexed by device id) must outlive the gateway.
  Gateway(simgrid::s4u::Host* gateway, const std::vector<simgrid::s4u::Host*>& device_hosts,
          const NetworkSpec& spec);
  // Starts the channel actor (a daemon: it ends with the last device).
  void start();
  // Queues a report at the current simulated time. Callable from any actor.
  void submit(const RadioMessage& m);
  NetworkStats stats() const;
  // Called at the instant each report reaches the gateway.
  using DeliveryHook = std::function<void(const RadioMessage&, double delivered_s)>;
  void on_delivery(DeliveryHook hook) { hook_ = std::move(hook); }
  // Adds another gateway's figures (cells are merged in cell order).
  static NetworkStats combine(const NetworkStats& a, const NetworkStats& b);

 private:
  void serve();
  double slot_after(double t) const;  // the first slot boundary strictly after t
  std::vector<RadioMessage> take_batch(double boundary);
  void transmit(const std::vector<RadioMessage>& batch);

  simgrid::s4u::Host* gateway_;
  const std::vector<simgrid::s4u::Host*>* device_hosts_;
  NetworkSpec spec_;
  struct Later {
    bool operator()(const RadioMessage& a, const RadioMessage& b) const;
  };
  // Earliest (t, device) on top: the canonical order of transmissions.
  std::priority_queue<RadioMessage, std::vector<RadioMessage>, Later> queue_;
  simgrid::s4u::MutexPtr mutex_;
  simgrid::s4u::ConditionVariablePtr wake_;
  // The slot boundary the channel actor waits for: +inf while the queue is
  // empty, −inf while it transmits. A report for an earlier slot wakes it
  // (only then: a notification is a context switch through SimGrid's maestro).
  double waiting_until_ = -std::numeric_limits<double>::infinity();
  struct Delivery {
    int device;
    double t, latency;
  };
  std::vector<Delivery> deliveries_;
  uint64_t submitted_ = 0;
  DeliveryHook hook_;
  double submitted_bytes_ = 0;
};

}  // namespace tinyfleet
