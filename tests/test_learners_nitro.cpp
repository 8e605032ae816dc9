// Tests of the NITRO-D integer MLP (learners/nitro.hpp, kernels.md §2).
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "learners/nitro.hpp"

using namespace tinyfleet;

namespace {

NitroConfig tiny_config() {
  NitroConfig c;
  c.hidden = {2};
  c.lr_inv = 8;
  c.decay_fwd = 250;
  c.decay_learn = 100;
  c.batch = 1;
  c.buffer = 1;
  return c;
}

StreamInfo info2() {
  return {2, 2, {-1.f, -1.f}, {1.f, 1.f}};
}

struct Blobs {
  std::mt19937 rng;
  std::normal_distribution<float> n{0.f, 0.6f};
  explicit Blobs(unsigned seed) : rng(seed) {}
  int next(float* x) {
    const int y = static_cast<int>(rng() & 1u);
    const float c = y ? 1.f : -1.f;
    x[0] = c + n(rng);
    x[1] = -c + n(rng);
    return y;
  }
};

double accuracy(NitroLearner& l, unsigned seed, int n) {
  Blobs b(seed);
  OpCounter ops;
  float x[2];
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    const int y = b.next(x);
    ok += l.predict(x, ops) == y ? 1 : 0;
  }
  return static_cast<double>(ok) / n;
}

}  // namespace

TEST_CASE("nitro: integer kernels and truncation on negative numbers") {
  // NITRO scaling truncates toward zero (kernels.md §0) and clips to ±127.
  CHECK(NitroLearner::nitro_scale(-300, 256) == -1);  // floor would give −2
  CHECK(NitroLearner::nitro_scale(300, 256) == 1);
  CHECK(NitroLearner::nitro_scale(-255, 256) == 0);
  CHECK(NitroLearner::nitro_scale(-80000, 512) == -127);
  CHECK(NitroLearner::nitro_scale(80000, 512) == 127);
  // NITRO-LeakyReLU, α_inv = 4, −36.
  CHECK(NitroLearner::leaky_relu(-5) == -37);  // trunc(−5/4) = −1
  CHECK(NitroLearner::leaky_relu(-3) == -36);  // trunc(−3/4) = 0
  CHECK(NitroLearner::leaky_relu(-127) == -67);
  CHECK(NitroLearner::leaky_relu(0) == -36);
  CHECK(NitroLearner::leaky_relu(127) == 91);
  CHECK(NitroLearner::leaky_grad_inv(-127) == 4);
  CHECK(NitroLearner::leaky_grad_inv(-1) == 4);
  CHECK(NitroLearner::leaky_grad_inv(0) == 1);
  CHECK(NitroLearner::leaky_grad_inv(126) == 1);
  CHECK(NitroLearner::leaky_grad_inv(127) == 2147483647);
  // Integer Kaiming bound.
  CHECK(NitroLearner::kaiming_bound(784) == 10);
  CHECK(NitroLearner::kaiming_bound(1) == 64);
  CHECK(NitroLearner::kaiming_bound(200) == 21);  // 304166912 / 14e6
  CHECK(NitroLearner::isqrt(783) == 27);
  // Input quantisation truncates toward zero: [−1, 1] → ±127.
  NitroLearner l(tiny_config(), info2(), 1);
  OpCounter ops;
  const float x[2] = {0.5f, -0.5f};
  int8_t q[2];
  l.quantise(x, q, ops);
  CHECK(q[0] == 63);
  CHECK(q[1] == -63);
  const float y[2] = {5.f, -5.f};
  l.quantise(y, q, ops);
  CHECK(q[0] == 127);
  CHECK(q[1] == -127);
  CHECK(ops[Op::Fp32Mac] == 4);
  CHECK(ops[Op::Compare] == 8);
  CHECK(ops[Op::Store] == 4);
}

