// Tests of the TML-CD kNN learner (learners/knn.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "drift/page_hinkley.hpp"
#include "learners/knn.hpp"

using namespace tinyfleet;

namespace {

// 3 features in [0, 10]; class = x0 + x1 > 10 (optionally flipped).
struct Problem {
  std::mt19937 rng;
  std::uniform_real_distribution<float> u{0.f, 10.f};
  std::array<float, 3> x{};
  explicit Problem(unsigned seed) : rng(seed) {}
  int next(bool flipped = false) {
    for (auto& v : x) v = u(rng);
    const int y = x[0] + x[1] > 10.f ? 1 : 0;
    return flipped ? 1 - y : y;
  }
};

StreamInfo info3(float lo = 0.f, float hi = 10.f) {
  return {3, 2, {lo, lo, lo}, {hi, hi, hi}};
}

double test_accuracy(KnnLearner& knn, unsigned seed, int n, bool flipped = false) {
  Problem p(seed);
  OpCounter ops;
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    const int y = p.next(flipped);
    ok += knn.predict(p.x.data(), ops) == y;
  }
  return static_cast<double>(ok) / n;
}

void train(KnnLearner& knn, unsigned seed, int n, uint64_t first_index = 0) {
  Problem p(seed);
  OpCounter ops;
  for (int i = 0; i < n; ++i) {
    const int y = p.next();
    knn.learn(p.x.data(), y, first_index + static_cast<uint64_t>(i), ops);
  }
}

// On info3(0, 255) the quantiser is q = round(x) − 128, so tests can place
// entries at exact integer points.
void add_point(KnnLearner& knn, float a, float b, float c, int y, uint64_t idx) {
  const float x[3] = {a, b, c};
  OpCounter ops;
  knn.learn(x, y, idx, ops);
}

KnnConfig all_cfg(int k, int budget, KnnDistance dist = KnnDistance::L1) {
  return {k, budget, dist, KnnAddRule::All};
}

}  // namespace

TEST_CASE("knn quantisation follows the documented formula") {
  const StreamInfo info{2, 2, {-3.f, 1.f}, {5.f, 1.f}};  // feature 1 has a degenerate range
  KnnLearner knn({}, info);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-5.f, 7.f);
  int exact = 0;
  for (int i = 0; i < 10000; ++i) {
    const float x[2] = {u(rng), u(rng)};
    int8_t q[2];
    OpCounter ops;
    knn.quantise(x, q, ops);
    const double t = std::round((static_cast<double>(x[0]) + 3.0) / 8.0 * 255.0) - 128.0;
    const int want = static_cast<int>(std::clamp(t, -128.0, 127.0));
    // s = 255/(hi − lo) is precomputed in float: only values within float
    // rounding of a .5 boundary may land one step away.
    CHECK(std::abs(q[0] - want) <= 1);
    exact += q[0] == want;
    CHECK(q[1] == -128);
    CHECK(ops[Op::Fp32Mac] == 2);
    CHECK(ops[Op::Compare] == 4);
    CHECK(ops[Op::Store] == 2);
    CHECK(ops.total() == 8);
  }
  CHECK(exact >= 9990);
  int8_t q[2];
  OpCounter ops;
  const float edges[][2] = {{-3.f, 0.f}, {5.f, 0.f}, {-100.f, 0.f}, {100.f, 0.f}, {1.f, 0.f}};
  const int want[] = {-128, 127, -128, 127, 0};  // (1+3)/8·255 = 127.5 → 128 → 0
  for (int i = 0; i < 5; ++i) {
    knn.quantise(edges[i], q, ops);
    CHECK(q[0] == want[i]);
  }
  const float nan[2] = {std::numeric_limits<float>::quiet_NaN(),
                        std::numeric_limits<float>::infinity()};
  knn.quantise(nan, q, ops);
  CHECK(q[0] == -128);
  CHECK(q[1] == -128);
}

