// Classification metrics (analysis/classification_counts.*, analysis/evaluator.*):
// River's doctest vectors, hand-computed values and the 0/0, pe = 1 and tie rules.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "analysis/classification_counts.hpp"
#include "analysis/confusion_matrix.hpp"
#include "analysis/evaluator.hpp"

using namespace tinyfleet;

namespace {

// Text labels numbered in order of first appearance, scored like River scores them.
struct TextEvaluator {
  std::vector<std::string> names;
  ClassificationEvaluator ev{1000, kDefaultFadingFactor};
  TextEvaluator() {
    ev.set_class_names(&names);
    ev.set_initial_previous(-1);  // River's first "previous" label is int 0, never a text label
  }
  int id(const std::string& s) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == s) return static_cast<int>(i);
    names.push_back(s);
    return static_cast<int>(names.size() - 1);
  }
  void feed(const std::vector<std::string>& y_true, const std::vector<std::string>& y_pred) {
    for (std::size_t i = 0; i < y_true.size(); ++i) {
      const int t = id(y_true[i]);
      ev.add(t, id(y_pred[i]));
    }
  }
};

const std::vector<std::string> kTrue6 = {"cat", "ant", "cat", "cat", "ant", "bird"};
const std::vector<std::string> kPred6 = {"ant", "ant", "cat", "cat", "ant", "cat"};

}  // namespace

TEST_CASE("River doctest vectors: Cohen's kappa 3/7, Kappa-T 0.6, Kappa-M 0.25, G-mean, BA") {
  TextEvaluator a;
  a.feed(kTrue6, kPred6);
  CHECK(cohen_kappa(a.ev.counts()) == doctest::Approx(3.0 / 7.0).epsilon(1e-12));
  CHECK(kappa_t(a.ev.counts()) == doctest::Approx(0.6).epsilon(1e-12));
  CHECK(accuracy(a.ev.counts()) == doctest::Approx(4.0 / 6.0));

  TextEvaluator m;  // River's KappaM example: 11 samples
  m.feed({"cat", "ant", "cat", "cat", "ant", "bird", "cat", "ant", "cat", "cat", "ant"},
         {"ant", "ant", "cat", "cat", "ant", "cat", "ant", "ant", "cat", "cat", "ant"});
  CHECK(m.ev.counts().majority_correct == 7);
  CHECK(kappa_m(m.ev.counts()) == doctest::Approx(0.25).epsilon(1e-12));

  TextEvaluator g;  // River's GeometricMean example: recalls 2/3, 1, 1/2
  g.feed({"cat", "ant", "cat", "cat", "ant", "bird", "bird"},
         {"ant", "ant", "cat", "cat", "ant", "cat", "bird"});
  CHECK(g_mean(g.ev.counts()) == doctest::Approx(0.693361274350634).epsilon(1e-12));

  ClassificationEvaluator b(10, 0.999);  // River's BalancedAccuracy example (True = 1)
  const int yt[] = {1, 0, 1, 1, 0, 1}, yp[] = {1, 0, 1, 1, 1, 0};
  for (int i = 0; i < 6; ++i) b.add(yt[i], yp[i]);
  CHECK(balanced_accuracy(b.counts()) == doctest::Approx(0.625));
  CHECK(recall(b.counts(), 1) == doctest::Approx(0.75));
  CHECK(recall(b.counts(), 0) == doctest::Approx(0.5));
}

TEST_CASE("no samples: every metric is 0") {
  ClassificationEvaluator ev(5, 0.9);
  const auto& c = ev.counts();
  CHECK(accuracy(c) == 0);
  CHECK(cohen_kappa(c) == 0);
  CHECK(kappa_m(c) == 0);
  CHECK(kappa_t(c) == 0);
  CHECK(g_mean(c) == 0);
  CHECK(balanced_accuracy(c) == 0);
  CHECK(recall(c, 3) == 0);
  CHECK(ev.windowed() == 0);
  CHECK(ev.fading() == 0);
  CHECK(ev.majority_class() == -1);
}

TEST_CASE("pe = 1: a baseline that is always right gives kappa 0, not a division by zero") {
  ClassificationEvaluator ev(5, 0.9);
  for (int i = 0; i < 4; ++i) ev.add(0, 0);  // one class, always predicted
  const auto& c = ev.counts();
  CHECK(accuracy(c) == 1);
  CHECK(cohen_kappa(c) == 0);  // pe = 1·1
  CHECK(kappa_m(c) == 0);      // majority classifier always right
  CHECK(kappa_t(c) == 0);      // previous label (initially 0) always right
  CHECK(c.no_change_correct == 4);
  CHECK(g_mean(c) == 1);
  CHECK(balanced_accuracy(c) == 1);
}

