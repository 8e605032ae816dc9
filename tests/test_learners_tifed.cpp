// Tests of the TIFeD integer DFA learner (learners/tifed.hpp, kernels.md §1).
#include <doctest/doctest.h>

#include "tests/support/blobs.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "learners/tifed.hpp"

using namespace tinyfleet;

namespace {

// The 2-3-2 network of the hand computation below. With lo 0 / hi 255 the
// quantiser is q = round(x) − 128, so x = (228, 78) is q = (100, −50).
TifedConfig tiny_config(TifedArithmetic a = TifedArithmetic::Tifed) {
  TifedConfig c;
  c.hidden = 3;
  c.eta_inv = 4;
  c.batch = 1;
  c.buffer = 1;
  c.epochs_per_batch = 1;
  c.arithmetic = a;
  return c;
}

StreamInfo pixels2() {
  return {2, 2, {0.f, 0.f}, {255.f, 255.f}};
}

TifedLearner tiny_net(TifedArithmetic a = TifedArithmetic::Tifed) {
  TifedLearner net(tiny_config(a), pixels2());
  // Layer 0 (2×3): W1 = [[512, −300, 10], [0, 700, −30]], b1 = [0, 7, −1].
  // Layer 1 (3×2): W2 = [[300, −200], [−100, 50], [0, 1000]], b2 = [5, −5].
  net.import_params({512, -300, 10, 0, 700, -30, 0, 7, -1}, 0);
  net.import_params({300, -200, -100, 50, 0, 1000, 5, -5}, 1);
  // B (C×H = 2×3) = [[1, −2, 3], [−1, 0, 2]].
  net.set_feedback(1, {1, -2, 3, -1, 0, 2});
  return net;
}

// Two blobs, class 0 around (3., 3.), class 1 around (7., 7.).
struct Blobs : testing::Blobs {
  explicit Blobs(unsigned seed) : testing::Blobs(seed, 3.f, 7.f) {}
};

double accuracy(TifedLearner& net, unsigned seed, int n) {
  return testing::blob_accuracy(net, Blobs(seed), n);
}

TifedConfig blob_config() {
  TifedConfig c;
  c.hidden = 16;
  c.eta_inv = 256;
  c.batch = 10;
  c.buffer = 20;
  c.epochs_per_batch = 2;
  return c;
}

StreamInfo blob_info() {
  return {2, 2, {0.f, 0.f}, {10.f, 10.f}};
}

}  // namespace

TEST_CASE("tifed: floor vs truncation on negative numbers (kernels.md §0)") {
  CHECK(floor_div(-7, 2) == -4);
  CHECK(trunc_div(-7, 2) == -3);
  CHECK(floor_div(7, 2) == 3);
  CHECK(floor_div(-8, 2) == -4);
  CHECK(floor_div(-1, 2048) == -1);  // a tiny negative gradient still moves W by one
  CHECK(trunc_div(-1, 2048) == 0);   // ... but vanishes under truncation
  CHECK(floor_div(7, -2) == -4);
  CHECK(floor_div(0, 5) == 0);
  CHECK(tifed_isqrt(12 * 32767 / 210) == 43);  // kernels.md: r = 43 for 10×200
  CHECK(tifed_isqrt(12 * 32767 / 60) == 80);   // r = 80 for 10×50
  CHECK(tifed_isqrt(16) == 4);
  CHECK(tifed_isqrt(15) == 3);
}

TEST_CASE("tifed: pocket tanh table at every joint") {
  auto y = [](int64_t v, TifedArithmetic a = TifedArithmetic::Tifed) {
    int g = 0;
    uint64_t c = 0, s = 0;
    const int out = TifedLearner::pocket_tanh(v, a, g, c, s);
    return std::pair<int, int>{out, g};
  };
  using P = std::pair<int, int>;
  CHECK(y(1000) == P{128, 128});
  CHECK(y(128) == P{128, 128});
  CHECK(y(127) == P{119, 8});  // floor(127/4) + 88
  CHECK(y(75) == P{106, 8});
  CHECK(y(74) == P{106, 2});
  CHECK(y(32) == P{64, 2});
  CHECK(y(31) == P{62, 1});
  CHECK(y(-31) == P{-62, 1});
  CHECK(y(-32) == P{-64, 2});
  CHECK(y(-74) == P{-106, 2});
  CHECK(y(-75) == P{-107, 8});  // floor(−75/4) = −19 → −107
  CHECK(y(-127) == P{-120, 8});
  CHECK(y(-128) == P{-127, 128});
  // PocketNN: truncation (−75/4 → −18) and saturation at 127 with g 127.
  CHECK(y(-75, TifedArithmetic::PocketNN) == P{-106, 8});
  CHECK(y(500, TifedArithmetic::PocketNN) == P{127, 127});
  CHECK(y(-500, TifedArithmetic::PocketNN) == P{-127, 127});
}

