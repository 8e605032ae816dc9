// End-to-end: federated TIFeD rounds and fleet-level change detection
// through the tinyfleet binary (sim/fleet_server.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "devices/link_preset.hpp"
#include "tests/support/run_binary.hpp"

using namespace tinyfleet_test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A small federation of TIFeD learners (4-16-3 on a Gaussian mixture).
std::string federation_scenario(const std::string& name, const std::string& federation,
                                int count = 8, const std::string& extra_group_keys = "") {
  return "name: " + name +
         "\nseed: 3\nduration: 1h\nnetwork: {link: ble, channels: 4}\n"
         "output: {every: 5m, window: 10m}\nfederation:\n" +
         federation + "\nfleet:\n  - group: fed\n    count: " + std::to_string(count) +
         "\n    device: nrf52840\n" + extra_group_keys +
         "    stream: {generator: gaussian_mixture, params: {features: 4, classes: 3, "
         "separation: 3}, rate: 1/s}\n"
         "    labels: {fraction: 0.2, delay: 5s}\n"
         "    learner: {kind: tifed, hidden: 16, buffer: 50}\n"
         "    status: {every: 1m, bytes: 32}\n";
}

json run(const std::string& name, const std::string& yaml) {
  const fs::path dir = fresh_dir("fed-" + name);
  fs::create_directories(dir);
  write_file(dir / "s.yaml", yaml);
  const Result r =
      sh(tf() + " run -q " + (dir / "s.yaml").string() + " -o " + (dir / "out").string());
  INFO(r.output);
  REQUIRE(r.code == 0);
  json j = json::parse(slurp(dir / "out" / "summary.json"));
  j["events_csv"] = slurp(dir / "out" / "events.csv");
  j["metrics_csv"] = slurp(dir / "out" / "metrics.csv");
  return j;
}

// Values of `key=` in the events of `type`, in order.
std::vector<double> event_values(const json& j, const std::string& type, const std::string& key) {
  std::vector<double> out;
  std::istringstream in(j["events_csv"].get<std::string>());
  std::string line;
  const std::regex re(key + "=([-0-9.e+]+)");
  while (std::getline(in, line)) {
    if (line.find("," + type + ",") == std::string::npos) continue;
    std::smatch m;
    if (std::regex_search(line, m, re)) out.push_back(std::stod(m[1]));
  }
  return out;
}

std::vector<double> event_times(const json& j, const std::string& type) {
  std::vector<double> out;
  std::istringstream in(j["events_csv"].get<std::string>());
  std::string line;
  while (std::getline(in, line))
    if (line.find("," + type + ",") != std::string::npos) out.push_back(std::stod(line));
  return out;
}

// The group's windowed accuracy at each output tick.
std::map<double, double> window_accuracy(const json& j, const std::string& group) {
  std::map<double, double> out;
  std::istringstream in(j["metrics_csv"].get<std::string>());
  std::string line;
  const std::string tag = ",group:" + group + ",accuracy_window,";
  while (std::getline(in, line)) {
    const auto p = line.find(tag);
    if (p != std::string::npos) out[std::stod(line)] = std::stod(line.substr(p + tag.size()));
  }
  return out;
}

}  // namespace

TEST_CASE("federated rounds: the global model learns; the device models follow it") {
  const json j = run("learns", federation_scenario("learns",
                                                   "  every: 10m\n  rounds: 2\n"
                                                   "  evaluate: {samples: 1000}"));
  const auto& f = j["federation"];
  CHECK(f["members"] == 8);
  CHECK(f["sessions"] == 5);  // at 10, 20, ..., 50 min
  CHECK(f["rounds"] == 10);
  CHECK(f["updates_received"] == 80);
  CHECK(double(f["best_test_accuracy"]) > 0.75);  // 3 classes: chance is 1/3
  CHECK(double(j["groups"][0]["accuracy_window_end"]) > 0.75);
  CHECK(event_times(j, "round_end").size() == 10);
  // The hold-out test runs at the end of each session.
  CHECK(event_values(j, "round_end", "test_accuracy").size() == 5);
}