TEST_CASE("a class only ever predicted enters G-mean and balanced accuracy with recall 0") {
  ClassificationEvaluator ev(5, 0.9);
  ev.add(0, 0);
  ev.add(0, 0);
  ev.add(0, 2);  // class 2 never occurs as a true label; class 1 never occurs at all
  const auto& c = ev.counts();
  CHECK(c.present(0));
  CHECK_FALSE(c.present(1));
  CHECK(c.present(2));
  CHECK(recall(c, 2) == 0);
  CHECK(g_mean(c) == 0);
  CHECK(balanced_accuracy(c) == doctest::Approx((2.0 / 3.0 + 0.0) / 2.0));
  // pe = (3·2 + 0·1) / 9: kappa = (2/3 − 2/3) / (1/3) = 0
  CHECK(cohen_kappa(c) == doctest::Approx(0.0));
}

TEST_CASE("hand-computed binary stream: kappas against their baselines") {
  // y_true 1 1 0 1 0 0 1 1, y_pred 1 0 0 1 1 0 1 1
  ClassificationEvaluator ev(4, 0.9);
  const int yt[] = {1, 1, 0, 1, 0, 0, 1, 1}, yp[] = {1, 0, 0, 1, 1, 0, 1, 1};
  for (int i = 0; i < 8; ++i) ev.add(yt[i], yp[i]);
  const auto& c = ev.counts();
  CHECK(c.correct == 6);
  // Marginals: true 0:3, 1:5; pred 0:3, 1:5 → pe = (9 + 25) / 64; p0 = 48/64.
  CHECK(cohen_kappa(c) == doctest::Approx((48.0 - 34.0) / (64.0 - 34.0)));
  // Majority after each sample: 1,1,1,1,1(3:2),tie 3:3 → "0" < "1" → 0, then 1, 1.
  // Right at samples 1,2,4,6(y=0, majority 0),7,8 → 6.
  CHECK(c.majority_correct == 6);
  CHECK(kappa_m(c) == 0);
  // No change (previous starts at 0): 1≠0,1=1,0≠1,1≠0,0≠1,0=0,1≠0,1=1 → 3.
  CHECK(c.no_change_correct == 3);
  CHECK(kappa_t(c) == doctest::Approx((6.0 / 8 - 3.0 / 8) / (1 - 3.0 / 8)));
  // Window of 4: the last four predictions 1 0 1 1 vs 0 0 1 1 → 3 right.
  CHECK(ev.window_count() == 4);
  CHECK(ev.windowed() == doctest::Approx(0.75));
  CHECK(ev.cumulative() == doctest::Approx(0.75));
}

TEST_CASE("majority ties go to the label that sorts first as text (River), also for integers") {
  ClassificationEvaluator a(4, 0.9), b(4, 0.9);
  a.add(2, 2);
  a.add(10, 10);  // tie 1:1, "10" < "2": the majority classifier says 10 and is right
  CHECK(a.majority_class() == 10);
  CHECK(a.counts().majority_correct == 2);
  b.add(10, 10);
  b.add(2, 2);  // tie again, 10 stays the majority: wrong on the second sample
  CHECK(b.majority_class() == 10);
  CHECK(b.counts().majority_correct == 1);
}

TEST_CASE("fading-factor accuracy: S = a*S + hit, N = a*N + 1") {
  ClassificationEvaluator ev(4, 0.5);
  ev.add(0, 0);
  ev.add(0, 1);
  ev.add(1, 1);
  // S: 1, 0.5, 1.25; N: 1, 1.5, 1.75
  CHECK(ev.fading() == doctest::Approx(1.25 / 1.75));
  ClassificationEvaluator plain(4, 1.0);  // α = 1: the cumulative accuracy
  plain.add(0, 0);
  plain.add(0, 1);
  plain.add(1, 1);
  CHECK(plain.fading() == doctest::Approx(plain.cumulative()));
  CHECK_THROWS(ClassificationEvaluator(4, 0.0));
  CHECK_THROWS(ClassificationEvaluator(4, 1.5));
}

TEST_CASE("counts pool additively; memory stays fixed once classes are reserved") {
  ClassificationEvaluator a(3, 0.9, 3), b(3, 0.9, 3);
  const std::size_t before = a.memory_bytes();
  a.add(0, 0);
  a.add(1, 0);
  b.add(2, 2);
  b.add(1, 1);
  CHECK(a.memory_bytes() == before);
  ClassificationCounts pooled = a.counts();
  pooled += b.counts();
  CHECK(pooled.n == 4);
  CHECK(pooled.correct == 3);
  REQUIRE(pooled.classes.size() == 3);
  CHECK(pooled.classes[1].truth == 2);
  CHECK(pooled.classes[1].hits == 1);
  CHECK(pooled.classes[0].predicted == 2);
  CHECK(balanced_accuracy(pooled) == doctest::Approx((1.0 + 0.5 + 1.0) / 3));
  CHECK(pooled.majority_correct == a.counts().majority_correct + b.counts().majority_correct);
  CHECK_THROWS(a.add(-1, 0));
}

TEST_CASE("confusion matrix grows with new classes and keeps its cells") {
  ConfusionMatrix m;
  m.add(0, 1);
  m.add(1, 1);
  m.add(3, 0);
  CHECK(m.classes() == 4);
  CHECK(m.at(0, 1) == 1);
  CHECK(m.at(1, 1) == 1);
  CHECK(m.at(3, 0) == 1);
  CHECK(m.at(2, 2) == 0);
  CHECK(m.at(9, 9) == 0);
}