TEST_CASE("nitro: hand-computed forward and one IntegerSGD step") {
  NitroLearner l(tiny_config(), info2(), 1);
  l.forward_weights(0) = {600, 300, -700, 200};
  l.learning_weights(0) = {1000, -500, -300, 800};
  l.output_weights() = {400, 100, -200, 300};
  const int8_t x[2] = {100, -50};
  // Block: z = (45000, −80000), SF 512 → s = (87, −127), h = (51, −67).
  // Output: z = (13700, −30300) → ŷ = (26, −59).
  OpCounter ops;
  int8_t out[2];
  CHECK(l.predict_quantised(x, ops, out) == 0);
  CHECK(out[0] == 26);
  CHECK(out[1] == -59);
  CHECK(ops[Op::Int32Mac] == 8);
  CHECK(ops[Op::Load] == 14);
  CHECK(ops[Op::Div] == 5);
  CHECK(ops[Op::Compare] == 11);
  CHECK(ops[Op::Add] == 2);
  CHECK(ops[Op::Store] == 6);
  CHECK(ops[Op::Int8Mac] == 0);

  // Learning layer: ŷ_1 = clip((84500, −68900)/512) = (127, −127); y = 0,
  // t = (32, 0) → δ = (95, −127). δ_h = δ·W_p = (133100, −149100);
  // g = (1, 4) → δ_z = (133100, −37275).
  // W_p −= trunc(δᵀh/8) + trunc(W_p/100); W −= trunc(δ_zᵀx/(8·128)) + trunc(W/250);
  // W_o from δ = (26−32, −59) = (−6, −59) on h.
  const int y = 0;
  OpCounter t;
  l.train_minibatch(x, &y, 1, t);
  CHECK(l.learning_weights(0) == std::vector<int32_t>{385, 300, 512, -271});
  CHECK(l.forward_weights(0) == std::vector<int32_t>{-12400, 6798, 2942, -1620});
  CHECK(l.output_weights() == std::vector<int32_t>{434, 49, 178, -197});
  // Op counts of the step (N = 1, d = H = C = 2):
  // block fwd 4 + learn fwd 4 + δ_h 4 + sgd 4+4 + out fwd 4 + sgd 4 = 28 MACs.
  CHECK(t[Op::Int32Mac] == 28);
  // Div: block fwd 2 + leaky 1 + learn fwd 2 + δ_z 2 + sgd 3·4·2 + out fwd 2 = 33.
  CHECK(t[Op::Div] == 33);
}

TEST_CASE("nitro: learns two Gaussian blobs; deterministic per seed") {
  NitroConfig c;  // defaults: hidden 64, batch = buffer = 16
  c.lr_inv = 64;
  NitroLearner a(c, {2, 2, {-3.f, -3.f}, {3.f, 3.f}}, 7);
  NitroLearner b(c, {2, 2, {-3.f, -3.f}, {3.f, 3.f}}, 7);
  NitroLearner other(c, {2, 2, {-3.f, -3.f}, {3.f, 3.f}}, 8);
  CHECK(a.forward_weights(0) == b.forward_weights(0));
  CHECK(a.forward_weights(0) != other.forward_weights(0));
  const double before = accuracy(a, 99, 400);
  Blobs s(3);
  OpCounter oa, ob;
  float x[2];
  for (int i = 0; i < 3000; ++i) {
    const int y = s.next(x);
    a.learn(x, y, static_cast<uint64_t>(i), oa);
    b.learn(x, y, static_cast<uint64_t>(i), ob);
  }
  const double after = accuracy(a, 99, 400);
  MESSAGE("blobs accuracy before " << before << " after " << after);
  CHECK(after > 0.9);
  CHECK(after > before);
  CHECK(oa.n == ob.n);
  CHECK(a.output_weights() == b.output_weights());
  CHECK(a.forward_weights(0) == b.forward_weights(0));
  a.freeze();
  const auto w = a.output_weights();
  for (int i = 0; i < 64; ++i) {
    const int y = s.next(x);
    a.learn(x, y, 0, oa);
  }
  CHECK(a.output_weights() == w);
  CHECK_THROWS_AS(b.learn(x, 2, 0, ob), std::out_of_range);
}

TEST_CASE("nitro: memory formula") {
  NitroLearner t(tiny_config(), info2(), 1);
  // 4·12 weights + 1·(2+1) buffer + 1·2·7 + 1·2·2 + (2+4+2) + 16 + 32.
  CHECK(t.memory_bytes() == 125);
  NitroConfig c;
  c.hidden = {200, 100, 50};
  c.batch = 64;
  c.buffer = 128;
  StreamInfo fm{784, 10, std::vector<float>(784, 0.f), std::vector<float>(784, 255.f)};
  NitroLearner p(c, fm, 1);
  CHECK(p.blocks() == 3);
  const std::size_t w = 784 * 200 + 200 * 10 + 200 * 100 + 100 * 10 + 100 * 50 + 50 * 10 + 50 * 10;
  CHECK(p.memory_bytes() ==
        4 * w + 128 * (784 + 1) + 64 * 200 * 7 + 64 * 10 * 2 + (784 + 400 + 10) + 8 * 784 + 32);
}