TEST_CASE("single-layer mode: each device uploads only its layer, by the expected ratio") {
  const std::string common = "  every: 10m\n  rounds: 1\n  participation: 1.0\n";
  const json full = run("full", federation_scenario("full", common + "  mode: full"));
  const json single = run("single", federation_scenario("single", common + "  mode: single_layer"));
  // 4-16-3: layer 0 has 4·16 + 16 = 80 parameters, layer 1 16·3 + 3 = 51; int32
  // on the wire, a 16-byte model header and BLE's 17-byte framing per packet of at
  // most 244 B: 540 B go as 3 packets, 336 B as 2, 220 B as 1.
  const double full_msg = 131 * 4 + 16 + 3 * 17, l0 = 80 * 4 + 16 + 2 * 17, l1 = 51 * 4 + 16 + 17;
  CHECK(double(full["federation"]["uplink_bytes_per_round"]) == 8 * full_msg);
  CHECK(double(single["federation"]["uplink_bytes_per_round"]) == 4 * l0 + 4 * l1);
  const double ratio = double(single["federation"]["uplink_bytes_per_round"]) /
                       double(full["federation"]["uplink_bytes_per_round"]);
  CHECK(ratio == doctest::Approx((4 * l0 + 4 * l1) / (8 * full_msg)));
  CHECK(ratio < 0.55);
  // The download is the whole model in both modes.
  CHECK(full["federation"]["downlink_bytes_per_round"] ==
        single["federation"]["downlink_bytes_per_round"]);
}

TEST_CASE("faults: deadline, availability, lossy links, dead batteries") {
  SUBCASE("a deadline shorter than any upload drops every update as a straggler") {
    const json j =
        run("deadline", federation_scenario("deadline", "  every: 20m\n  deadline: 0.001s"));
    CHECK(j["federation"]["stragglers"] == j["federation"]["selected"]);
    CHECK(j["federation"]["updates_received"] == 0);
  }
  SUBCASE("unavailable devices miss rounds") {
    const json j =
        run("avail",
            federation_scenario("avail", "  every: 5m\n  availability: {probability: 0.5}", 20));
    const int selected = j["federation"]["selected"], dropouts = j["federation"]["dropouts"];
    CHECK(selected == 11 * 20);
    CHECK(dropouts > selected / 4);
    CHECK(dropouts < selected * 3 / 4);
    CHECK(int(j["federation"]["updates_received"]) == selected - dropouts);
  }
  SUBCASE("lost messages are sent again and paid for; beyond the retries they are lost") {
    const json clean = run("clean", federation_scenario("clean", "  every: 10m"));
    const json lossy =
        run("lossy", federation_scenario("lossy", "  every: 10m\n  loss: 0.4\n  max_retries: 0"));
    const json retried = run(
        "retried", federation_scenario("retried", "  every: 10m\n  loss: 0.4\n  max_retries: 5"));
    CHECK(int(lossy["federation"]["lost"]) > 0);
    CHECK(int(retried["federation"]["lost"]) < int(lossy["federation"]["lost"]));
    // The same devices hear the same broadcasts (the loss draws are seeded per
    // device and round); with retries they send each update 1.66 times on average.
    CHECK(double(retried["federation"]["mean_model_bytes_tx_per_device"]) >
          double(lossy["federation"]["mean_model_bytes_tx_per_device"]) * 1.3);
    CHECK(int(clean["federation"]["lost"]) == 0);
    CHECK(int(clean["federation"]["dropouts"]) == 0);
  }
  SUBCASE("a device whose battery is empty drops out, and the run goes on") {
    const json j =
        run("dead", federation_scenario("dead", "  every: 10m", 8, "    battery_mah: 0.0005\n"));
    CHECK(int(j["groups"][0]["battery_deaths"]) == 8);
    CHECK(int(j["federation"]["dropouts"]) > 0);
  }
}

