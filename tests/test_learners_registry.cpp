// Tests of the learner registry (learners/registry.cpp) and the static baseline.
#include <doctest/doctest.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "learners/knn.hpp"
#include "learners/static_learner.hpp"

using namespace tinyfleet;

namespace {

const ComponentInfo& info_of(const std::string& name) {
  for (const auto& c : learner_catalog())
    if (c.name == name) return c;
  FAIL("learner not in catalog: " << name);
  throw std::logic_error("unreachable");
}

LearnerSpec default_spec(const std::string& kind) {
  return {kind, default_params(info_of(kind).params), {}};
}

StreamInfo info3() {
  return {3, 2, {0, 0, 0}, {10, 10, 10}};
}

std::string message_of(const LearnerSpec& spec) {
  try {
    make_learner(spec, info3(), 1);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("learner catalog lists knn and static with their parameters") {
  const auto& knn = info_of("knn");
  REQUIRE(knn.params.size() == 7);
  CHECK(knn.params[0].name == "k");
  CHECK(knn.params[0].default_number == 3);
  CHECK(knn.params[0].min == 1);
  CHECK(knn.params[0].max == 64);
  CHECK(knn.params[1].name == "budget");
  CHECK(knn.params[1].default_number == 64);
  CHECK(knn.params[1].max == 1000000);
  CHECK(knn.params[2].choices == std::vector<std::string>{"l1", "l2"});
  CHECK(knn.params[3].choices == std::vector<std::string>{"misclassified", "all"});
  CHECK(knn.params[4].choices == std::vector<std::string>{"detector", "refine"});
  CHECK(knn.params[5].name == "refine_window");
  CHECK(knn.params[5].max == KnnLearner::kMaxRefineWindow);
  CHECK(knn.params[6].name == "validate_z");
  const auto& st = info_of("static");
  REQUIRE(st.params.size() == 5);
  CHECK(st.params[4].name == "warmup");
  CHECK(st.params[4].default_number == 200);
  CHECK(st.params[4].max == 1e9);
  for (const auto& c : learner_catalog()) {
    CHECK(!c.help.empty());
    for (const auto& p : c.params) CHECK(!p.help.empty());
  }
}

TEST_CASE("every catalog learner survives empty and constant streams") {
  const std::vector<StreamInfo> infos = {
      {0, 0, {}, {}},                // no features, no classes
      {0, 2, {}, {}},                // no features
      {3, 2, {5, 5, 5}, {5, 5, 5}},  // constant stream: degenerate ranges
      {1, 1, {0}, {1}},              // one class
  };
  for (const auto& c : learner_catalog()) {
    for (const auto& info : infos) {
      INFO("learner " << c.name << " features " << info.features);
      auto l = make_learner(default_spec(c.name), info, 42);
      REQUIRE(l);
      CHECK(l->memory_bytes() > 0);
      const std::vector<float> x(static_cast<std::size_t>(info.features) + 1, 5.f);
      OpCounter ops;
      CHECK(l->predict(x.data(), ops) == 0);  // nothing learnt yet
      CHECK(ops.total() > 0);
      for (uint64_t i = 0; i < 300; ++i) {
        l->learn(x.data(), 0, i, ops);
        const int p = l->predict(x.data(), ops);
        CHECK(p == 0);
      }
      l->on_drift({300, 150}, ops);
      CHECK(l->predict(x.data(), ops) == 0);
      CHECK(l->memory_bytes() > 0);
    }
  }
}

TEST_CASE("make_learner validates kind and parameters") {
  CHECK_THROWS_AS(make_learner({"nope", {}, {}}, info3(), 1), std::invalid_argument);
  CHECK(message_of({"nope", {}, {}}).find("nope") != std::string::npos);
  for (const std::string kind : {"knn", "static"}) {
    for (const auto& p : info_of(kind).params) {
      LearnerSpec spec = default_spec(kind);
      spec.params.numbers.erase(p.name);
      spec.params.strings.erase(p.name);
      const std::string msg = message_of(spec);
      INFO(kind << " missing " << p.name << ": " << msg);
      CHECK(msg.find(p.name) != std::string::npos);
    }
    LearnerSpec spec = default_spec(kind);
    spec.params.numbers["k"] = 0;
    CHECK(message_of(spec).find("k") != std::string::npos);
    spec = default_spec(kind);
    spec.params.numbers["budget"] = 2.5;
    CHECK(message_of(spec).find("budget") != std::string::npos);
    spec = default_spec(kind);
    spec.params.strings["distance"] = "cosine";
    CHECK(message_of(spec).find("distance") != std::string::npos);
    spec = default_spec(kind);
    spec.params.numbers["typo"] = 1;
    CHECK(message_of(spec).find("typo") != std::string::npos);
    CHECK(make_learner(default_spec(kind), info3(), 1));
  }
  LearnerSpec spec = default_spec("static");
  spec.params.numbers["warmup"] = -1;
  CHECK(message_of(spec).find("warmup") != std::string::npos);
  // knn does not take a warm-up
  spec = default_spec("knn");
  spec.params.numbers["warmup"] = 10;
  CHECK(message_of(spec).find("warmup") != std::string::npos);
}

TEST_CASE("make_learner builds the configured kernel") {
  LearnerSpec spec = default_spec("knn");
  spec.params.numbers["k"] = 5;
  spec.params.numbers["budget"] = 17;
  spec.params.strings["distance"] = "l2";
  spec.params.strings["add"] = "all";
  auto l = make_learner(spec, info3(), 1);
  auto* knn = dynamic_cast<KnnLearner*>(l.get());
  REQUIRE(knn);
  CHECK(knn->config().k == 5);
  CHECK(knn->capacity() == 17);
  CHECK(knn->config().distance == KnnDistance::L2);
  CHECK(knn->config().add == KnnAddRule::All);
  CHECK(knn->adapts_on_drift());
  auto s = make_learner(default_spec("static"), info3(), 1);
  REQUIRE(dynamic_cast<StaticLearner*>(s.get()));
  CHECK_FALSE(s->adapts_on_drift());
}

TEST_CASE("static learner stops learning after the warm-up and ignores drift") {
  const KnnConfig cfg{3, 64, KnnDistance::L1, KnnAddRule::All};
  StaticLearner st(cfg, 50, info3());
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(0.f, 10.f);
  std::array<float, 3> x{};
  OpCounter ops;
  for (uint64_t i = 0; i < 200; ++i) {
    for (auto& v : x) v = u(rng);
    st.learn(x.data(), x[0] + x[1] > 10.f, i, ops);
    CHECK(st.knn().size() == std::min<uint64_t>(i + 1, 50));
  }
  CHECK(st.labels_seen() == 50);
  CHECK(st.warm());
  CHECK(st.knn().entries_added() == 50);
  CHECK(st.knn().entry_index(49) == 49);
  OpCounter late;
  st.learn(x.data(), 1, 500, late);
  CHECK(late.total() == 1);  // the warm-up check only
  st.on_drift({200, 100}, ops);
  CHECK(st.knn().size() == 50);
  CHECK(st.memory_bytes() == st.knn().memory_bytes() + 8);
  // It still predicts with what it learnt.
  int ok = 0;
  for (int i = 0; i < 1000; ++i) {
    for (auto& v : x) v = u(rng);
    ok += st.predict(x.data(), ops) == (x[0] + x[1] > 10.f);
  }
  CHECK(ok > 800);

  StaticLearner frozen(cfg, 50, info3());
  frozen.freeze();
  frozen.learn(x.data(), 1, 0, ops);
  CHECK(frozen.knn().size() == 0);
  CHECK(frozen.labels_seen() == 0);

  StaticLearner none(cfg, 0, info3());  // warm-up 0: never learns
  none.learn(x.data(), 1, 0, ops);
  CHECK(none.knn().size() == 0);
}

TEST_CASE("static learner is deterministic and matches a kNN during warm-up") {
  const KnnConfig cfg{};
  StaticLearner st(cfg, 1000, info3());
  KnnLearner knn(cfg, info3());
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> u(0.f, 10.f);
  std::array<float, 3> x{};
  for (uint64_t i = 0; i < 500; ++i) {
    for (auto& v : x) v = u(rng);
    OpCounter a, b;
    CHECK(st.predict(x.data(), a) == knn.predict(x.data(), b));
    CHECK(a.n == b.n);
    st.learn(x.data(), x[0] > 5.f, i, a);
    knn.learn(x.data(), x[0] > 5.f, i, b);
  }
  CHECK(st.knn().entries_added() == knn.entries_added());
}