TEST_CASE("knn learns a simple 2-class problem; an empty or frozen one is at chance") {
  for (auto dist : {KnnDistance::L1, KnnDistance::L2}) {
    for (auto add : {KnnAddRule::Misclassified, KnnAddRule::All}) {
      KnnLearner knn({3, 64, dist, add}, info3());
      train(knn, 1, 500);
      const double acc = test_accuracy(knn, 2, 2000);
      INFO("distance " << int(dist) << " add " << int(add) << " accuracy " << acc);
      CHECK(acc > 0.85);
    }
  }
  KnnLearner empty({}, info3());
  const double acc_empty = test_accuracy(empty, 2, 2000);
  CHECK(acc_empty > 0.4);
  CHECK(acc_empty < 0.6);

  KnnLearner frozen({}, info3());
  frozen.freeze();
  train(frozen, 1, 500);
  CHECK(frozen.size() == 0);
  CHECK(frozen.entries_added() == 0);
  const double acc_frozen = test_accuracy(frozen, 2, 2000);
  CHECK(acc_frozen > 0.4);
  CHECK(acc_frozen < 0.6);
}

TEST_CASE("knn respects the budget with FIFO replacement") {
  KnnLearner knn(all_cfg(3, 10), info3(0, 255));
  for (int i = 0; i < 37; ++i) add_point(knn, static_cast<float>(i), 0, 0, i % 2, 100 + i);
  CHECK(knn.size() == 10);
  CHECK(knn.capacity() == 10);
  CHECK(knn.entries_added() == 37);
  for (std::size_t i = 0; i < 10; ++i) {  // the 10 newest, oldest first
    const int src = 27 + static_cast<int>(i);
    CHECK(knn.entry_index(i) == static_cast<uint64_t>(100 + src));
    CHECK(knn.entry_label(i) == src % 2);
    CHECK(knn.entry_feature(i, 0) == src - 128);
    CHECK(knn.entry_feature(i, 1) == -128);
  }
}

TEST_CASE("misclassified rule adds fewer entries than all") {
  KnnLearner cnn({3, 1000, KnnDistance::L1, KnnAddRule::Misclassified}, info3());
  KnnLearner all({3, 1000, KnnDistance::L1, KnnAddRule::All}, info3());
  train(cnn, 3, 500);
  train(all, 3, 500);
  CHECK(all.entries_added() == 500);
  CHECK(cnn.entries_added() >= 3);
  CHECK(cnn.entries_added() < 250);
}

TEST_CASE("knn vote: k nearest, ties go to the nearer neighbour, newer wins equal distance") {
  OpCounter ops;
  const float q0[3] = {0, 0, 0};
  {  // 1-1 tie between classes: the nearer neighbour's class wins, either way round
    KnnLearner a(all_cfg(2, 8), info3(0, 255));
    add_point(a, 1, 0, 0, 1, 0);
    add_point(a, 2, 0, 0, 0, 1);
    add_point(a, 50, 0, 0, 0, 2);
    CHECK(a.predict(q0, ops) == 1);
    KnnLearner b(all_cfg(2, 8), info3(0, 255));
    add_point(b, 2, 0, 0, 1, 0);
    add_point(b, 1, 0, 0, 0, 1);
    CHECK(b.predict(q0, ops) == 0);
  }
  {  // k = 4, neighbours by distance A B B A: 2-2 tie, A holds the nearest
    KnnLearner c(all_cfg(4, 8), info3(0, 255));
    add_point(c, 4, 0, 0, 1, 0);
    add_point(c, 3, 0, 0, 0, 1);
    add_point(c, 2, 0, 0, 0, 2);
    add_point(c, 1, 0, 0, 1, 3);
    add_point(c, 90, 0, 0, 0, 4);
    CHECK(c.predict(q0, ops) == 1);
  }
  {  // majority beats proximity
    KnnLearner m(all_cfg(3, 8), info3(0, 255));
    add_point(m, 1, 0, 0, 1, 0);
    add_point(m, 2, 0, 0, 0, 1);
    add_point(m, 3, 0, 0, 0, 2);
    CHECK(m.predict(q0, ops) == 0);
  }
  {  // equal distance: the newer entry wins (k = 1), also at the k-th place
    KnnLearner e(all_cfg(1, 8), info3(0, 255));
    add_point(e, 5, 0, 0, 0, 0);
    add_point(e, 0, 5, 0, 1, 1);
    CHECK(e.predict(q0, ops) == 1);
    add_point(e, 0, 0, 5, 0, 2);
    CHECK(e.predict(q0, ops) == 0);
  }
  {  // L1 vs L2 rank differently: (3,3,0) is L1 6 / L2 18, (5,0,0) is L1 5 / L2 25
    KnnLearner l1(all_cfg(1, 8, KnnDistance::L1), info3(0, 255));
    KnnLearner l2(all_cfg(1, 8, KnnDistance::L2), info3(0, 255));
    for (auto* k : {&l1, &l2}) {
      add_point(*k, 3, 3, 0, 1, 0);
      add_point(*k, 5, 0, 0, 0, 1);
    }
    CHECK(l1.predict(q0, ops) == 0);
    CHECK(l2.predict(q0, ops) == 1);
  }
  KnnLearner none({}, info3());
  CHECK(none.predict(q0, ops) == 0);
}