TEST_CASE("tifed: one forward step on a hand-computed 2-3-2 network") {
  TifedLearner net = tiny_net();
  const float x[2] = {228.f, 78.f};
  int8_t q[2];
  OpCounter qops;
  net.quantise(x, q, qops);
  CHECK(q[0] == 100);
  CHECK(q[1] == -50);
  // Hidden: z = (100·512 + 0, 100·(−300) − 50·700 + 7, 100·10 − 50·(−30) − 1)
  //           = (51200, −64993, 2499); v = floor(z / (256·2)) = (100, −127, 4)
  //   → y = (floor(100/4) + 88, floor(−127/4) − 88, 2·4) = (113, −120, 8), g = (8, 8, 1).
  // Output: z = (113·300 + (−120)(−100) + 0 + 5, 113·(−200) + (−120)·50 + 8·1000 − 5)
  //           = (45905, −20605); v = floor(z / (256·3)) = (59, −27)
  //   → y = (59 + 32, 2·(−27)) = (91, −54), g = (2, 1).
  OpCounter ops;
  int16_t out[2];
  CHECK(net.predict_quantised(q, ops, out) == 0);
  CHECK(out[0] == 91);
  CHECK(out[1] == -54);
  // Op counts: 2·3 + 3·2 MACs; one division per unit; compares: pocket-tanh
  // chains (100: 2, −127: 6, 4: 4; 59: 3, −27: 4) + 1 for the argmax.
  CHECK(ops[Op::Int32Mac] == 12);
  CHECK(ops[Op::Div] == 5);
  CHECK(ops[Op::Compare] == 19 + 1);
  CHECK(ops[Op::Load] == (6 + 2 + 3) + (6 + 3 + 2) + 2);
  CHECK(ops[Op::Store] == 2 * 5);

  // PocketNN arithmetic truncates: v = trunc(−64993/512) = −126 → trunc(−126/4) − 88 = −119.
  TifedLearner pk = tiny_net(TifedArithmetic::PocketNN);
  OpCounter o2;
  pk.predict_quantised(q, o2);
  pk.learn(x, 1, 0, o2);
  CHECK(pk.activation(0, 1, 1) == -119);
  CHECK(net.weight(1, 0, 0) == 512);  // predict does not train
}

TEST_CASE("tifed: one DFA update on the hand-computed network, number by number") {
  TifedLearner net = tiny_net();
  const float x[2] = {228.f, 78.f};
  OpCounter ops;
  net.learn(x, 1, 0, ops);  // buffer 1, batch 1, 1 epoch: trains right away
  CHECK(net.minibatches_trained() == 1);
  CHECK(net.activation(0, 1, 0) == 113);
  CHECK(net.activation(0, 1, 1) == -120);
  CHECK(net.activation(0, 1, 2) == 8);
  CHECK(net.grad_inv(0, 1, 0) == 8);
  CHECK(net.grad_inv(0, 1, 2) == 1);
  CHECK(net.activation(0, 2, 0) == 91);
  CHECK(net.activation(0, 2, 1) == -54);
  // t = 16·onehot(1) = (0, 16): e = (91, −70).
  // δ_L = floor(e / g_L) = (floor(91/2), floor(−70/1)) = (45, −70).
  // e·B = (91 − (−70)·(−1)… ) = (91·1 + (−70)(−1), 91·(−2) + 0, 91·3 + (−70)·2) = (161, −182, 133)
  // δ_1 = floor(e·B / g_1) = (floor(161/8), floor(−182/8), 133/1) = (20, −23, 133).
  // η_inv = 4. W1 −= floor(xᵀ·δ_1 / 4):
  //   row 0 (x = 100): floor((2000, −2300, 13300)/4) = (500, −575, 3325)
  //   row 1 (x = −50): floor((−1000, 1150, −6650)/4) = (−250, 287, −1663)
  //   b1 −= floor((20, −23, 133)/4) = (5, −6, 33)
  const std::vector<int32_t> l0 = {512 - 500,  -300 + 575, 10 - 3325, 0 + 250, 700 - 287,
                                   -30 + 1663, 0 - 5,      7 + 6,     -1 - 33};
  CHECK(net.export_params(0) == l0);
  // W2 −= floor(a_1ᵀ·δ_L / 4), a_1 = (113, −120, 8), δ_L = (45, −70):
  //   (5085, −7910)/4 → (1271, −1978); (−5400, 8400)/4 → (−1350, 2100);
  //   (360, −560)/4 → (90, −140); b2 −= floor((45, −70)/4) = (11, −18).
  const std::vector<int32_t> l1 = {300 - 1271, -200 + 1978, -100 + 1350, 50 - 2100,
                                   0 - 90,     1000 + 140,  5 - 11,      -5 + 18};
  CHECK(net.export_params(1) == l1);
  // Truncation would give −22 (δ), 287→287, −1662 (row 1, col 2): the floor matters.
  CHECK(net.weight(1, 1, 2) == 1633);
}

