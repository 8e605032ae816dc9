// Task-structured (class-incremental) streams: the task split, the probe draw,
// the probe measurement leaving learners unchanged, the task-accuracy matrix
// of a device run, summary.json's `continual` block; and latent replay's bit
// widths. The device runs replay the 8x8 digits (scripts/fetch-datasets.sh).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/summary.hpp"
#include "drift/data_tasks.hpp"
#include "drift/rng.hpp"
#include "learners/latent_replay.hpp"
#include "scenarios/loader.hpp"
#include "sim/device.hpp"
#include "sim/fleet.hpp"
#include "sim/task_probe.hpp"
#include "support/small_scenario.hpp"
#include "tests/support/run_binary.hpp"

using namespace tinyfleet;

namespace {

// Four well-separated classes of 40 rows in 4 features that share a common
// level (4, class c adds 6 on feature c: like pixels, the classes overlap in
// what a linear layer sees); feature 0 also carries the row id (×1e-3) so a
// streamed sample names its row.
std::shared_ptr<const Dataset> blobs() {
  auto d = std::make_shared<Dataset>();
  d->d = 4;
  d->classes = 4;
  SplitMix64 r(7);
  for (int c = 0; c < 4; ++c)
    for (int k = 0; k < 40; ++k) {
      const int row = d->n++;
      for (int j = 0; j < 4; ++j)
        d->x.push_back((j == c ? 10.f : 4.f) + static_cast<float>(r.next_double()) +
                       (j == 0 ? 1e-3f * static_cast<float>(row) : 0.f));
      d->y.push_back(c);
    }
  d->lo.assign(4, 0.f);
  d->hi.assign(4, 12.f);
  return d;
}

std::vector<int> all_rows(const Dataset& d) {
  std::vector<int> rows(static_cast<std::size_t>(d.n));
  for (int i = 0; i < d.n; ++i) rows[static_cast<std::size_t>(i)] = i;
  return rows;
}

int row_of(const float* x, const Dataset& d) {
  for (int i = 0; i < d.n; ++i)
    if (d.x[static_cast<std::size_t>(i) * 4] == x[0]) return i;
  return -1;
}

TaskConfig two_tasks(int samples_per_task, int probe) {
  TaskConfig c;
  c.classes = {{0, 1}, {2, 3}};
  c.samples_per_task = samples_per_task;
  c.probe_per_task = probe;
  return c;
}

std::unique_ptr<Learner> learner(const std::string& kind, const StreamInfo& info,
                                 const Params& overrides = {}) {
  LearnerSpec spec;
  spec.kind = kind;
  spec.params = default_params(testing::component(learner_catalog(), kind).params);
  for (const auto& [k, v] : overrides.numbers) spec.params.numbers[k] = v;
  for (const auto& [k, v] : overrides.strings) spec.params.strings[k] = v;
  return make_learner(spec, info, 11);
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

TEST_CASE("tasks: classes in chunks or as lists, each class at most once") {
  CHECK(task_classes("", 2, 10) ==
        std::vector<std::vector<int>>{{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}});
  CHECK(task_classes("", 2, 5) == std::vector<std::vector<int>>{{0, 1}, {2, 3}, {4}});
  CHECK(task_classes("0,1;2-4", 0, 5) == std::vector<std::vector<int>>{{0, 1}, {2, 3, 4}});
  CHECK_THROWS_WITH_AS(task_classes("0,1;1,2", 0, 5), doctest::Contains("two tasks"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(task_classes("0;12", 0, 5), doctest::Contains("outside 0..4"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(task_classes("a;b", 0, 5), doctest::Contains("'a;b'"),
                       std::invalid_argument);
  CHECK_THROWS_AS(task_classes("", 0, 5), std::invalid_argument);
}

TEST_CASE("tasks: probe rows are held out of the stream, seeded, and tasks come in order") {
  const auto data = blobs();
  TaskReplay replay(data, all_rows(*data), two_tasks(50, 5), 42);
  const TaskSet& set = *replay.info().tasks;
  REQUIRE(set.tasks() == 2);
  CHECK(set.starts == std::vector<int64_t>{0, 50});
  CHECK(set.samples == 100);
  CHECK(replay.info().samples == 100);
  REQUIRE(replay.info().changes.size() == 1);
  CHECK(replay.info().changes[0].sample == 50);
  std::set<int> probe;
  for (int t = 0; t < 2; ++t) {
    REQUIRE(set.probe_rows[static_cast<std::size_t>(t)].size() == 5);
    for (int r : set.probe_rows[static_cast<std::size_t>(t)]) {
      CHECK(data->y[static_cast<std::size_t>(r)] / 2 == t);  // a row of the task's classes
      probe.insert(r);
    }
    CHECK(replay.training_rows(t).size() == 75);
  }
  CHECK(probe.size() == 10);
  std::vector<float> x(4);
  std::set<int> streamed;
  for (int k = 0; k < 100; ++k) {
    const int y = replay.next(x.data());
    CHECK(y / 2 == (k < 50 ? 0 : 1));  // task 0's classes, then task 1's
    const int row = row_of(x.data(), *data);
    REQUIRE(row >= 0);
    CHECK(data->y[static_cast<std::size_t>(row)] == y);
    CHECK(probe.count(row) == 0);  // never a probe row
    streamed.insert(row);
  }
  CHECK(streamed.size() == 100);  // one pass: 50 distinct rows of each task's 75
  CHECK_THROWS_AS(replay.next(x.data()), std::out_of_range);

  // The same seed draws the same probe; another seed another one.
  TaskReplay same(data, all_rows(*data), two_tasks(50, 5), 42);
  TaskReplay other(data, all_rows(*data), two_tasks(50, 5), 43);
  CHECK(same.info().tasks->probe_rows == set.probe_rows);
  CHECK(other.info().tasks->probe_rows != set.probe_rows);
  // samples_per_task 0: each task's training rows once.
  TaskReplay once(data, all_rows(*data), two_tasks(0, 5), 42);
  CHECK(once.info().tasks->starts == std::vector<int64_t>{0, 75});
  CHECK(once.info().samples == 150);
  // A probe set as large as a task leaves nothing to train on.
  CHECK_THROWS_WITH_AS(TaskReplay(data, all_rows(*data), two_tasks(50, 80), 1),
                       doctest::Contains("probe_per_task"), std::invalid_argument);
}

TEST_CASE("tasks: a probe measurement leaves every learner's later predictions unchanged") {
  const auto data = blobs();
  Params fp32, bits7;
  fp32.numbers["bits"] = 32;
  bits7.numbers["bits"] = 7;
  const std::vector<std::pair<std::string, Params>> kinds = {
      {"knn", {}},      {"ncm", {}},       {"tinyol", {}}, {"replay", {}},
      {"replay", fp32}, {"replay", bits7}, {"tifed", {}},  {"static", {}}};
  for (const auto& [kind, params] : kinds) {
    INFO(kind);
    TaskReplay stream(data, all_rows(*data), two_tasks(60, 5), 3);
    const StreamInfo& info = stream.info();
    auto probed = learner(kind, info, params), plain = learner(kind, info, params);
    std::vector<float> x(4);
    for (int k = 0; k < 120; ++k) {
      if (k % 30 == 0) (void)probe_tasks(*probed, *info.tasks);
      const int y = stream.next(x.data());
      OpCounter a, b;
      REQUIRE(probed->predict(x.data(), a) == plain->predict(x.data(), b));
      CHECK(probed->confidence() == plain->confidence());
      CHECK(a.total() == b.total());
      probed->learn(x.data(), y, static_cast<uint64_t>(k), a);
      plain->learn(x.data(), y, static_cast<uint64_t>(k), b);
      CHECK(probed->memory_bytes() == plain->memory_bytes());
    }
  }
}

TEST_CASE(
    "tasks: the matrix of a tiny separable case — NCM keeps old tasks, a naive head forgets") {
  const auto data = blobs();
  Params ncm;
  ncm.strings["update"] = "running";
  ncm.numbers["far"] = 0;
  for (const std::string kind : {"ncm", "tinyol"}) {
    INFO(kind);
    TaskReplay stream(data, all_rows(*data), two_tasks(150, 10), 5);
    const TaskSet& set = *stream.info().tasks;
    auto l = learner(kind, stream.info(), kind == "ncm" ? ncm : Params{});
    TaskAccuracyCounts c;
    c.reset(2);
    c.probe = {10, 10};
    c.baseline = probe_tasks(*l, set);
    std::vector<float> x(4);
    for (int k = 0; k < 300; ++k) {
      if (k == 150) {
        const auto row = probe_tasks(*l, set);
        std::copy(row.begin(), row.end(), c.correct.begin());
      }
      OpCounter ops;
      const int y = stream.next(x.data());
      l->learn(x.data(), y, static_cast<uint64_t>(k), ops);
    }
    const auto last = probe_tasks(*l, set);
    std::copy(last.begin(), last.end(), c.correct.begin() + 2);
    const auto r = c.matrix();
    const ContinualMetrics m = continual_metrics(r, c.baseline_accuracy());
    CHECK(r[0][0] >= 0.9);  // task 0 learnt
    CHECK(r[1][1] >= 0.9);  // task 1 learnt
    CHECK(r[0][1] == 0.0);  // class-incremental: unseen classes are never predicted
    if (kind == "ncm") {
      CHECK(r[1][0] >= 0.9);  // prototypes of old classes stay
      CHECK(*m.bwt >= -0.1);
    } else {
      CHECK(r[1][0] <= 0.2);  // the last layer fine-tuned on classes 2, 3 only
      CHECK(*m.bwt <= -0.5);
    }
  }
}

TEST_CASE("tasks: a device run fills R per device and summary.json reports `continual`") {
  const Scenario sc =
      load_scenario_file(tinyfleet_test::src("scenarios/examples/class-incremental-digits.yaml"),
                         default_schema_catalog());
  RunResults results;
  for (const auto& setup : plan_fleet(sc)) results.devices.push_back(run_one(setup));
  for (const DeviceTotals& d : results.devices) {
    INFO(d.name);
    const TaskAccuracyCounts& c = d.continual;
    REQUIRE(c.tasks == 5);
    CHECK(c.probe == std::vector<uint64_t>(5, 60));
    CHECK(d.samples == 1000);  // 5 tasks of 200; then the device idles
    const auto r = c.matrix();
    for (int j = 1; j < 5; ++j)
      CHECK(r[static_cast<std::size_t>(j - 1)][static_cast<std::size_t>(j)] == 0.0);
    for (double e : c.task_energy_j) CHECK(e > 0);
    const std::string group = sc.groups[static_cast<std::size_t>(d.group)].name;
    const ContinualMetrics m = continual_metrics(r, c.baseline_accuracy());
    if (group == "ncm") {
      for (std::size_t j = 0; j < 5; ++j) CHECK(r[j][j] >= 0.8);
      CHECK(r[4][0] >= 0.8);  // task 0 kept to the end
      CHECK(*m.bwt > -0.1);
    }
    if (group == "naive-head") CHECK(*m.bwt < -0.3);
  }
  const auto j = summary_json(sc, results);
  for (const auto& g : j["groups"]) {
    REQUIRE(g.contains("continual"));
    const auto& c = g["continual"];
    for (const char* key : {"tasks", "accuracy_matrix", "baseline", "average_accuracy", "bwt",
                            "fwt", "energy_per_task_j", "energy_per_task_mean_j"})
      CHECK(c.contains(key));
    CHECK(c["tasks"] == 5);
    CHECK(c["devices"] == 2);
    CHECK(c["accuracy_matrix"].size() == 5);
  }
  for (const auto& d : j["devices"]) CHECK(d.contains("continual"));
  CHECK(!j["fleet"].contains("continual"));

  // A stream without tasks has no such block.
  const Scenario plain = testing::small_scenario(1);
  RunResults none;
  for (const auto& setup : plan_fleet(plain)) none.devices.push_back(run_one(setup));
  const auto k = summary_json(plain, none);
  for (const auto& g : k["groups"]) CHECK(!g.contains("continual"));
  for (const auto& d : k["devices"]) CHECK(!d.contains("continual"));
}

TEST_CASE("tasks: a run too short for its tasks, or with drifts, is refused") {
  const std::string base = tinyfleet_test::slurp(
      tinyfleet_test::src("scenarios/examples/class-incremental-digits.yaml"));
  const auto dir = tinyfleet_test::fresh_dir("tasks-bad");
  std::filesystem::create_directories(dir);
  std::string shorter = base;
  shorter.replace(shorter.find("duration: 1001s"), 15, "duration: 900s");
  tinyfleet_test::write_file(dir / "short.yaml", shorter);
  const Scenario sc = load_scenario_file((dir / "short.yaml").string(), default_schema_catalog());
  const auto setups = plan_fleet(sc);
  CHECK_THROWS_WITH_AS((void)Device(setups.at(0)), doctest::Contains("set duration >= 1001 s"),
                       std::invalid_argument);
  std::string drifting = base;
  drifting.replace(drifting.find("    count: 2\n"), 13,
                   "    count: 2\n    drift: [{at: 100s, kind: abrupt, to: {split: iid}}]\n");
  tinyfleet_test::write_file(dir / "drift.yaml", drifting);
  std::string error;
  try {
    (void)load_scenario_file((dir / "drift.yaml").string(), default_schema_catalog());
  } catch (const ScenarioError& e) {
    error = e.what();
  }
  CHECK(error.find("drift.yaml:21:") != std::string::npos);  // file:line of the group's drift key
  CHECK(error.find("takes no drift entries") != std::string::npos);
}

TEST_CASE("latent replay: bits set the stored precision and the buffer's bytes") {
  StreamInfo info;
  info.features = 16;
  info.classes = 3;
  info.lo.assign(16, 0.f);
  info.hi.assign(16, 1.f);
  auto make = [&](int bits) {
    LatentReplayConfig c;
    c.buffer = 10;
    c.bits = bits;
    return LatentReplayLearner(c, info, 1);
  };
  CHECK(make(32).replay_bytes() == 10 * (16 * 4 + 2));
  CHECK(make(8).replay_bytes() == 10 * (16 + 10));
  CHECK(make(7).replay_bytes() == 10 * (14 + 10));
  CHECK_THROWS_AS(make(12), std::invalid_argument);
  // 7 bits: codes up to 127, the error at most half a step of (max − min)/127.
  const float a[5] = {0.f, 0.3f, 1.7f, 2.54f, 1.f};
  uint8_t q[5];
  float lo = 0, s = 0, back[5];
  LatentReplayLearner::quantise(a, 5, q, lo, s, 127);
  LatentReplayLearner::dequantise(q, 5, lo, s, back);
  CHECK(*std::max_element(q, q + 5) == 127);
  for (int j = 0; j < 5; ++j) CHECK(std::fabs(back[j] - a[j]) <= s / 2 + 1e-6f);
}
