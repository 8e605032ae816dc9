// Tests of the TinyOL last-layer online learner (learners/tinyol.hpp).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "learners/tinyol.hpp"

using namespace tinyfleet;

namespace {

StreamInfo unit_info(int d, int classes) {
  return {d, classes, std::vector<float>(static_cast<std::size_t>(d), 0.f),
          std::vector<float>(static_cast<std::size_t>(d), 1.f)};
}

TinyOlConfig cfg(int features_out, double lr, double l2 = 0) {
  TinyOlConfig c;
  c.features_out = features_out;
  c.lr = lr;
  c.l2 = l2;
  return c;
}

// Accuracy over the last `tail` of n prequential steps on x ~ U[0,1]^d.
template <class Label>
double prequential(TinyOlLearner& l, int d, int n, int tail, Label label, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  std::vector<float> x(static_cast<std::size_t>(d));
  OpCounter ops;
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    for (auto& v : x) v = u(rng);
    const int y = label(x);
    if (i >= n - tail) ok += l.predict(x.data(), ops) == y;
    l.learn(x.data(), y, static_cast<uint64_t>(i), ops);
  }
  return static_cast<double>(ok) / tail;
}

}  // namespace

TEST_CASE("tinyol: one SGD step of the binary output unit, by hand") {
  TinyOlLearner t(cfg(0, 0.5, 0.1), unit_info(2, 2), 1);
  REQUIRE(t.outputs() == 1);
  t.weights() = {0.2f, -0.4f, 0.1f};  // w0, w1, b
  const float x[2] = {1.f, 0.5f};
  OpCounter ops;
  t.learn(x, 1, 0, ops);
  // z = 0.2 − 0.2 + 0.1 = 0.1; p = σ(0.1) = 0.5249792; δ = p − 1 = −0.4750208.
  // w0 ← 0.2 − 0.5·(δ·1 + 0.1·0.2) = 0.4275104
  // w1 ← −0.4 − 0.5·(δ·0.5 + 0.1·(−0.4)) = −0.2612448
  // b  ← 0.1 − 0.5·δ = 0.3375104
  CHECK(t.weights()[0] == doctest::Approx(0.4275104).epsilon(1e-6));
  CHECK(t.weights()[1] == doctest::Approx(-0.2612448).epsilon(1e-6));
  CHECK(t.weights()[2] == doctest::Approx(0.3375104).epsilon(1e-6));
  // scaler 2 + layer 2 + sigmoid 9 + SGD (1 δ + 2·2 weights + 1 bias).
  CHECK(ops[Op::Fp32Mac] == 2 + 2 + kExpFp32Macs + 1 + 6);
  CHECK(ops[Op::Div] == 1);
  CHECK(ops[Op::Load] == 4 + 5 + 8);
  CHECK(ops[Op::Store] == 2 + 1 + 3);
  CHECK(ops[Op::Compare] == 0);
  OpCounter p;
  CHECK(t.predict(x, p) == 1);  // z = 0.4275 − 0.1306 + 0.3375 > 0
  CHECK(p[Op::Compare] == 1);
}

TEST_CASE("tinyol: one softmax SGD step (3 classes), by hand") {
  TinyOlLearner t(cfg(0, 1.0), unit_info(2, 3), 1);
  REQUIRE(t.outputs() == 3);
  const float x[2] = {1.f, 0.f};
  OpCounter ops;
  CHECK(t.predict(x, ops) == 0);  // zero weights: uniform, ties → class 0
  t.learn(x, 2, 0, ops);
  // p = (1/3, 1/3, 1/3); δ = (1/3, 1/3, −2/3); W_k ← −δ_k·x, b_k ← −δ_k.
  const std::vector<float> want = {-1.f / 3, 0.f,      -1.f / 3, 0.f,    2.f / 3,
                                   0.f,      -1.f / 3, -1.f / 3, 2.f / 3};
  REQUIRE(t.weights().size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i)
    CHECK(t.weights()[i] == doctest::Approx(want[i]).epsilon(1e-6));
  CHECK(t.predict(x, ops) == 2);
}

