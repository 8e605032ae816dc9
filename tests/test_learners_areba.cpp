// Tests of AREBA / QBR / HAREBA (learners/areba.hpp) and the float MLP they
// train (learners/mlp_float.hpp).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "drift/drifting_stream.hpp"
#include "learners/areba.hpp"
#include "learners/mlp_float.hpp"

using namespace tinyfleet;

namespace {

StreamInfo unit_info(int d, int classes) {
  return {d, classes, std::vector<float>(static_cast<std::size_t>(d), 0.f),
          std::vector<float>(static_cast<std::size_t>(d), 1.f)};
}

ArebaConfig cfg(RebalanceRule rule, int budget, bool hareba = false, int keep = 1) {
  ArebaConfig c;
  c.rule = rule;
  c.budget = budget;
  c.flush_on_drift = hareba;
  c.keep = keep;
  return c;
}

struct Caps {
  int c0, c1, l0, l1;
};

void check_state(const ArebaLearner& a, Caps want) {
  CHECK(a.queue_capacity(0) == want.c0);
  CHECK(a.queue_capacity(1) == want.c1);
  CHECK(a.queue_length(0) == want.l0);
  CHECK(a.queue_length(1) == want.l1);
}

}  // namespace

TEST_CASE("areba: the adaptive capacity rule step by step (B = 6)") {
  ArebaLearner a(cfg(RebalanceRule::Areba, 6), unit_info(1, 2), 1);
  OpCounter ops;
  auto step = [&](int i, int y) {
    const float x = 0.1f * static_cast<float>(i);
    a.learn(&x, y, static_cast<uint64_t>(i), ops);
  };
  check_state(a, {1, 1, 0, 0});
  // Only negatives: the lone class grows by one per sample (towards B).
  step(1, 0);
  check_state(a, {2, 1, 1, 0});
  CHECK(a.class_size(0) == doctest::Approx(0.01));
  step(2, 0);
  check_state(a, {3, 1, 2, 0});
  CHECK(a.class_size(0) == doctest::Approx(0.0199));
  step(3, 0);
  check_state(a, {4, 1, 3, 0});
  // First positive: s_pos = 0.01 < s_neg = 0.99·0.029701; pos is the full
  // minority (1/1) and 1 < B/2: c_pos = 2, c_neg = old c_pos = 1 (keeps the newest).
  step(4, 1);
  CHECK(a.class_size(0) == doctest::Approx(0.02940399));
  CHECK(a.class_size(1) == doctest::Approx(0.01));
  check_state(a, {1, 2, 1, 1});
  CHECK(a.queue_item(0, 0, 0) == doctest::Approx(0.3f));
  // A negative replaces the only negative; pos (minority) is not full: no change.
  step(5, 0);
  check_state(a, {1, 2, 1, 1});
  CHECK(a.queue_item(0, 0, 0) == doctest::Approx(0.5f));
  // pos full again (2/2), 2 < 3: c_pos = 3, c_neg = 2.
  step(6, 1);
  check_state(a, {2, 3, 1, 2});
  // pos full (3/3) and c_pos == B/2: c_neg ← 3.
  step(7, 1);
  CHECK(a.class_size(1) == doctest::Approx(0.02960299));
  CHECK(a.class_size(0) == doctest::Approx(0.0383316621));
  check_state(a, {3, 3, 1, 3});
  // Now s_neg < s_pos: neg is the minority but not full; pos drops its oldest.
  step(8, 1);
  CHECK(a.class_size(1) == doctest::Approx(0.0393069601));
  CHECK(a.class_size(0) == doctest::Approx(0.037948345479));
  check_state(a, {3, 3, 1, 3});
  CHECK(a.queue_item(1, 0, 0) == doctest::Approx(0.6f));
  CHECK(a.queue_item(1, 1, 0) == doctest::Approx(0.7f));
  CHECK(a.queue_item(1, 2, 0) == doctest::Approx(0.8f));
  CHECK(a.queue_item(0, 0, 0) == doctest::Approx(0.5f));
  CHECK(a.model().steps() == 8);  // one full-batch epoch per labelled sample
}

