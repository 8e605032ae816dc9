// Binary MLP with random local binary error signals (kernels.md §3); see bnn.hpp.
#include "learners/bnn.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "drift/rng.hpp"
#include "learners/param_read.hpp"

namespace tinyfleet {

namespace {

using learner_params::int_of;
using learner_params::real_of;

constexpr int kMaxWidth = 65534;  // unit choices are stored as uint16 (0xFFFF = none)
constexpr uint16_t kNone = 0xFFFF;
constexpr uint64_t kInitPurpose = 0xB11A17ull;
constexpr double kInitStd = 64.0;  // standard deviation of the initial hidden weights
constexpr uint64_t kClassifierPurpose = 0xB11C1Aull;
constexpr uint64_t kReinforcePurpose = 0xB11E1Full;

inline bool get_bit(const uint32_t* v, int i) {
  return (v[i >> 5] >> (i & 31)) & 1u;
}
inline void put_bit(uint32_t* v, int i, bool b) {
  const uint32_t m = 1u << (i & 31);
  if (b)
    v[i >> 5] |= m;
  else
    v[i >> 5] &= ~m;
}
// n − 2·popcount(a XOR b) over n bits (padding bits are 0 in both operands).
int xnor_dot(const uint32_t* a, const uint32_t* b, int n, OpCounter& ops) {
  const int nw = BnnLearner::words(n);
  int pc = 0;
  for (int w = 0; w < nw; ++w) pc += std::popcount(a[w] ^ b[w]);
  ops.add(Op::Load, static_cast<uint64_t>(nw));
  ops.add(Op::Add, 2 * static_cast<uint64_t>(nw) + 1);
  ops.add(Op::Popcount, static_cast<uint64_t>(nw));
  return n - 2 * pc;
}
uint64_t splitmix(uint64_t& s) {
  SplitMix64 r(s);
  const uint64_t v = r.next_u64();
  s += SplitMix64::kGamma;
  return v;
}
double unit_open(uint64_t& s) {  // uniform in (0, 1]
  return static_cast<double>((splitmix(s) >> 11) + 1) * 0x1.0p-53;
}

}  // namespace

std::vector<ParamSpec> BnnLearner::param_specs() {
  using T = ParamSpec::Type;
  return {
      {"width", T::Int, 1, kMaxWidth, 255, {}, "hidden units per subnet (odd; paper: 1035)"},
      {"layers", T::Int, 1, 16, 1, {}, "number of subnets (hidden layer + frozen classifier)"},
      {"group",
       T::Int,
       0,
       kMaxWidth,
       0,
       {},
       "group size G of the sparse update (one unit per group); 0 = ceil(width/9) (paper 115)"},
      {"rob", T::Real, 0, 2, 0.25, {}, "robustness: wrong if top-2 margin < floor(rob*width)"},
      {"p", T::Real, 0, 1, 0.5, {}, "metaplastic reinforcement strength (0 = off)"},
      {"batch", T::Int, 1, 100000, 1, {}, "minibatch size (increments summed; paper 100)"},
      {"acc_window",
       T::Int,
       1,
       100000000,
       100,
       {},
       "samples per training-accuracy window (acc_prev of the reinforcement)"},
      {"thermometer",
       T::Int,
       1,
       64,
       1,
       {},
       "input bits per feature (thermometer code over [lo, hi]; 1 = mid-range threshold)"},
      {"on_drift",
       T::Choice,
       0,
       0,
       0,
       {"none", "soften", "reset"},
       "none: adapt passively; soften: a detected change (or a fleet reset) clips every hidden "
       "weight to +-soften_bound, keeping its sign (undoes metaplastic consolidation); reset: "
       "hidden weights re-drawn to their seeded init"},
      {"soften_bound",
       T::Int,
       1,
       32767,
       64,
       {},
       "|w| cap of on_drift: soften (default: the init's standard deviation)"},
  };
}

BnnConfig BnnLearner::config_from(const Params& p, uint64_t seed) {
  BnnConfig c;
  c.width = static_cast<int>(int_of(p, "width", 1, kMaxWidth));
  c.layers = static_cast<int>(int_of(p, "layers", 1, 16));
  c.group = static_cast<int>(int_of(p, "group", 0, kMaxWidth));
  c.rob = real_of(p, "rob", 0, 2);
  c.p = real_of(p, "p", 0, 1);
  c.batch = static_cast<int>(int_of(p, "batch", 1, 100000));
  c.acc_window = static_cast<int>(int_of(p, "acc_window", 1, 100000000));
  c.thermometer = static_cast<int>(int_of(p, "thermometer", 1, 64));
  const std::string d = learner_params::choice_of(p, "on_drift", {"none", "soften", "reset"});
  c.on_drift = d == "reset"    ? BnnDriftAction::Reset
               : d == "soften" ? BnnDriftAction::Soften
                               : BnnDriftAction::None;
  c.soften_bound = static_cast<int>(int_of(p, "soften_bound", 1, 32767));
  c.seed = seed;
  return c;
}

BnnLearner::BnnLearner(const BnnConfig& config, const StreamInfo& info) : cfg_(config) {
  if (cfg_.width < 1 || cfg_.width > kMaxWidth)
    throw std::invalid_argument("bnn: width must be in [1, 65534]");
  if (cfg_.layers < 1 || cfg_.layers > 16)
    throw std::invalid_argument("bnn: layers must be in [1, 16]");
  if (cfg_.group < 0 || cfg_.batch < 1 || cfg_.acc_window < 1 || cfg_.thermometer < 1 ||
      cfg_.thermometer > 64 || !(cfg_.rob >= 0) || !(cfg_.p >= 0 && cfg_.p <= 1) ||
      cfg_.soften_bound < 1 || cfg_.soften_bound > 32767)
    throw std::invalid_argument("bnn: bad group/batch/acc_window/thermometer/rob/p");
  if (info.features < 0 || info.features > (1 << 20))
    throw std::invalid_argument("bnn: features must be in [0, 2^20]");
  if (info.classes < 0 || info.classes > 65535)
    throw std::invalid_argument("bnn: classes must be in [0, 65535]");
  if (info.lo.size() != static_cast<std::size_t>(info.features) ||
      info.hi.size() != static_cast<std::size_t>(info.features))
    throw std::invalid_argument("bnn: StreamInfo lo/hi must have one value per feature");
  d_ = info.features;
  // A stream without features gets one constant +1 input bit (threshold −inf),
  // so the net can still learn the class prior.
  n0_ = std::max(d_ * cfg_.thermometer, 1);
  if (n0_ > 32767) throw std::invalid_argument("bnn: features*thermometer must be <= 32767");
  classes_ = std::max(info.classes, 1);
  group_ = cfg_.group > 0 ? std::min(cfg_.group, cfg_.width) : (cfg_.width + 8) / 9;
  groups_ = (cfg_.width + group_ - 1) / group_;
  rob_thr_ = static_cast<int>(std::floor(cfg_.rob * cfg_.width));

  for (int f = 0; f < d_; ++f)
    informative_ =
        informative_ || info.lo[static_cast<std::size_t>(f)] < info.hi[static_cast<std::size_t>(f)];
  const int T = cfg_.thermometer;
  thr_.assign(static_cast<std::size_t>(n0_), -std::numeric_limits<float>::infinity());
  for (int f = 0; f < d_; ++f) {
    const float lo = info.lo[static_cast<std::size_t>(f)],
                hi = info.hi[static_cast<std::size_t>(f)];
    for (int t = 0; t < T; ++t)
      thr_[static_cast<std::size_t>(f * T + t)] =
          lo + static_cast<float>(t + 1) * (hi - lo) / static_cast<float>(T + 1);
  }

  const auto L = static_cast<std::size_t>(cfg_.layers);
  const auto W = static_cast<std::size_t>(cfg_.width);
  w_.resize(L);
  wbits_.resize(L);
  cbits_.resize(L);
  pre_.assign(L, std::vector<int16_t>(W, 0));
  h_.assign(L, std::vector<uint32_t>(static_cast<std::size_t>(words(cfg_.width)), 0));
  scores_.assign(L, std::vector<int>(static_cast<std::size_t>(classes_), 0));
  bin_.resize(L);
  for (int k = 0; k < cfg_.layers; ++k) {
    const auto ku = static_cast<std::size_t>(k);
    const int n = fan_in(k);
    const auto nw = static_cast<std::size_t>(words(n));
    w_[ku].resize(W * static_cast<std::size_t>(n));
    wbits_[ku].assign(W * nw, 0);
    init_hidden(k);
    // Frozen random binary classifier C_k (kernels.md §3(b)), class-major bits.
    const auto cw = static_cast<std::size_t>(words(cfg_.width));
    cbits_[ku].assign(static_cast<std::size_t>(classes_) * cw, 0);
    uint64_t cs = derive_seed(cfg_.seed, ku, kClassifierPurpose);
    for (int c = 0; c < classes_; ++c)
      for (int j = 0; j < cfg_.width; ++j)
        put_bit(&cbits_[ku][static_cast<std::size_t>(c) * cw], j, splitmix(cs) >> 63);
    bin_[ku].assign(static_cast<std::size_t>(cfg_.batch) * nw, 0);
  }
  xin_.assign(static_cast<std::size_t>(words(n0_)), 0);
  choice_.assign(static_cast<std::size_t>(cfg_.batch) * L * static_cast<std::size_t>(groups_),
                 kNone);
  by_.assign(static_cast<std::size_t>(cfg_.batch), 0);
  rng_state_ = derive_seed(cfg_.seed, 0, kReinforcePurpose);
}

uint64_t BnnLearner::init_hidden(int k) {
  const auto ku = static_cast<std::size_t>(k);
  const auto nw = static_cast<std::size_t>(words(fan_in(k)));
  // W ~ N(0, 64) truncated to int (kernels.md §3(b) Init), Box–Muller. 64 is the
  // standard deviation: the reference draws cp.random.normal(0, 64), whose second
  // argument is the scale (a deviation of 8 made the signs flip far too easily).
  // The stream is derived from (seed, layer) alone, so a re-draw repeats the init.
  uint64_t s = derive_seed(cfg_.seed, ku, kInitPurpose);
  for (std::size_t q = 0; q < w_[ku].size(); ++q) {
    const double u1 = unit_open(s), u2 = unit_open(s);
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    w_[ku][q] = static_cast<int16_t>(std::trunc(kInitStd * z));
  }
  std::fill(wbits_[ku].begin(), wbits_[ku].end(), 0u);
  for (int j = 0; j < cfg_.width; ++j)
    for (int i = 0; i < fan_in(k); ++i)
      put_bit(&wbits_[ku][static_cast<std::size_t>(j) * nw], i, w_[ku][widx(k, j, i)] >= 0);
  return w_[ku].size();
}

void BnnLearner::on_drift(const DriftInfo&, OpCounter& ops) {
  if (frozen_ || cfg_.on_drift == BnnDriftAction::None) return;
  uint64_t drawn = 0, bit_words = 0;
  if (cfg_.on_drift == BnnDriftAction::Reset) {
    for (int k = 0; k < cfg_.layers; ++k) {
      drawn += init_hidden(k);
      bit_words += wbits_[static_cast<std::size_t>(k)].size();
    }
    ops.add(Op::Add, 8 * drawn);
    ops.add(Op::Div, drawn);
    ops.add(Op::Fp32Mac, 16 * drawn);
    ops.add(Op::Compare, drawn);
    ops.add(Op::Store, drawn + bit_words);
  } else {  // Soften: |w| ≤ bound, signs (and so every prediction) unchanged
    const int bound = cfg_.soften_bound;
    for (auto& layer : w_)
      for (auto& w : layer) w = static_cast<int16_t>(std::clamp<int>(w, -bound, bound));
    for (const auto& layer : w_) drawn += layer.size();
    ops.add(Op::Load, drawn);
    ops.add(Op::Compare, 2 * drawn);
    ops.add(Op::Store, drawn);
  }
  // The metaplastic consolidation follows the old concept's accuracy: start
  // the new concept's window afresh; samples buffered before the alarm go.
  acc_prev_ = 0.0;
  win_seen_ = win_correct_ = 0;
  buffered_ = 0;
  ops.add(Op::Store, 4);
}

int16_t BnnLearner::weight(int k, int j, int i) const {
  return w_[static_cast<std::size_t>(k)][widx(k, j, i)];
}
void BnnLearner::set_weight(int k, int j, int i, int16_t w) {
  const auto ku = static_cast<std::size_t>(k);
  w_[ku][widx(k, j, i)] = w;
  put_bit(&wbits_[ku][static_cast<std::size_t>(j) * static_cast<std::size_t>(words(fan_in(k)))], i,
          w >= 0);
}
bool BnnLearner::weight_bit(int k, int j, int i) const {
  return get_bit(&wbits_[static_cast<std::size_t>(k)]
                        [static_cast<std::size_t>(j) * static_cast<std::size_t>(words(fan_in(k)))],
                 i);
}
bool BnnLearner::classifier_bit(int k, int c, int j) const {
  return get_bit(&cbits_[static_cast<std::size_t>(k)]
                        [static_cast<std::size_t>(c) * static_cast<std::size_t>(words(cfg_.width))],
                 j);
}
void BnnLearner::set_classifier_bit(int k, int c, int j, bool b) {
  put_bit(&cbits_[static_cast<std::size_t>(k)]
                 [static_cast<std::size_t>(c) * static_cast<std::size_t>(words(cfg_.width))],
          j, b);
}
bool BnnLearner::hidden_bit(int k, int j) const {
  return get_bit(h_[static_cast<std::size_t>(k)].data(), j);
}
int BnnLearner::score(int k, int c) const {
  return scores_[static_cast<std::size_t>(k)][static_cast<std::size_t>(c)];
}

void BnnLearner::binarise(const float* x, uint32_t* out, OpCounter& ops) const {
  const int T = cfg_.thermometer;
  std::fill(out, out + words(n0_), 0u);
  if (d_ == 0) put_bit(out, 0, true);
  for (int f = 0; f < d_; ++f)
    for (int t = 0; t < T; ++t) {
      const int i = f * T + t;
      if (x[f] > thr_[static_cast<std::size_t>(i)]) put_bit(out, i, true);
    }
  ops.add(Op::Load, static_cast<uint64_t>(n0_));
  ops.add(Op::Compare, static_cast<uint64_t>(n0_));
  ops.add(Op::Store, static_cast<uint64_t>(words(n0_)));
}

void BnnLearner::hidden_forward(int k, const uint32_t* in, OpCounter& ops) {
  // pre_j = n − 2·popcount(x XOR sign(W[:, j])), h_j = sign(pre_j) (kernels.md §3(b)).
  const auto ku = static_cast<std::size_t>(k);
  const int n = fan_in(k);
  const auto nw = static_cast<std::size_t>(words(n));
  uint32_t* h = h_[ku].data();
  std::fill(h_[ku].begin(), h_[ku].end(), 0u);
  for (int j = 0; j < cfg_.width; ++j) {
    const int pre = xnor_dot(in, &wbits_[ku][static_cast<std::size_t>(j) * nw], n, ops);
    pre_[ku][static_cast<std::size_t>(j)] = static_cast<int16_t>(pre);
    if (pre >= 0) put_bit(h, j, true);  // sign(0) = +1
  }
  ops.add(Op::Compare, static_cast<uint64_t>(cfg_.width));
  ops.add(Op::Store, static_cast<uint64_t>(cfg_.width) + h_[ku].size());
}

int BnnLearner::classify(int k, int& margin, OpCounter& ops) {
  const auto ku = static_cast<std::size_t>(k);
  const auto cw = static_cast<std::size_t>(words(cfg_.width));
  int best = 0, top1 = 0, top2 = 0;
  for (int c = 0; c < classes_; ++c) {
    const int s =
        xnor_dot(h_[ku].data(), &cbits_[ku][static_cast<std::size_t>(c) * cw], cfg_.width, ops);
    scores_[ku][static_cast<std::size_t>(c)] = s;
    if (c == 0) {
      top1 = s;
      top2 = -cfg_.width - 1;
    } else if (s > top1) {
      top2 = top1;
      top1 = s;
      best = c;
    } else if (s > top2) {
      top2 = s;
    }
  }
  ops.add(Op::Compare, 2 * static_cast<uint64_t>(classes_));
  // One class: the margin is unbounded (never "wrong" by margin).
  margin = classes_ > 1 ? top1 - top2 : 2 * cfg_.width;
  return best;
}

int BnnLearner::predict(const float* x, OpCounter& ops) {
  binarise(x, xin_.data(), ops);
  const uint32_t* in = xin_.data();
  for (int k = 0; k < cfg_.layers; ++k) {
    hidden_forward(k, in, ops);
    in = h_[static_cast<std::size_t>(k)].data();
  }
  int margin = 0;
  const int c = classify(cfg_.layers - 1, margin, ops);
  if (!learned_) {  // nothing learnt yet: no opinion (class 0, full uncertainty)
    last_uncertainty_ = 1.0;
    return 0;
  }
  if (!informative_) {  // constant input: the net cannot tell samples apart (see bnn.hpp)
    last_uncertainty_ = 1.0;
    return last_label_;
  }
  last_uncertainty_ = std::clamp(1.0 - static_cast<double>(margin) / (2.0 * cfg_.width), 0.0, 1.0);
  return c;
}

void BnnLearner::learn(const float* x, int y, uint64_t, OpCounter& ops) {
  if (frozen_) return;
  if (y < 0 || y >= classes_) return;  // unknown label: nothing to learn
  const auto nw0 = static_cast<std::size_t>(words(n0_));
  binarise(x, &bin_[0][static_cast<std::size_t>(buffered_) * nw0], ops);
  by_[static_cast<std::size_t>(buffered_)] = y;
  learned_ = true;
  last_label_ = y;
  ops.add(Op::Store, 1);
  ++buffered_;
  ops.add(Op::Add);
  ops.add(Op::Compare);
  if (buffered_ == cfg_.batch) train_batch(ops);
}

void BnnLearner::train_batch(OpCounter& ops) {
  const int L = cfg_.layers;
  const auto cw = static_cast<std::size_t>(words(cfg_.width));
  // Pass 1: forward every sample with the weights of the batch start; record
  // the per-layer inputs and the chosen unit of each group (kernels.md §3(b)).
  for (int s = 0; s < buffered_; ++s) {
    const int y = by_[static_cast<std::size_t>(s)];
    for (int k = 0; k < L; ++k) {
      const auto ku = static_cast<std::size_t>(k);
      const auto nw = static_cast<std::size_t>(words(fan_in(k)));
      const uint32_t* in = &bin_[ku][static_cast<std::size_t>(s) * nw];
      hidden_forward(k, in, ops);
      if (k + 1 < L) {
        auto& next = bin_[ku + 1];
        std::copy(h_[ku].begin(), h_[ku].end(),
                  next.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(s) * cw));
        ops.add(Op::Store, cw);
      }
      int margin = 0;
      const int pred = classify(k, margin, ops);
      ops.add(Op::Compare, 2);
      if (k == L - 1) {
        win_correct_ += pred == y;
        if (++win_seen_ == cfg_.acc_window) {
          acc_prev_ = static_cast<double>(win_correct_) / cfg_.acc_window;
          win_seen_ = win_correct_ = 0;
          ops.add(Op::Div);
        }
      }
      uint16_t* ch = &choice_[(static_cast<std::size_t>(s) * static_cast<std::size_t>(L) + ku) *
                              static_cast<std::size_t>(groups_)];
      std::fill(ch, ch + groups_, kNone);
      if (pred == y && margin >= rob_thr_) continue;
      // τ = C_k[y, :]; in each group the unit with h_j ≠ τ_j and least |pre_j|.
      const uint32_t* tau = &cbits_[ku][static_cast<std::size_t>(y) * cw];
      for (int g = 0; g < groups_; ++g) {
        const int j0 = g * group_, j1 = std::min(j0 + group_, cfg_.width);
        int best = -1, best_abs = 0;
        for (int j = j0; j < j1; ++j) {
          ops.add(Op::Load);
          ops.add(Op::Compare);
          if (get_bit(h_[ku].data(), j) == get_bit(tau, j)) continue;
          const int a = std::abs(static_cast<int>(pre_[ku][static_cast<std::size_t>(j)]));
          ops.add(Op::Add);
          ops.add(Op::Compare);
          if (best < 0 || a < best_abs) {
            best = j;
            best_abs = a;
          }
        }
        ch[g] = best < 0 ? kNone : static_cast<uint16_t>(best);
        ops.add(Op::Store);
      }
    }
  }
  // Pass 2: W[:, j] += 2·x·τ_j for every chosen (sample, layer, unit).
  for (int s = 0; s < buffered_; ++s) {
    const int y = by_[static_cast<std::size_t>(s)];
    for (int k = 0; k < L; ++k) {
      const auto ku = static_cast<std::size_t>(k);
      const int n = fan_in(k);
      const auto nw = static_cast<std::size_t>(words(n));
      const uint32_t* in = &bin_[ku][static_cast<std::size_t>(s) * nw];
      const uint32_t* tau = &cbits_[ku][static_cast<std::size_t>(y) * cw];
      const uint16_t* ch =
          &choice_[(static_cast<std::size_t>(s) * static_cast<std::size_t>(L) + ku) *
                   static_cast<std::size_t>(groups_)];
      for (int g = 0; g < groups_; ++g) {
        if (ch[g] == kNone) continue;
        const int j = ch[g];
        const bool tj = get_bit(tau, j);
        uint32_t* wb = &wbits_[ku][static_cast<std::size_t>(j) * nw];
        for (int i = 0; i < n; ++i) {
          const int delta = get_bit(in, i) == tj ? 2 : -2;  // 2·x_i·τ_j
          int16_t& w = w_[ku][widx(k, j, i)];
          const bool was = w >= 0;
          const int nv = std::clamp(static_cast<int>(w) + delta, -32767, 32767);
          w = static_cast<int16_t>(nv);
          ops.add(Op::Load);
          ops.add(Op::Add);
          ops.add(Op::Compare, 2);
          ops.add(Op::Store);
          if ((nv >= 0) != was) {
            put_bit(wb, i, nv >= 0);
            ops.add(Op::Load);
            ops.add(Op::Store);
          }
        }
      }
    }
  }
  buffered_ = 0;
  ++updates_;
  reinforce(ops);
}

