#include "sim/gateway.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>

namespace sg4 = simgrid::s4u;

namespace tinyfleet {

Gateway::Gateway(sg4::Host* gateway, const std::vector<sg4::Host*>& device_hosts,
                 const NetworkSpec& spec)
    : gateway_(gateway),
      device_hosts_(&device_hosts),
      spec_(spec),
      mutex_(sg4::Mutex::create()),
      wake_(sg4::ConditionVariable::create()) {}

void Gateway::start() {
  sg4::Actor::create(gateway_->get_name() + "-channel", gateway_, [this] { serve(); })->daemonize();
}

double Gateway::slot_after(double t) const {
  return (std::floor(t / spec_.slot_s) + 1) * spec_.slot_s;
}

bool Gateway::Later::operator()(const RadioMessage& a, const RadioMessage& b) const {
  return a.t != b.t ? a.t > b.t : a.device > b.device;
}

// The queue is a heap ordered by (submit time, device). Reports may be
// submitted before their time and out of order (a calendar driver runs each
// device through a whole horizon); they still go on air only in their own slot.
void Gateway::submit(const RadioMessage& m) {
  queue_.push(m);
  ++submitted_;
  submitted_bytes_ += m.bytes;
  if (slot_after(m.t) < waiting_until_) wake_->notify_one();
}

void Gateway::serve() {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::unique_lock lock(*mutex_);
  for (;;) {
    while (queue_.empty()) {
      waiting_until_ = kInf;
      wake_->wait(lock);
      waiting_until_ = -kInf;
    }
    // The earliest report goes on air at the first slot boundary after its time.
    const double boundary = slot_after(queue_.top().t);
    if (boundary > sg4::Engine::get_clock()) {
      // A report submitted meanwhile may belong to an earlier slot (a report
      // is stamped when its device's CPU is free, which can be before a report
      // queued earlier by another device): then look again.
      waiting_until_ = boundary;
      const std::cv_status woke = wake_->wait_until(lock, boundary);
      waiting_until_ = -kInf;
      if (woke == std::cv_status::no_timeout) continue;
    }
    transmit(take_batch(boundary));
  }
}

// Reports from strictly before the boundary, in canonical order. One made at
// the boundary itself waits for the next slot, whichever actor ran first.
std::vector<RadioMessage> Gateway::take_batch(double boundary) {
  std::vector<RadioMessage> batch;
  while (!queue_.empty() && queue_.top().t < boundary) {
    batch.push_back(queue_.top());
    queue_.pop();
  }
  return batch;
}

void Gateway::transmit(const std::vector<RadioMessage>& batch) {
  std::vector<sg4::CommPtr> on_air;
  std::vector<const RadioMessage*> sent;
  auto complete_one = [&] {
    const auto i = static_cast<std::size_t>(sg4::Comm::wait_any(on_air));
    const double now = sg4::Engine::get_clock();
    deliveries_.push_back({sent[i]->device, sent[i]->t, now - sent[i]->t});
    if (hook_) hook_(*sent[i], now);
    on_air.erase(on_air.begin() + static_cast<std::ptrdiff_t>(i));
    sent.erase(sent.begin() + static_cast<std::ptrdiff_t>(i));
  };
  for (const auto& m : batch) {
    if (on_air.size() >= static_cast<std::size_t>(spec_.channels)) complete_one();
    on_air.push_back(sg4::Comm::sendto_async((*device_hosts_)[static_cast<std::size_t>(m.device)],
                                             gateway_, static_cast<uint64_t>(m.bytes)));
    sent.push_back(&m);
  }
  while (!on_air.empty()) complete_one();
}

NetworkStats Gateway::stats() const {
  NetworkStats s;
  s.submitted = submitted_;
  s.bytes = submitted_bytes_;
  auto d = deliveries_;
  std::sort(d.begin(), d.end(), [](const Delivery& a, const Delivery& b) {
    return a.t != b.t ? a.t < b.t : a.device < b.device;
  });
  double sum = 0;
  for (const auto& x : d) {
    sum += x.latency;
    s.max_latency_s = std::max(s.max_latency_s, x.latency);
  }
  s.delivered = d.size();
  s.mean_latency_s = d.empty() ? 0 : sum / static_cast<double>(d.size());
  return s;
}

NetworkStats Gateway::combine(const NetworkStats& a, const NetworkStats& b) {
  NetworkStats s;
  s.submitted = a.submitted + b.submitted;
  s.delivered = a.delivered + b.delivered;
  s.bytes = a.bytes + b.bytes;
  s.max_latency_s = std::max(a.max_latency_s, b.max_latency_s);
  if (s.delivered)
    s.mean_latency_s = (a.mean_latency_s * static_cast<double>(a.delivered) +
                        b.mean_latency_s * static_cast<double>(b.delivered)) /
                       static_cast<double>(s.delivered);
  return s;
}

}  // namespace tinyfleet
