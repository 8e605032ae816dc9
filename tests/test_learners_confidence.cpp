// Tests of Learner::confidence (learners/confidence.hpp and every kernel):
// hand-checked values for the kNN vote fraction and TIFeD's anchored softmax,
// and the [0, 1] range for every learner of the catalog.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "learners/confidence.hpp"
#include "learners/knn.hpp"
#include "learners/ncm.hpp"
#include "learners/tifed.hpp"

using namespace tinyfleet;

namespace {

StreamInfo pixels3() {
  return {3, 3, {0, 0, 0}, {255, 255, 255}};
}

void learn_point(Learner& l, float a, int y, uint64_t idx) {
  const float x[3] = {a, 0, 0};
  OpCounter ops;
  l.learn(x, y, idx, ops);
}

}  // namespace

TEST_CASE("anchored softmax: a score at the unit against zeros is 0.9 for any class count") {
  const int s2[2] = {16, 0}, s3[3] = {16, 0, 0}, s10[10] = {16, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK(anchored_confidence(s2, 2, 16.0) == doctest::Approx(0.9));
  CHECK(anchored_confidence(s3, 3, 16.0) == doctest::Approx(0.9));
  CHECK(anchored_confidence(s10, 10, 16.0) == doctest::Approx(0.9));
  const int flat[4] = {5, 5, 5, 5};
  CHECK(anchored_confidence(flat, 4, 16.0) == doctest::Approx(0.25));
  // Two classes at half the unit: 1 / (1 + 9^(−1/2)) = 1 / (1 + 1/3) = 0.75.
  const int half[2] = {0, 8};
  CHECK(anchored_confidence(half, 2, 16.0) == doctest::Approx(0.75));
  // Max-shifted: huge scores do not overflow.
  const double big[2] = {1e6, 1e6 - 1};
  CHECK(softmax_top(big, 2, 1.0) == doctest::Approx(1.0 / (1.0 + std::exp(-1.0))));
  const int one[1] = {3};
  CHECK(softmax_top(one, 1, 1.0) == 1.0);
}

TEST_CASE("knn confidence is the vote fraction of the winning class (hand-counted)") {
  KnnConfig cfg;
  cfg.k = 3;
  cfg.add = KnnAddRule::All;
  KnnLearner knn(cfg, pixels3());
  OpCounter ops;
  const float q[3] = {10, 0, 0};
  knn.predict(q, ops);
  CHECK(knn.confidence() == doctest::Approx(1.0 / 3));  // empty KB: no opinion, 1/C
  // Entries at 9 (class 1), 11 (class 1), 12 (class 2), 200 (class 0): the 3
  // nearest to 10 are 9, 11, 12 → votes {1: 2, 2: 1}: predicts 1 at 2/3.
  learn_point(knn, 9, 1, 0);
  learn_point(knn, 11, 1, 1);
  learn_point(knn, 12, 2, 2);
  learn_point(knn, 200, 0, 3);
  CHECK(knn.predict(q, ops) == 1);
  CHECK(knn.confidence() == doctest::Approx(2.0 / 3));
  // Near 200 the neighbours are 200 (0), 12 (2), 11 (1): three classes, 1 vote each → 1/3.
  const float far[3] = {199, 0, 0};
  CHECK(knn.predict(far, ops) == 0);
  CHECK(knn.confidence() == doctest::Approx(1.0 / 3));
  // Unanimous: 1.
  learn_point(knn, 10, 1, 4);
  knn.predict(q, ops);
  CHECK(knn.confidence() == doctest::Approx(1.0));
}

TEST_CASE("tifed confidence: anchored softmax of the output activations (hand-computed)") {
  TifedConfig cfg;
  cfg.hidden = 3;
  TifedLearner net(cfg, {2, 2, {0.f, 0.f}, {255.f, 255.f}});
  OpCounter ops;
  const float x[2] = {228.f, 78.f};
  net.predict(x, ops);
  CHECK(net.confidence() == doctest::Approx(0.5));  // zero init: equal outputs
  // The 2-3-2 network of test_learners_tifed.cpp gives outputs (91, −54) on
  // this sample (hand-computed there). Unit 16, C = 2: ℓ = y·ln 9 / 16, so
  // confidence = 1 / (1 + 9^(−145/16)).
  net.import_params({512, -300, 10, 0, 700, -30, 0, 7, -1}, 0);
  net.import_params({300, -200, -100, 50, 0, 1000, 5, -5}, 1);
  CHECK(net.predict(x, ops) == 0);
  const double expected = 1.0 / (1.0 + std::pow(9.0, -145.0 / 16.0));
  CHECK(net.confidence() == doctest::Approx(expected).epsilon(1e-12));
  CHECK(net.confidence() < 1.0);
  // A zero output layer: equal outputs again.
  net.import_params({0, 0, 0, 0, 0, 0, 0, 0}, 1);
  net.predict(x, ops);
  CHECK(net.confidence() == doctest::Approx(0.5));
}

TEST_CASE(
    "ncm confidence: softmax of negative squared distances, temperature d/6 before any "
    "within-class distance") {
  NcmConfig cfg;
  NcmLearner ncm(cfg, {1, 2, {0.f}, {1.f}}, 1);
  OpCounter ops;
  const float a[1] = {0.f}, b[1] = {1.f}, q[1] = {0.25f};
  ncm.predict(q, ops);
  CHECK(ncm.confidence() == doctest::Approx(0.5));  // no prototype: 1/C
  ncm.learn(a, 0, 0, ops);                          // first samples: no within-class distance
  ncm.learn(b, 1, 1, ops);
  CHECK(ncm.reservoir_size() == 0);
  CHECK(ncm.predict(q, ops) == 0);
  // d² = 0.0625 to class 0, 0.5625 to class 1; τ = 1/6:
  // p = 1 / (1 + exp(−(0.5625 − 0.0625)·6)) = 1 / (1 + e^−3).
  CHECK(ncm.confidence() == doctest::Approx(1.0 / (1.0 + std::exp(-3.0))));
}

TEST_CASE("every learner of the catalog reports a confidence in [0, 1]") {
  const StreamInfo info{3, 3, {0, 0, 0}, {10, 10, 10}};
  for (const auto& c : learner_catalog()) {
    CAPTURE(c.name);
    auto learner = make_learner({c.name, default_params(c.params), {}}, info, 7);
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(0.f, 10.f);
    OpCounter ops;
    for (int i = 0; i < 300; ++i) {
      const float x[3] = {u(rng), u(rng), u(rng)};
      const int y = x[0] < 3.3f ? 0 : (x[0] < 6.6f ? 1 : 2);
      learner->predict(x, ops);
      const double conf = learner->confidence();
      CHECK(conf >= 0.0);
      CHECK(conf <= 1.0);
      learner->learn(x, y, static_cast<uint64_t>(i), ops);
    }
  }
}