TEST_CASE("areba: a lone class grows to the whole budget, then stops") {
  ArebaLearner a(cfg(RebalanceRule::Areba, 4), unit_info(1, 2), 1);
  OpCounter ops;
  const float x = 0.5f;
  for (int i = 0; i < 10; ++i) a.learn(&x, 0, static_cast<uint64_t>(i), ops);
  check_state(a, {4, 1, 4, 0});
}

TEST_CASE("qbr: fixed growth to B/2 per class") {
  ArebaLearner q(cfg(RebalanceRule::Qbr, 6), unit_info(1, 2), 1);
  OpCounter ops;
  const float x = 0.5f;
  q.learn(&x, 0, 0, ops);
  check_state(q, {2, 1, 1, 0});
  q.learn(&x, 0, 1, ops);
  check_state(q, {3, 1, 2, 0});
  q.learn(&x, 0, 2, ops);
  check_state(q, {3, 1, 3, 0});  // full at B/2 = 3: no more growth
  q.learn(&x, 0, 3, ops);
  check_state(q, {3, 1, 3, 0});
  q.learn(&x, 1, 4, ops);
  check_state(q, {3, 2, 3, 1});
  for (int i = 0; i < 5; ++i) q.learn(&x, 1, 5 + static_cast<uint64_t>(i), ops);
  check_state(q, {3, 3, 3, 3});
}

TEST_CASE("areba: queues stay within the pool for any label sequence (C = 2..5, both rules)") {
  for (int C : {2, 3, 5}) {
    for (int B : {2, 3, 7, 20}) {
      for (auto rule : {RebalanceRule::Areba, RebalanceRule::Qbr}) {
        INFO("C " << C << " B " << B << " qbr " << (rule == RebalanceRule::Qbr));
        ArebaConfig c = cfg(rule, B, true, B % 2);  // keep 0 or 1
        c.hidden = 2;
        ArebaLearner a(c, unit_info(1, C), 3);
        std::mt19937 rng(static_cast<unsigned>(C * 100 + B));
        OpCounter ops;
        for (int i = 0; i < 600; ++i) {
          // Phases of changing priors, including long single-class runs.
          const int phase = (i / 50) % 4;
          int y;
          if (phase == 0)
            y = 0;
          else if (phase == 1)
            y = std::uniform_int_distribution<int>(0, C - 1)(rng);
          else if (phase == 2)
            y = rng() % 20 == 0 ? C - 1 : 0;
          else
            y = rng() % 3 == 0 ? 0 : C - 1;
          const float x = static_cast<float>(i % 10) / 10.f;
          REQUIRE_NOTHROW(a.learn(&x, y, static_cast<uint64_t>(i), ops));
          std::size_t caps = 0;
          for (int k = 0; k < C; ++k) {
            CHECK(a.queue_length(k) <= a.queue_capacity(k));
            CHECK(a.queue_capacity(k) >= 1);
            CHECK(a.queue_capacity(k) <= B);
            caps += static_cast<std::size_t>(a.queue_capacity(k));
          }
          CHECK(caps <= a.pool_slots());  // an append into a non-full queue finds a slot
          if (i % 97 == 0) a.on_drift({static_cast<uint64_t>(i), 0}, ops);
        }
      }
    }
  }
}

