// Tests of the nearest-class-mean few-shot open-set learner (learners/ncm.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "learners/ncm.hpp"

using namespace tinyfleet;

namespace {

StreamInfo unit_info(int d, int classes) {
  return {d, classes, std::vector<float>(static_cast<std::size_t>(d), 0.f),
          std::vector<float>(static_cast<std::size_t>(d), 1.f)};
}

NcmConfig cfg(int shots, NcmUpdate update = NcmUpdate::Frozen, double far = 0.05,
              int reservoir = 64, int max_classes = 32) {
  return {shots, update, far, reservoir, max_classes};
}

void learn2(NcmLearner& n, float a, float b, int y, uint64_t i = 0) {
  const float x[2] = {a, b};
  OpCounter ops;
  n.learn(x, y, i, ops);
}

int predict2(NcmLearner& n, float a, float b) {
  const float x[2] = {a, b};
  OpCounter ops;
  return n.predict(x, ops);
}

// Three Gaussian blobs in [0, 1]^2.
struct Blobs {
  std::mt19937 rng;
  std::normal_distribution<float> noise{0.f, 0.03f};
  float x[2]{};
  explicit Blobs(unsigned seed) : rng(seed) {}
  void draw(int c) {
    static const float cx[3] = {0.2f, 0.8f, 0.5f}, cy[3] = {0.2f, 0.2f, 0.8f};
    x[0] = cx[c] + noise(rng);
    x[1] = cy[c] + noise(rng);
  }
};

}  // namespace

TEST_CASE("ncm: prototype means, held-out distances and the quantile threshold, by hand") {
  for (auto update : {NcmUpdate::Frozen, NcmUpdate::Running}) {
    NcmLearner n(cfg(3, update, 0.05), unit_info(2, 2), 1);
    learn2(n, 0.f, 0.f, 0);  // first shot: the prototype, no distance
    CHECK(n.prototype(0, 0) == 0.f);
    CHECK(n.reservoir_size() == 0);
    CHECK(std::isinf(n.threshold_sq()));
    learn2(n, 1.f, 0.f, 0);  // distance² to (0, 0) = 1; mean (0.5, 0)
    CHECK(n.prototype(0, 0) == doctest::Approx(0.5f));
    CHECK(n.prototype(0, 1) == doctest::Approx(0.f));
    learn2(n, 0.5f, 0.9f, 0);  // distance² to (0.5, 0) = 0.81; mean (0.5, 0.3)
    CHECK(n.prototype(0, 0) == doctest::Approx(0.5f));
    CHECK(n.prototype(0, 1) == doctest::Approx(0.3f));
    CHECK(n.shots_seen(0) == 3);
    learn2(n, 1.f, 1.f, 0);  // distance² to (0.5, 0.3) = 0.25 + 0.49 = 0.74
    REQUIRE(n.reservoir_size() == 3);
    CHECK(n.reservoir()[0] == doctest::Approx(0.74f));
    CHECK(n.reservoir()[1] == doctest::Approx(0.81f));
    CHECK(n.reservoir()[2] == doctest::Approx(1.f));
    // k = ceil(0.95·3) − 1 = 2 → the largest.
    CHECK(n.threshold_sq() == doctest::Approx(1.f));
    if (update == NcmUpdate::Frozen) {
      CHECK(n.prototype(0, 0) == doctest::Approx(0.5f));  // frozen after 3 shots
      CHECK(n.prototype(0, 1) == doctest::Approx(0.3f));
      CHECK(n.shots_seen(0) == 3);
    } else {
      CHECK(n.prototype(0, 0) == doctest::Approx(0.625f));  // (0.5·3 + 1)/4
      CHECK(n.prototype(0, 1) == doctest::Approx(0.475f));  // (0.3·3 + 1)/4
      CHECK(n.shots_seen(0) == 4);
    }
  }
  NcmLearner half(cfg(3, NcmUpdate::Frozen, 0.5), unit_info(2, 2), 1);
  learn2(half, 0.f, 0.f, 0);
  learn2(half, 1.f, 0.f, 0);
  learn2(half, 0.5f, 0.9f, 0);
  learn2(half, 1.f, 1.f, 0);
  CHECK(half.threshold_sq() == doctest::Approx(0.81f));  // k = ceil(1.5) − 1 = 1
}

