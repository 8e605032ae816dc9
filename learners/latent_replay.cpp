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
                   "replay slots of latent vectors (reservoir sampling; 0 = no replay)"});
  specs.push_back(
      {"replays", T::Int, 0, 1000, 2, {}, "buffer entries replayed per labelled sample"});
  specs.push_back({"bits",
                   T::Int,
                   1,
                   32,
                   8,
                   {},
                   "bits per stored latent value: 1..8 (quantized per vector) or 32 (fp32)"});
  return specs;
}

LatentReplayConfig LatentReplayLearner::config_from(const Params& p) {
  LatentReplayConfig c;
  c.layer = TinyOlLearner::config_from(p);
  c.buffer = static_cast<int>(learner_params::int_of(p, "buffer", 0, 1000000));
  c.replays = static_cast<int>(learner_params::int_of(p, "replays", 0, 1000));
  c.bits = static_cast<int>(learner_params::int_of(p, "bits", 1, 32));
  return c;
}

LatentReplayLearner::LatentReplayLearner(const LatentReplayConfig& config, const StreamInfo& info,
                                         uint64_t seed)
    : cfg_(config), net_(config.layer, info, seed), rng_(derive_seed(seed, 0, kReplayPurpose)) {
  if (cfg_.buffer < 0 || cfg_.replays < 0)
    throw std::invalid_argument("replay: buffer and replays must be >= 0");
  if (!(cfg_.bits == 32 || (cfg_.bits >= 1 && cfg_.bits <= 8)))
    throw std::invalid_argument("replay: bits must be 1..8 or 32, not " +
                                std::to_string(cfg_.bits));
  din_ = net_.layer_inputs();
  const auto D = static_cast<std::size_t>(din_);
  if (cfg_.bits == 32)
    fp_.reserve(static_cast<std::size_t>(cfg_.buffer) * D);
  else
    codes_.reserve(static_cast<std::size_t>(cfg_.buffer) * D);
  new_codes_.assign(D, 0);
  replay_a_.assign(D, 0.f);
}

void LatentReplayLearner::quantise(const float* a, int d, uint8_t* codes, float& lo, float& scale,
                                   int levels) {
  lo = d > 0 ? a[0] : 0.f;
  float hi = lo;
  for (int j = 1; j < d; ++j) {
    lo = std::min(lo, a[j]);
    hi = std::max(hi, a[j]);
  }
  const auto top = static_cast<float>(levels);
  scale = (hi - lo) / top;
  for (int j = 0; j < d; ++j) {
    const float q = scale > 0.f ? std::round((a[j] - lo) / scale) : 0.f;
    codes[j] = static_cast<uint8_t>(std::clamp(q, 0.f, top));
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
  const bool fp32 = cfg_.bits == 32;
  float lo = 0.f, scale = 0.f;
  if (!fp32) {
    quantise(a, din_, new_codes_.data(), lo, scale, (1 << cfg_.bits) - 1);
    ops.add(Op::Load, Du);
    ops.add(Op::Compare, 2 * Du + Du);
    ops.add(Op::Div);
    ops.add(Op::Fp32Mac, Du);
    ops.add(Op::Store, Du);
  }
  // fp32 keeps the vector itself: copy it before learning reuses TinyOL's input buffer.
  if (fp32) std::copy(a, a + din_, replay_a_.begin());
  // The new sample first (its latent vector is still in TinyOL's input), then rehearsal.
  net_.learn_latent(a, y, ops);
  (void)sample_index;
  const auto stored = static_cast<uint64_t>(labels_.size());
  for (int r = 0; r < cfg_.replays && stored > 0; ++r) {
    const auto slot = static_cast<std::size_t>(rng_.next_below(stored));
    ops.add(Op::Add);
    ops.add(Op::Div);
    if (fp32) {  // learned in place from the buffer
      ops.add(Op::Load, 1);
      net_.learn_latent(fp_.data() + slot * D, labels_[slot], ops);
      continue;
    }
    dequantise(codes_.data() + slot * D, din_, lo_[slot], scale_[slot], replay_a_.data());
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
    if (fp32)
      fp_.resize(fp_.size() + D);
    else
      codes_.resize(codes_.size() + D);
    lo_.push_back(0.f);
    scale_.push_back(0.f);
    labels_.push_back(0);
  }
  if (fp32)
    std::copy(replay_a_.begin(), replay_a_.end(),
              fp_.begin() + static_cast<std::ptrdiff_t>(slot * D));
  else
    std::copy(new_codes_.begin(), new_codes_.end(),
              codes_.begin() + static_cast<std::ptrdiff_t>(slot * D));
  lo_[slot] = lo;
  scale_[slot] = scale;
  labels_[slot] = y;
  ops.add(Op::Store, Du + 3);
}

std::size_t LatentReplayLearner::replay_bytes() const {
  const auto D = static_cast<std::size_t>(din_);
  const std::size_t slot =
      cfg_.bits == 32 ? 4 * D + 2 : (D * static_cast<std::size_t>(cfg_.bits) + 7) / 8 + 4 + 4 + 2;
  return static_cast<std::size_t>(cfg_.buffer) * slot;
}

std::size_t LatentReplayLearner::memory_bytes() const {
  const auto D = static_cast<std::size_t>(din_);
  return net_.memory_bytes() + replay_bytes() + D * 4 + (cfg_.bits == 32 ? 0 : D) + kStateBytes;
}

}  // namespace tinyfleet