TEST_CASE("tifed: single-layer mode trains only the chosen layer") {
  TifedLearner net = tiny_net();
  net.set_train_layer(1);
  const float x[2] = {228.f, 78.f};
  OpCounter ops;
  const auto before0 = net.export_params(0);
  net.learn(x, 1, 0, ops);
  CHECK(net.export_params(0) == before0);
  CHECK(net.export_params(1) == std::vector<int32_t>{-971, 1778, 1250, -2050, -90, 1140, -6, 13});
  CHECK_THROWS_AS(net.set_train_layer(2), std::invalid_argument);
}

TEST_CASE("tifed: export/import round trip, full network and single layer") {
  TifedConfig c = blob_config();
  TifedLearner a(c, blob_info()), b(c, blob_info());
  Blobs s(3);
  OpCounter ops;
  for (int i = 0; i < 200; ++i) {
    const int y = s.next();
    a.learn(s.x, y, static_cast<uint64_t>(i), ops);
  }
  const auto full = a.export_params();
  CHECK(full.size() == a.param_count());
  CHECK(full.size() == (2 + 1) * 16 + (16 + 1) * 2);
  CHECK(std::any_of(full.begin(), full.end(), [](int32_t v) { return v != 0; }));
  // Single layer: only layer 1 moves over.
  b.import_params(a.export_params(1), 1);
  CHECK(b.export_params(1) == a.export_params(1));
  CHECK(std::all_of(b.export_params(0).begin(), b.export_params(0).end(),
                    [](int32_t v) { return v == 0; }));
  // Full network: identical parameters, identical predictions.
  b.import_params(full);
  CHECK(b.export_params() == full);
  Blobs t(9);
  for (int i = 0; i < 100; ++i) {
    t.next();
    OpCounter o1, o2;
    CHECK(a.predict(t.x, o1) == b.predict(t.x, o2));
  }
  // FedAvg-style mean of identical models is the model itself.
  std::vector<int32_t> mean(full.size());
  for (std::size_t i = 0; i < full.size(); ++i) mean[i] = (full[i] + full[i]) / 2;
  b.import_params(mean);
  CHECK(b.export_params() == full);
  CHECK_THROWS_AS(b.import_params(std::vector<int32_t>(3)), std::invalid_argument);
  CHECK_THROWS_AS(b.import_params(full, 0), std::invalid_argument);
  CHECK_THROWS_AS(b.export_params(2), std::invalid_argument);
}

TEST_CASE("tifed: accuracy rises on a learnable stream (two Gaussian blobs)") {
  TifedLearner net(blob_config(), blob_info());
  const double before = accuracy(net, 77, 500);
  Blobs s(5);
  OpCounter ops;
  for (int i = 0; i < 2000; ++i) {
    const int y = s.next();
    net.learn(s.x, y, static_cast<uint64_t>(i), ops);
  }
  const double after = accuracy(net, 77, 500);
  MESSAGE("blobs accuracy before " << before << ", after " << after);
  CHECK(before < 0.6);  // zero weights: every output equal, argmax = class 0
  CHECK(after > 0.95);
  CHECK(ops[Op::Int32Mac] > 0);
  CHECK(ops[Op::Div] > 0);
  CHECK(ops[Op::Fp32Mac] == 2 * 2000);  // quantisation of the learnt samples only
}

