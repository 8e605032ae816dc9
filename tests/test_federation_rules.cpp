// The pure rules of a federated round (sim/federation_rules.hpp) and the
// fleet detector's quorum (sim/fleet_detector.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <numeric>
#include <set>

#include "sim/federation_rules.hpp"
#include "sim/fleet_detector.hpp"

using namespace tinyfleet;

TEST_CASE(
    "participants: the requested fraction, distinct, sorted, reproducible, varying by round") {
  std::vector<int> members(40);
  std::iota(members.begin(), members.end(), 100);
  const auto a = select_participants(members, 0.25, 7, 3);
  CHECK(a.size() == 10);
  CHECK(std::is_sorted(a.begin(), a.end()));
  CHECK(std::set<int>(a.begin(), a.end()).size() == a.size());
  for (int id : a) CHECK((id >= 100 && id < 140));
  CHECK(select_participants(members, 0.25, 7, 3) == a);
  CHECK(select_participants(members, 0.25, 7, 4) != a);
  CHECK(select_participants(members, 0.001, 7, 3).size() == 1);  // at least one
  CHECK(select_participants(members, 1.0, 7, 3) == members);
  // Over many rounds every member is chosen about equally often.
  std::vector<int> hits(40, 0);
  for (uint64_t r = 0; r < 2000; ++r)
    for (int id : select_participants(members, 0.25, 7, r))
      ++hits[static_cast<std::size_t>(id - 100)];
  for (int h : hits) CHECK((h > 400 && h < 600));  // expected 500
}

TEST_CASE("TIFeD aggregation truncates the mean toward zero") {
  const std::vector<int32_t> u1 = {3, -3, 7, -7, 0}, u2 = {4, -4, 0, 0, 1};
  const auto m = integer_mean({&u1, &u2});
  REQUIRE(m);
  CHECK(*m == std::vector<int32_t>{3, -3, 3, -3, 0});  // 7/2 → 3, −7/2 → −3, 1/2 → 0
  const std::vector<int32_t> big = {2147483647, -2147483647};
  CHECK(*integer_mean({&big, &big, &big}) == big);  // sums in 64 bits
  CHECK(!integer_mean({}));
}

TEST_CASE("single-layer mode: contiguous groups of members per layer") {
  std::vector<int> layer;
  for (int i = 0; i < 8; ++i) layer.push_back(assigned_layer(i, 8, 2));
  CHECK(layer == std::vector<int>{0, 0, 0, 0, 1, 1, 1, 1});
  CHECK(assigned_layer(4, 9, 3) == 1);
  CHECK(assigned_layer(8, 9, 3) == 2);
}

TEST_CASE("lossy links: retransmissions follow the loss rate; no loss, one attempt") {
  CHECK(draw_attempts(0, 3, 1, 2, 3, 4).sent == 1);
  CHECK(draw_attempts(0, 3, 1, 2, 3, 4).delivered);
  int delivered = 0, sent = 0;
  const int n = 20000;
  for (int d = 0; d < n; ++d) {
    const Attempts a = draw_attempts(0.5, 2, 9, d, 1, 5);
    CHECK((a.sent >= 1 && a.sent <= 3));
    delivered += a.delivered;
    sent += a.sent;
    if (!a.delivered) CHECK(a.sent == 3);
  }
  // P(delivered) = 1 − 0.5³ = 0.875; E[sent] = 1 + 0.5 + 0.25 = 1.75.
  CHECK(delivered / double(n) == doctest::Approx(0.875).epsilon(0.02));
  CHECK(sent / double(n) == doctest::Approx(1.75).epsilon(0.02));
}

TEST_CASE("availability: probability and duty cycle") {
  AvailabilitySpec p{"probability", 0.3, 0, 0, {}, {}};
  int on = 0;
  for (int d = 0; d < 10000; ++d) on += available(p, 5, d, 2, 100.0);
  CHECK(on / 10000.0 == doctest::Approx(0.3).epsilon(0.05));
  AvailabilitySpec cycle{"duty_cycle", 1, 3600, 900, {}, {}};
  int awake = 0;
  for (int s = 0; s < 3600; ++s) awake += available(cycle, 5, 17, 0, s);
  CHECK((awake >= 899 && awake <= 901));  // a quarter of every hour, at the device's own phase
  CHECK(available(AvailabilitySpec{}, 5, 1, 1, 1.0));
}

