// TyBox (learners/tybox.hpp): frozen extractor + FIFO feature buffer + head
// SGD; passive recovery after a class swap; the active-only variant.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "learners/pretrain.hpp"
#include "learners/tybox.hpp"
#include "scenarios/loader.hpp"

using namespace tinyfleet;

namespace {

StreamInfo unit_info(int d, int classes) {
  return {d, classes, std::vector<float>(static_cast<std::size_t>(d), 0.f),
          std::vector<float>(static_cast<std::size_t>(d), 1.f)};
}

TyBoxConfig cfg(int f, int buffer, TyBoxUpdate update = TyBoxUpdate::Always) {
  TyBoxConfig c;
  c.features_out = f;
  c.buffer = buffer;
  c.update = update;
  return c;
}

// Three classes in the unit square: by which third x0 falls in; `swap`
// exchanges classes 0 and 2 (a real drift: P(y|x) changes, P(x) does not).
struct Thirds {
  std::mt19937 rng;
  std::uniform_real_distribution<float> u{0.f, 1.f};
  explicit Thirds(unsigned seed) : rng(seed) {}
  int next(std::vector<float>& x, bool swap) {
    x = {u(rng), u(rng)};
    int y = x[0] < 1.f / 3 ? 0 : (x[0] < 2.f / 3 ? 1 : 2);
    if (swap && y != 1) y = 2 - y;
    return y;
  }
};

// Prequential accuracy of n steps (predict, then learn).
double run(TyBoxLearner& l, Thirds& s, int n, bool swap) {
  std::vector<float> x;
  OpCounter ops;
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    const int y = s.next(x, swap);
    ok += l.predict(x.data(), ops) == y;
    l.learn(x.data(), y, 0, ops);
  }
  return static_cast<double>(ok) / n;
}

LabelledSet factory(int n, unsigned seed) {
  Thirds s(seed);
  LabelledSet set;
  set.features = 2;
  std::vector<float> x;
  for (int i = 0; i < n; ++i) {
    set.y.push_back(s.next(x, false));
    set.x.insert(set.x.end(), x.begin(), x.end());
  }
  return set;
}

}  // namespace

TEST_CASE("tybox learns a separable stream from scratch (random frozen extractor)") {
  TyBoxLearner l(cfg(32, 50), unit_info(2, 3), 1);
  Thirds s(3);
  const double first = run(l, s, 100, false);
  run(l, s, 1000, false);
  const double last = run(l, s, 300, false);
  CHECK(last > 0.85);
  CHECK(last > first + 0.2);
  CHECK(l.buffered() == 50);
}

TEST_CASE("tybox pre-trained: accurate at once, drops on a class swap, recovers passively") {
  TyBoxLearner l(cfg(32, 100), unit_info(2, 3), 1);
  OpCounter fops;
  l.pretrain(factory(600, 9), 5, 2, fops);
  CHECK(l.buffered() == 100);  // the buffer leaves the factory full
  Thirds s(4);
  const double before = run(l, s, 200, false);
  const double hit = run(l, s, 60, true);
  run(l, s, 600, true);
  const double after = run(l, s, 300, true);
  CHECK(before > 0.9);
  CHECK(hit < 0.75);
  CHECK(after > 0.85);
}

TEST_CASE("tybox active-only: frozen until an alarm, then flushes and relearns") {
  TyBoxLearner l(cfg(32, 60, TyBoxUpdate::OnDetection), unit_info(2, 3), 1);
  CHECK(l.adapts_on_drift());
  OpCounter fops;
  l.pretrain(factory(600, 9), 5, 2, fops);
  REQUIRE(l.buffered() == 60);
  CHECK_FALSE(l.learning());
  const std::vector<float> theta = l.network().theta();
  Thirds s(5);
  run(l, s, 100, false);
  const double swapped = run(l, s, 200, true);  // no alarm yet: no change at all
  CHECK(l.network().theta() == theta);
  CHECK(swapped < 0.75);
  OpCounter ops;
  l.on_drift(DriftInfo{300, 250}, ops);
  CHECK(l.buffered() == 0);
  CHECK(l.learning());
  run(l, s, 60, true);  // refills the buffer, retraining the head each time
  CHECK(l.buffered() == 60);
  CHECK_FALSE(l.learning());
  CHECK(l.network().theta() != theta);
  const std::vector<float> relearnt = l.network().theta();
  const double after = run(l, s, 300, true);
  CHECK(l.network().theta() == relearnt);  // frozen again until the next alarm
  CHECK(after > swapped + 0.1);
}

TEST_CASE("tybox counts its operations and bytes as documented") {
  TyBoxLearner l(cfg(3, 2), unit_info(2, 3), 1);
  const float x[2] = {0.2f, 0.7f};
  OpCounter ops;
  l.learn(x, 1, 0, ops);
  // scaler 2 + extractor 3·2 + 3 (LeakyReLU) + one head step over 1 entry:
  // forward 9, softmax 3·(8 + 2), SGD 3 + 9 + 3.
  CHECK(ops[Op::Fp32Mac] == 2 + 9 + 9 + 3 * (kExpFp32Macs + 2) + 15);
  CHECK(ops[Op::Compare] == 1 + 3 + 2);
  CHECK(ops[Op::Div] == 1);
  CHECK(ops[Op::Load] == 4 + 15 + 3 + (2 * 9 + 3) + (3 * 9 + 6));
  CHECK(ops[Op::Store] == 2 + 6 + 4 + 3 + 12);
  CHECK(ops[Op::Add] == 1);
  OpCounter second;
  l.learn(x, 2, 1, second);  // two entries now: twice the head work
  CHECK(second[Op::Fp32Mac] == ops[Op::Fp32Mac] + 9 + 3 * (kExpFp32Macs + 2) + 15);
  // E2's size: d = 64, F = 200, K = 10, B = 230.
  TyBoxLearner e2(TyBoxConfig{}, unit_info(64, 10), 1);
  CHECK(e2.memory_bytes() == 4 * (10 * 200 + 10) + 230 * (4 * 200 + 2) + 8 + 4 * (64 + 200 + 10) +
                                 8 * 64 + TyBoxLearner::kStateBytes);
  CHECK(e2.extractor_bytes() == 4 * 200 * 65);
}

TEST_CASE("tybox parameters are checked by the loader with a position") {
  const std::string head =
      "name: q\nseed: 1\nduration: 10m\nfleet:\n  - group: g\n    device: nrf52840\n"
      "    stream: {generator: sea}\n";
  const Scenario sc =
      parse_scenario(head + "    learner: {kind: tybox, buffer: 40, update: on_detection}\n",
                     "q.yaml", default_schema_catalog());
  CHECK(sc.groups[0].learner.params.number("buffer") == 40);
  CHECK(sc.groups[0].learner.params.string("update") == "on_detection");
  auto error_of = [&](const std::string& learner) {
    try {
      parse_scenario(head + "    learner: " + learner + "\n", "q.yaml", default_schema_catalog());
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error_of("{kind: tybox, update: sometimes}")
            .rfind("q.yaml:8:36: learner.update: unknown value 'sometimes'", 0) == 0);
  CHECK(error_of("{kind: tybox, bufer: 40}")
            .rfind("q.yaml:8:28: unknown key 'bufer' in learner 'tybox' (did you mean 'buffer'?)",
                   0) == 0);
  CHECK(error_of("{kind: tybox, buffer: 0}")
            .rfind("q.yaml:8:36: learner.buffer: 0 is out of range", 0) == 0);
}
