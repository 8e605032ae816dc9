// Self-labelling: pseudo-labels from prototype distance thresholds
// (drift/self_labelling.hpp), in isolation and through a device.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "drift/label_policy.hpp"
#include "drift/self_labelling.hpp"
#include "scenarios/loader.hpp"
#include "sim/device.hpp"
#include "sim/fleet.hpp"
#include "support/run_binary.hpp"
#include "support/small_scenario.hpp"

using namespace tinyfleet;

namespace {

// Prototypes: class 2 at (0, 0), class 5 at (4, 0).
SelfLabelSpec two_prototypes(double positive, double negative = 0, int negative_class = -1) {
  SelfLabelSpec s;
  s.enabled = true;
  s.prototype_labels = {2, 5};
  s.prototypes = {{0.f, 0.f}, {4.f, 0.f}};
  s.positive = positive;
  s.negative = negative;
  s.negative_class = negative_class;
  return s;
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

// One TinyOL device on 4 well-separated Gaussian classes, 1 % of the labels.
Scenario scarce_scenario(const SelfLabelSpec& self) {
  Scenario sc;
  sc.name = "self";
  sc.seed = 11;
  sc.duration_s = 4000;
  GroupSpec g;
  g.name = "g";
  g.count = 1;
  g.device = "nrf52840";
  g.stream.generator = "gaussian_mixture";
  g.stream.params =
      default_params(testing::component(generator_catalog(), "gaussian_mixture").params);
  g.stream.params.numbers["classes"] = 4;
  g.stream.params.numbers["separation"] = 6.0;
  g.stream.rate_hz = 1.0;
  g.labels.fraction = 0.01;
  g.labels.self = self;
  g.learner.kind = "tinyol";
  g.learner.params = default_params(testing::component(learner_catalog(), "tinyol").params);
  sc.groups.push_back(g);
  return sc;
}

}  // namespace

TEST_CASE("self-labelling: the positive/negative rule on hand-computed distances") {
  SelfLabeller s(two_prototypes(1.5, 3.0, 9));
  OpCounter ops;
  const float near2[2] = {1.f, 1.f};   // d = √2 ≈ 1.41 to class 2: positive
  const float mid[2] = {2.f, 0.f};     // d = 2 to both: between the thresholds
  const float far[2] = {2.f, 5.f};     // nearest d = √29 ≈ 5.39 > 3: negative
  const float near5[2] = {4.f, 1.4f};  // d = 1.4 to class 5
  CHECK(s.label(near2, 2, ops) == 2);
  CHECK(s.label(mid, 2, ops) == std::nullopt);
  CHECK(s.label(far, 2, ops) == 9);
  CHECK(s.label(near5, 2, ops) == 5);
  CHECK(s.positives() == 2);
  CHECK(s.negatives() == 1);
  CHECK(s.discarded() == 1);
  // 4 calls × 2 prototypes × 2 features: 2 Load + 2 Fp32Mac each; (2 + 2) Compare per call.
  CHECK(ops[Op::Load] == 4 * 2 * 2 * 2);
  CHECK(ops[Op::Fp32Mac] == 4 * 2 * 2 * 2);
  CHECK(ops[Op::Compare] == 4 * 4);
  CHECK(s.memory_bytes() == 2 * (2 * 4 + 2));
}

TEST_CASE("self-labelling: wrong thresholds behave as the rule says") {
  OpCounter ops;
  const float x[2] = {3.f, 0.f};
  SelfLabeller never(two_prototypes(0));  // positive 0: nothing is ever close enough
  CHECK(never.label(x, 2, ops) == std::nullopt);
  SelfLabeller always(two_prototypes(1e9));  // huge positive: the nearest prototype, always
  CHECK(always.label(x, 2, ops) == 5);
  const float origin[2] = {0.f, 0.f};
  // negative equal to positive: no gap, everything is labelled one way or the other.
  SelfLabeller split(two_prototypes(0.5, 0.5, 7));
  CHECK(split.label(origin, 2, ops) == 2);
  CHECK(split.label(x, 2, ops) == 7);
  // Wrong prototype width: a clear error.
  const float x3[3] = {0.f, 0.f, 0.f};
  CHECK_THROWS_AS(split.label(x3, 3, ops), std::invalid_argument);
}

TEST_CASE("self-labelling: prototypes from the first K true labels of each class") {
  SelfLabelSpec spec;
  spec.enabled = true;
  spec.from_first_labels = 2;
  spec.positive = 1.0;
  SelfLabeller s(spec);
  OpCounter ops;
  const float a[2] = {0.f, 0.f}, b[2] = {2.f, 2.f}, late[2] = {100.f, 100.f};
  const float probe[2] = {1.f, 1.5f};
  CHECK(s.label(probe, 2, ops) == std::nullopt);  // no prototype yet
  s.observe(a, 2, 1, ops);
  CHECK(s.prototypes() == 0);
  CHECK(s.memory_bytes() == 2 * 4 + 2);  // class 1 collecting
  s.observe(b, 2, 1, ops);               // prototype of class 1 = (1, 1)
  s.observe(late, 2, 1, ops);            // ignored: the prototype is complete
  CHECK(s.prototypes() == 1);
  CHECK(s.label(probe, 2, ops) == 1);  // d = 0.5
  const float off[2] = {1.f, 2.5f};
  CHECK(s.label(off, 2, ops) == std::nullopt);  // d = 1.5
}

TEST_CASE("self-labelling: a label policy only self-labels when asked to") {
  LabelSpec plain;
  LabelPolicy off(plain, 1);
  CHECK_FALSE(off.self_labelling());
  CHECK(off.memory_bytes() == 0);
  LabelSpec with;
  with.self = two_prototypes(1.0);
  LabelPolicy on(with, 1);
  CHECK(on.self_labelling());
  LabelSpec bad = with;
  bad.self.negative = 0.5;  // below positive, and no negative class
  CHECK_THROWS_AS(LabelPolicy(bad, 1), std::invalid_argument);
}

TEST_CASE("self-labelling raises a learner's accuracy under label scarcity, through a device") {
  SelfLabelSpec none;
  SelfLabelSpec self;
  self.enabled = true;
  self.from_first_labels = 2;
  self.positive = 1.5;  // class means are 6σ apart: within 1.5σ is almost surely right
  SelfLabelSpec silent = self;
  silent.positive = 0;  // the rule never fires
  const DeviceTotals base = run_one(plan_fleet(scarce_scenario(none)).at(0));
  const DeviceTotals boosted = run_one(plan_fleet(scarce_scenario(self)).at(0));
  const DeviceTotals quiet = run_one(plan_fleet(scarce_scenario(silent)).at(0));
  INFO("accuracy without " << base.accuracy << ", with " << boosted.accuracy);
  CHECK(boosted.labels == base.labels);  // the same true labels reach both
  CHECK(boosted.accuracy > base.accuracy + 0.1);
  // positive = 0: no pseudo-label, so the same learning as without self-labelling.
  CHECK(quiet.accuracy == base.accuracy);
  CHECK(quiet.energy_by_category[static_cast<std::size_t>(EnergyCategory::Learn)] >
        base.energy_by_category[static_cast<std::size_t>(EnergyCategory::Learn)]);
}

TEST_CASE("self-labelling: scenario keys, prototype file and errors") {
  const std::string csv = "self_labelling_protos.csv";
  {
    std::ofstream f(csv);
    f << "# label, x1, x2\n0, 1.5, 2\n\n3, -1, 0.25\n";
  }
  auto yaml = [&](const std::string& self) {
    return "name: s\nduration: 1h\nfleet:\n  - group: g\n    device: nrf52840\n"
           "    stream: {generator: sea}\n    labels: {fraction: 0.1, self: " +
           self + "}\n    learner: {kind: knn}\n";
  };
  auto load = [&](const std::string& text) {
    return parse_scenario(text, "self_labelling_scenario.yaml", default_schema_catalog());
  };
  const Scenario sc =
      load(yaml("{prototypes: " + csv + ", positive: 1, negative: 4, negative_class: 1}"));
  const SelfLabelSpec& s = sc.groups.at(0).labels.self;
  CHECK(s.enabled);
  CHECK(s.prototype_labels == std::vector<int>{0, 3});
  CHECK(s.prototypes == std::vector<std::vector<float>>{{1.5f, 2.f}, {-1.f, 0.25f}});
  CHECK(s.positive == 1.0);
  CHECK(s.negative == 4.0);
  CHECK(s.negative_class == 1);
  CHECK(load(yaml("{from_first_labels: 3, positive: 0.5}"))
            .groups.at(0)
            .labels.self.from_first_labels == 3);
  auto error_of = [&](const std::string& self) {
    try {
      load(yaml(self));
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("{positive: 1}").find("needs 'prototypes'") != std::string::npos);
  CHECK(error_of("{from_first_labels: 2}").find("positive") != std::string::npos);
  CHECK(error_of("{from_first_labels: 2, positive: 1, negative: 2}").find("go together") !=
        std::string::npos);
  CHECK(error_of("{prototypes: missing.csv, positive: 1}").find("cannot open") !=
        std::string::npos);
  {
    std::ofstream f(csv);
    f << "0, 1, 2\n1, x, 2\n";
  }
  const std::string bad = error_of("{prototypes: " + csv + ", positive: 1}");
  INFO(bad);
  CHECK(bad.find(csv + ":2: 'x' is not a number") != std::string::npos);
  CHECK(bad.find("self_labelling_scenario.yaml:") == 0);
  std::remove(csv.c_str());
}

namespace {

SelfLabelSpec calibrated(int negative_class = -1) {
  SelfLabelSpec s;
  s.enabled = true;
  s.from_first_labels = 2;
  s.calibrate = true;  // α_p 0.2, α_n 0.9, cap 0.5 (the reference's defaults)
  s.negative_class = negative_class;
  return s;
}

}  // namespace

TEST_CASE("self-labelling: calibrated thresholds, hand-computed on a 1-D shot set") {
  // Shots, in arrival order: class 0 at 0, class 1 at 6, class 0 at 2 (p_0 = 1,
  // complete), class 1 at 10 (p_1 = 8, complete).
  //   p_0: P = max(|0−1|, |2−1|) = 1, N = |6−1| = 5 (|10−1| = 9 later is larger),
  //        gap 4: POS = 1 + min(0.2·4, 0.5) = 1.5, NEG = 1 + 0.9·4 = 4.6.
  //   p_1: P = max(|6−8|, |10−8|) = 2, N = min(|0−8|, |2−8|) = 6,
  //        gap 4: POS = 2 + 0.5 = 2.5, NEG = 2 + 3.6 = 5.6.
  SelfLabeller s(calibrated(1));
  OpCounter ops;
  const float shots[4] = {0.f, 6.f, 2.f, 10.f};
  const int ys[4] = {0, 1, 0, 1};
  for (int i = 0; i < 4; ++i) {
    s.observe(&shots[i], 1, ys[i], ops);
    if (i == 2) {  // p_0 just completed, calibrated by the class-1 shot at 6
      REQUIRE(s.prototypes() == 1);
      CHECK(s.calibrated(0));
      CHECK(s.pos_threshold(0) == doctest::Approx(1.5));
      CHECK(s.neg_threshold(0) == doctest::Approx(4.6));
    }
  }
  REQUIRE(s.prototypes() == 2);
  CHECK(s.prototype_class(1) == 1);
  CHECK(s.pos_threshold(0) == doctest::Approx(1.5));  // the shot at 10 is farther than 6
  CHECK(s.neg_threshold(0) == doctest::Approx(4.6));
  CHECK(s.pos_threshold(1) == doctest::Approx(2.5));
  CHECK(s.neg_threshold(1) == doctest::Approx(5.6));
  const auto label = [&](float x) { return s.label(&x, 1, ops); };
  CHECK(label(1.4f) == 0);              // d_0 = 0.4 < 1.5
  CHECK(label(2.8f) == std::nullopt);   // d_0 = 1.8: not < 1.5, not > 4.6
  CHECK(label(6.f) == 1);               // nearest p_1, d = 2 < 2.5
  CHECK(label(-4.f) == 1);              // d_0 = 5 > 4.6: negative (class 1)
  CHECK(label(-3.5f) == std::nullopt);  // d_0 = 4.5 ≤ 4.6
  CHECK(s.positives() == 2);
  CHECK(s.negatives() == 1);
  CHECK(s.discarded() == 2);
  // Memory: 2 prototypes (4 + 2 each), 2 classes × 2 shots × 4, 2 × 16 calibration words.
  CHECK(s.memory_bytes() == 2 * 6 + 2 * 2 * 4 + 2 * 16);

  // A large gap: α_p·gap is capped (cap 0.5), α_n·gap is not.
  SelfLabelSpec wide = calibrated();
  wide.cap = 100;
  SelfLabeller w(wide);
  for (int i = 0; i < 4; ++i) w.observe(&shots[i], 1, ys[i], ops);
  CHECK(w.pos_threshold(0) == doctest::Approx(1.8));  // 1 + 0.2·4, below the cap
  // No negative shot yet: the prototype is not calibrated and labels nothing.
  SelfLabeller lone(calibrated());
  const float a = 0.f, b = 2.f, probe = 1.f;
  lone.observe(&a, 1, 0, ops);
  lone.observe(&b, 1, 0, ops);
  REQUIRE(lone.prototypes() == 1);
  CHECK_FALSE(lone.calibrated(0));
  CHECK(lone.label(&probe, 1, ops) == std::nullopt);
}

TEST_CASE("self-labelling: calibrated thresholds raise accuracy under label scarcity") {
  SelfLabelSpec none;
  SelfLabelSpec cal = calibrated();
  cal.from_first_labels = 3;
  const DeviceTotals base = run_one(plan_fleet(scarce_scenario(none)).at(0));
  const DeviceTotals boosted = run_one(plan_fleet(scarce_scenario(cal)).at(0));
  MESSAGE("accuracy without " << base.accuracy << ", with calibrated self-labelling "
                              << boosted.accuracy);
  CHECK(boosted.labels == base.labels);
  CHECK(boosted.accuracy > base.accuracy + 0.1);
}

TEST_CASE("self-labelling: calibrate keys and errors in a scenario") {
  auto yaml = [&](const std::string& self) {
    return "name: s\nduration: 1h\nfleet:\n  - group: g\n    device: nrf52840\n"
           "    stream: {generator: sea}\n    labels: {fraction: 0.1, self: " +
           self + "}\n    learner: {kind: knn}\n";
  };
  auto load = [&](const std::string& text) {
    return parse_scenario(text, "calibrate_scenario.yaml", default_schema_catalog());
  };
  const SelfLabelSpec s =
      load(yaml("{from_first_labels: 3, negative_class: 1, calibrate: {alpha_p: 0.3, cap: 2}}"))
          .groups.at(0)
          .labels.self;
  CHECK(s.calibrate);
  CHECK(s.alpha_p == 0.3);
  CHECK(s.alpha_n == 0.9);
  CHECK(s.cap == 2.0);
  CHECK(s.negative_class == 1);
  CHECK_FALSE(s.l2_normalize);
  CHECK(load(yaml("{from_first_labels: 3, l2_normalize: true, calibrate: {}}"))
            .groups.at(0)
            .labels.self.l2_normalize);
  auto error_of = [&](const std::string& self) {
    try {
      load(yaml(self));
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string both = error_of("{from_first_labels: 3, positive: 1, calibrate: {}}");
  CHECK(both.find("calibrate_scenario.yaml:7:") == 0);
  CHECK(both.find("either thresholds or 'calibrate'") != std::string::npos);
  CHECK(error_of("{prototypes: x.csv, calibrate: {}}").find("cannot open") != std::string::npos);
  CHECK(error_of("{from_first_labels: 2, calibrate: {alpha_p: 0.95}}")
            .find("alpha_n must be >= alpha_p") != std::string::npos);
  CHECK(error_of("{from_first_labels: 2, calibrate: {alpha_n: 1.5}}").find("alpha_n") !=
        std::string::npos);
  CHECK(error_of("{from_first_labels: 2, calibrate: {alpa_p: 0.1}}").find("alpha_p") !=
        std::string::npos);
  const std::string not_bool = error_of("{from_first_labels: 2, l2_normalize: 3, calibrate: {}}");
  CHECK(not_bool.find("calibrate_scenario.yaml:7:") == 0);
  CHECK(not_bool.find("l2_normalize") != std::string::npos);
}

TEST_CASE("self-labelling: a calibrated scenario runs from the CLI") {
  using namespace tinyfleet_test;
  const auto dir = fresh_dir("self-calibrate");
  std::filesystem::create_directories(dir);
  const auto file = dir / "calibrated.yaml";
  write_file(file,
             "name: calibrated\nseed: 3\nduration: 2h\noutput: {every: 10m, window: 30m}\n"
             "fleet:\n  - group: g\n    count: 2\n    device: nrf52840\n"
             "    stream: {generator: gaussian_mixture, params: {classes: 3, separation: 6}}\n"
             "    labels: {fraction: 0.02, self: {from_first_labels: 3, calibrate: {alpha_p: "
             "0.2, alpha_n: 0.9}}}\n    learner: {kind: tinyol}\n");
  const Result r = sh(tf() + " run -q " + file.string() + " -o " + (dir / "out").string());
  INFO(r.output);
  CHECK(r.code == 0);
  REQUIRE(std::filesystem::exists(dir / "out" / "summary.json"));
  std::ifstream in(dir / "out" / "summary.json");
  const auto summary = nlohmann::json::parse(in);
  const auto& eff = summary["groups"][0]["efficiency"];
  CHECK(eff["self_labels"].get<uint64_t>() > 0);
  CHECK(eff["self_labels_wrong"].get<uint64_t>() <= eff["self_labels"].get<uint64_t>());
  CHECK(summary["fleet"]["efficiency"]["self_labels"] == eff["self_labels"]);
  const Result bad =
      sh(tf() + " validate " + src("tests/data/bad_scenarios/self_calibrate_alpha.yaml"));
  CHECK(bad.code == 2);
}

TEST_CASE("self-labelling: calibrated thresholds on L2-normalised raw features, hand-computed") {
  // K = 2 shots per class, raw scale (like pixel counts), l2_normalize on.
  //   class 0: (6, 8) → (0.6, 0.8), (3, −4) → (0.6, −0.8); mean (0.6, 0) → p_0 = (1, 0)
  //   class 1: (0, 5) → (0, 1),     (0, 2) → (0, 1);       p_1 = (0, 1)
  //   p_0: P = |(0.6, ±0.8) − (1, 0)| = √0.8, N = |(0, 1) − (1, 0)| = √2, gap = √2 − √0.8
  //        POS = √0.8 + 0.2·gap (0.104 < cap 0.5) = 0.998384, NEG = √0.8 + 0.9·gap = 1.362236
  //   p_1: P = 0, N = |(0.6, 0.8) − (0, 1)| = √0.4, POS = 0.2·√0.4 = 0.126491, NEG = 0.569210
  // The same shots unnormalised: p_1 = (0, 3.5), P = 1.5, N = |(6, 8) − p_1| = 7.5, gap 6,
  // 0.2·gap = 1.2 > cap: POS = 1.5 + 0.5 = 2 — the cap binds, unlike the reference's units.
  SelfLabelSpec spec = calibrated();
  spec.l2_normalize = true;
  SelfLabeller s(spec);
  SelfLabeller raw(calibrated());
  OpCounter ops;
  const float shots[4][2] = {{6.f, 8.f}, {0.f, 5.f}, {3.f, -4.f}, {0.f, 2.f}};
  const int ys[4] = {0, 1, 0, 1};
  for (int i = 0; i < 4; ++i) {
    s.observe(shots[i], 2, ys[i], ops);
    raw.observe(shots[i], 2, ys[i], ops);
  }
  REQUIRE(s.prototypes() == 2);
  REQUIRE(s.prototype_class(0) == 0);
  CHECK(s.pos_threshold(0) == doctest::Approx(0.998384).epsilon(1e-5));
  CHECK(s.neg_threshold(0) == doctest::Approx(1.362236).epsilon(1e-5));
  CHECK(s.pos_threshold(1) == doctest::Approx(0.126491).epsilon(1e-5));
  CHECK(s.neg_threshold(1) == doctest::Approx(0.569210).epsilon(1e-5));
  CHECK(raw.pos_threshold(1) == doctest::Approx(2.0));
  CHECK(raw.neg_threshold(1) == doctest::Approx(6.9));
  const auto label = [&](SelfLabeller& l, float a, float b) {
    const float x[2] = {a, b};
    return l.label(x, 2, ops);
  };
  // (10, 1) and (100, 10): the same direction, d_0 = √(2 − 2·10/√101) = 0.0996 < POS_0.
  CHECK(label(s, 10.f, 1.f) == 0);
  CHECK(label(s, 100.f, 10.f) == 0);
  CHECK(label(raw, 100.f, 10.f) == std::nullopt);  // raw: 97 away from p_0 = (4.5, 2)
  CHECK(label(s, 1.f, 20.f) == 1);            // d_1 = √(2 − 2·20/√401) = 0.0500 < 0.1265
  CHECK(label(s, 1.f, 3.f) == std::nullopt);  // d_1 = √(2 − 2·3/√10) = 0.3204: neither
  // Memory: 2 prototypes (8 + 2), 2 classes × 2 shots × 8, 2 × 16, the normalised sample (8).
  CHECK(s.memory_bytes() == 2 * 10 + 2 * 2 * 8 + 2 * 16 + 8);
  CHECK(raw.memory_bytes() == s.memory_bytes() - 8);
  // Normalising a sample costs 2 Div (square root, reciprocal) beyond the distances.
  OpCounter with, without;
  const float x[2] = {1.f, 3.f};
  s.label(x, 2, with);
  raw.label(x, 2, without);
  CHECK(with[Op::Div] == without[Op::Div] + 2);
  CHECK(with[Op::Store] == without[Op::Store] + 2);
}

TEST_CASE("self-labelling: a device counts its pseudo-labels and the wrong ones") {
  // No true label at all and one prototype of class 0 that every sample is near:
  // every sample is pseudo-labelled 0, and wrong exactly when its class is not 0.
  SelfLabelSpec one;
  one.enabled = true;
  one.prototype_labels = {0};
  one.prototypes = {std::vector<float>(2, 0.f)};
  one.positive = 1e9;
  Scenario sc = scarce_scenario(one);
  sc.groups[0].labels.fraction = 0;
  const DeviceTotals t = run_one(plan_fleet(sc).at(0));
  REQUIRE(t.samples > 0);
  REQUIRE(t.classification.classes.size() == 4);
  CHECK(t.labels == 0);
  CHECK(t.self_labels == t.samples);
  CHECK(t.self_labels_wrong == t.samples - t.classification.classes[0].truth);
  CHECK(t.self_labels_wrong > 0);
  CHECK(t.self_labels_wrong < t.self_labels);
  // Without self-labelling the counters stay 0.
  const DeviceTotals off = run_one(plan_fleet(scarce_scenario(SelfLabelSpec{})).at(0));
  CHECK(off.self_labels == 0);
  CHECK(off.self_labels_wrong == 0);
}
