// Behaviour of every det_* detector beyond the River vectors: detection of an
// obvious change with bounded delay, quiet stationary streams (binary
// detectors at default parameters, fixed seeds), reset, memory, op counts,
// MOA modes, and a generic run over the whole catalog.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

#include "drift/det_adwin.hpp"
#include "drift/det_cusum.hpp"
#include "drift/det_ddm.hpp"
#include "drift/det_eddm.hpp"
#include "drift/det_hddm_a.hpp"
#include "drift/det_hddm_w.hpp"
#include "drift/det_ici.hpp"
#include "drift/det_kswin.hpp"
#include "drift/det_loglik.hpp"
#include "drift/detector.hpp"
#include "tests/support/py_random.hpp"

using namespace tinyfleet;
using tinyfleet::test::PyRandom;

namespace {

std::unique_ptr<Detector> make_default(const std::string& name) {
  for (const auto& c : detector_catalog())
    if (c.name == name) return make_detector(name, default_params(c.params));
  throw std::invalid_argument(name);
}

std::unique_ptr<Detector> make_with(const std::string& name, const std::string& key,
                                    const std::string& value) {
  for (const auto& c : detector_catalog())
    if (c.name == name) {
      Params p = default_params(c.params);
      p.strings[key] = value;
      return make_detector(name, p);
    }
  throw std::invalid_argument(name);
}

// Bernoulli(p0) for n0 values, then Bernoulli(p1).
std::vector<double> bernoulli(uint64_t seed, int n0, double p0, int n1, double p1) {
  PyRandom rng(seed);
  std::vector<double> xs;
  for (int i = 0; i < n0 + n1; ++i) xs.push_back(rng.random() < (i < n0 ? p0 : p1) ? 1.0 : 0.0);
  return xs;
}

// N(0, 1) for n0 values, then N(shift, 1).
std::vector<double> gaussian(uint64_t seed, int n0, int n1, double shift) {
  PyRandom rng(seed);
  std::vector<double> xs;
  for (int i = 0; i < n0 + n1; ++i) xs.push_back(rng.gauss(i < n0 ? 0.0 : shift, 1.0));
  return xs;
}

struct Run {
  std::vector<uint64_t> drifts;
  uint64_t first_estimate = 0, estimate_after_1000 = 0;
  OpCounter ops;
};

Run run(Detector& d, const std::vector<double>& xs) {
  Run r;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    d.update(xs[i], i, r.ops);
    if (d.drift_detected()) {
      if (r.drifts.empty()) r.first_estimate = d.change_estimate();
      if (i >= 1000 && (r.drifts.empty() || r.drifts.back() < 1000))
        r.estimate_after_1000 = d.change_estimate();
      r.drifts.push_back(i);
    }
  }
  return r;
}

}  // namespace

TEST_CASE("binary detectors: error-rate jump 0.1 → 0.6 detected within 200 samples") {
  for (const char* name : {"ddm", "eddm", "hddm_a", "hddm_w", "adwin", "page_hinkley", "cusum"}) {
    const std::string who = name;
    CAPTURE(who);
    for (uint64_t seed : {1u, 2u, 3u}) {
      CAPTURE(seed);
      auto d = make_default(name);
      const auto xs = bernoulli(seed, 1000, 0.1, 1000, 0.6);
      const Run r = run(*d, xs);
      bool hit = false;
      for (auto i : r.drifts) hit = hit || (i >= 1000 && i < 1200);
      CHECK(hit);
      CHECK(r.ops.total() > 0);
      CHECK(r.ops[Op::Compare] > 0);
    }
  }
}

TEST_CASE("binary detectors: no alarm on 5000 stationary Bernoulli(0.2) errors") {
  for (const char* name : {"ddm", "hddm_a", "hddm_w", "adwin"}) {
    const std::string who = name;
    CAPTURE(who);
    // Fixed seeds: HDDM_A/W (δ = 0.001, sequential) do false-alarm on some
    // 5000-sample stationary streams (e.g. seeds 11, 12; DDM on 16, 17).
    for (uint64_t seed : {13u, 14u, 15u}) {
      CAPTURE(seed);
      auto d = make_default(name);
      CHECK(run(*d, bernoulli(seed, 5000, 0.2, 0, 0)).drifts.empty());
    }
  }
  // EDDM at its defaults (0.95/0.9) is known to be trigger-happy on
  // stationary streams (River's doctest uses 0.8/0.75 for that reason): check
  // the doctest settings on a low error rate instead.
  for (uint64_t seed : {11u, 12u, 13u}) {
    Eddm::Config c;
    c.alpha = 0.8f, c.beta = 0.75f;
    Eddm d(c);
    CHECK(run(d, bernoulli(seed, 10000, 0.2, 0, 0)).drifts.size() <= 1);
  }
}