TEST_CASE("knn predict op counts follow the documented formula") {
  const uint64_t d = 3;
  for (int k : {1, 3, 5}) {
    for (uint64_t n : {1u, 2u, 4u, 20u, 64u}) {
      for (bool increasing : {true, false}) {
        KnnLearner knn(all_cfg(k, 64), info3(0, 255));
        for (uint64_t i = 0; i < n; ++i) {
          const float v = increasing ? static_cast<float>(i + 1) : static_cast<float>(n - i);
          add_point(knn, v, 0, 0, static_cast<int>(i % 2), i);
        }
        const float q0[3] = {0, 0, 0};
        OpCounter ops;
        knn.predict(q0, ops);
        const uint64_t ku = static_cast<uint64_t>(k), c = std::min<uint64_t>(n, ku);
        // Top-k walk. Increasing distances: the first c entries are placed at
        // the end after one failed ordering test each (but the first); the
        // rest are rejected. Decreasing: every entry is accepted and walks to
        // the front, shifting everything before it.
        uint64_t accepted = 0, tests = 0, shifts = 0;
        for (uint64_t i = 0; i < n; ++i) {
          const uint64_t j = std::min(i, ku - 1);
          if (increasing) {
            if (i < ku) {
              ++accepted;
              tests += j > 0 ? 1 : 0;
            }
          } else {
            ++accepted;
            tests += j;
            shifts += j;
          }
        }
        INFO("k " << k << " n " << n << " increasing " << increasing);
        CHECK(ops[Op::Int8Mac] == n * d);
        CHECK(ops[Op::Fp32Mac] == d);
        CHECK(ops[Op::Compare] == 1 + 2 * d + n + tests + (c - 1));
        CHECK(ops[Op::Load] == n * d + accepted + 2 * shifts + c + (c - 1));
        CHECK(ops[Op::Store] == d + ku + 2 * accepted + 2 * shifts + 2 * c);
        CHECK(ops[Op::Add] == c);
        CHECK(ops[Op::Div] == 0);
        CHECK(ops[Op::Int32Mac] == 0);
      }
    }
  }
  KnnLearner empty({}, info3());
  OpCounter ops;
  const float q0[3] = {0, 0, 0};
  empty.predict(q0, ops);
  CHECK(ops.total() == 1);
  CHECK(ops[Op::Compare] == 1);
}

