// Factory pre-training (learners/pretrain.hpp, scenario key learner.pretrain):
// deterministic, the same model on every device of a group, never charged.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "learners/knn.hpp"
#include "learners/pretrain.hpp"
#include "learners/tifed.hpp"
#include "scenarios/loader.hpp"
#include "sim/device.hpp"
#include "sim/fleet.hpp"
#include "support/run_binary.hpp"
#include "support/small_scenario.hpp"

using namespace tinyfleet;

namespace {

PretrainSpec sea_factory(int samples, double variant = 2) {
  PretrainSpec pre;
  pre.enabled = true;
  pre.stream.generator = "sea";
  pre.stream.params = default_params(testing::component(generator_catalog(), "sea").params);
  pre.stream.params.numbers["variant"] = variant;
  pre.stream.params.numbers["noise"] = 0.0;
  pre.samples = samples;
  return pre;
}

DeviceTotals run_alone(const DeviceSetup& setup, std::vector<Event>* events = nullptr) {
  Device d(setup);
  d.advance_to(kNever);
  d.finish();
  if (events) *events = d.events();
  return d.totals();
}

double learn_j(const DeviceTotals& t) {
  return t.energy_by_category[static_cast<std::size_t>(EnergyCategory::Learn)];
}

}  // namespace

TEST_CASE("the factory set is drawn deterministically, round-robin over partitions") {
  StreamInfo info;
  info.features = 3;
  info.classes = 2;
  const PretrainSpec pre = sea_factory(50);
  const LabelledSet a = draw_factory_set(pre, info, 11), b = draw_factory_set(pre, info, 11),
                    c = draw_factory_set(pre, info, 12);
  REQUIRE(a.size() == 50);
  CHECK(a.x == b.x);
  CHECK(a.y == b.y);
  CHECK(a.x != c.x);  // another seed, other samples
  const auto order = epoch_order(20, 5, 0);
  std::vector<std::size_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) CHECK(sorted[i] == i);
  CHECK(order == epoch_order(20, 5, 0));
  CHECK(order != epoch_order(20, 5, 1));  // each pass its own order
  info.features = 4;
  CHECK_THROWS_WITH(draw_factory_set(pre, info, 11),
                    "pretrain: the factory stream has 3 features, the device's 4");
}

TEST_CASE("two learners pre-trained from the same seed hold the same model") {
  StreamInfo info;
  info.features = 3;
  info.classes = 2;
  info.lo = {0, 0, 0};
  info.hi = {10, 10, 10};
  KnnConfig cfg;
  cfg.budget = 64;
  cfg.add = KnnAddRule::Misclassified;
  KnnLearner a(cfg, info), b(cfg, info);
  PretrainSpec pre = sea_factory(200);
  pre.epochs = 2;
  const OpCounter oa = pretrain_learner(a, pre, info, 3), ob = pretrain_learner(b, pre, info, 3);
  CHECK(oa.total() == ob.total());
  CHECK(oa.total() > 0);
  REQUIRE(a.size() == b.size());
  CHECK(a.size() > 0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a.entry_label(i) == b.entry_label(i));
    for (int j = 0; j < 3; ++j)
      CHECK(a.entry_feature(i, std::size_t(j)) == b.entry_feature(i, std::size_t(j)));
  }
}

TEST_CASE("TIFeD's factory training leaves no factory sample in the device's buffer") {
  // 70 samples, buffer 50: the trailing 20 are trained at the factory too, so
  // neither the device's next local training nor a federated session sees them.
  StreamInfo info;
  info.features = 3;
  info.classes = 2;
  info.lo = {0, 0, 0};
  info.hi = {10, 10, 10};
  TifedConfig cfg;
  cfg.hidden = 8;
  TifedLearner net(cfg, info);
  const OpCounter ops = pretrain_learner(net, sea_factory(70), info, 3);
  CHECK(ops.total() > 0);
  CHECK(net.buffered() == 0);
  // One buffer of 50 and one of 20, 5 epochs each in minibatches of 25.
  CHECK(net.minibatches_trained() == 5 * 2 + 5 * 1);
}

TEST_CASE("a pre-trained static model: accurate from the start, its training not charged") {
  Scenario sc;
  sc.name = "pretrain";
  sc.seed = 7;
  sc.duration_s = 1800;
  GroupSpec pre = testing::sea_group("pre", "static", 2, false);
  GroupSpec cold = testing::sea_group("cold", "static", 2, false);
  for (GroupSpec* g : {&pre, &cold}) {
    g->drifts.clear();
    g->labels = {1.0, 1.0};
    g->learner.params.numbers["budget"] = 300;
  }
  pre.learner.params.numbers["warmup"] = 300;  // pre-training fills it: never learns on the device
  pre.learner.pretrain = sea_factory(300);
  cold.learner.params.numbers["warmup"] = 0;  // never learns at all
  sc.groups = {pre, cold};
  const auto setups = plan_fleet(sc);
  REQUIRE(setups.size() == 4);
  std::vector<Event> events;
  const DeviceTotals p0 = run_alone(setups[0], &events), p1 = run_alone(setups[1]);
  const DeviceTotals c0 = run_alone(setups[2]);
  REQUIRE(!events.empty());
  CHECK(events.front().type == std::string("pretrain"));
  CHECK(events.front().t == 0);
  CHECK(events.front().detail.find("samples=300 epochs=1 factory_ops=") == 0);
  // Accurate from its first prediction on (SEA without noise), the cold one is not.
  CHECK(p0.accuracy > 0.9);
  CHECK(p1.accuracy > 0.9);
  CHECK(p0.accuracy > c0.accuracy + 0.2);
  // On the device both only check their warm-up counter per label: the 300
  // factory inserts cost the device nothing.
  REQUIRE(p0.adaptation.learn_updates > 1000);
  CHECK(learn_j(p0) / static_cast<double>(p0.adaptation.learn_updates) ==
        doctest::Approx(learn_j(c0) / static_cast<double>(c0.adaptation.learn_updates))
            .epsilon(1e-9));
  // Deterministic: the same setup gives the same history.
  const DeviceTotals again = run_alone(setups[0]);
  CHECK(again.energy_j == p0.energy_j);
  CHECK(again.accuracy == p0.accuracy);
}

