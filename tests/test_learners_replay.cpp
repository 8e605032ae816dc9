// Tests of quantized latent replay (learners/latent_replay.hpp).
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "learners/latent_replay.hpp"
#include "learners/learner.hpp"

using namespace tinyfleet;

namespace {

StreamInfo square10(int classes) {
  return {2, classes, {0.f, 0.f}, {10.f, 10.f}};
}

LatentReplayConfig replay_config(int buffer, int replays) {
  LatentReplayConfig c;
  c.layer.lr = 0.1;
  c.buffer = buffer;
  c.replays = replays;
  return c;
}

// Four Gaussian classes (σ = 1) at the corners (2, 2), (8, 2), (2, 8), (8, 8).
struct Corners {
  std::mt19937 rng;
  std::normal_distribution<float> n{0.f, 1.f};
  float x[2] = {0, 0};
  explicit Corners(unsigned seed) : rng(seed) {}
  void draw(int y) {
    x[0] = 2.f + 6.f * static_cast<float>(y & 1) + n(rng);
    x[1] = 2.f + 6.f * static_cast<float>(y >> 1) + n(rng);
  }
};

// Class-incremental stream: 2000 samples of classes {0, 1}, then 2000 of {2, 3};
// returns the accuracy on fresh samples of the OLD classes {0, 1} at the end.
double old_class_accuracy(LatentReplayLearner& net, unsigned seed) {
  Corners s(seed);
  OpCounter ops;
  for (int phase = 0; phase < 2; ++phase)
    for (int i = 0; i < 2000; ++i) {
      const int y = 2 * phase + static_cast<int>(s.rng() & 1u);
      s.draw(y);
      net.learn(s.x, y, static_cast<uint64_t>(i), ops);
    }
  Corners probe(seed + 1000);
  int ok = 0;
  for (int i = 0; i < 1000; ++i) {
    const int y = static_cast<int>(probe.rng() & 1u);
    probe.draw(y);
    ok += net.predict(probe.x, ops) == y;
  }
  return ok / 1000.0;
}

}  // namespace

TEST_CASE("replay: 8-bit per-vector quantisation, value by value") {
  const float a[4] = {0.5f, 1.5f, 3.05f, 0.75f};
  uint8_t q[4];
  float lo = 0, s = 0;
  LatentReplayLearner::quantise(a, 4, q, lo, s);
  CHECK(lo == 0.5f);
  CHECK(s == doctest::Approx(0.01f));  // (3.05 − 0.5) / 255
  CHECK(q[0] == 0);
  CHECK(q[1] == 100);
  CHECK(q[2] == 255);
  CHECK(q[3] == 25);
  float back[4];
  LatentReplayLearner::dequantise(q, 4, lo, s, back);
  for (int j = 0; j < 4; ++j) CHECK(std::abs(back[j] - a[j]) <= s / 2 + 1e-6f);
  const float flat[3] = {2.f, 2.f, 2.f};  // constant vector: scale 0, exact
  LatentReplayLearner::quantise(flat, 3, q, lo, s);
  LatentReplayLearner::dequantise(q, 3, lo, s, back);
  CHECK(s == 0.f);
  CHECK(back[2] == 2.f);
}

TEST_CASE("replay: reservoir keeps at most `buffer` entries, deterministically") {
  auto run = [](uint64_t seed) {
    LatentReplayLearner net(replay_config(3, 1), square10(4), seed);
    OpCounter ops;
    Corners s(5);
    std::vector<int> labels;
    for (int i = 0; i < 40; ++i) {
      s.draw(i % 4);
      net.learn(s.x, i % 4, static_cast<uint64_t>(i), ops);
    }
    for (int k = 0; k < net.stored(); ++k) labels.push_back(net.stored_label(k));
    return labels;
  };
  CHECK(run(3).size() == 3);
  CHECK(run(3) == run(3));
}

TEST_CASE("replay: rehearsal of 8-bit latents reduces forgetting on a class-incremental stream") {
  LatentReplayLearner plain(replay_config(0, 0), square10(4), 1);
  LatentReplayLearner replay(replay_config(100, 2), square10(4), 1);
  const double without = old_class_accuracy(plain, 9);
  const double with = old_class_accuracy(replay, 9);
  INFO("old-class accuracy without replay " << without << ", with " << with);
  CHECK(with > 0.8);
  CHECK(with > without + 0.3);
}

TEST_CASE("replay: memory formula and registry row") {
  LatentReplayConfig c = replay_config(50, 2);
  c.layer.features_out = 16;
  LatentReplayLearner net(c, square10(4), 1);
  TinyOlLearner bare(c.layer, square10(4), 1);
  CHECK(net.memory_bytes() == bare.memory_bytes() + 50 * (16 + 4 + 4 + 2) + 16 * 4 + 16 +
                                  LatentReplayLearner::kStateBytes);
  LearnerSpec spec;
  spec.kind = "replay";
  for (const auto& info : learner_catalog())
    if (info.name == "replay") spec.params = default_params(info.params);
  CHECK(spec.params.numbers.at("buffer") == 200);
  CHECK(spec.params.numbers.at("replays") == 2);
  auto l = make_learner(spec, square10(4), 3);
  OpCounter ops;
  const float x[2] = {1.f, 1.f};
  l->learn(x, 2, 0, ops);
  CHECK(ops[Op::Fp32Mac] > 0);
  CHECK_THROWS_AS(l->learn(x, 4, 1, ops), std::out_of_range);
}