namespace {

// Prequential accuracy over the n samples after an abrupt class swap (y → 1 − y)
// at sample `pre`, the drift reported to the net `delay` samples after it.
double swap_recovery(NitroDriftAction action, uint64_t seed, int pre, int delay, int n,
                     int lr_inv) {
  NitroConfig c;
  c.lr_inv = lr_inv;
  c.on_drift = action;
  NitroLearner net(c, {2, 2, {-3.f, -3.f}, {3.f, 3.f}}, seed);
  Blobs s(static_cast<unsigned>(seed) + 100);
  OpCounter ops;
  float x[2];
  int ok = 0;
  for (int i = 0; i < pre + delay + n; ++i) {
    const int y = i < pre ? s.next(x) : 1 - s.next(x);
    if (i == pre + delay) net.on_drift({static_cast<uint64_t>(i), static_cast<uint64_t>(pre)}, ops);
    ok += i >= pre + delay && net.predict(x, ops) == y;
    net.learn(x, y, static_cast<uint64_t>(i), ops);
  }
  return static_cast<double>(ok) / n;
}

}  // namespace

TEST_CASE("nitro: on_drift resets re-draw the seeded init and are costed") {
  NitroConfig c;
  c.hidden = {8, 4};
  c.lr_inv = 16;
  c.buffer = 4;
  c.batch = 4;
  const StreamInfo info{2, 3, {-3.f, -3.f}, {3.f, 3.f}};
  for (auto action : {NitroDriftAction::ResetHead, NitroDriftAction::Reset}) {
    c.on_drift = action;
    NitroLearner net(c, info, 5);
    CHECK(net.adapts_on_drift());
    const auto f0 = net.forward_weights(0), f1 = net.forward_weights(1),
               l0 = net.learning_weights(0), o = net.output_weights();
    Blobs s(4);
    OpCounter ops;
    float x[2];
    for (int i = 0; i < 402; ++i) net.learn(x, s.next(x), static_cast<uint64_t>(i), ops);
    CHECK(net.buffered() == 2);
    CHECK(net.output_weights() != o);
    CHECK(net.forward_weights(0) != f0);
    const auto trained_f0 = net.forward_weights(0);
    OpCounter reset;
    net.on_drift({402, 400}, reset);
    CHECK(net.buffered() == 0);
    CHECK(net.output_weights() == o);
    const uint64_t head = 4 * 3;
    const uint64_t all = head + 2 * 8 + 8 * 3 + 8 * 4 + 4 * 3;
    const uint64_t drawn = action == NitroDriftAction::Reset ? all : head;
    if (action == NitroDriftAction::Reset) {
      CHECK(net.forward_weights(0) == f0);
      CHECK(net.forward_weights(1) == f1);
      CHECK(net.learning_weights(0) == l0);
    } else {
      CHECK(net.forward_weights(0) == trained_f0);  // the blocks keep their features
    }
    CHECK(reset[Op::Add] == 5 * drawn);
    CHECK(reset[Op::Int32Mac] == drawn);
    CHECK(reset[Op::Store] == drawn + 1);
    CHECK(reset.total() == 7 * drawn + 1);
  }
  c.on_drift = NitroDriftAction::None;
  NitroLearner none(c, info, 5);
  CHECK_FALSE(none.adapts_on_drift());
  const auto o = none.output_weights();
  OpCounter ops;
  none.on_drift({1, 0}, ops);
  CHECK(ops.total() == 0);
  CHECK(none.output_weights() == o);
  c.on_drift = NitroDriftAction::Reset;
  NitroLearner r(c, info, 5);
  CHECK(r.memory_bytes() == none.memory_bytes() + 16);  // the two saved RNG states
  r.freeze();
  r.on_drift({1, 0}, ops);
  CHECK(ops.total() == 0);
}

TEST_CASE("nitro: after an abrupt class swap, reset_head recovers better than none") {
  // The paper's η_inv = 512. Swap at sample 3000, detected 20 samples later;
  // prequential accuracy over the next 300 samples, mean over 5 seeds.
  // Passive IntegerSGD must first unlearn the swapped output weights; a
  // re-drawn head starts from its small init on block features that still
  // separate the classes; a full reset must relearn those features too.
  double none = 0, head = 0, full = 0;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    none += swap_recovery(NitroDriftAction::None, seed, 3000, 20, 300, 512) / 5;
    head += swap_recovery(NitroDriftAction::ResetHead, seed, 3000, 20, 300, 512) / 5;
    full += swap_recovery(NitroDriftAction::Reset, seed, 3000, 20, 300, 512) / 5;
  }
  MESSAGE("accuracy after the swap: none " << none << " reset_head " << head << " reset " << full);
  CHECK(head > none + 0.15);
}