TEST_CASE("availability: a trace file's intervals, by device name or fleet id") {
  const std::vector<std::string> names = {"a/0", "a/1", "b/0"};
  const AvailabilityTrace trace = parse_availability_trace(
      "# when the nodes were online\n"
      "device,start,end\n"
      "a/0,1h,2h\n"
      "a/0,0,30m\n"
      "2,90,100\n",
      names);
  AvailabilitySpec a;
  a.kind = "trace";
  a.trace = trace;
  CHECK(available(a, 5, 0, 0, 0));
  CHECK(available(a, 5, 0, 0, 1799.9));
  CHECK_FALSE(available(a, 5, 0, 0, 1800));  // [start, end): the end is out
  CHECK_FALSE(available(a, 5, 0, 0, 3599));
  CHECK(available(a, 5, 0, 0, 3600));
  CHECK_FALSE(available(a, 5, 0, 0, 7200));
  CHECK_FALSE(available(a, 5, 1, 0, 3600));  // not in the trace: never reachable
  CHECK(available(a, 5, 2, 0, 95));
  CHECK_FALSE(available(a, 5, 2, 0, 100));

  const auto error = [&](const std::string& text) {
    try {
      parse_availability_trace(text, names);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error("dev,start,end\n") == "line 1: the header must be 'device,start,end'");
  CHECK(error("device,start,end\nz/9,0,1\n").rfind("line 2: no device 'z/9'", 0) == 0);
  CHECK(error("device,start,end\n3,0,1\n").rfind("line 2: no device '3'", 0) == 0);
  CHECK(error("device,start,end\na/0,5,5\n") == "line 2: the interval must have 0 <= start < end");
  CHECK(error("device,start,end\na/0,0\n") ==
        "line 2: expected 3 fields (device,start,end), found 2");
  CHECK(error("device,start,end\na/0,0,10\na/0,5,20\n") ==
        "device 'a/0' has overlapping intervals");
  CHECK(error("device,start,end\na/0,soon,10\n").rfind("line 2: ", 0) == 0);
}

TEST_CASE("fleet detector: a quorum of distinct devices within the window") {
  FleetDetectorSpec spec;
  spec.enabled = true;
  spec.quorum_fraction = 0.3;  // of 10 devices: 3
  spec.window_s = 100;
  FleetDetector det(spec, {10});
  CHECK(det.quorum(-1) == 3);
  CHECK(!det.on_alarm_report(1, 0, 0));
  CHECK(!det.on_alarm_report(1, 0, 10));  // the same device twice counts once
  CHECK(!det.on_alarm_report(2, 0, 100));
  CHECK(!det.on_alarm_report(3, 0, 160));  // device 1's reports (0, 10) left the window
  const auto alarm = det.on_alarm_report(4, 0, 170);
  REQUIRE(alarm);
  CHECK(alarm->devices == 3);
  CHECK(alarm->scope == -1);
  CHECK(alarm->t == 170);
  CHECK(!det.on_alarm_report(5, 0, 171));  // the quorum was consumed
}

TEST_CASE("fleet detector: per-group quorums and an absolute count") {
  FleetDetectorSpec spec;
  spec.enabled = true;
  spec.quorum_fraction = 0.5;
  spec.quorum_count = 3;  // the larger of ceil(0.5·n) and 3
  spec.per_group = true;
  FleetDetector det(spec, {4, 10});
  CHECK(det.quorum(0) == 3);
  CHECK(det.quorum(1) == 5);
  CHECK(!det.on_alarm_report(0, 0, 1));
  CHECK(!det.on_alarm_report(4, 1, 2));
  CHECK(!det.on_alarm_report(1, 0, 3));
  const auto g0 = det.on_alarm_report(2, 0, 4);
  REQUIRE(g0);
  CHECK(g0->scope == 0);
}

TEST_CASE("float FedAvg: the sample-weighted mean of fp32 parameters (McMahan et al. 2017)") {
  auto words = [](std::vector<float> v) {
    std::vector<int32_t> w;
    for (float f : v) w.push_back(std::bit_cast<int32_t>(f));
    return w;
  };
  auto floats = [](const std::vector<int32_t>& w) {
    std::vector<float> v;
    for (int32_t i : w) v.push_back(std::bit_cast<float>(i));
    return v;
  };
  const auto a = words({1.f, -2.f, 0.5f}), b = words({3.f, 4.f, -0.5f});
  // By hand: (10·a + 30·b) / 40 = (2.5, 2.5, −0.25).
  const auto m = fedavg_mean({&a, &b}, {10, 30});
  REQUIRE(m);
  CHECK(floats(*m) == std::vector<float>{2.5f, 2.5f, -0.25f});
  // Equal counts: the plain mean; no samples at all: the plain mean too.
  CHECK(floats(*fedavg_mean({&a, &b}, {7, 7})) == std::vector<float>{2.f, 1.f, 0.f});
  CHECK(floats(*fedavg_mean({&a, &b}, {0, 0})) == std::vector<float>{2.f, 1.f, 0.f});
  // A member without samples adds nothing.
  CHECK(floats(*fedavg_mean({&a, &b}, {0, 5})) == floats(b));
  CHECK(!fedavg_mean({}, {}));
}