TEST_CASE("fleet detection: a quorum of device alarms starts a round that restores accuracy") {
  const std::string file = src("scenarios/examples/federated-drift.yaml");
  std::string yaml = slurp(file);
  const json with = run("drift-quorum", yaml);
  const auto& fd = with["fleet_detection"];
  CHECK(fd["fleet_alarms"] >= 1);
  CHECK(fd["drifts_detected"] == 1);
  CHECK(fd["false_alarms"] == 0);
  const auto alarms = event_times(with, "fleet_alarm");
  REQUIRE(!alarms.empty());
  const double alarm = alarms.front();
  CHECK(alarm > 9000);  // the drift is at 150 min
  // A round starts at the next 10 s boundary after the alarm.
  const auto starts = event_times(with, "round_start");
  CHECK(std::find(starts.begin(), starts.end(), (std::floor(alarm / 10) + 1) * 10) != starts.end());
  // The same fleet without alarm-triggered rounds waits for the hourly session.
  const auto pos = yaml.find("  on_fleet_alarm: true\n");
  REQUIRE(pos != std::string::npos);
  yaml.replace(pos, 23, "");
  const auto act = yaml.find("action: round");
  REQUIRE(act != std::string::npos);
  yaml.replace(act, 13, "action: log");
  const json without = run("drift-log", yaml);
  const auto a = window_accuracy(with, "sensors"), b = window_accuracy(without, "sensors");
  const double before = a.at(9000), low = a.at(9900);
  const double probe = (std::floor(alarm / 300) + 2) * 300;  // two ticks after the round
  CHECK(low < before - 0.2);
  CHECK(a.at(probe) > low + 0.2);           // the round restored accuracy ...
  CHECK(b.at(probe) < a.at(probe) - 0.15);  // ... which the periodic rounds had not yet
  CHECK(without["fleet_detection"]["fleet_alarms"] >= 1);
  CHECK(double(with["federation"]["mean_radio_energy_j_per_device"]) > 0);
}

TEST_CASE("fleet detector action reset: devices forget on a fleet alarm") {
  const std::string yaml =
      "name: reset\nseed: 5\nduration: 3h\nnetwork: {link: ble}\n"
      "output: {every: 5m, window: 10m}\n"
      "fleet_detector: {quorum: 0.3, window: 15m, action: reset}\n"
      "fleet:\n  - group: knn\n    count: 30\n    device: nrf52840\n"
      "    stream: {generator: sea, params: {variant: 2}, rate: 1/s}\n"
      "    drift:\n      - {at: 90m, kind: abrupt, to: {variant: 3}, devices: all}\n"
      "    labels: {fraction: 0.5, delay: 10s}\n"
      "    learner: {kind: knn, k: 5, budget: 128, add: all, detector: {kind: page_hinkley, "
      "threshold: 25, mode: up}}\n"
      "    status: {every: 1m, bytes: 32}\n";
  const json j = run("reset", yaml);
  CHECK(j["fleet_detection"]["resets"] >= 1);
  CHECK(event_times(j, "knowledge_reset").size() >= 20);
  CHECK(event_times(j, "fleet_reset").size() == j["fleet_detection"]["resets"].get<std::size_t>());
  CHECK(!j.contains("federation"));
}

TEST_CASE("immediate alarms reach the fleet detector before the next status report") {
  const auto scenario = [](const std::string& send) {
    return "name: alarms\nseed: 5\nduration: 3h\nnetwork: {link: ble}\n"
           "output: {every: 5m, window: 10m}\n"
           "fleet_detector: {quorum: 0.3, window: 15m, action: log, send: " +
           send +
           "}\n"
           "fleet:\n  - group: knn\n    count: 30\n    device: nrf52840\n"
           "    stream: {generator: sea, params: {variant: 2}, rate: 1/s}\n"
           "    drift:\n      - {at: 90m, kind: abrupt, to: {variant: 3}, devices: all}\n"
           "    labels: {fraction: 0.5, delay: 10s}\n"
           "    learner: {kind: knn, k: 5, budget: 128, add: all, detector: {kind: "
           "page_hinkley, threshold: 25, mode: up}}\n"
           "    status: {every: 20m, bytes: 32}\n";
  };
  const json piggy = run("alarm-piggyback", scenario("piggyback"));
  const json now = run("alarm-immediate", scenario("immediate"));
  const auto fp = event_times(piggy, "fleet_alarm"), fi = event_times(now, "fleet_alarm");
  REQUIRE(!fp.empty());
  REQUIRE(!fi.empty());
  // Piggybacked alarms wait for the 20-minute reports; immediate ones do not.
  CHECK(fi.front() < fp.front() - 60);
  // The alarm that completes the quorum reaches the gateway within a slot and an
  // airtime of being raised, not at the device's next report.
  const auto device_alarms = event_times(now, "alarm");
  const bool just_after_an_alarm =
      std::any_of(device_alarms.begin(), device_alarms.end(),
                  [&](double t) { return t <= fi.front() && fi.front() < t + 1; });
  CHECK(just_after_an_alarm);
  // Each alarm is a message of its own; status reports carry none.
  CHECK(now["fleet_detection"]["alarm_reports_sent"] == device_alarms.size());

  // The calendar visits such devices at each local event: same history as per-sample.
  const fs::path dir = fresh_dir("alarm-schedules");
  fs::create_directories(dir);
  write_file(dir / "s.yaml", scenario("immediate"));
  for (const char* schedule : {"per-sample", "calendar"})
    REQUIRE(sh(tf() + " run -q --schedule " + schedule + " " + (dir / "s.yaml").string() + " -o " +
               (dir / schedule).string())
                .code == 0);
  for (const char* file : {"summary.json", "events.csv", "metrics.csv"})
    CHECK(slurp(dir / "per-sample" / file) == slurp(dir / "calendar" / file));
}

