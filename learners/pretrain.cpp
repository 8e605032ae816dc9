#include "learners/pretrain.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include "drift/drifting_stream.hpp"
#include "drift/rng.hpp"
#include "learners/learner.hpp"

namespace tinyfleet {
namespace {
constexpr uint64_t kFactoryStreamPurpose = 1, kFactoryOrderPurpose = 2;
}  // namespace

LabelledSet draw_factory_set(const PretrainSpec& spec, const StreamInfo& device, uint64_t seed) {
  if (spec.samples < 1 || spec.partitions < 1)
    throw std::invalid_argument("pretrain: samples and partitions must be >= 1");
  std::vector<std::unique_ptr<DriftingStream>> parts;
  for (int p = 0; p < spec.partitions; ++p) {
    StreamSpec s = spec.stream;
    auto& n = s.params.numbers;
    if (n.count("device") && n.count("devices")) {
      n["device"] = p;
      n["devices"] = spec.partitions;
    }
    parts.push_back(std::make_unique<DriftingStream>(
        s, std::vector<DriftSpec>{},
        derive_seed(seed, static_cast<uint64_t>(p), kFactoryStreamPurpose)));
  }
  const StreamInfo& info = parts.front()->info();
  if (info.features != device.features)
    throw std::invalid_argument("pretrain: the factory stream has " +
                                std::to_string(info.features) + " features, the device's " +
                                std::to_string(device.features));
  LabelledSet set;
  set.features = info.features;
  set.x.reserve(static_cast<std::size_t>(spec.samples) * static_cast<std::size_t>(info.features));
  set.y.reserve(static_cast<std::size_t>(spec.samples));
  std::vector<int64_t> drawn(parts.size(), 0);
  for (int i = 0; i < spec.samples; ++i) {
    const std::size_t p = static_cast<std::size_t>(i) % parts.size();
    const int64_t limit = parts[p]->info().samples;  // > 0: a single pass
    if (limit > 0 && drawn[p] >= limit)
      throw std::invalid_argument("pretrain: " + std::to_string(spec.samples) +
                                  " samples asked, but partition " + std::to_string(p) +
                                  " of the factory stream ends after " + std::to_string(limit));
    ++drawn[p];
    const Sample s = parts[p]->next(0.0);
    if (s.y < 0 || s.y >= std::max(device.classes, 1))
      throw std::invalid_argument("pretrain: factory label " + std::to_string(s.y) +
                                  " outside the device stream's " + std::to_string(device.classes) +
                                  " classes");
    set.x.insert(set.x.end(), s.x, s.x + info.features);
    set.y.push_back(s.y);
  }
  return set;
}

std::vector<std::size_t> epoch_order(std::size_t n, uint64_t seed, int epoch) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  SplitMix64 rng(derive_seed(seed, static_cast<uint64_t>(epoch), kFactoryOrderPurpose));
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.next_below(i)]);
  return order;
}

void Learner::pretrain(const LabelledSet& set, int epochs, uint64_t seed, OpCounter& ops) {
  for (int e = 0; e < epochs; ++e)
    for (std::size_t i : epoch_order(set.size(), seed, e)) learn(set.row(i), set.y[i], 0, ops);
}

OpCounter pretrain_learner(Learner& learner, const PretrainSpec& spec, const StreamInfo& device,
                           uint64_t seed) {
  const LabelledSet set = draw_factory_set(spec, device, seed);
  OpCounter factory;
  learner.pretrain(set, spec.epochs, derive_seed(seed, 0, kFactoryOrderPurpose), factory);
  return factory;
}

}  // namespace tinyfleet
