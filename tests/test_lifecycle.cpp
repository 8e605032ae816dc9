// Budgets, interventions, reconfiguration policy and the taxonomy block
// (docs/LIFECYCLE.md): loading, violations as events, interventions that
// change what the device does, a policy that turns a knob, and the taxonomy
// tags in summary.json and in gathered sweep rows.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "analysis/writers.hpp"
#include "learners/knn.hpp"
#include "scenarios/loader.hpp"
#include "sim/device.hpp"
#include "sim/fleet.hpp"
#include "sim/policy_rules.hpp"
#include "sim/sweep_gather.hpp"
#include "sim/sweep_manifest.hpp"
#include "support/run_binary.hpp"

namespace fs = std::filesystem;
using namespace tinyfleet;
using namespace tinyfleet_test;

namespace {

Scenario parse(const std::string& yaml) {
  return parse_scenario(yaml, "t.yaml", default_schema_catalog());
}

std::string load_error(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

struct Ran {
  std::vector<DeviceTotals> totals;
  std::vector<Event> events;
  std::size_t count(const std::string& type, int device = -2) const {
    std::size_t n = 0;
    for (const auto& e : events) n += e.type == type && (device == -2 || e.device == device);
    return n;
  }
  const Event* first(const std::string& type) const {
    for (const auto& e : events)
      if (e.type == type) return &e;
    return nullptr;
  }
};

// Every device run on its own (no network), as tests/test_device.cpp does.
Ran run_devices(const Scenario& sc) {
  Ran r;
  for (const auto& setup : plan_fleet(sc)) {
    Device d(setup);
    while (d.next_local_time() != kNever || d.next_status_time() != kNever) {
      if (d.next_local_time() <= d.next_status_time())
        d.step();
      else
        (void)d.send_status();
    }
    d.finish();
    r.totals.push_back(d.totals());
    r.events.insert(r.events.end(), d.events().begin(), d.events().end());
  }
  return r;
}

// A one-group scenario of kNN on SEA with `extra` appended to the group and
// `top` to the scenario.
std::string scenario(const std::string& group_extra, const std::string& top = "",
                     const std::string& labels = "{fraction: 0.5}", int count = 1) {
  return "name: t\nseed: 3\nduration: 2h\noutput: {every: 5m, window: 10m}\n" + top +
         "fleet:\n  - group: g\n    count: " + std::to_string(count) +
         "\n    device: nrf52840\n"
         "    stream: {generator: sea, params: {noise: 0.0}, rate: 1/s}\n"
         "    labels: " +
         labels +
         "\n    learner: {kind: knn, k: 3, budget: 500, add: all, "
         "detector: {kind: page_hinkley, threshold: 20}}\n"
         "    status: {every: 1m, bytes: 64}\n" +
         group_extra;
}

}  // namespace

TEST_CASE("lifecycle keys load with their defaults and steps sorted") {
  const Scenario sc = parse(
      scenario("    budgets:\n      window: 30m\n      energy_j: 0.5\n      deadline: 2ms\n"
               "      outages: [{at: 1h, for: 10m}]\n"
               "      steps: [{at: 90m, ram_kib: 100}, {at: 20m, duty_cycle: 0.5}]\n"
               "    policy: {kind: rules, every: 2m, ram_high: 0.8}\n",
               "taxonomy: {regime: concept_drift, data_origin: synthetic, hw_class: cortex-m4}\n"
               "interventions:\n  - {at: 1h, kind: label_burst, count: 7}\n"
               "  - {at: 30m, kind: model_push, groups: [g], devices: all}\n"));
  const GroupSpec& g = sc.groups[0];
  REQUIRE(g.budgets.enabled);
  CHECK(g.budgets.window_s == 1800);
  REQUIRE(g.budgets.steps.size() == 3);
  CHECK(g.budgets.steps[0].energy_j == 0.5);
  CHECK(g.budgets.steps[0].deadline_s == doctest::Approx(0.002));
  CHECK(g.budgets.steps[0].ram_kib == 0);  // not given at t = 0: no limit
  CHECK(g.budgets.steps[1].at_s == 1200);
  CHECK(g.budgets.steps[1].duty_cycle == 0.5);
  CHECK(g.budgets.steps[1].ram_kib < 0);  // unchanged by that step
  CHECK(g.budgets.steps[2].ram_kib == 100);
  REQUIRE(g.budgets.outages.size() == 1);
  CHECK(g.budgets.outages[0].for_s == 600);
  CHECK(g.policy.kind == "rules");
  CHECK(g.policy.every_s == 120);
  CHECK(g.policy.ram_high == 0.8);
  REQUIRE(sc.interventions.size() == 2);
  CHECK(sc.interventions[0].kind == InterventionSpec::Kind::ModelPush);
  CHECK(sc.interventions[1].count == 7);
  // Canonical tag order, whatever the file's.
  REQUIRE(sc.taxonomy.tags.size() == 3);
  CHECK(sc.taxonomy.tags[0].first == "regime");
  CHECK(sc.taxonomy.tags[1].first == "hw_class");
  CHECK(sc.taxonomy.tags[2] ==
        std::make_pair(std::string("data_origin"), std::string("synthetic")));
}

TEST_CASE("lifecycle keys: mistakes are FILE:LINE:COL errors with suggestions") {
  CHECK(load_error(scenario("    budgets: {energy: 1}\n")) ==
        "t.yaml:13:15: unknown key 'energy' in budgets of group 'g' (did you mean 'energy_j'?)");
  CHECK(load_error(scenario("    policy: {kind: rule}\n")) ==
        "t.yaml:13:20: unknown policy 'rule' (did you mean 'rules'?; known: fixed, rules)");
  CHECK(load_error(scenario("", "taxonomy: {regime: concept_drfit}\n"))
            .find("t.yaml:5:20: taxonomy.regime: unknown value 'concept_drfit' (did you mean "
                  "'concept_drift'?") == 0);
  CHECK(load_error(scenario("", "taxonomy: {regim: continual}\n")) ==
        "t.yaml:5:12: unknown key 'regim' in taxonomy (did you mean 'regime'?)");
  CHECK(load_error(scenario("", "interventions: [{at: 1h, kind: model_psh}]\n"))
            .find("did you mean 'model_push'?") != std::string::npos);
  CHECK(load_error(scenario("", "interventions: [{at: 1h, kind: reset, groups: [h]}]\n")) ==
        "t.yaml:5:48: unknown group 'h' (known: g)");
  CHECK(load_error(scenario("", "interventions: [{at: 3h, kind: reset}]\n"))
            .find("is beyond the scenario duration") != std::string::npos);
  CHECK(load_error(scenario("", "interventions: [{at: 1h, kind: reset, count: 3}]\n"))
            .find("unknown key 'count' in interventions[0] (kind 'reset')") != std::string::npos);
  CHECK(load_error(scenario("", "interventions: [{at: 1h, kind: budget, energy_j: 1}]\n"))
            .find("has no 'budgets' section") != std::string::npos);
  CHECK(load_error(scenario("    budgets: {outages: [{at: 1h, for: 30m}, {at: 80m, for: 5m}]}\n"))
            .find("overlap") != std::string::npos);
  CHECK(load_error(scenario("    budgets: {steps: [{at: 1h}]}\n"))
            .find("a step must set at least one of") != std::string::npos);
}

TEST_CASE("a RAM cap breach is an event with the excess; the device goes on learning") {
  // The cap is cut at 1 h to 1 KiB below the device's peak use.
  const Scenario free_run = parse(scenario(""));
  const Ran base = run_devices(free_run);
  const double cap_kib = static_cast<double>(base.totals[0].peak_memory) / 1024 - 1;
  const Ran r =
      run_devices(parse(scenario("    budgets: {ram_kib: 10000, steps: [{at: 1h, ram_kib: " +
                                 std::to_string(cap_kib) + "}]}\n")));
  const BudgetCompliance& c = r.totals[0].budget;
  CHECK(c.tracked);
  CHECK(c.ram_cap_breaches == 1);
  CHECK(c.ram_over_cap_s == doctest::Approx(3600));
  const Event* e = r.first("ram_cap_exceeded");
  REQUIRE(e != nullptr);
  CHECK(e->detail.find(" over=") != std::string::npos);
  CHECK(e->t == 3600);
  // Violations do not stop the device: same samples, same labels as without the cap.
  CHECK(r.totals[0].samples == base.totals[0].samples);
  CHECK(r.totals[0].labels == base.totals[0].labels);
  CHECK(r.totals[0].accuracy == base.totals[0].accuracy);
}

TEST_CASE("energy windows, duty cycle and the latency deadline are checked per window") {
  const Ran r = run_devices(parse(scenario(
      "    budgets: {window: 30m, energy_j: 1e-6, duty_cycle: 1e-9, deadline: 0.000001}\n")));
  const BudgetCompliance& c = r.totals[0].budget;
  CHECK(c.energy_windows == 4);
  CHECK(c.energy_windows_over == 4);
  CHECK(r.count("energy_budget_exceeded") == 4);
  CHECK(c.duty_windows_over == 4);
  CHECK(c.inferences == r.totals[0].samples);
  // Only a prediction from the empty KB (the first few samples) takes under a microsecond.
  CHECK(c.deadline_misses > c.inferences - 10);
  CHECK(r.count("deadline_missed") == 4);
  const Event* e = r.first("energy_budget_exceeded");
  REQUIRE(e != nullptr);
  CHECK(e->t == 1800);
  CHECK(e->detail.find("budget_j=1e-06") != std::string::npos);
  // A generous budget is never exceeded.
  const Ran ok =
      run_devices(parse(scenario("    budgets: {window: 30m, energy_j: 100, deadline: 1s}\n")));
  CHECK(ok.totals[0].budget.energy_windows_over == 0);
  CHECK(ok.totals[0].budget.deadline_misses == 0);
  CHECK(ok.count("deadline_missed") == 0);
}

TEST_CASE("a radio outage drops the status reports in it") {
  const Ran base = run_devices(parse(scenario("")));
  const Ran r = run_devices(parse(scenario("    budgets: {outages: [{at: 30m, for: 20m}]}\n")));
  const BudgetCompliance& c = r.totals[0].budget;
  CHECK(c.outage_s == 1200);
  CHECK(c.reports_dropped == 20);  // one a minute
  CHECK(r.totals[0].status_messages + 20 == base.totals[0].status_messages);
  CHECK(r.count("radio_outage_start") == 1);
  CHECK(r.count("radio_outage_end") == 1);
}

TEST_CASE("an outage or a budget step may reach only some devices of the group") {
  const Ran r = run_devices(parse(scenario(
      "    budgets:\n      energy_j: 100\n      outages: [{at: 30m, for: 20m, devices: [1, 3]}]\n"
      "      steps: [{at: 1h, energy_j: 1e-9, devices: 50%}]\n",
      "", "{fraction: 0.5}", 4)));
  REQUIRE(r.totals.size() == 4);
  int cut = 0;
  for (int i = 0; i < 4; ++i) {
    const BudgetCompliance& c = r.totals[static_cast<std::size_t>(i)].budget;
    CHECK(c.outage_s == (i == 1 || i == 3 ? 1200 : 0));
    CHECK(c.reports_dropped == (i == 1 || i == 3 ? 20u : 0u));
    cut += c.energy_windows_over > 0;
  }
  CHECK(cut == 2);  // 50 % of 4 devices got the tight budget
  CHECK(r.count("budget_change") == 2);
}

TEST_CASE("interventions: a model push brings a device that never gets labels up to the concept") {
  const std::string labels = "{fraction: 0}";
  const Ran none = run_devices(parse(scenario("", "", labels)));
  const Ran pushed = run_devices(
      parse(scenario("", "interventions: [{at: 1h, kind: model_push, samples: 400}]\n", labels)));
  CHECK(none.totals[0].labels == 0);
  // Without labels the empty kNN predicts one class; the pushed reference model knows the concept.
  CHECK(none.totals[0].accuracy_window_end < 0.75);
  CHECK(pushed.totals[0].accuracy_window_end > 0.9);
  CHECK(pushed.totals[0].budget.model_pushes == 1);
  CHECK(pushed.totals[0].budget.push_bytes > 400 * 13);  // the KB travelled
  CHECK(pushed.totals[0].model_bytes_rx == pushed.totals[0].budget.push_bytes);
  CHECK(pushed.totals[0].energy_by_category[static_cast<std::size_t>(EnergyCategory::Radio)] >
        none.totals[0].energy_by_category[static_cast<std::size_t>(EnergyCategory::Radio)]);
  const Event* e = pushed.first("intervention");
  REQUIRE(e != nullptr);
  CHECK(e->t == 3600);
  CHECK(e->detail.find("kind=model_push samples=400") == 0);
}

TEST_CASE("interventions: a push during an outage waits for the link; bursts, resets, budgets") {
  const Ran r = run_devices(
      parse(scenario("    budgets: {energy_j: 10, outages: [{at: 50m, for: 20m}]}\n",
                     "interventions:\n  - {at: 1h, kind: model_push}\n  - {at: 80m, kind: "
                     "label_burst, count: 30}\n"
                     "  - {at: 90m, kind: reset}\n  - {at: 100m, kind: budget, energy_j: 1e-9}\n",
                     "{fraction: 0}")));
  const BudgetCompliance& c = r.totals[0].budget;
  CHECK(c.pushes_deferred == 1);
  CHECK(c.model_pushes == 1);
  CHECK(c.interventions == 4);
  CHECK(c.burst_labels == 30);
  CHECK(r.totals[0].labels == 30);  // the label policy itself gives none
  CHECK(c.resets == 1);
  CHECK(c.budget_changes == 1);
  std::vector<std::pair<double, std::string>> seen;
  for (const auto& e : r.events)
    if (e.type == "intervention" || e.type == "budget_change") seen.emplace_back(e.t, e.detail);
  REQUIRE(seen.size() == 6);
  CHECK(seen[0] == std::make_pair(3600.0, std::string("kind=model_push deferred=radio_outage")));
  CHECK(seen[1].first == 4200);  // the outage ends at 70 min: the push goes through then
  CHECK(seen[1].second.find("kind=model_push samples=200") == 0);
  CHECK(seen[2].second == "kind=label_burst count=30");
  CHECK(seen[3].second == "kind=reset");
  CHECK(seen[4].second == "kind=budget energy_j=1e-09");
  CHECK(seen[5].second == "by=intervention energy_j=1e-09");
  // The tighter budget from 100 min on: the last window (90–120 min... here 60–120) is over it.
  CHECK(c.energy_windows_over >= 1);
}

TEST_CASE("kNN kb_budget knob: shrinking keeps the newest entries and frees their memory") {
  StreamInfo info;
  info.features = 2;
  info.classes = 2;
  info.lo = {0, 0};
  info.hi = {10, 10};
  KnnConfig cfg;
  cfg.k = 1;
  cfg.budget = 8;
  cfg.add = KnnAddRule::All;
  KnnLearner knn(cfg, info);
  OpCounter ops;
  for (int i = 0; i < 11; ++i) {  // ring wraps: entries 3..10 live
    const float x[2] = {static_cast<float>(i % 10), 1};
    knn.learn(x, i % 2, static_cast<uint64_t>(i), ops);
  }
  const std::size_t full = knn.memory_bytes();
  Reconfigurable* r = knn.reconfigurable();
  REQUIRE(r != nullptr);
  REQUIRE(r->knobs().size() == 1);
  CHECK(r->knobs()[0].name == "kb_budget");
  CHECK(r->knobs()[0].min == 1);
  CHECK(r->knobs()[0].max == 8);
  OpCounter change;
  CHECK(r->set_knob("kb_budget", 3.4, change) == 3);
  CHECK(knn.size() == 3);
  CHECK(knn.capacity() == 3);
  CHECK(knn.entry_index(0) == 8);
  CHECK(knn.entry_index(2) == 10);
  CHECK(knn.memory_bytes() == full - 5 * (2 + 2 + 8));
  CHECK(change[Op::Store] == 3 * 5 + 1);
  // The ring works at the new size, and grows back.
  const float x[2] = {5, 5};
  knn.learn(x, 1, 11, ops);
  CHECK(knn.size() == 3);
  CHECK(knn.entry_index(0) == 9);
  CHECK(knn.entry_index(2) == 11);
  CHECK(r->set_knob("kb_budget", 100, change) == 8);
  CHECK(knn.size() == 3);
  knn.learn(x, 1, 12, ops);
  CHECK(knn.size() == 4);
  CHECK(knn.entry_index(3) == 12);
}

TEST_CASE("rules policy: each rule turns its knob for its reason") {
  PolicySpec spec;
  spec.kind = "rules";
  RulesPolicy policy(spec);
  const std::vector<KnobState> knobs = {{{kKnobUpdateEvery, 1, 1000, true}, 1, 1},
                                        {{kKnobDetectorThreshold, 2.5, 20, false}, 20, 20},
                                        {{kKnobKbBudget, 3, 2000, true}, 2000, 2000}};
  Telemetry calm;
  calm.scored = true;
  calm.accuracy_window = 0.9;
  calm.ram_used = 100;
  calm.ram_cap = 1000;
  CHECK(policy.decide(calm, knobs).empty());
  Telemetry now = calm;
  now.ram_used = 950;  // RAM near the cap
  now.energy_budget_j = 1;
  now.energy_projected_j = 0.95;  // energy near the budget
  now.accuracy_window = 0.7;      // a drop of 0.2 from the best recent value
  const auto changes = policy.decide(now, knobs);
  std::map<std::string, std::pair<double, std::string>> by_knob;
  for (const auto& c : changes) by_knob[c.knob] = {c.value, c.reason};
  CHECK(by_knob.at(kKnobKbBudget) == std::make_pair(1000.0, std::string("ram_near_cap")));
  CHECK(by_knob.at(kKnobUpdateEvery) == std::make_pair(2.0, std::string("energy_near_budget")));
  CHECK(by_knob.at(kKnobDetectorThreshold) == std::make_pair(10.0, std::string("accuracy_drop")));
  // Low battery wins over everything for the update rate.
  Telemetry flat = calm;
  flat.battery_left = 0.1;
  bool slowed = false;
  for (const auto& c : RulesPolicy(spec).decide(flat, knobs))
    slowed = slowed || (c.knob == kKnobUpdateEvery && c.value == 8 && c.reason == "battery_low");
  CHECK(slowed);
  CHECK(make_policy(PolicySpec{}) == nullptr);  // fixed: no policy at all
}

TEST_CASE("rules policy on a device: the KB shrinks under a RAM cap cut; fixed keeps it") {
  const std::string budgets = "    budgets: {ram_kib: 1000, steps: [{at: 1h, ram_kib: 70}]}\n";
  const Ran fixed = run_devices(parse(scenario(budgets + "    policy: {kind: fixed}\n")));
  const Ran rules =
      run_devices(parse(scenario(budgets + "    policy: {kind: rules, every: 5m}\n")));
  CHECK(fixed.count("reconfigure") == 0);
  CHECK(fixed.totals[0].budget.ram_over_cap_s == doctest::Approx(3600));
  const Event* e = rules.first("reconfigure");
  REQUIRE(e != nullptr);
  CHECK(e->t == 3600);  // the cut and the tick at 1 h: the cut first
  CHECK(e->detail == "knob=kb_budget from=500 to=250 reason=ram_near_cap");
  CHECK(rules.totals[0].budget.ram_over_cap_s < fixed.totals[0].budget.ram_over_cap_s);
  CHECK(rules.totals[0].budget.reconfigurations >= 1);
}

TEST_CASE("the taxonomy block is in summary.json and in every gathered sweep row") {
  const fs::path dir = fresh_dir("lifecycle-taxonomy");
  fs::create_directories(dir);
  write_file(
      dir / "s.yaml",
      scenario("    budgets: {energy_j: 1, outages: [{at: 10m, for: 5m}]}\n",
               "taxonomy: {regime: concept_drift, profile: abrupt, hw_class: cortex-m4f}\n"));
  const fs::path run = dir / "run";
  REQUIRE(sh(tf() + " run -q " + (dir / "s.yaml").string() + " -o " + run.string()).code == 0);
  const auto j = nlohmann::ordered_json::parse(slurp(run / "summary.json"));
  CHECK(j.at("taxonomy").dump() ==
        R"({"regime":"concept_drift","profile":"abrupt","hw_class":"cortex-m4f"})");
  const auto& bc = j.at("groups")[0].at("budget_compliance");
  CHECK(bc.at("mean_outage_s") == 300.0);
  CHECK(bc.at("energy_windows") == 2);
  CHECK(j.at("fleet").at("budget_compliance").at("reports_dropped") == 5);

  // A two-point sweep whose runs are this summary: each row carries the tags.
  const fs::path sweep = dir / "sweep";
  SweepManifest m;
  m.sweep_file = "s.yaml";
  m.parameters = {"seed"};
  for (std::size_t i = 0; i < 2; ++i) {
    m.points.push_back({i, point_dir_name(i, 2), {{"seed", std::to_string(i)}}});
    fs::create_directories(sweep / m.points[i].dir / "run");
    for (const char* f : {"summary.json", "metrics.csv", "events.csv"})
      fs::copy_file(run / f, sweep / m.points[i].dir / "run" / f);
  }
  write_file_atomically((sweep / "manifest.json").string(), manifest_json(m));
  REQUIRE(gather_sweep(sweep.string()).ok == 2);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2((sweep / "results.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
          SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db,
                             "SELECT \"taxonomy.regime\", \"taxonomy.hw_class\", "
                             "\"group.g.budget_compliance.reports_dropped\" FROM runs",
                             -1, &st, nullptr) == SQLITE_OK);
  int rows = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    ++rows;
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) ==
          "concept_drift");
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 1))) == "cortex-m4f");
    CHECK(sqlite3_column_int(st, 2) == 5);
  }
  CHECK(rows == 2);
  sqlite3_finalize(st);
  sqlite3_close(db);
  CHECK(slurp(sweep / "results.csv").find("concept_drift") != std::string::npos);
}