TEST_CASE("mlp: forward op counts and one Adam step on a 1-1-1 net, by hand") {
  FloatMlp m(1, 1, 1, 0.01f, 7);
  m.theta() = {0.5f, 0.1f, -0.3f, 0.2f};  // w1, b1, w2, b2
  const float x = 2.f;
  OpCounter fw;
  const float p = m.forward(&x, fw)[0];
  // a = 0.5·2 + 0.1 = 1.1 > 0 → h = 1.1; z = −0.3·1.1 + 0.2 = −0.13; p = σ(−0.13).
  CHECK(p == doctest::Approx(1.0 / (1.0 + std::exp(0.13))).epsilon(1e-6));
  CHECK(p == doctest::Approx(0.4675467).epsilon(1e-6));
  CHECK(m.hidden_act()[0] == doctest::Approx(1.1f));
  CHECK(fw[Op::Fp32Mac] == 1 + 1 + 1 + kExpFp32Macs + 1);
  CHECK(fw[Op::Div] == 1);
  CHECK(fw[Op::Compare] == 1);
  CHECK(fw[Op::Load] == 2 + 1 + 2 + 1);
  CHECK(fw[Op::Store] == 3);

  OpCounter ops;
  m.zero_grad(ops);
  m.accumulate(&x, 1, 1.f, ops);
  // BCE through the sigmoid: δ = p − 1 = −0.5324533.
  const double d = 0.4675467 - 1.0;
  const double g[4] = {-0.3 * d * 2.0, -0.3 * d, d * 1.1, d};  // w1, b1, w2, b2
  for (int i = 0; i < 4; ++i)
    CHECK(m.grad()[static_cast<std::size_t>(i)] == doctest::Approx(g[i]).epsilon(1e-5));
  m.adam_step(ops);
  // t = 1: m = 0.1·g, v = 0.001·g², lr_t = 0.01·sqrt(0.001)/0.1, θ −= lr_t·m/(sqrt(v) + 1e-7):
  // ≈ 0.01·sign(g) for these gradient sizes.
  const double lr_t = 0.01 * std::sqrt(0.001) / 0.1;
  const double theta0[4] = {0.5, 0.1, -0.3, 0.2};
  for (int i = 0; i < 4; ++i) {
    const double mi = 0.1 * g[i], vi = 0.001 * g[i] * g[i];
    CHECK(m.adam_m()[static_cast<std::size_t>(i)] == doctest::Approx(mi).epsilon(1e-5));
    CHECK(m.adam_v()[static_cast<std::size_t>(i)] == doctest::Approx(vi).epsilon(1e-5));
    const double want = theta0[i] - lr_t * mi / (std::sqrt(vi) + 1e-7);
    CHECK(m.theta()[static_cast<std::size_t>(i)] == doctest::Approx(want).epsilon(1e-6));
  }
  CHECK(m.theta()[0] == doctest::Approx(0.49).epsilon(1e-4));
  CHECK(m.theta()[1] == doctest::Approx(0.09).epsilon(1e-4));
  CHECK(m.theta()[2] == doctest::Approx(-0.29).epsilon(1e-4));
  CHECK(m.theta()[3] == doctest::Approx(0.21).epsilon(1e-4));
  CHECK(m.steps() == 1);
}

TEST_CASE("mlp: He init is seeded, truncated at 2 sigma, biases zero") {
  FloatMlp a(4, 8, 1, 0.01f, 11), b(4, 8, 1, 0.01f, 11), c(4, 8, 1, 0.01f, 12);
  CHECK(a.theta() == b.theta());
  CHECK(a.theta() != c.theta());
  for (int j = 0; j < 32; ++j)
    CHECK(std::fabs(a.theta()[static_cast<std::size_t>(j)]) <= 2.f * std::sqrt(2.f / 4.f));
  for (int j = 32; j < 40; ++j) CHECK(a.theta()[static_cast<std::size_t>(j)] == 0.f);
  CHECK(a.theta()[48] == 0.f);  // output bias
}