TEST_CASE("knn learn op counts follow the documented formula") {
  const uint64_t d = 3;
  const float x[3] = {1, 2, 3};
  {
    KnnLearner all(all_cfg(3, 4), info3());
    for (int i = 0; i < 6; ++i) {  // also across the FIFO wrap
      OpCounter ops;
      all.learn(x, 1, static_cast<uint64_t>(i), ops);
      CHECK(ops[Op::Fp32Mac] == d);
      CHECK(ops[Op::Compare] == 2 * d + 1);
      CHECK(ops[Op::Load] == d);
      CHECK(ops[Op::Store] == d + d + 3);
      CHECK(ops[Op::Add] == 1);
      CHECK(ops.total() == 6 * d + 5);
    }
  }
  {
    KnnLearner cnn({}, info3());
    OpCounter ops;
    cnn.learn(x, 1, 0, ops);  // fewer than k entries: quantise + insert
    CHECK(ops.total() == 1 + 6 * d + 5);
    for (int i = 1; i < 3; ++i) cnn.learn(x, 1, static_cast<uint64_t>(i), ops);
    CHECK(cnn.size() == 3);
    OpCounter p, l;
    cnn.predict(x, p);
    cnn.learn(x, 1, 3, l);  // correctly classified: predict + 2 compares, no insert
    CHECK(cnn.size() == 3);
    CHECK(l.total() == p.total() + 2);
    OpCounter wrong;
    cnn.learn(x, 0, 4, wrong);  // misclassified: predict + 2 compares + insert (no re-quantise)
    CHECK(cnn.size() == 4);
    CHECK(wrong.total() == p.total() + 2 + (d + 1 + d + 3 + 1));
  }
}

TEST_CASE("on_drift drops exactly the entries older than the estimate, keeping order") {
  for (int budget : {50, 10}) {  // 10: the ring has wrapped (head != 0)
    KnnLearner knn(all_cfg(3, budget), info3(0, 255));
    for (int i = 0; i < 15; ++i) add_point(knn, static_cast<float>(i), 1, 2, i % 3 == 0, i);
    const std::size_t before = knn.size();
    const uint64_t first = 15 - before;
    OpCounter ops;
    knn.on_drift({14, 8}, ops);
    REQUIRE(knn.size() == 7);
    for (std::size_t i = 0; i < 7; ++i) {
      const int src = 8 + static_cast<int>(i);
      CHECK(knn.entry_index(i) == static_cast<uint64_t>(src));
      CHECK(knn.entry_label(i) == (src % 3 == 0 ? 1 : 0));
      CHECK(knn.entry_feature(i, 0) == src - 128);
      CHECK(knn.entry_feature(i, 1) == 1 - 128);
      CHECK(knn.entry_feature(i, 2) == 2 - 128);
    }
    const uint64_t dropped = 8 - first, moved = dropped > 0 ? 7 : 0, d = 3;
    CHECK(ops[Op::Compare] == before);
    CHECK(ops[Op::Load] == 2 * before + moved * (d + 3));
    CHECK(ops[Op::Store] == moved * (d + 3) + 1);
    // The KB refills after the compaction, FIFO order intact.
    for (int i = 15; i < 30; ++i) add_point(knn, static_cast<float>(i), 1, 2, 0, i);
    const std::size_t n = knn.size();
    CHECK(n == std::min<std::size_t>(static_cast<std::size_t>(budget), 22));
    for (std::size_t i = 0; i < n; ++i) CHECK(knn.entry_index(i) == 30 - n + i);
  }
  KnnLearner knn(all_cfg(3, 8), info3());
  train(knn, 1, 5);
  OpCounter ops;
  knn.on_drift({5, 0}, ops);  // estimate before everything: nothing dropped, nothing moved
  CHECK(knn.size() == 5);
  CHECK(ops[Op::Store] == 1);
  knn.on_drift({5, 100}, ops);  // after everything: empty, predicts 0
  CHECK(knn.size() == 0);
  const float x[3] = {9, 9, 9};
  CHECK(knn.predict(x, ops) == 0);
  train(knn, 1, 5);
  knn.freeze();
  knn.on_drift({5, 100}, ops);  // frozen: no change
  CHECK(knn.size() == 5);
}

