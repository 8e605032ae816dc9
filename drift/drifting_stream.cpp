#include "drift/drifting_stream.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "drift/param_check.hpp"

namespace tinyfleet {

namespace {
constexpr std::size_t kWaitingPerClass = 64;

// Params overlaid with the values `k/steps` of the way from `from` to `to`.
Params interpolate(const Params& from, const Params& to, int k, int steps) {
  Params out = from;
  const double f = static_cast<double>(k) / steps;
  for (const auto& [key, target] : to.numbers) {
    const auto it = from.numbers.find(key);
    const double start = it == from.numbers.end() ? target : it->second;
    const double v = start + (target - start) * f;
    // Integers step through whole values (an Int param must stay integral).
    const bool integral = std::floor(start) == start && std::floor(target) == target;
    out.numbers[key] = integral ? std::round(v) : v;
  }
  if (k == steps)
    for (const auto& [key, value] : to.strings) out.strings[key] = value;
  return out;
}
}  // namespace

DriftingStream::DriftingStream(const StreamSpec& spec, std::vector<DriftSpec> drifts, uint64_t seed)
    : selection_(static_cast<int64_t>(derive_seed(seed, 0, seed_purpose::kDriftSelection))),
      class_draw_(derive_seed(seed, 0, seed_purpose::kClassPriors)) {
  std::stable_sort(drifts.begin(), drifts.end(),
                   [](const DriftSpec& a, const DriftSpec& b) { return a.at_s < b.at_s; });
  current_ = add_concept(spec, spec.params, spec.priors, seed);
  info_ = concepts_.front().generator->info();
  // A task sequence is its own schedule of changes: drifts or priors would reorder it.
  if (info_.tasks && (!drifts.empty() || !spec.priors.empty()))
    throw std::invalid_argument("stream '" + spec.generator +
                                "' has tasks: it takes no drifts and no class priors");
  for (const auto& d : drifts) expand(spec, d, seed);
  // Later switches wrap earlier ones (MOA nesting), so keep them in time order.
  std::stable_sort(switches_.begin(), switches_.end(),
                   [](const Switch& a, const Switch& b) { return a.at < b.at; });
  std::stable_sort(
      change_points_.begin(), change_points_.end(),
      [](const ChangePoint& a, const ChangePoint& b) { return a.start_s < b.start_s; });
  for (const auto& c : concepts_) {
    if (c.generator->info().features != info_.features ||
        c.generator->info().classes != info_.classes)
      throw std::invalid_argument("drift changes the shape of stream '" + spec.generator + "'");
    if (!c.priors.empty() && c.priors.size() != static_cast<std::size_t>(info_.classes))
      throw std::invalid_argument("class priors list " + std::to_string(c.priors.size()) +
                                  " values but stream '" + spec.generator + "' has " +
                                  std::to_string(info_.classes) + " classes");
  }
  x_.assign(static_cast<std::size_t>(info_.features), 0.0f);
}

int DriftingStream::add_concept(const StreamSpec& spec, Params params, std::vector<double> priors,
                                uint64_t seed) {
  for (std::size_t i = 0; i < concepts_.size(); ++i)
    if (concepts_[i].params == params && concepts_[i].priors == priors) return static_cast<int>(i);
  Concept c;
  c.generator = make_generator(spec.generator, params,
                               derive_seed(seed, concepts_.size(), seed_purpose::kConcept));
  c.params = std::move(params);
  c.priors = std::move(priors);
  if (!c.priors.empty()) c.waiting.resize(c.priors.size());
  concepts_.push_back(std::move(c));
  return static_cast<int>(concepts_.size() - 1);
}

void DriftingStream::expand(const StreamSpec& spec, const DriftSpec& d, uint64_t seed) {
  const Concept& before = concepts_[static_cast<std::size_t>(current_)];
  const Params from = before.params;
  const std::vector<double> from_priors = before.priors;
  const Params target = overlay_params(from, d.to);
  const std::vector<double> target_priors = d.priors.empty() ? from_priors : d.priors;
  const int previous = current_;
  switch (d.kind) {
    case DriftSpec::Kind::Abrupt:
    case DriftSpec::Kind::Gradual: {
      const bool gradual = d.kind == DriftSpec::Kind::Gradual;
      if (gradual && !(d.width_s > 0))
        throw std::invalid_argument("gradual drift needs width_s > 0");
      current_ = add_concept(spec, target, target_priors, seed);
      switches_.push_back({gradual, d.at_s, d.width_s, current_});
      change_points_.push_back(
          {gradual ? d.at_s - d.width_s / 2 : d.at_s, gradual ? "gradual" : "abrupt"});
      break;
    }
    case DriftSpec::Kind::Incremental: {
      const int steps = std::max(1, d.steps);
      for (int k = 1; k <= steps; ++k) {
        current_ = add_concept(spec, interpolate(from, d.to, k, steps),
                               k == steps ? target_priors : from_priors, seed);
        switches_.push_back({false, d.at_s + d.width_s * k / steps, 0, current_});
      }
      change_points_.push_back({d.at_s, "incremental"});
      break;
    }
    case DriftSpec::Kind::Recurring: {
      const int next = add_concept(spec, target, target_priors, seed);
      const bool gradual = d.width_s > 0;
      for (int k = 0; k < d.repeat; ++k) {
        current_ = k % 2 == 0 ? next : previous;
        const double at = d.at_s + d.period_s * k;
        switches_.push_back({gradual, at, d.width_s, current_});
        change_points_.push_back({gradual ? at - d.width_s / 2 : at, "recurring"});
      }
      break;
    }
  }
}

void DriftingStream::schedule_data_changes(double first_sample_s, double period_s, double end_s,
                                           const std::string& stream_name) {
  if (info_.samples > 0 && !info_.tasks) {  // a task stream ends; the device then idles
    const double needed = std::ceil((end_s - first_sample_s) / period_s - 1e-9);
    if (needed > static_cast<double>(info_.samples))
      throw std::invalid_argument("stream '" + stream_name + "' is a single pass of " +
                                  std::to_string(info_.samples) + " samples but the run asks for " +
                                  std::to_string(static_cast<int64_t>(needed)) +
                                  ": shorten the duration, lower the rate or set `passes: cycle`");
  }
  const int64_t cycle = info_.cycle_samples;
  for (int64_t pass = 0;; ++pass) {
    bool any = false;
    for (const DataChange& c : info_.changes) {
      const double at = first_sample_s + static_cast<double>(pass * cycle + c.sample) * period_s;
      if (at >= end_s) continue;
      change_points_.push_back({at, c.kind});
      any = true;
    }
    if (cycle <= 0 || !any) break;
  }
  std::stable_sort(
      change_points_.begin(), change_points_.end(),
      [](const ChangePoint& a, const ChangePoint& b) { return a.start_s < b.start_s; });
}

int DriftingStream::choose(double t) {
  for (std::size_t i = switches_.size(); i > 0; --i) {
    const Switch& w = switches_[i - 1];
    if (!w.gradual) {
      if (t >= w.at) return w.concept_id;
      continue;
    }
    // MOA ConceptDriftStream: x = -4 (t - p) / w, P(new) = 1 / (1 + e^x);
    // nextDouble() > P → the old stream. Saturated tails skip exp() but keep
    // the draw and give the same decision as the formula: for x < -40,
    // 1 + e^x rounds to 1 so P = 1 and u < 1 always picks the new concept;
    // for x > 40, 0 < P < 4.3e-18 < 2^-53, so only u == 0 picks it.
    const double u = selection_.next_double();
    const double x = -4.0 * (t - w.at) / w.width;
    bool take_new;
    if (x < -40)
      take_new = true;
    else if (x > 40)
      take_new = (u == 0.0);
    else
      take_new = !(u > 1.0 / (1.0 + std::exp(x)));
    if (take_new) return w.concept_id;
  }
  return 0;
}

// MOA ImbalancedStream: draw the class by its prior, then serve a waiting
// sample of that class or pull from the generator until one comes, keeping
// the others for later.
int DriftingStream::draw_with_priors(Concept& c) {
  const double u = class_draw_.next_double();
  std::size_t want = 0;
  double acc = c.priors[0];
  while (u >= acc && want + 1 < c.priors.size()) acc += c.priors[++want];
  auto& queue = c.waiting[want];
  if (!queue.empty()) {
    std::copy(queue.front().begin(), queue.front().end(), x_.begin());
    queue.pop_front();
    return static_cast<int>(want);
  }
  for (;;) {
    const int y = c.generator->next(x_.data());
    if (static_cast<std::size_t>(y) == want) return y;
    auto& other = c.waiting[static_cast<std::size_t>(y)];
    if (other.size() == kWaitingPerClass) other.pop_front();
    other.emplace_back(x_.begin(), x_.end());
  }
}

Sample DriftingStream::next(double t) {
  Sample s;
  s.concept_id = choose(t);
  Concept& c = concepts_[static_cast<std::size_t>(s.concept_id)];
  s.y = c.priors.empty() ? c.generator->next(x_.data()) : draw_with_priors(c);
  s.x = x_.data();
  return s;
}

int DriftingStream::concept_at(double t) const {
  int c = 0;
  for (const auto& w : switches_)
    if (t >= w.at) c = w.concept_id;
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
