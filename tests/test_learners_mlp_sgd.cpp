// Tests of the float MLP learner (learners/mlp_sgd.hpp): SGD with momentum by
// hand, buffered training, federation export/import as fp32 bit patterns.
#include <doctest/doctest.h>

#include "tests/support/blobs.hpp"

#include <bit>
#include <cmath>
#include <vector>

#include "learners/mlp_sgd.hpp"

using namespace tinyfleet;
using namespace tinyfleet::testing;

namespace {
StreamInfo square10() {
  return {2, 2, {0.f, 0.f}, {10.f, 10.f}};
}
MlpSgdConfig small(int buffer = 10) {
  MlpSgdConfig c;
  c.hidden = 8;
  c.buffer = buffer;
  c.batch = 5;
  c.epochs_per_batch = 5;
  return c;
}
}  // namespace

TEST_CASE("SGD with momentum: v = mu v + g, theta -= lr v, only over the given range") {
  FloatMlp net(1, 1, 2, 0.1f, 3);
  net.theta() = {0.5f, 0.f, 1.f, -1.f, 0.f, 0.f};  // W1, b1, W2 (2×1), b2
  OpCounter ops;
  const float x = 1.f;
  net.zero_grad(ops);
  net.accumulate(&x, 0, 1.f, ops);
  const std::vector<float> g = net.grad(), before = net.theta();
  net.sgd_step(0.1f, 0.5f, 0, 6, ops);
  for (std::size_t i = 0; i < 6; ++i)
    CHECK(net.theta()[i] == doctest::Approx(before[i] - 0.1f * g[i]));
  // Second step with the same gradient: v = 0.5·g + g = 1.5·g.
  const std::vector<float> mid = net.theta();
  net.sgd_step(0.1f, 0.5f, 2, 6, ops);  // layer 1 only
  CHECK(net.theta()[0] == mid[0]);
  CHECK(net.theta()[1] == mid[1]);
  for (std::size_t i = 2; i < 6; ++i)
    CHECK(net.theta()[i] == doctest::Approx(mid[i] - 0.15f * g[i]));
  OpCounter step;
  net.sgd_step(0.1f, 0.5f, 0, 6, step);
  CHECK(step[Op::Fp32Mac] == 12);
  CHECK(step[Op::Load] == 18);
  CHECK(step[Op::Store] == 12);
}

TEST_CASE("mlp learner: learns separable blobs through its buffer") {
  MlpSgdLearner net(small(), square10());
  Blobs b(5, 2.f, 8.f);
  OpCounter ops;
  for (int i = 0; i < 400; ++i) {
    const int y = b.next();
    net.learn(b.x, y, static_cast<uint64_t>(i), ops);
  }
  CHECK(net.buffered() == 0);  // 400 = 40 full buffers
  CHECK(blob_accuracy(net, Blobs(9, 2.f, 8.f), 500) > 0.95);
  CHECK(ops[Op::Fp32Mac] > 0);
}

TEST_CASE("mlp learner: federation words are the fp32 bit patterns, per layer") {
  MlpSgdLearner a(small(), square10()), b(small(), square10());
  CHECK(a.float_params());
  CHECK(a.wire_bytes_per_param() == 4);
  CHECK(a.layers() == 2);
  CHECK(a.param_count(0) == 8 * 2 + 8);
  CHECK(a.param_count(1) == 2 * 8 + 2);
  CHECK(a.param_count() == 42);
  const auto w = a.export_params();
  for (std::size_t i = 0; i < w.size(); ++i)
    CHECK(std::bit_cast<float>(w[i]) == a.net().theta()[i]);
  // Same init_seed, same initial model (every member of a federation starts equal).
  CHECK(b.export_params() == w);
  std::vector<int32_t> l1(18, std::bit_cast<int32_t>(0.25f));
  a.import_params(l1, 1);
  CHECK(a.net().theta()[24] == 0.25f);
  CHECK(a.net().theta()[23] == std::bit_cast<float>(w[23]));
  CHECK_THROWS(a.import_params(l1, 0));
}

TEST_CASE("mlp learner, federated: keeps the newest samples; a round trains the session set") {
  MlpSgdLearner net(small(4), square10());
  net.set_federated(false);
  Blobs b(1, 2.f, 8.f);
  OpCounter ops;
  for (int i = 0; i < 6; ++i) {
    const int y = b.next();
    net.learn(b.x, y, 0, ops);
  }
  CHECK(net.buffered() == 4);
  const auto w0 = net.export_params();
  net.begin_session();
  CHECK(net.session_samples() == 4);
  net.learn(b.x, b.next(), 0, ops);  // a full buffer drops its oldest, also from the session set
  CHECK(net.session_samples() == 3);
  net.train_round(1, -1, ops);
  CHECK(net.export_params() != w0);
  net.end_session(true);
  CHECK(net.buffered() == 1);
  CHECK(net.session_samples() == 1);
}