TEST_CASE("change estimates fall near the true change") {
  const auto xs = bernoulli(5, 1000, 0.1, 1000, 0.7);
  for (const char* name : {"ddm", "hddm_a", "hddm_w", "adwin", "cusum"}) {
    const std::string who = name;
    CAPTURE(who);
    auto d = make_default(name);
    const Run r = run(*d, xs);
    // The estimate of the first alarm after the change (earlier ones are
    // false alarms of the stationary part).
    uint64_t alarm = 0;
    for (auto i : r.drifts)
      if (i >= 1000 && alarm == 0) alarm = i;
    REQUIRE(alarm > 0);
    CHECK(r.estimate_after_1000 <= alarm);
    // ADWIN drops one bucket per cut and HDDM_W's cut point lags, so only the
    // estimators that date the change explicitly are held to ±300.
    if (who == "ddm" || who == "hddm_a" || who == "cusum")
      CHECK(r.estimate_after_1000 + 300 >= 1000);
  }
}

TEST_CASE("scalar detectors: mean shift of 3 sd in a Gaussian stream") {
  const auto xs = gaussian(7, 1000, 1000, 3.0);
  for (const char* name : {"adwin", "kswin", "cusum", "ici", "page_hinkley"}) {
    const std::string who = name;
    CAPTURE(who);
    auto d = make_default(name);
    const Run r = run(*d, xs);
    bool hit = false;
    for (auto i : r.drifts) hit = hit || (i >= 1000 && i < 1150);
    CHECK(hit);
  }
}

TEST_CASE("reset, memory and ops for every det_* detector") {
  for (const char* name :
       {"cusum", "ddm", "eddm", "hddm_a", "hddm_w", "adwin", "kswin", "ici", "loglik"}) {
    const std::string who = name;
    CAPTURE(who);
    auto d = make_default(name);
    CHECK(d->memory_bytes() > 0);
    const auto xs = bernoulli(21, 1500, 0.1, 1500, 0.8);
    const Run a = run(*d, xs);
    CHECK(a.ops.total() > 0);
    CHECK(a.ops[Op::Fp32Mac] > 0);
    CHECK(a.ops[Op::Load] > 0);
    d->reset();
    const Run b = run(*d, xs);  // a reset detector replays identically
    CHECK(a.drifts == b.drifts);
    CHECK(a.ops.n == b.ops.n);
    CHECK_FALSE(d->multivariate() != (std::string(name) == "loglik"));
  }
  OpCounter ops;
  Cusum c;
  CHECK_THROWS_AS(c.update_vector(nullptr, 1, 0, ops), std::logic_error);
}

TEST_CASE("ADWIN: buckets, memory growth, no reallocation, MOA mode") {
  Adwin a;
  OpCounter ops;
  const std::size_t m0 = a.memory_bytes();
  for (int i = 0; i < 100000; ++i) a.update(0.5, static_cast<uint64_t>(i), ops);
  CHECK(a.width() == 100000);
  CHECK(a.rows() > 10);
  CHECK(a.rows() < 20);  // log2(W / M)
  CHECK(a.memory_bytes() > m0);
  CHECK(a.total() == doctest::Approx(50000.0f));
  // Cut ops happen every `clock` updates only.
  OpCounter one;
  a.update(0.5, 100000, one);
  CHECK(one.total() < 80);

  // MOA mode ignores decreases and never empties the window after an alarm.
  auto moa = make_with("adwin", "mode", "moa");
  const auto down = bernoulli(3, 2000, 0.8, 2000, 0.1);
  CHECK(run(*moa, down).drifts.empty());
  auto river = make_default("adwin");
  CHECK(!run(*river, down).drifts.empty());
  auto moa_up = make_with("adwin", "mode", "moa");
  const Run up = run(*moa_up, bernoulli(3, 2000, 0.1, 2000, 0.8));
  REQUIRE(!up.drifts.empty());
  CHECK(up.drifts[0] >= 2000);
}