TEST_CASE("learner.pretrain is read from YAML; a bad factory stream is a positioned error") {
  const std::string head =
      "name: q\nseed: 1\nduration: 10m\nfleet:\n  - group: g\n    device: nrf52840\n"
      "    stream: {generator: sea}\n    learner:\n      kind: knn\n";
  const Scenario sc = parse_scenario(
      head +
          "      pretrain: {stream: {generator: sea, params: {variant: 1}}, samples: 40, "
          "epochs: 3}\n",
      "q.yaml", default_schema_catalog());
  const PretrainSpec& pre = sc.groups[0].learner.pretrain;
  CHECK(pre.enabled);
  CHECK(pre.samples == 40);
  CHECK(pre.epochs == 3);
  CHECK(pre.partitions == 1);
  CHECK(pre.stream.params.number("variant") == 1);
  std::string error;
  try {
    parse_scenario(head + "      pretrain: {stream: {generator: sae}, samples: 40}\n", "q.yaml",
                   default_schema_catalog());
  } catch (const ScenarioError& e) {
    error = e.what();
  }
  CHECK(error.rfind("q.yaml:10:38: unknown generator 'sae'", 0) == 0);
}

TEST_CASE("a model push to a pre-trained group starts from the factory model") {
  // A static kNN whose warm-up the factory uses up: a pushed reference model
  // built the same way ignores its push samples, so it IS the factory model
  // and the pushed device's history equals the unpushed one's (a reference
  // trained on the 20 push samples alone would predict differently).
  const std::string base =
      "name: q\nseed: 4\nduration: 30m\nfleet:\n  - group: g\n    device: nrf52840\n"
      "    stream: {generator: sea, params: {variant: 2, noise: 0}}\n"
      "    labels: {fraction: 0}\n"
      "    learner:\n      kind: static\n      budget: 300\n      add: all\n      warmup: 300\n"
      "      pretrain: {stream: {generator: sea, params: {variant: 2, noise: 0}}, samples: 300}\n";
  const Scenario plain = parse_scenario(base, "q.yaml", default_schema_catalog());
  const Scenario pushed =
      parse_scenario(base + "interventions: [{at: 10m, kind: model_push, samples: 20}]\n", "q.yaml",
                     default_schema_catalog());
  std::vector<Event> events;
  const DeviceTotals a = run_alone(plan_fleet(plain)[0]);
  const DeviceTotals b = run_alone(plan_fleet(pushed)[0], &events);
  CHECK(b.budget.model_pushes == 1);
  CHECK(a.accuracy > 0.9);
  CHECK(b.accuracy == a.accuracy);
  CHECK(b.accuracy_window_end == a.accuracy_window_end);
}

TEST_CASE("a federated pre-trained group's global model starts as its factory model") {
  // No labels: devices never train, so every session averages the models it
  // broadcast. Starting from the factory model, federation changes nothing;
  // from the server's own initialisation it would replace the factory model.
  const std::string group =
      "name: q\nseed: 2\nduration: 40m\nfleet:\n  - group: g\n    count: 2\n"
      "    device: nrf52840\n    stream: {generator: sea, params: {variant: 2, noise: 0}}\n"
      "    labels: {fraction: 0}\n    learner:\n      kind: tifed\n"
      "      pretrain: {stream: {generator: sea, params: {variant: 2, noise: 0}}, samples: 2000, "
      "epochs: 3}\n";
  const auto dir = tinyfleet_test::fresh_dir("pretrain-federated");
  std::filesystem::create_directories(dir);
  tinyfleet_test::write_file(dir / "local.yaml", group);
  tinyfleet_test::write_file(dir / "fed.yaml", group + "federation: {every: 10m}\n");
  for (const char* name : {"local", "fed"})
    REQUIRE(tinyfleet_test::sh(tinyfleet_test::tf() + " run -q " + (dir / name).string() +
                               ".yaml -o " + (dir / name).string())
                .code == 0);
  // The devices' accuracy rows (energy differs: the sessions use the radio).
  auto accuracy_rows = [&](const char* name) {
    std::istringstream in(tinyfleet_test::slurp(dir / name / "metrics.csv"));
    std::string rows;
    for (std::string line; std::getline(in, line);)
      if (line.find(",g/") != std::string::npos && line.find(",accuracy") != std::string::npos)
        rows += line + "\n";
    return rows;
  };
  CHECK(tinyfleet_test::slurp(dir / "fed" / "events.csv").find("round_end") != std::string::npos);
  CHECK(accuracy_rows("fed").size() > 1000);
  CHECK(accuracy_rows("fed") == accuracy_rows("local"));
}