TEST_CASE("ncm: the (1 - far) quantile of 20 within-class distances rejects beyond it") {
  NcmLearner n(cfg(1, NcmUpdate::Frozen, 0.05), unit_info(2, 2), 1);
  learn2(n, 0.f, 0.f, 0);  // prototype at the origin, frozen (shots = 1)
  for (int i = 20; i >= 1; --i) learn2(n, static_cast<float>(i) / 20.f, 0.f, 0);  // d² = (i/20)²
  REQUIRE(n.reservoir_size() == 20);
  CHECK(std::is_sorted(n.reservoir(), n.reservoir() + 20));
  // k = ceil(0.95·20) − 1 = 18 → (19/20)² = 0.9025: 1 of 20 (5 %) lies beyond.
  CHECK(n.threshold_sq() == doctest::Approx(0.9025f));
  CHECK(predict2(n, 0.94f, 0.f) == 0);
  CHECK(predict2(n, 0.f, 0.96f) == n.unknown_label());
  CHECK(n.unknown_label() == 2);
}

TEST_CASE("ncm: the reservoir is bounded, sorted, uniform over the values offered, seeded") {
  auto fill = [](uint64_t seed) {
    NcmLearner n(cfg(1, NcmUpdate::Frozen, 0.0, 8), unit_info(1, 1), seed);
    OpCounter ops;
    const float z = 0.f;
    n.learn(&z, 0, 0, ops);
    for (int i = 1; i <= 200; ++i) {
      const float x = static_cast<float>(i) / 200.f;
      n.learn(&x, 0, static_cast<uint64_t>(i), ops);
    }
    return std::vector<float>(n.reservoir(), n.reservoir() + n.reservoir_size());
  };
  const auto a = fill(3), b = fill(3), c = fill(4);
  REQUIRE(a.size() == 8);
  CHECK(std::is_sorted(a.begin(), a.end()));
  CHECK(a == b);
  CHECK(a != c);
  for (float v : a) {
    const double r = std::sqrt(static_cast<double>(v)) * 200.0;  // back to i
    CHECK(std::fabs(r - std::round(r)) < 1e-3);
  }
  // Over many seeds, each of the 200 values ends up in the reservoir with
  // probability 8/200: the mean of the kept i is about 100.5.
  double mean = 0;
  for (uint64_t s = 0; s < 200; ++s)
    for (float v : fill(s)) mean += std::sqrt(static_cast<double>(v)) * 200.0;
  mean /= 200.0 * 8;
  CHECK(mean == doctest::Approx(100.5).epsilon(0.05));
}

TEST_CASE("ncm: rejects an unseen class as unknown, then adds it on device") {
  NcmLearner n(cfg(5), unit_info(2, 3), 1);
  Blobs blobs(11);
  OpCounter ops;
  uint64_t idx = 0;
  for (int i = 0; i < 40; ++i) {
    const int c = i % 2;
    blobs.draw(c);
    n.learn(blobs.x, c, idx++, ops);
  }
  CHECK(n.prototypes() == 2);
  CHECK_FALSE(n.has_prototype(2));
  int known_ok = 0, rejected = 0;
  for (int i = 0; i < 200; ++i) {
    blobs.draw(i % 2);
    known_ok += n.predict(blobs.x, ops) == i % 2;
    blobs.draw(2);
    rejected += n.predict(blobs.x, ops) == n.unknown_label();
  }
  MESSAGE("known accepted and correct " << known_ok << "/200, unseen rejected " << rejected
                                        << "/200");
  CHECK(known_ok >= 170);
  CHECK(rejected == 200);
  // A label of the new class adds it (few-shot, on device).
  for (int i = 0; i < 5; ++i) {
    blobs.draw(2);
    n.learn(blobs.x, 2, idx++, ops);
  }
  CHECK(n.has_prototype(2));
  CHECK(n.prototypes() == 3);
  int ok2 = 0;
  for (int i = 0; i < 100; ++i) {
    blobs.draw(2);
    ok2 += n.predict(blobs.x, ops) == 2;
  }
  CHECK(ok2 >= 85);
}