TEST_CASE("lifecycle example and a federated run with an outage: both schedules, same bytes") {
  for (const std::string& file : {src("scenarios/examples/lifecycle-budgets.yaml"),
                                  src("tests/data/lifecycle_federated.yaml")}) {
    INFO(file);
    const std::string stem = fs::path(file).stem().string();
    const fs::path a = fresh_dir("lc-cal-" + stem), b = fresh_dir("lc-ps-" + stem);
    REQUIRE(sh(tf() + " run -q --schedule calendar " + file + " -o " + a.string()).code == 0);
    REQUIRE(sh(tf() + " run -q --schedule per-sample " + file + " -o " + b.string()).code == 0);
    for (const char* f : {"summary.json", "metrics.csv", "events.csv"}) {
      INFO(f);
      CHECK(slurp(a / f) == slurp(b / f));
    }
    const auto j = nlohmann::json::parse(slurp(a / "summary.json"));
    CHECK(j.at("fleet").contains("budget_compliance"));
    if (stem == "lifecycle_federated") {
      // Federated members get the server's global model over the broadcast;
      // the group in an outage at the push misses it.
      const auto& cut = j.at("groups")[0].at("budget_compliance");
      const auto& connected = j.at("groups")[1].at("budget_compliance");
      CHECK(connected.at("model_pushes") == 6);
      CHECK(cut.at("model_pushes") == 0);
      CHECK(cut.at("model_messages_missed").get<int>() >= 6);
      CHECK(cut.at("reports_dropped") == 6 * 30);
      CHECK(slurp(a / "events.csv").find("kind=model_push source=global_model") !=
            std::string::npos);
      continue;
    }
    // What the example is for: the fixed group breaks budgets the adaptive one keeps.
    const auto& fixed = j.at("groups")[0].at("budget_compliance");
    const auto& adaptive = j.at("groups")[1].at("budget_compliance");
    CHECK(fixed.at("energy_windows_over").get<int>() > 0);
    CHECK(adaptive.at("energy_windows_over").get<int>() <
          fixed.at("energy_windows_over").get<int>());
    CHECK(fixed.at("mean_ram_over_cap_s").get<double>() > 0);
    CHECK(adaptive.at("mean_ram_over_cap_s").get<double>() <
          fixed.at("mean_ram_over_cap_s").get<double>());
    CHECK(fixed.at("reconfigurations") == 0);
    CHECK(adaptive.at("reconfigurations").get<int>() > 0);
    CHECK(fixed.at("model_pushes") == 4);
    CHECK(fixed.at("model_pushes_deferred") == 4);
    CHECK(j.at("taxonomy").at("profile") == "recurring");
  }
}