TEST_CASE("tifed: on_drift reset returns to the zero init and relearns; none keeps the model") {
  TifedConfig c = blob_config();
  TifedLearner keep(c, blob_info());
  c.reset_on_drift = true;
  TifedLearner reset(c, blob_info());
  CHECK_FALSE(keep.adapts_on_drift());
  CHECK(reset.adapts_on_drift());
  Blobs s(5);
  OpCounter ops;
  for (int i = 0; i < 1005; ++i) {  // 50 full buffers + 5 samples left in the buffer
    const int y = s.next();
    keep.learn(s.x, y, static_cast<uint64_t>(i), ops);
    reset.learn(s.x, y, static_cast<uint64_t>(i), ops);
  }
  REQUIRE(accuracy(reset, 77, 500) > 0.95);
  const auto learnt = keep.export_params();
  OpCounter drift_ops;
  keep.on_drift({1005, 900}, drift_ops);
  CHECK(keep.export_params() == learnt);
  CHECK(drift_ops[Op::Store] == 0);
  reset.on_drift({1005, 900}, drift_ops);
  const auto zeros = reset.export_params();
  CHECK(std::all_of(zeros.begin(), zeros.end(), [](int32_t w) { return w == 0; }));
  CHECK(drift_ops[Op::Store] == zeros.size() + 5);  // every parameter + the 5 buffered samples
  CHECK(reset.buffered() == 0);
  CHECK(accuracy(reset, 77, 500) < 0.6);  // as untrained
  // The swapped concept (labels 1 − y) is learnt from scratch.
  for (int i = 0; i < 2000; ++i) {
    const int y = 1 - s.next();
    reset.learn(s.x, y, static_cast<uint64_t>(1005 + i), ops);
  }
  CHECK(accuracy(reset, 77, 500) < 0.05);  // the old labels are now all wrong
}

TEST_CASE("tifed: deterministic (same config and stream → same parameters and op counts)") {
  TifedConfig c = blob_config();
  c.hidden2 = 8;  // also covers the second hidden layer
  TifedLearner a(c, blob_info()), b(c, blob_info());
  CHECK(a.feedback(1) == b.feedback(1));
  CHECK(a.feedback(2) == b.feedback(2));
  CHECK(a.feedback_range(1) == static_cast<int>(tifed_isqrt(12 * 32767 / (2 + 16))));
  for (int16_t v : a.feedback(1)) {
    CHECK(v >= -a.feedback_range(1));
    CHECK(v < a.feedback_range(1));
  }
  Blobs s1(11), s2(11);
  OpCounter o1, o2;
  for (int i = 0; i < 500; ++i) {
    a.learn(s1.x, s1.next(), 0, o1);
    b.learn(s2.x, s2.next(), 0, o2);
  }
  CHECK(a.export_params() == b.export_params());
  CHECK(o1.n == o2.n);
  c.feedback_seed = 2;
  TifedLearner other(c, blob_info());
  CHECK(other.feedback(1) != a.feedback(1));
}

TEST_CASE("tifed: memory_bytes of 784-200-10 with the reference schedule") {
  TifedConfig c;  // defaults: 200 hidden, batch 25, buffer 50
  StreamInfo info{784, 10, std::vector<float>(784, 0.f), std::vector<float>(784, 255.f)};
  TifedLearner net(c, info);
  // (785·200 + 201·10; kernels.md §1(c) prints 158,010, an arithmetic slip of its formula)
  CHECK(net.param_count() == 159010);
  const std::size_t weights = (785 * 200 + 201 * 10) * 4;  // int32
  const std::size_t fb = 10 * 200;                         // int8 (r = 43)
  const std::size_t acts = 25 * 210 * (2 + 1 + 4) + 25 * 10 * 2;
  const std::size_t buffer = 50 * (784 + 1);
  const std::size_t scratch = 784 + 210 * 2 + 8 * 784 + TifedLearner::kStateBytes;
  CHECK(net.memory_bytes() == weights + fb + acts + buffer + scratch);
  CHECK(net.feedback_range(1) == 43);
}

TEST_CASE("tifed: registry, params, frozen and bad labels") {
  bool found = false;
  for (const auto& c : learner_catalog()) found = found || c.name == "tifed";
  REQUIRE(found);
  Params p;
  for (const auto& c : learner_catalog())
    if (c.name == "tifed") p = default_params(c.params);
  const TifedConfig c = TifedLearner::config_from(p);
  CHECK(c.hidden == 200);
  CHECK(c.eta_inv == 2048);
  CHECK(c.arithmetic == TifedArithmetic::Tifed);
  auto l = make_learner({"tifed", p, {}}, blob_info(), 1);
  OpCounter ops;
  const float x[2] = {1.f, 2.f};
  CHECK_THROWS_AS(l->learn(x, 2, 0, ops), std::out_of_range);
  l->freeze();
  l->learn(x, 1, 0, ops);
  CHECK(ops.total() == 0);
  CHECK_FALSE(l->adapts_on_drift());
  TifedConfig bad = blob_config();
  bad.train_layer = 2;
  CHECK_THROWS_AS(TifedLearner(bad, blob_info()), std::invalid_argument);
}