TEST_CASE("tinyol learns online: linear boundary, random-feature front end, 3 classes") {
  auto diag = [](const std::vector<float>& x) { return x[0] + x[1] > 1.f ? 1 : 0; };
  TinyOlLearner raw(cfg(0, 0.5), unit_info(2, 2), 1);
  TinyOlLearner early(cfg(0, 0.5), unit_info(2, 2), 1);
  const double acc_early = prequential(early, 2, 50, 50, diag, 3);
  const double acc = prequential(raw, 2, 4000, 1000, diag, 3);
  MESSAGE("tinyol raw: first 50 " << acc_early << ", last 1000 " << acc);
  CHECK(acc > 0.93);
  CHECK(acc > acc_early);

  // A non-linear (XOR-like) concept needs the frozen random ReLU features.
  auto quad = [](const std::vector<float>& x) { return (x[0] > 0.5f) != (x[1] > 0.5f) ? 1 : 0; };
  TinyOlLearner lin(cfg(0, 0.2), unit_info(2, 2), 1);
  TinyOlLearner rf(cfg(64, 0.2), unit_info(2, 2), 1);
  const double acc_lin = prequential(lin, 2, 20000, 2000, quad, 5);
  const double acc_rf = prequential(rf, 2, 20000, 2000, quad, 5);
  MESSAGE("tinyol XOR: linear " << acc_lin << ", 64 random features " << acc_rf);
  CHECK(acc_lin < 0.7);
  CHECK(acc_rf > 0.8);

  auto third = [](const std::vector<float>& x) {
    return x[0] < 1.f / 3 ? 0 : (x[0] < 2.f / 3 ? 1 : 2);
  };
  TinyOlLearner soft(cfg(0, 1.0), unit_info(2, 3), 1);
  const double acc3 = prequential(soft, 2, 20000, 2000, third, 7);
  MESSAGE("tinyol 3 classes: " << acc3);
  CHECK(acc3 > 0.85);
}

TEST_CASE("tinyol: the frozen projection is seeded and frozen; determinism; memory") {
  TinyOlLearner a(cfg(16, 0.1), unit_info(3, 2), 5), b(cfg(16, 0.1), unit_info(3, 2), 5),
      c(cfg(16, 0.1), unit_info(3, 2), 6);
  CHECK(a.projection() == b.projection());
  CHECK(a.projection() != c.projection());
  REQUIRE(a.projection().size() == 16 * 3 + 16);
  const auto proj = a.projection();
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  OpCounter oa, ob;
  for (int i = 0; i < 200; ++i) {
    const float x[3] = {u(rng), u(rng), u(rng)};
    const int y = x[0] > x[2] ? 1 : 0;
    CHECK(a.predict(x, oa) == b.predict(x, ob));
    a.learn(x, y, static_cast<uint64_t>(i), oa);
    b.learn(x, y, static_cast<uint64_t>(i), ob);
  }
  CHECK(a.weights() == b.weights());
  CHECK(oa.n == ob.n);
  CHECK(a.projection() == proj);  // never trained

  // Memory: 4·(D + 1)·K + 4·(F·d + F) + 4·(d·[F > 0] + D + K) + 8·d + state.
  CHECK(a.memory_bytes() ==
        4 * 17 * 1 + 4 * (48 + 16) + 4 * (3 + 16 + 1) + 24 + TinyOlLearner::kStateBytes);
  TinyOlLearner r(cfg(0, 0.1), unit_info(3, 4), 1);
  CHECK(r.memory_bytes() == 4 * 4 * 4 + 4 * (3 + 4) + 24 + TinyOlLearner::kStateBytes);

  // Frozen learners stop updating; bad labels throw.
  const float x[3] = {0.5f, 0.5f, 0.5f};
  OpCounter ops;
  r.freeze();
  r.learn(x, 1, 0, ops);
  CHECK(ops.total() == 0);
  CHECK_THROWS_AS(a.learn(x, 2, 0, ops), std::out_of_range);
}