TEST_CASE("CUSUM: River frozen reference vs MOA running mean; directions") {
  Cusum c;
  OpCounter ops;
  for (int i = 0; i < 30; ++i) c.update(i % 2 ? 1.0 : -1.0, static_cast<uint64_t>(i), ops);
  CHECK(c.reference() == doctest::Approx(0.0f));
  CHECK(c.sigma() == doctest::Approx(std::sqrt(30.0 / 29.0)).epsilon(1e-5));
  // h = 5 has an ARL0 of a few hundred (River's docstring), so use h = 10.
  Cusum::Config up;
  up.direction = Cusum::Direction::Up;
  up.threshold = 10;
  Cusum only_up(up);
  CHECK(run(only_up, gaussian(3, 500, 500, -3)).drifts.empty());
  up.direction = Cusum::Direction::Down;
  Cusum only_down(up);
  const auto dr = run(only_down, gaussian(3, 500, 500, -3)).drifts;
  REQUIRE(!dr.empty());
  CHECK(dr[0] >= 500);
  Cusum::Config m;
  m.mode = Cusum::Mode::Moa;
  Cusum moa(m);
  // MOA's default λ = 50 on a running mean: a +3 jump alarms, a drop never does.
  auto r = run(moa, gaussian(4, 500, 500, 3));
  REQUIRE(!r.drifts.empty());
  CHECK(r.drifts[0] > 500);
  CHECK(r.drifts[0] < 560);
  Cusum moa2(m);
  CHECK(run(moa2, gaussian(4, 500, 500, -3)).drifts.empty());
}

TEST_CASE("HDDM_A/HDDM_W: two-sided tests and MOA modes") {
  const auto down = bernoulli(8, 1000, 0.7, 1000, 0.1);
  auto one = make_default("hddm_a");
  CHECK(run(*one, down).drifts.empty());
  auto two = make_with("hddm_a", "test", "two_sided");
  CHECK(!run(*two, down).drifts.empty());
  // MOA: two-sided by default but a decrease only restarts the statistics.
  auto moa = make_with("hddm_a", "mode", "moa");
  CHECK(run(*moa, down).drifts.empty());
  auto moa_up = make_with("hddm_a", "mode", "moa");
  CHECK(!run(*moa_up, bernoulli(8, 1000, 0.1, 1000, 0.7)).drifts.empty());

  auto w_two = make_with("hddm_w", "test", "two_sided");
  CHECK(!run(*w_two, down).drifts.empty());
  auto w_moa = make_with("hddm_w", "mode", "moa");
  const Run wr = run(*w_moa, bernoulli(9, 1000, 0.1, 1000, 0.7));
  REQUIRE(!wr.drifts.empty());
  CHECK(wr.drifts[0] >= 1000);
}

TEST_CASE("DDM/EDDM MOA modes detect the jump too") {
  const auto xs = bernoulli(10, 1000, 0.1, 1000, 0.6);
  for (const char* name : {"ddm", "eddm"}) {
    const std::string who = name;
    CAPTURE(who);
    auto d = make_with(name, "mode", "moa");
    const Run r = run(*d, xs);
    bool hit = false;
    for (auto i : r.drifts) hit = hit || (i >= 1000 && i < 1250);
    CHECK(hit);
  }
}

TEST_CASE("every catalog entry: default params, constant and random 0/1 input, deterministic") {
  const auto& cat = detector_catalog();
  CHECK(cat.size() >= 10);
  for (const auto& info : cat) {
    CAPTURE(info.name);
    for (int input = 0; input < 2; ++input) {
      std::vector<uint64_t> alarms[2];
      OpCounter ops[2];
      for (int rep = 0; rep < 2; ++rep) {
        auto d = make_detector(info.name, default_params(info.params));
        PyRandom rng(99);
        for (uint64_t i = 0; i < 500; ++i) {
          const double x = input == 0 ? 1.0 : (rng.random() < 0.5 ? 1.0 : 0.0);
          d->update(x, i, ops[rep]);
          if (d->drift_detected()) alarms[rep].push_back(i);
        }
        CHECK(d->memory_bytes() > 0);
      }
      CHECK(alarms[0] == alarms[1]);
      CHECK(ops[0].n == ops[1].n);
      if (input == 0) CHECK(alarms[0].empty());  // a constant stream never changes
    }
  }
}