TEST_CASE("after a label flip, kNN with on_drift recovers faster than without") {
  for (auto add : {KnnAddRule::Misclassified, KnnAddRule::All}) {
    KnnLearner active({3, 64, KnnDistance::L1, add}, info3());
    KnnLearner passive({3, 64, KnnDistance::L1, add}, info3());
    train(active, 11, 1000);
    train(passive, 11, 1000);
    // The change happens at sample 1000; a detector fires 30 samples later
    // with an estimate of 1005. Accuracy is measured over the N = 60 samples
    // after the alarm (shorter than the FIFO turnover of 64 entries).
    Problem p(12);
    OpCounter ops;
    int ok_active = 0, ok_passive = 0;
    const int alarm = 30, n = 60;
    for (int i = 0; i < alarm + n; ++i) {
      const uint64_t idx = 1000 + static_cast<uint64_t>(i);
      const int y = p.next(true);
      if (i == alarm) active.on_drift({idx, 1005}, ops);
      const bool scored = i >= alarm;
      ok_active += scored && active.predict(p.x.data(), ops) == y;
      ok_passive += scored && passive.predict(p.x.data(), ops) == y;
      active.learn(p.x.data(), y, idx, ops);
      passive.learn(p.x.data(), y, idx, ops);
    }
    const double acc_a = static_cast<double>(ok_active) / n;
    const double acc_p = static_cast<double>(ok_passive) / n;
    INFO("add " << int(add) << " active " << acc_a << " passive " << acc_p);
    CHECK(acc_a > acc_p + 0.1);
  }
}

TEST_CASE("knn is deterministic") {
  auto run = [](OpCounter& ops) {
    KnnLearner knn({5, 32, KnnDistance::L2, KnnAddRule::Misclassified}, info3());
    Problem p(21);
    std::vector<int> preds;
    for (int i = 0; i < 1000; ++i) {
      const int y = p.next(i >= 500);
      preds.push_back(knn.predict(p.x.data(), ops));
      knn.learn(p.x.data(), y, static_cast<uint64_t>(i), ops);
      if (i == 550) knn.on_drift({550, 510}, ops);
    }
    return preds;
  };
  OpCounter a, b;
  CHECK(run(a) == run(b));
  CHECK(a.n == b.n);
}

TEST_CASE("knn memory_bytes matches the documented formula and is preallocated") {
  struct C {
    int k, budget, d, classes;
  };
  for (const C& c : {C{3, 64, 3, 2}, C{1, 1, 0, 0}, C{64, 1000, 17, 10}}) {
    StreamInfo info{c.d, c.classes, std::vector<float>(c.d, 0.f), std::vector<float>(c.d, 1.f)};
    KnnLearner knn({c.k, c.budget, KnnDistance::L1, KnnAddRule::All}, info);
    const std::size_t b = static_cast<std::size_t>(c.budget), d = static_cast<std::size_t>(c.d),
                      k = static_cast<std::size_t>(c.k),
                      cl = static_cast<std::size_t>(std::max(c.classes, 1));
    const std::size_t want = b * (d + 2 + 8) + d + 8 * d + 6 * k + 2 * cl + 24;
    CHECK(knn.memory_bytes() == want);
    std::vector<float> x(d, 0.5f);
    OpCounter ops;
    for (int i = 0; i < 3 * c.budget; ++i) knn.learn(x.data(), 0, static_cast<uint64_t>(i), ops);
    CHECK(knn.memory_bytes() == want);  // fixed: the KB is reserved up front
  }
}