TEST_CASE("ncm: max_classes bounds the prototypes; empty learner predicts 0; labels") {
  NcmLearner n(cfg(5, NcmUpdate::Frozen, 0.05, 64, 2), unit_info(2, 3), 1);
  CHECK(predict2(n, 0.5f, 0.5f) == 0);
  learn2(n, 0.1f, 0.1f, 0);
  learn2(n, 0.9f, 0.9f, 2);
  learn2(n, 0.5f, 0.1f, 1);  // no slot left: ignored
  CHECK(n.prototypes() == 2);
  CHECK_FALSE(n.has_prototype(1));
  CHECK(predict2(n, 0.85f, 0.85f) == 2);  // no distances yet: nothing rejected
  OpCounter ops;
  const float x[2] = {0.f, 0.f};
  CHECK_THROWS_AS(n.learn(x, 3, 0, ops), std::out_of_range);
}

TEST_CASE("ncm: on_drift re-initialises each prototype from its next shots") {
  NcmLearner n(cfg(2), unit_info(2, 2), 1);
  CHECK(n.adapts_on_drift());
  learn2(n, 0.1f, 0.1f, 0);
  learn2(n, 0.3f, 0.1f, 0);  // prototype (0.2, 0.1)
  learn2(n, 0.9f, 0.9f, 1);
  learn2(n, 0.9f, 0.7f, 1);  // prototype (0.9, 0.8)
  CHECK(n.reservoir_size() == 2);
  OpCounter d;
  n.on_drift({10, 5}, d);
  CHECK(d[Op::Store] == 4);
  CHECK(n.stale(0));
  CHECK(n.stale(1));
  CHECK(n.reservoir_size() == 0);
  CHECK(predict2(n, 0.25f, 0.1f) == 0);  // stale prototypes still serve predictions
  // The new concept swaps the classes: the next shot re-initialises (n = 1).
  learn2(n, 0.8f, 0.8f, 0);
  CHECK_FALSE(n.stale(0));
  CHECK(n.shots_seen(0) == 1);
  CHECK(n.prototype(0, 0) == doctest::Approx(0.8f));
  CHECK(n.reservoir_size() == 0);  // a re-initialising shot gives no distance
  learn2(n, 0.6f, 0.8f, 0);        // second shot: mean (0.7, 0.8), distance² 0.04
  CHECK(n.prototype(0, 0) == doctest::Approx(0.7f));
  CHECK(n.reservoir_size() == 1);
  CHECK(n.reservoir()[0] == doctest::Approx(0.04f));
  learn2(n, 0.2f, 0.2f, 1);
  CHECK(n.prototype(1, 0) == doctest::Approx(0.2f));
  CHECK(predict2(n, 0.7f, 0.75f) == 0);
  CHECK(predict2(n, 0.2f, 0.21f) == 1);
}

TEST_CASE("ncm: op counts, determinism and the memory formula") {
  NcmLearner n(cfg(3), unit_info(2, 2), 1);
  OpCounter p0;
  const float x[2] = {0.5f, 0.5f};
  CHECK(n.predict(x, p0) == 0);
  CHECK(p0.total() == 1);
  learn2(n, 0.f, 0.f, 0);
  learn2(n, 1.f, 1.f, 1);
  OpCounter p;
  n.predict(x, p);
  // scaler (2 Fp32Mac, 4 Load, 2 Store) + 2 prototypes × (4 Fp32Mac, 4 Load)
  // + 1 + 2 + 1 Compare + 1 Load.
  CHECK(p[Op::Fp32Mac] == 2 + 8);
  CHECK(p[Op::Load] == 4 + 8 + 1);
  CHECK(p[Op::Store] == 2);
  CHECK(p[Op::Compare] == 4);

  // S = min(32, 2) slots of (4·2 + 4 + 2 + 1) + 2·2 + 4·64 + 8 + 8 + 4 + 4·2 + 8·2 + state.
  CHECK(n.memory_bytes() == 2 * 15 + 4 + 256 + 8 + 8 + 4 + 8 + 16 + NcmLearner::kStateBytes);

  auto run = [](uint64_t seed) {
    NcmLearner l(cfg(5, NcmUpdate::Running, 0.1, 4), unit_info(2, 3), seed);
    Blobs b(5);
    OpCounter ops;
    std::vector<int> preds;
    for (int i = 0; i < 300; ++i) {
      const int c = i % 3;
      b.draw(c);
      preds.push_back(l.predict(b.x, ops));
      l.learn(b.x, c, static_cast<uint64_t>(i), ops);
    }
    return std::make_pair(preds, ops.n);
  };
  CHECK(run(9) == run(9));
}
