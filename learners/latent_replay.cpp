// Quantized latent replay over TinyOL's last layer; see latent_replay.hpp.
#include "learners/latent_replay.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "learners/param_read.hpp"

namespace tinyfleet {

namespace {
constexpr uint64_t kReplayPurpose = 0x1A7E17ull;
}  // namespace

std::vector<ParamSpec> LatentReplayLearner::param_specs() {
  using T = ParamSpec::Type;
  std::vector<ParamSpec> specs = TinyOlLearner::param_specs();
  specs.push_back({"buffer",
                   T::Int,
                   0,
                   1000000,
                   200,
                   {},
                   "replay slots of 8-bit latent vectors (reservoir sampling; 0 = no replay)"});
  specs.push_back(
      {"replays", T::Int, 0, 1000, 2, {}, "buffer entries replayed per labelled sample"});
  return specs;
}

LatentReplayConfig LatentReplayLearner::config_from(const Params& p) {
  LatentReplayConfig c;
  c.layer = TinyOlLearner::config_from(p);
  c.buffer = static_cast<int>(learner_params::int_of(p, "buffer", 0, 1000000));
  c.replays = static_cast<int>(learner_params::int_of(p, "replays", 0, 1000));
  return c;
}

LatentReplayLearner::LatentReplayLearner(const LatentReplayConfig& config, const StreamInfo& info,
                                         uint64_t seed)
    : cfg_(config), net_(config.layer, info, seed), rng_(derive_seed(seed, 0, kReplayPurpose)) {
  if (cfg_.buffer < 0 || cfg_.replays < 0)
    throw std::invalid_argument("replay: buffer and replays must be >= 0");
  din_ = net_.layer_inputs();
  const auto D = static_cast<std::size_t>(din_);
  codes_.reserve(static_cast<std::size_t>(cfg_.buffer) * D);
  new_codes_.assign(D, 0);
  replay_a_.assign(D, 0.f);
}

void LatentReplayLearner::quantise(const float* a, int d, uint8_t* codes, float& lo, float& scale) {
  lo = d > 0 ? a[0] : 0.f;
  float hi = lo;
  for (int j = 1; j < d; ++j) {
    lo = std::min(lo, a[j]);
    hi = std::max(hi, a[j]);
  }
  scale = (hi - lo) / 255.f;
  for (int j = 0; j < d; ++j) {
    const float q = scale > 0.f ? std::round((a[j] - lo) / scale) : 0.f;
    codes[j] = static_cast<uint8_t>(std::clamp(q, 0.f, 255.f));
  }
}

void LatentReplayLearner::dequantise(const uint8_t* codes, int d, float lo, float scale,
                                     float* out) {
  for (int j = 0; j < d; ++j) out[j] = lo + static_cast<float>(codes[j]) * scale;
}

void LatentReplayLearner::learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) {
  if (frozen_) return;
  const auto D = static_cast<std::size_t>(din_);
  const auto Du = static_cast<uint64_t>(D);
  const float* a = net_.front_end(x, ops);
  float lo = 0.f, scale = 0.f;
  quantise(a, din_, new_codes_.data(), lo, scale);
  ops.add(Op::Load, Du);
  ops.add(Op::Compare, 2 * Du + Du);
  ops.add(Op::Div);
  ops.add(Op::Fp32Mac, Du);
  ops.add(Op::Store, Du);
  // The new sample first (its latent vector is still in TinyOL's input), then rehearsal.
  net_.learn_latent(a, y, ops);
  (void)sample_index;
  const auto stored = static_cast<uint64_t>(labels_.size());
  for (int r = 0; r < cfg_.replays && stored > 0; ++r) {
    const auto slot = static_cast<std::size_t>(rng_.next_below(stored));
    dequantise(codes_.data() + slot * D, din_, lo_[slot], scale_[slot], replay_a_.data());
    ops.add(Op::Add);
    ops.add(Op::Div);
    ops.add(Op::Load, Du + 3);
    ops.add(Op::Fp32Mac, Du);
    net_.learn_latent(replay_a_.data(), labels_[slot], ops);
  }
  // Reservoir sampling (algorithm R) over the labelled history.
  ++seen_;
  if (cfg_.buffer == 0) return;
  std::size_t slot = labels_.size();
  if (labels_.size() == static_cast<std::size_t>(cfg_.buffer)) {
    const uint64_t j = rng_.next_below(seen_);
    ops.add(Op::Add);
    ops.add(Op::Div);
    ops.add(Op::Compare);
    if (j >= static_cast<uint64_t>(cfg_.buffer)) return;
    slot = static_cast<std::size_t>(j);
  } else {
    codes_.resize(codes_.size() + D);
    lo_.push_back(0.f);
    scale_.push_back(0.f);
    labels_.push_back(0);
  }
  std::copy(new_codes_.begin(), new_codes_.end(),
            codes_.begin() + static_cast<std::ptrdiff_t>(slot * D));
  lo_[slot] = lo;
  scale_[slot] = scale;
  labels_[slot] = y;
  ops.add(Op::Store, Du + 3);
}

std::size_t LatentReplayLearner::memory_bytes() const {
  const auto D = static_cast<std::size_t>(din_);
  return net_.memory_bytes() + static_cast<std::size_t>(cfg_.buffer) * (D + 4 + 4 + 2) + D * 4 + D +
         kStateBytes;
}

}  // namespace tinyfleet