TEST_CASE("areba beats a plain online learner on SEA with a 1 % minority (G-mean)") {
  StreamSpec spec;
  spec.generator = "sea";
  spec.params.numbers = {{"variant", 0}, {"noise", 0.0}, {"balance", 0}};
  spec.priors = {0.99, 0.01};
  DriftingStream stream(spec, {}, 21);
  const StreamInfo& info = stream.info();
  ArebaLearner areba(cfg(RebalanceRule::Areba, 20), info, 5);
  ArebaLearner qbr(cfg(RebalanceRule::Qbr, 20), info, 5);
  // The baseline: the same d-8-1 net and optimiser trained on each sample as it comes.
  FloatMlp plain(info.features, 8, 1, 0.01f, 5);
  MinMaxScaler scaler(info);
  std::vector<float> xs(static_cast<std::size_t>(info.features));
  FadingGMean g_areba, g_qbr, g_plain;
  double sum_areba = 0, sum_qbr = 0, sum_plain = 0;
  OpCounter ops;
  const int n = 5000;
  for (int i = 0; i < n; ++i) {
    const Sample s = stream.next(static_cast<double>(i));
    g_areba.update(s.y, areba.predict(s.x, ops));
    g_qbr.update(s.y, qbr.predict(s.x, ops));
    scaler.apply(s.x, xs.data(), ops);
    g_plain.update(s.y, i == 0 ? 0 : plain.predict(xs.data(), ops));
    areba.learn(s.x, s.y, static_cast<uint64_t>(i), ops);
    qbr.learn(s.x, s.y, static_cast<uint64_t>(i), ops);
    plain.zero_grad(ops);
    plain.accumulate(xs.data(), s.y, 1.f, ops);
    plain.adam_step(ops);
    if (i >= n / 2) {
      sum_areba += g_areba.gmean();
      sum_qbr += g_qbr.gmean();
      sum_plain += g_plain.gmean();
    }
  }
  const double half = n / 2.0;
  MESSAGE("mean prequential G-mean, 2nd half: areba "
          << sum_areba / half << ", qbr " << sum_qbr / half << ", plain " << sum_plain / half);
  CHECK(sum_areba / half > 0.7);
  CHECK(sum_areba > sum_plain + 0.2 * half);
  CHECK(sum_qbr / half > 0.6);
  // Under 1 % positives the queues settle at B/2 each (AREBA's fixed point).
  CHECK(areba.queue_capacity(0) == 10);
  CHECK(areba.queue_capacity(1) == 10);
}

TEST_CASE("areba: C = 3 classes (one queue per class, softmax) learns separable blobs") {
  ArebaLearner a(cfg(RebalanceRule::Areba, 30), unit_info(2, 3), 9);
  CHECK(a.model().out() == 3);
  std::mt19937 rng(4);
  std::normal_distribution<float> noise(0.f, 0.05f);
  const float cx[3] = {0.2f, 0.8f, 0.5f}, cy[3] = {0.2f, 0.2f, 0.8f};
  OpCounter ops;
  int ok = 0;
  for (int i = 0; i < 3000; ++i) {
    const int y = static_cast<int>(rng() % 3);
    const float x[2] = {cx[y] + noise(rng), cy[y] + noise(rng)};
    if (i >= 2000) ok += a.predict(x, ops) == y;
    a.learn(x, y, static_cast<uint64_t>(i), ops);
  }
  CHECK(ok > 950);
  for (int c = 0; c < 3; ++c) CHECK(a.queue_capacity(c) == 10);  // B/C each
}

TEST_CASE("hareba: on_drift flushes every queue to its newest `keep` items, keeps the model") {
  ArebaLearner h(cfg(RebalanceRule::Areba, 8, true, 2), unit_info(1, 2), 1);
  ArebaLearner a(cfg(RebalanceRule::Areba, 8), unit_info(1, 2), 1);
  CHECK(h.adapts_on_drift());
  CHECK_FALSE(a.adapts_on_drift());
  OpCounter ops;
  std::mt19937 rng(2);
  for (int i = 0; i < 200; ++i) {
    const float x = static_cast<float>(i) / 200.f;
    const int y = static_cast<int>(rng() % 2);
    h.learn(&x, y, static_cast<uint64_t>(i), ops);
    a.learn(&x, y, static_cast<uint64_t>(i), ops);
  }
  const Caps before{h.queue_capacity(0), h.queue_capacity(1), h.queue_length(0), h.queue_length(1)};
  REQUIRE(before.l0 >= 2);
  REQUIRE(before.l1 >= 2);
  const float newest0[2] = {h.queue_item(0, before.l0 - 2, 0), h.queue_item(0, before.l0 - 1, 0)};
  const float newest1[2] = {h.queue_item(1, before.l1 - 2, 0), h.queue_item(1, before.l1 - 1, 0)};
  const auto theta = h.model().theta();
  OpCounter d;
  h.on_drift({200, 150}, d);
  check_state(h, {before.c0, before.c1, 2, 2});  // capacities unchanged
  CHECK(h.model().theta() == theta);             // the model is kept
  CHECK(h.queue_item(0, 0, 0) == newest0[0]);
  CHECK(h.queue_item(0, 1, 0) == newest0[1]);
  CHECK(h.queue_item(1, 0, 0) == newest1[0]);
  CHECK(h.queue_item(1, 1, 0) == newest1[1]);
  const uint64_t dropped = static_cast<uint64_t>(before.l0 + before.l1 - 4);
  CHECK(d[Op::Compare] == 2);
  CHECK(d[Op::Store] == 2 * dropped);
  CHECK(d[Op::Load] == 2 * dropped);
  OpCounter none;
  a.on_drift({200, 150}, none);
  CHECK(a.queue_length(0) == before.l0);  // AREBA is passive
  CHECK(none.total() == 0);
  // keep = 0 empties the queues; the next label refills them and training goes on.
  ArebaLearner z(cfg(RebalanceRule::Areba, 8, true, 0), unit_info(1, 2), 1);
  const float x = 0.25f;
  z.learn(&x, 0, 0, ops);
  z.learn(&x, 1, 1, ops);
  z.on_drift({2, 1}, ops);
  CHECK(z.queue_length(0) + z.queue_length(1) == 0);
  z.learn(&x, 1, 2, ops);
  CHECK(z.queue_length(1) == 1);
  CHECK(z.model().steps() == 3);
  // Frozen: neither learning nor flushing.
  h.freeze();
  h.learn(&x, 0, 300, ops);
  h.on_drift({300, 250}, ops);
  check_state(h, {before.c0, before.c1, 2, 2});
}