TEST_CASE("knn rejects bad configuration and labels") {
  CHECK_THROWS_AS(KnnLearner({0, 64}, info3()), std::invalid_argument);
  CHECK_THROWS_AS(KnnLearner({65, 64}, info3()), std::invalid_argument);
  CHECK_THROWS_AS(KnnLearner({3, 0}, info3()), std::invalid_argument);
  CHECK_THROWS_AS(KnnLearner({}, StreamInfo{3, 2, {0, 0}, {1, 1}}), std::invalid_argument);
  KnnLearner knn({}, info3());
  const float x[3] = {1, 2, 3};
  OpCounter ops;
  CHECK_THROWS_AS(knn.learn(x, 2, 0, ops), std::out_of_range);
  CHECK_THROWS_AS(knn.learn(x, -1, 0, ops), std::out_of_range);
}

TEST_CASE("knn memoised re-prediction is exact (same results and op counts)") {
  // `a` predicts every sample before learning it (the memo then serves the
  // condensed-NN re-prediction); `b` only learns. Learn-time ops must agree.
  KnnLearner a({3, 16, KnnDistance::L2, KnnAddRule::Misclassified}, info3());
  KnnLearner b({3, 16, KnnDistance::L2, KnnAddRule::Misclassified}, info3());
  Problem p(33);
  for (uint64_t i = 0; i < 400; ++i) {
    const int y = p.next(i >= 200);
    OpCounter pa, la, lb;
    const int ya = a.predict(p.x.data(), pa);
    OpCounter pa2;
    CHECK(a.predict(p.x.data(), pa2) == ya);  // repeated query: same answer, same ops
    CHECK(pa.n == pa2.n);
    a.learn(p.x.data(), y, i, la);
    b.learn(p.x.data(), y, i, lb);
    CHECK(la.n == lb.n);
    if (i == 250) {
      a.on_drift({250, 210}, la);
      b.on_drift({250, 210}, lb);
    }
  }
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a.entry_index(i) == b.entry_index(i));
}

TEST_CASE("knn change-time refinement: hand-computed change point and op counts") {
  // Bits 0 0 0 1 0 1 1 1 (n = 8, S_n = 4): n·S_t − t·S_n = −4 −8 −12 −8 −12 −8 −4,
  // t(n − t) = 7 12 15 16 15 12 7, so T_t = 2.29 5.33 9.6 4 9.6 5.33 2.29: the
  // first maximiser t* = 3, the change begins at the 4th entry.
  const uint8_t bits[8] = {0, 0, 0, 1, 0, 1, 1, 1};
  const uint64_t index[8] = {10, 12, 14, 16, 18, 20, 22, 24};
  uint64_t est = 999;
  OpCounter ops;
  REQUIRE(KnnLearner::refine_change(bits, index, 8, est, ops));
  CHECK(est == 16);
  CHECK(ops[Op::Load] == 8 + 7);
  CHECK(ops[Op::Add] == 8 + 3 * 7);
  CHECK(ops[Op::Int32Mac] == 6 * 7);
  CHECK(ops[Op::Compare] == 2 * 7);
  // The rate never rises: no candidate, the detector's estimate stays.
  const uint8_t falling[4] = {1, 1, 0, 0};
  est = 999;
  CHECK_FALSE(KnnLearner::refine_change(falling, index, 4, est, ops));
  CHECK(est == 999);
  CHECK_FALSE(KnnLearner::refine_change(bits, index, 1, est, ops));
}