TEST_CASE("LoRa duty cycle: reports due while the radio must stay silent are skipped") {
  // SF12, 32 + 13 B: 1.8 s on air → 179 s of silence; a report every 30 s gets
  // through about once in seven.
  const std::string yaml =
      "name: lora\nseed: 2\nduration: 2h\nnetwork: {link: lora_sf12, channels: 1}\n"
      "output: {every: 5m, window: 10m}\n"
      "fleet:\n  - group: s\n    count: 5\n    device: nrf52840\n"
      "    stream: {generator: sea, rate: 1/s}\n"
      "    learner: {kind: static}\n"
      "    status: {every: 30s, bytes: 32}\n";
  const json j = run("lora-duty", yaml);
  const double air = tinyfleet::lora_frame_airtime_s(12, 45);
  const double every = std::ceil(air * 100 / 30);  // a report goes, then the next ones within
  CHECK(every == 8);                               // air + 99·air are skipped
  REQUIRE(j["devices"].size() == 5);
  for (const auto& d : j["devices"]) {
    const double sent = d["status_messages"], skipped = d["status_skipped_duty_cycle"];
    CHECK((sent + skipped >= 239 && sent + skipped <= 240));  // every 30 s of 2 h
    CHECK(sent == std::ceil((sent + skipped) / every));
  }
}

TEST_CASE("federation availability from a trace file") {
  const fs::path dir = fresh_dir("fed-trace");
  fs::create_directories(dir);
  write_file(dir / "online.csv",
             "device,start,end\n"
             "fed/0,0,90m\nfed/1,0,90m\nfed/2,0,90m\n3,0,90m\n");
  std::string yaml = federation_scenario(
      "trace", "  every: 30m\n  rounds: 1\n  availability: {trace: online.csv}");
  yaml.replace(yaml.find("duration: 1h"), 12, "duration: 2h");
  write_file(dir / "s.yaml", yaml);
  const Result r =
      sh(tf() + " run -q " + (dir / "s.yaml").string() + " -o " + (dir / "out").string());
  INFO(r.output);
  REQUIRE(r.code == 0);
  json j = json::parse(slurp(dir / "out" / "summary.json"));
  j["events_csv"] = slurp(dir / "out" / "events.csv");
  // Sessions at 30, 60 and 90 min: devices 0-3 are online for the first two only.
  CHECK(event_values(j, "round_end", "received") == std::vector<double>{4, 4, 0});
  CHECK(event_values(j, "round_end", "dropouts") == std::vector<double>{4, 4, 8});
  // A trace naming a device the fleet does not have is an error at load time.
  write_file(dir / "bad.csv", "device,start,end\nfed/8,0,1h\n");
  yaml.replace(yaml.find("online.csv"), 10, "bad.csv");
  write_file(dir / "bad.yaml", yaml);
  const Result bad = sh(tf() + " validate " + (dir / "bad.yaml").string());
  CHECK(bad.code == 2);
  CHECK(bad.output.find("bad.csv: line 2: no device 'fed/8'") != std::string::npos);
}