TEST_CASE("areba: deterministic from the seed; untrained predicts 0; label range") {
  auto run = [](uint64_t seed) {
    ArebaLearner a(cfg(RebalanceRule::Areba, 10), unit_info(2, 2), seed);
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> u(0.f, 1.f);
    OpCounter ops;
    std::vector<int> preds;
    for (int i = 0; i < 300; ++i) {
      const float x[2] = {u(rng), u(rng)};
      preds.push_back(a.predict(x, ops));
      a.learn(x, x[0] + x[1] > 1.f ? 1 : 0, static_cast<uint64_t>(i), ops);
    }
    return std::make_pair(preds, ops.n);
  };
  CHECK(run(3) == run(3));
  CHECK(run(3).second == run(4).second);  // op counts do not depend on the weights
  CHECK(run(3).first != run(4).first);

  ArebaLearner a(cfg(RebalanceRule::Areba, 10), unit_info(2, 2), 1);
  const float x[2] = {0.9f, 0.9f};
  OpCounter ops;
  CHECK(a.predict(x, ops) == 0);
  CHECK(ops.total() == 1);
  CHECK_THROWS_AS(a.learn(x, 2, 0, ops), std::out_of_range);
  CHECK_THROWS_AS(a.learn(x, -1, 0, ops), std::out_of_range);
}

TEST_CASE("areba: memory formula") {
  // d = 2, C = 2, B = 20, H = 8: pool P = max(20 + 1, 2·10) = 21 slots.
  ArebaLearner a(cfg(RebalanceRule::Areba, 20), unit_info(2, 2), 1);
  CHECK(a.pool_slots() == 21);
  const std::size_t params = 8 * 2 + 8 + 8 + 1;  // 33
  const std::size_t mlp = 4 * 4 * params + 4 * (3 * 8 + 2 * 1) + 4 + 12;
  CHECK(a.model().memory_bytes() == mlp);
  const std::size_t want = 21 * 3 * 4     // pool: (d + 1) fp32 words per slot
                           + 2 * 20 * 2   // index rings
                           + 21 * 2       // free stack
                           + 2 * (4 + 6)  // trackers, head, length, capacity
                           + mlp + 2 * 2 * 4 + 2 * 4 + ArebaLearner::kStateBytes;
  CHECK(a.memory_bytes() == want);
  // C = 3, B = 20: P = max(20 + 2, 3·7) = 22; C = 5, B = 3: max(3 + 4, 5·1) = 7.
  ArebaLearner b(cfg(RebalanceRule::Areba, 20), unit_info(2, 3), 1);
  CHECK(b.pool_slots() == 22);
  ArebaLearner c(cfg(RebalanceRule::Areba, 3), unit_info(2, 5), 1);
  CHECK(c.pool_slots() == 7);
}