namespace {

struct ChangeRun {
  uint64_t detector = 0, used = 0;  // the detector's estimate, the one the kNN used
  std::size_t obsolete = 0;         // KB entries from before the true change, after on_drift
  std::size_t kept = 0;
  bool alarmed = false;
};

// kNN (condensed rule) on Problem with its labels flipped at `change`; a
// Page-Hinkley test on the prequential 0/1 errors; the first alarm after the
// change calls on_drift with PH's estimate.
// shift = 0: the labels flip at `change`; shift > 0: the boundary
// x0 + x1 = 10 moves to 10 + shift instead (a partial, noisier change).
ChangeRun run_change(KnnChangeTime mode, unsigned seed, uint64_t change, float shift = 0,
                     double validate_z = 0) {
  KnnConfig c{3, 128, KnnDistance::L1, KnnAddRule::Misclassified};
  c.change_time = mode;
  c.validate_z = validate_z;
  c.refine_window = 512;
  KnnLearner knn(c, info3());
  PageHinkley ph(30, 0.005, 10, 1 - 1e-4, PageHinkley::Mode::Up);
  Problem p(seed);
  OpCounter ops;
  ChangeRun r;
  for (uint64_t i = 0; i < change + 400 && !r.alarmed; ++i) {
    int y = p.next(shift == 0 && i >= change);
    if (shift > 0 && i >= change) y = p.x[0] + p.x[1] > 10.f + shift ? 1 : 0;
    const int pred = knn.predict(p.x.data(), ops);
    ph.update(pred != y ? 1.0 : 0.0, i, ops);
    if (ph.drift_detected() && i >= change) {
      r.alarmed = true;
      r.detector = ph.change_estimate();
      knn.on_drift({i, r.detector}, ops);
      r.used = knn.last_change_estimate();
      r.kept = knn.size();
      for (std::size_t e = 0; e < knn.size(); ++e) {
        CHECK(knn.entry_index(e) >= r.used);
        r.obsolete += knn.entry_index(e) < change;
      }
    }
    knn.learn(p.x.data(), y, i, ops);
  }
  return r;
}

}  // namespace

TEST_CASE("knn change_time refine: closer to the true change than Page-Hinkley's argmin") {
  // Three abrupt changes at sample 1500: the labels flip (error rate ≈ 0.05 →
  // 0.95), the boundary moves by 4 (→ ≈ 0.3) or by 2 (→ ≈ 0.15: the noisiest).
  const uint64_t change = 1500;
  for (float shift : {0.f, 4.f, 2.f}) {
    double err_det = 0, err_ref = 0;
    std::size_t obs_det = 0, obs_ref = 0;
    int runs = 0;
    for (unsigned seed = 1; seed <= 8; ++seed) {
      const ChangeRun d = run_change(KnnChangeTime::Detector, seed, change, shift);
      const ChangeRun r = run_change(KnnChangeTime::Refine, seed, change, shift);
      REQUIRE(d.alarmed);
      REQUIRE(r.alarmed);
      CHECK(d.detector == r.detector);  // the same errors reach the same detector
      CHECK(d.used == d.detector);
      const auto dist = [&](uint64_t e) {
        return static_cast<double>(e > change ? e - change : change - e);
      };
      err_det += dist(d.used);
      err_ref += dist(r.used);
      obs_det += d.obsolete;
      obs_ref += r.obsolete;
      ++runs;
    }
    err_det /= runs;
    err_ref /= runs;
    MESSAGE("shift " << shift << ": mean |estimate - change| detector " << err_det << ", refined "
                     << err_ref << "; pre-change KB entries kept " << obs_det << " vs " << obs_ref
                     << " (8 seeds)");
    CHECK(err_ref < err_det);
    CHECK(obs_ref < obs_det);
  }
}

TEST_CASE("knn change_time refine: history, memory, a fleet reset still forgets everything") {
  KnnConfig c = all_cfg(3, 32);
  c.change_time = KnnChangeTime::Refine;
  c.refine_window = 16;
  KnnLearner knn(c, info3());
  KnnLearner plain(all_cfg(3, 32), info3());
  CHECK(knn.memory_bytes() == plain.memory_bytes() + 16 * 9 + 8);
  train(knn, 2, 40);
  CHECK(knn.error_history() == 16);
  OpCounter ops;
  KnnLearner twin = knn;
  twin.on_drift({39, 30}, ops);  // an alarm: the 16 stored bits are analysed
  CHECK(ops[Op::Int32Mac] == 6 * 15);
  CHECK(twin.error_history() <= 16);
  for (std::size_t e = 0; e < twin.size(); ++e)
    CHECK(twin.entry_index(e) >= twin.last_change_estimate());
  ops.reset();
  knn.on_drift({40, 40}, ops);  // a reset command: estimate newer than every record
  CHECK(knn.last_change_estimate() == 40);
  CHECK(knn.size() == 0);
  CHECK(knn.error_history() == 0);
  CHECK(ops[Op::Int32Mac] == 0);  // no refinement
}