TEST_CASE("lifecycle metrics on a device: adaptations, intervention responses, calibration") {
  const Ran r = run_devices(
      parse(scenario("    budgets: {energy_j: 10, outages: [{at: 50m, for: 20m}]}\n",
                     "interventions:\n  - {at: 1h, kind: model_push}\n  - {at: 80m, kind: "
                     "label_burst, count: 30}\n"
                     "  - {at: 90m, kind: reset}\n  - {at: 100m, kind: budget, energy_j: 1e-9}\n",
                     "{fraction: 0}")));
  const DeviceTotals& d = r.totals[0];
  // Only the burst's 30 labels are learnt; one reset; the deferred push loads once.
  CHECK(d.adaptation.learn_updates == 30);
  CHECK(d.adaptation.resets == 1);
  CHECK(d.adaptation.models_loaded == 1);
  CHECK(d.adaptation.drift_adaptations == d.alarms);
  // Every intervention run is scored once 600 more predictions (the 10 min window) are made.
  REQUIRE(d.interventions.size() == 4);
  CHECK(d.interventions[0].t == 4200);  // the push is scored when it lands, after the outage
  for (const auto& i : d.interventions) CHECK(i.complete);
  // The model push brings an empty kNN (no labels before it) from chance up to the concept.
  CHECK(d.interventions[0].accuracy_before < 0.6);
  CHECK(d.interventions[0].accuracy_after > d.interventions[0].accuracy_before + 0.2);
  // Calibration: every prediction counted once, all before a drift (there is none).
  CHECK(d.calibration.n == d.samples);
  CHECK(d.calibration_phases[0].n == d.samples);
  CHECK(d.calibration_phases[1].n + d.calibration_phases[2].n == 0);
  CHECK(d.accuracy_seconds == doctest::Approx(static_cast<double>(d.classification.correct)));
}