void BnnLearner::reinforce(OpCounter& ops) {
  // Metaplastic reinforcement (kernels.md §3(b)): w += 2·sign(w) with
  // probability p_r = p·sqrt(1 − acc_prev)·sqrt(2/(π·fan_in)), per weight,
  // drawn by geometric skipping over the weights of each layer.
  if (cfg_.p <= 0) return;
  for (int k = 0; k < cfg_.layers; ++k) {
    const auto ku = static_cast<std::size_t>(k);
    const double pr = std::min(1.0, cfg_.p * std::sqrt(std::max(0.0, 1.0 - acc_prev_)) *
                                        std::sqrt(2.0 / (std::numbers::pi * fan_in(k))));
    ops.add(Op::Div);
    if (pr <= 0) continue;
    const double log_q = std::log1p(-pr);  // pr = 1: −inf, every weight reinforced
    auto& w = w_[ku];
    std::size_t q = 0;
    for (;;) {
      const double skip = pr >= 1.0 ? 0.0 : std::floor(std::log(unit_open(rng_state_)) / log_q);
      ops.add(Op::Add, 4);
      ops.add(Op::Div);
      if (skip >= static_cast<double>(w.size() - q)) break;
      q += static_cast<std::size_t>(skip);
      const int v = w[q];
      w[q] = static_cast<int16_t>(v >= 0 ? std::min(v + 2, 32767) : std::max(v - 2, -32767));
      ops.add(Op::Load);
      ops.add(Op::Compare);
      ops.add(Op::Add);
      ops.add(Op::Store);
      ++q;
    }
  }
}

std::size_t BnnLearner::memory_bytes() const {
  std::size_t hidden = 0, bits = 0, inputs = 0;
  const auto W = static_cast<std::size_t>(cfg_.width);
  const auto L = static_cast<std::size_t>(cfg_.layers);
  const auto cw = static_cast<std::size_t>(words(cfg_.width));
  for (int k = 0; k < cfg_.layers; ++k) {
    const auto n = static_cast<std::size_t>(fan_in(k));
    hidden += n * W * 2;
    bits += W * static_cast<std::size_t>(words(fan_in(k))) * 4;
    inputs += static_cast<std::size_t>(words(fan_in(k))) * 4;
  }
  const auto C = static_cast<std::size_t>(classes_);
  const auto B = static_cast<std::size_t>(cfg_.batch);
  return hidden + bits + L * C * cw * 4 + static_cast<std::size_t>(n0_) * 4 +
         static_cast<std::size_t>(words(n0_)) * 4 + L * (W * 2 + cw * 4) +
         B * (inputs + L * static_cast<std::size_t>(groups_) * 2 + 2) + kStateBytes;
}

}  // namespace tinyfleet