TEST_CASE("knn validation: a false alarm is rejected, a real one stands") {
  CHECK(KnnLearner::validation_z(1, 10, 9, 10) == doctest::Approx(3.5777).epsilon(1e-4));
  CHECK(KnnLearner::validation_z(5, 10, 5, 10) == 0);
  CHECK(KnnLearner::validation_z(0, 10, 0, 10) == 0);  // no variance: no evidence
  // A stationary stream with an alarm at sample 1499 (the detector's estimate
  // 1400): without validation the refinement still picks a split and drops
  // entries; with validate_z the alarm is rejected and the KB kept.
  for (double z : {3.0, 4.0}) {
    int rejected = 0, dropped_plain = 0;
    for (unsigned seed = 1; seed <= 8; ++seed) {
      KnnConfig c{3, 128, KnnDistance::L1, KnnAddRule::Misclassified};
      c.change_time = KnnChangeTime::Refine;
      c.refine_window = 512;
      KnnLearner plain(c, info3());
      c.validate_z = z;
      KnnLearner valid(c, info3());
      train(plain, seed, 1500);
      train(valid, seed, 1500);
      const std::size_t before = valid.size();
      OpCounter ops;
      plain.on_drift({1499, 1400}, ops);
      valid.on_drift({1499, 1400}, ops);
      dropped_plain += plain.size() < before;
      if (valid.alarms_rejected() == 1) {
        ++rejected;
        CHECK(valid.size() == before);
        CHECK(valid.error_history() == 512);
      }
    }
    MESSAGE("validate_z " << z << ": " << rejected << "/8 false alarms rejected; without it "
                          << dropped_plain << "/8 dropped entries");
    CHECK(rejected >= 7);
    CHECK(dropped_plain >= 7);
  }
  // Real changes (the labels flip, or the boundary moves by 4): every alarm stands.
  for (float shift : {0.f, 4.f})
    for (unsigned seed = 1; seed <= 8; ++seed) {
      const ChangeRun r = run_change(KnnChangeTime::Refine, seed, 1500, shift, 3.0);
      const ChangeRun plain = run_change(KnnChangeTime::Refine, seed, 1500, shift, 0);
      REQUIRE(r.alarmed);
      CHECK(r.used == plain.used);
      CHECK(r.kept == plain.kept);
    }
}

TEST_CASE("knn uncertainty counts empty neighbour slots as dissent") {
  KnnLearner knn(all_cfg(5, 64), info3(0, 255));
  OpCounter ops;
  const float x[3] = {128.f, 128.f, 128.f};
  knn.predict(x, ops);
  CHECK(knn.uncertainty() == 1.0);  // empty knowledge base
  add_point(knn, 128, 128, 128, 1, 0);
  knn.predict(x, ops);
  CHECK(knn.uncertainty() == doctest::Approx(0.8));  // 1 of 5 slots votes for the winner
  add_point(knn, 129, 128, 128, 1, 1);
  add_point(knn, 130, 128, 128, 0, 2);
  knn.predict(x, ops);
  CHECK(knn.uncertainty() == doctest::Approx(0.6));  // 2 of 5
  for (int i = 0; i < 3; ++i) add_point(knn, 128, 128, 128, 1, 3 + static_cast<uint64_t>(i));
  knn.predict(x, ops);
  CHECK(knn.uncertainty() == doctest::Approx(0.0));  // 5 nearest all class 1
}
