// Device: energy bookkeeping, battery death, RAM breach, schedule independence.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/device.hpp"
#include "sim/fleet.hpp"
#include "support/small_scenario.hpp"

using namespace tinyfleet;

namespace {
double radio_and_state_energy(const DeviceTotals& t) {
  double e = 0;
  for (std::size_t s = 0; s < kPowerStates; ++s) e += t.seconds_by_state[s] * t.watts_by_state[s];
  return e;
}
DeviceTotals run_one(const DeviceSetup& setup) {
  Device d(setup);
  while (d.next_local_time() != kNever || d.next_status_time() != kNever) {
    if (d.next_local_time() <= d.next_status_time())
      d.step();
    else
      (void)d.send_status();
  }
  d.finish();
  return d.totals();
}
}  // namespace

TEST_CASE("device energy is power x time over its states, and the categories add up") {
  const Scenario sc = testing::small_scenario(1);
  for (const auto& setup : plan_fleet(sc)) {
    const DeviceTotals t = run_one(setup);
    CHECK(t.samples == 7200);
    double categories = 0;
    for (double j : t.energy_by_category) categories += j;
    CHECK(std::abs(radio_and_state_energy(t) - t.energy_j) <= 1e-9 * t.energy_j);
    CHECK(std::abs(categories - t.energy_j) <= 1e-9 * t.energy_j);
    double seconds = 0;  // idle overlaps radio time: the CPU waits while the radio sends
    for (std::size_t s = 0; s < kPowerStates; ++s)
      if (s != static_cast<std::size_t>(PowerState::RadioTx) &&
          s != static_cast<std::size_t>(PowerState::RadioRx))
        seconds += t.seconds_by_state[s];
    INFO("active " << t.seconds_by_state[0] << " idle " << t.seconds_by_state[1] << " sleep "
                   << t.seconds_by_state[2] << " tx " << t.seconds_by_state[3]);
    CHECK(seconds == doctest::Approx(sc.duration_s).epsilon(1e-9));
    CHECK(t.energy_by_category[static_cast<std::size_t>(EnergyCategory::Radio)] > 0);
    CHECK(t.energy_by_category[static_cast<std::size_t>(EnergyCategory::Infer)] > 0);
    CHECK(t.status_messages == 119);
  }
}

TEST_CASE("a device advanced in big steps has the same history as one stepped event by event") {
  const Scenario sc = testing::small_scenario(2);
  for (const auto& setup : plan_fleet(sc)) {
    const DeviceTotals a = run_one(setup);
    Device d(setup);
    while (d.next_status_time() != kNever) {
      d.advance_to(d.next_status_time());
      (void)d.send_status();
    }
    d.advance_to(kNever);
    d.finish();
    const DeviceTotals b = d.totals();
    CHECK(a.energy_j == b.energy_j);
    CHECK(a.accuracy == b.accuracy);
    CHECK(a.alarms == b.alarms);
    CHECK(a.accuracy_window_end == b.accuracy_window_end);
    CHECK(a.accuracy_window_min_after == b.accuracy_window_min_after);
  }
}

TEST_CASE("an empty battery is an event: the device dies and the run goes on") {
  const Scenario sc = testing::small_scenario(1);
  auto setups = plan_fleet(sc);
  setups[0].battery_joules = 0.0108;  // 0.001 mAh at 3 V: sleep alone drains it within the run
  Device d(setups[0]);
  d.advance_to(kNever);
  d.finish();
  const DeviceTotals t = d.totals();
  CHECK(t.died);
  CHECK(t.death_s > 0);
  CHECK(t.death_s < sc.duration_s);
  CHECK(t.energy_j == doctest::Approx(0.0108).epsilon(1e-6));
  CHECK(t.samples < 7200);
  bool logged = false;
  for (const auto& e : d.events()) logged |= e.type == "battery_depleted";
  CHECK(logged);
}

TEST_CASE("a RAM breach is an event: learning stops, predictions go on") {
  Scenario sc = testing::small_scenario(1);
  sc.groups[0].learner.params.numbers["budget"] = 100000;  // 100k entries of int8 features
  auto setups = plan_fleet(sc);
  Device d(setups[0]);
  d.advance_to(kNever);
  d.finish();
  const DeviceTotals t = d.totals();
  CHECK(t.memory_breached);
  CHECK(t.samples == 7200);
  CHECK(t.labels == 0);
  bool logged = false;
  for (const auto& e : d.events()) logged |= e.type == "memory_exceeded";
  CHECK(logged);
}

TEST_CASE("kNN with Page-Hinkley detects the drift and recovers; the static baseline does not") {
  const Scenario sc = testing::small_scenario(10);
  double knn_end = 0, static_end = 0;
  int detected = 0;
  for (const auto& setup : plan_fleet(sc)) {
    const DeviceTotals t = run_one(setup);
    if (setup.group == 0) {
      knn_end += t.accuracy_window_end / 10;
      detected += t.drifts.at(0).detected;
    } else {
      static_end += t.accuracy_window_end / 10;
    }
  }
  INFO("detected " << detected << " of 10");
  CHECK(detected >= 2);  // 1 h of warm-up is short for PH; the quickstart test asks for more
  CHECK(knn_end > static_end + 0.05);
}