TEST_CASE("sequential aggregation: the model travels device to device, then the mean") {
  const std::string common =
      "  every: 10m\n  rounds: 2\n  participation: 0.5\n  evaluate: {samples: 1000}\n";
  const std::string yaml =
      federation_scenario("sequential", common + "  aggregation: sequential", 8);
  const json seq = run("sequential", yaml);
  const json par = run("parallel", federation_scenario("parallel", common, 8));
  const auto& f = seq["federation"];
  CHECK(f["rounds"] == 10);
  CHECK(f["updates_received"] == 40);  // 4 of 8 devices per round, each in its turn
  CHECK(double(f["best_test_accuracy"]) > 0.75);
  // Each participant gets its own (unicast) copy: 4 downloads per round, not one airing.
  const double model = 131 * 4 + 16 + 3 * 17;
  CHECK(double(f["downlink_bytes_per_round"]) == 4 * model);
  CHECK(double(par["federation"]["downlink_bytes_per_round"]) == model);
  CHECK(double(f["uplink_bytes_per_round"]) == 4 * model);
  // Training from the previous device's model is not the parallel mean.
  CHECK(event_values(seq, "round_end", "test_accuracy") !=
        event_values(par, "round_end", "test_accuracy"));
  // Rounds take longer: the devices train one after the other.
  CHECK(double(f["mean_round_s"]) > double(par["federation"]["mean_round_s"]));

  const fs::path dir = fresh_dir("sequential-schedules");
  fs::create_directories(dir);
  write_file(dir / "s.yaml", yaml);
  for (const char* schedule : {"per-sample", "calendar"})
    REQUIRE(sh(tf() + " run -q --schedule " + schedule + " " + (dir / "s.yaml").string() + " -o " +
               (dir / schedule).string())
                .code == 0);
  for (const char* file : {"summary.json", "events.csv", "metrics.csv"})
    CHECK(slurp(dir / "per-sample" / file) == slurp(dir / "calendar" / file));
}

TEST_CASE("float FedAvg: the fp32 MLP federates through the same rounds, 4 bytes per parameter") {
  std::string yaml = federation_scenario(
      "fedavg",
      "  every: 10m\n  rounds: 1\n  epochs: 5\n  participation: 1.0\n  evaluate: {samples: 1000}");
  const std::string tifed = "learner: {kind: tifed, hidden: 16, buffer: 50}";
  yaml.replace(yaml.find(tifed), tifed.size(),
               "learner: {kind: mlp, hidden: 16, buffer: 50, lr: 0.5}");
  const json j = run("fedavg", yaml);
  const auto& f = j["federation"];
  // 4-16-3: 4·16 + 16 + 16·3 + 3 = 131 fp32 parameters, 4 bytes each plus the
  // 16-byte header, in 3 BLE packets of 17 bytes' framing (at most 244 B each).
  CHECK(f["model_params"] == 131);
  CHECK(f["model_message_bytes"] == 131 * 4 + 16);
  const double msg = 131 * 4 + 16 + 3 * 17;
  CHECK(f["rounds"] == 5);
  CHECK(f["updates_received"] == 40);
  // Up: each of the 8 members once per round; down: one broadcast per round
  // and one closing broadcast per session, each heard (and paid) by every member.
  CHECK(double(f["uplink_bytes_per_round"]) == 8 * msg);
  CHECK(double(f["mean_model_bytes_tx_per_device"]) == 5 * msg);
  CHECK(double(f["mean_model_bytes_rx_per_device"]) == 10 * msg);
  CHECK(double(f["mean_radio_energy_j_per_device"]) > 0);
  // The averaged float model learns the mixture (chance: 1/3); lr 0.5, as the
  // default 0.05 needs more steps than 5 sessions give.
  CHECK(double(f["best_test_accuracy"]) > 0.75);
  CHECK(double(j["groups"][0]["accuracy_window_end"]) > 0.75);
}

TEST_CASE("one federation averages one model: TIFeD and float MLP groups cannot be mixed") {
  std::string yaml = federation_scenario("mixed", "  every: 10m");
  yaml +=
      "  - group: float\n    count: 2\n    device: nrf52840\n"
      "    stream: {generator: gaussian_mixture, params: {features: 4, classes: 3}, rate: 1/s}\n"
      "    labels: {fraction: 0.2}\n    learner: {kind: mlp, hidden: 16}\n";
  const fs::path dir = fresh_dir("fed-mixed");
  fs::create_directories(dir);
  write_file(dir / "s.yaml", yaml);
  const Result r = sh(tf() + " validate " + (dir / "s.yaml").string());
  CHECK(r.code == 2);
  CHECK(r.output.find("run different learners (tifed, mlp)") != std::string::npos);
}