// Registry-level checks of the float learners (areba, qbr, hareba, tinyol,
// ncm): the catalog rows, parameter validation and the degenerate streams
// every kernel must survive.
namespace {

const char* const kFloatKinds[] = {"areba", "qbr", "hareba", "tinyol", "ncm"};

const ComponentInfo& catalog_row(const std::string& name) {
  for (const auto& c : learner_catalog())
    if (c.name == name) return c;
  FAIL("learner not in catalog: " << name);
  throw std::logic_error("unreachable");
}

LearnerSpec spec_of(const std::string& kind) {
  return {kind, default_params(catalog_row(kind).params), {}};
}

}  // namespace

TEST_CASE("float learners: registered, validated, and survive empty and constant streams") {
  const StreamInfo info3{3, 2, {0, 0, 0}, {10, 10, 10}};
  for (const std::string kind : kFloatKinds) {
    INFO("learner " << kind);
    const auto& row = catalog_row(kind);
    CHECK(!row.help.empty());
    for (const auto& p : row.params) {
      CHECK(!p.help.empty());
      LearnerSpec spec = spec_of(kind);
      spec.params.numbers.erase(p.name);
      spec.params.strings.erase(p.name);
      std::string msg;
      try {
        make_learner(spec, info3, 1);
      } catch (const std::invalid_argument& e) {
        msg = e.what();
      }
      CHECK(msg.find(p.name) != std::string::npos);
    }
    LearnerSpec typo = spec_of(kind);
    typo.params.numbers["typo"] = 1;
    CHECK_THROWS_AS(make_learner(typo, info3, 1), std::invalid_argument);
    CHECK(make_learner(spec_of(kind), info3, 1)->adapts_on_drift() ==
          (kind == "hareba" || kind == "ncm"));

    const std::vector<StreamInfo> infos = {
        {0, 0, {}, {}}, {0, 2, {}, {}}, {3, 2, {5, 5, 5}, {5, 5, 5}}, {1, 1, {0}, {1}}};
    for (const auto& si : infos) {
      INFO("features " << si.features << " classes " << si.classes);
      auto l = make_learner(spec_of(kind), si, 42);
      REQUIRE(l);
      CHECK(l->memory_bytes() > 0);
      const std::vector<float> x(static_cast<std::size_t>(si.features) + 1, 5.f);
      OpCounter ops;
      CHECK(l->predict(x.data(), ops) == 0);
      CHECK(ops.total() > 0);
      for (uint64_t i = 0; i < 300; ++i) {
        l->learn(x.data(), 0, i, ops);
        CHECK(l->predict(x.data(), ops) == 0);
      }
      l->on_drift({300, 150}, ops);
      CHECK(l->predict(x.data(), ops) == 0);
    }
  }
  LearnerSpec bad = spec_of("areba");
  bad.params.numbers["budget"] = 1;
  CHECK_THROWS_AS(make_learner(bad, info3, 1), std::invalid_argument);
  bad = spec_of("ncm");
  bad.params.strings["update"] = "sometimes";
  CHECK_THROWS_AS(make_learner(bad, info3, 1), std::invalid_argument);
  bad = spec_of("hareba");
  bad.params.numbers["keep"] = -1;
  CHECK_THROWS_AS(make_learner(bad, info3, 1), std::invalid_argument);
  // The factory seeds the model: same seed, same weights; another seed, others.
  LearnerSpec s = spec_of("areba");
  auto a = make_learner(s, info3, 7), b = make_learner(s, info3, 7), c = make_learner(s, info3, 8);
  auto* pa = dynamic_cast<ArebaLearner*>(a.get());
  REQUIRE(pa);
  CHECK(pa->model().theta() == dynamic_cast<ArebaLearner*>(b.get())->model().theta());
  CHECK(pa->model().theta() != dynamic_cast<ArebaLearner*>(c.get())->model().theta());
  CHECK(dynamic_cast<ArebaLearner*>(make_learner(spec_of("qbr"), info3, 1).get())->config().rule ==
        RebalanceRule::Qbr);
}
