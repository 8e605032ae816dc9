#include "drift/gen_waveform.hpp"

#include <algorithm>
#include <stdexcept>

namespace tinyfleet {

namespace {
// MOA's class → (wave a, wave b) switch.
constexpr int kPair[3][2] = {{0, 1}, {0, 2}, {1, 2}};
}  // namespace

WaveformGenerator::WaveformGenerator(bool add_noise, bool drift, int drift_attributes, int64_t seed)
    : rng_(seed), n_(add_noise ? kTotal : kBase) {
  if (drift_attributes < 0 || drift_attributes > kTotal)
    throw std::invalid_argument("waveform: drift_attributes must be 0..40");
  for (std::size_t i = 0; i < map_.size(); ++i) map_[i] = static_cast<int>(i);
  if (drift) {
    // MOA WaveformGeneratorDrift.prepareForUseImpl() (HEAD: a true swap of
    // the two map entries; indices wrap modulo numAtts).
    const int random_int = rng_.next_int(n_);
    const int offset = rng_.next_int(n_);
    for (int i = 0; i < drift_attributes; ++i) {
      std::swap(map_[static_cast<std::size_t>((i + random_int) % n_)],
                map_[static_cast<std::size_t>((i + offset) % n_)]);
    }
  }
  info_.features = n_;
  info_.classes = 3;
  // Quantisation range: the wave mixture lies in [0, max_k h_k(i)]; the
  // N(0,1) noise is covered to ±6σ (exceeded with probability 2e-9 per
  // value; learners clamp). Pure-noise attributes: [−6, 6].
  info_.lo.assign(static_cast<std::size_t>(n_), -6.0f);
  info_.hi.assign(static_cast<std::size_t>(n_), 6.0f);
  for (int i = 0; i < kBase; ++i) {
    const int hmax = std::max({kWaves[0][i], kWaves[1][i], kWaves[2][i]});
    info_.hi[static_cast<std::size_t>(map_[static_cast<std::size_t>(i)])] =
        static_cast<float>(hmax + 6);
  }
}

int WaveformGenerator::next(float* x) {
  // MOA WaveformGenerator.nextInstance(): class = nextInt(3); u = nextDouble();
  // then one nextGaussian() per base attribute, then one per noise attribute.
  const int waveform = rng_.next_int(3);
  const int* ha = kWaves[kPair[waveform][0]];
  const int* hb = kWaves[kPair[waveform][1]];
  const double mult_a = rng_.next_double();
  const double mult_b = 1.0 - mult_a;
  for (int i = 0; i < kBase; ++i) {
    x[map_[static_cast<std::size_t>(i)]] =
        static_cast<float>((mult_a * ha[i]) + (mult_b * hb[i]) + rng_.next_gaussian());
  }
  for (int i = kBase; i < n_; ++i)
    x[map_[static_cast<std::size_t>(i)]] = static_cast<float>(rng_.next_gaussian());
  return waveform;
}

ComponentInfo waveform_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "waveform",
      "waveform (Breiman et al. 1984), MOA-exact: 3 classes, 21 attributes = mixture of two base "
      "waves + N(0,1)",
      {
          {"add_noise", T::Bool, 0, 1, 0, {}, "append 19 pure N(0,1) attributes: 40 (MOA -n)"},
      }};
}

std::unique_ptr<Generator> make_waveform(const Params& params, uint64_t seed) {
  return std::make_unique<WaveformGenerator>(params.number("add_noise") != 0, false, 0,
                                             static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
