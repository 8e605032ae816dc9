#include "drift/drifting_stream.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "drift/param_check.hpp"

namespace tinyfleet {

DriftingStream::DriftingStream(const StreamSpec& spec, std::vector<DriftSpec> drifts, uint64_t seed)
    : drifts_(std::move(drifts)),
      selection_(static_cast<int64_t>(derive_seed(seed, 0, seed_purpose::kDriftSelection))) {
  std::stable_sort(drifts_.begin(), drifts_.end(),
                   [](const DriftSpec& a, const DriftSpec& b) { return a.at_s < b.at_s; });
  Params params = spec.params;
  generators_.reserve(drifts_.size() + 1);
  for (std::size_t i = 0; i <= drifts_.size(); ++i) {
    if (i > 0) {
      const DriftSpec& d = drifts_[i - 1];
      if (d.kind == DriftSpec::Kind::Gradual && !(d.width_s > 0))
        throw std::invalid_argument("gradual drift needs width_s > 0");
      params = overlay_params(std::move(params), d.to);  // cumulative overlay
    }
    generators_.push_back(
        make_generator(spec.generator, params, derive_seed(seed, i, seed_purpose::kConcept)));
  }
  info_ = generators_.front()->info();
  for (const auto& g : generators_)
    if (g->info().features != info_.features || g->info().classes != info_.classes)
      throw std::invalid_argument("drift changes the shape of stream '" + spec.generator + "'");
  x_.assign(static_cast<std::size_t>(info_.features), 0.0f);
}

int DriftingStream::choose(double t) {
  for (std::size_t i = drifts_.size(); i > 0; --i) {
    const DriftSpec& d = drifts_[i - 1];
    if (d.kind == DriftSpec::Kind::Abrupt) {
      if (t >= d.at_s) return static_cast<int>(i);
      continue;
    }
    // MOA ConceptDriftStream: x = -4 (t - p) / w, P(new) = 1 / (1 + e^x);
    // nextDouble() > P → the old stream. Saturated tails skip exp() but keep
    // the draw and give the same decision as the formula: for x < -40,
    // 1 + e^x rounds to 1 so P = 1 and u < 1 always picks the new concept;
    // for x > 40, 0 < P < 4.3e-18 < 2^-53, so only u == 0 picks it.
    const double u = selection_.next_double();
    const double x = -4.0 * (t - d.at_s) / d.width_s;
    bool take_new;
    if (x < -40)
      take_new = true;
    else if (x > 40)
      take_new = (u == 0.0);
    else
      take_new = !(u > 1.0 / (1.0 + std::exp(x)));
    if (take_new) return static_cast<int>(i);
  }
  return 0;
}

Sample DriftingStream::next(double t) {
  Sample s;
  s.concept_id = choose(t);
  s.y = generators_[static_cast<std::size_t>(s.concept_id)]->next(x_.data());
  s.x = x_.data();
  return s;
}

int DriftingStream::concept_at(double t) const {
  int c = 0;
  for (std::size_t i = 0; i < drifts_.size(); ++i)
    if (t >= drifts_[i].at_s) c = static_cast<int>(i + 1);
  return c;
}

std::vector<bool> select_devices(const DeviceSelector& sel, int count, uint64_t seed) {
  if (count < 0) throw std::invalid_argument("select_devices: negative count");
  std::vector<bool> picked(static_cast<std::size_t>(count), false);
  switch (sel.kind) {
    case DeviceSelector::Kind::All:
      picked.assign(picked.size(), true);
      break;
    case DeviceSelector::Kind::Fraction: {
      if (!(sel.fraction >= 0 && sel.fraction <= 1))
        throw std::invalid_argument("select_devices: fraction must be in [0, 1]");
      long k = std::lround(sel.fraction * count);
      if (sel.fraction > 0 && k < 1) k = 1;
      k = std::min<long>(k, count);
      if (k == 0 || count == 0) break;
      // Partial Fisher–Yates: the first k slots of a uniform random permutation.
      std::vector<int> idx(static_cast<std::size_t>(count));
      std::iota(idx.begin(), idx.end(), 0);
      SplitMix64 rng(seed);
      for (long i = 0; i < k; ++i) {
        const auto j = static_cast<std::size_t>(i) +
                       static_cast<std::size_t>(rng.next_below(static_cast<uint64_t>(count - i)));
        std::swap(idx[static_cast<std::size_t>(i)], idx[j]);
        picked[static_cast<std::size_t>(idx[static_cast<std::size_t>(i)])] = true;
      }
      break;
    }
    case DeviceSelector::Kind::List:
      for (int i : sel.indices) {
        if (i < 0 || i >= count)
          throw std::invalid_argument("select_devices: device index " + std::to_string(i) +
                                      " out of range (group has " + std::to_string(count) + ")");
        picked[static_cast<std::size_t>(i)] = true;
      }
      break;
  }
  return picked;
}

}  // namespace tinyfleet
