#include "learners/tifed.hpp"

#include "learners/param_read.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "drift/rng.hpp"

namespace tinyfleet {

namespace {

using learner_params::choice_of;
using learner_params::int_of;

constexpr int kMaxWidth = 65536;
constexpr int64_t kPocketClamp = 32767;  // PocketNN weight/bias clamp (kernels.md §1)
// seed_purpose-style tag for the feedback matrices (entity = layer index).
constexpr uint64_t kFeedbackPurpose = 0x7F1FEDull;

// One layer's forward for one sample: z = a·W + b, v = div(z, 256·d_in),
// pocket tanh. Acc is the host accumulator type (int32 when the caller has
// proved no overflow, else int64; the result is the same).
template <typename Acc, typename TIn>
void layer_forward(const int32_t* w, const int32_t* b, int in, int out, const TIn* a, Acc* z,
                   int16_t* y, uint8_t* g, TifedArithmetic mode, uint64_t& compares,
                   uint64_t& adds) {
  for (int j = 0; j < out; ++j) z[j] = static_cast<Acc>(b[j]);
  for (int i = 0; i < in; ++i) {
    const Acc ai = static_cast<Acc>(a[i]);
    const int32_t* row = w + static_cast<std::ptrdiff_t>(i) * out;
    for (int j = 0; j < out; ++j) z[j] += ai * static_cast<Acc>(row[j]);
  }
  const int64_t scale = int64_t{256} * std::max(in, 1);  // fan_in 0: z = b
  for (int j = 0; j < out; ++j) {
    const int64_t zj = static_cast<int64_t>(z[j]);
    const int64_t v = mode == TifedArithmetic::Tifed ? floor_div(zj, scale) : trunc_div(zj, scale);
    int gj = 0;
    y[j] = static_cast<int16_t>(TifedLearner::pocket_tanh(v, mode, gj, compares, adds));
    g[j] = static_cast<uint8_t>(gj);
  }
}

}  // namespace

int64_t tifed_isqrt(int64_t n) {
  if (n < 0) throw std::invalid_argument("isqrt of a negative number");
  if (n < 2) return n;
  int64_t x = n, y = (x + 1) / 2;  // Newton from above: decreases to floor(sqrt(n))
  while (y < x) {
    x = y;
    y = (x + n / x) / 2;
  }
  return x;
}

int TifedLearner::pocket_tanh(int64_t v, TifedArithmetic a, int& g, uint64_t& compares,
                              uint64_t& adds) {
  // kernels.md §1 table, evaluated as a chain from the top (as the reference
  // and an MCU would); the counters get the compares actually made. PocketNN
  // saturates at +127 with slope-inverse 127; TIFeD at +128 with 128.
  const bool tifed = a == TifedArithmetic::Tifed;
  const int64_t sat_g = tifed ? 128 : 127;
  auto quarter = [&](int64_t x) { return tifed ? floor_div(x, 4) : trunc_div(x, 4); };
  if (++compares, v >= 128) {
    g = static_cast<int>(sat_g);
    return tifed ? 128 : 127;
  }
  if (++compares, v >= 75) {
    g = 8;
    adds += 2;  // shift + offset
    return static_cast<int>(quarter(v) + 88);
  }
  if (++compares, v >= 32) {
    g = 2;
    adds += 1;
    return static_cast<int>(v + 32);
  }
  if (++compares, v >= -31) {
    g = 1;
    adds += 1;  // 2v: one shift
    return static_cast<int>(2 * v);
  }
  if (++compares, v >= -74) {
    g = 2;
    adds += 1;
    return static_cast<int>(v - 32);
  }
  if (++compares, v >= -127) {
    g = 8;
    adds += 2;
    return static_cast<int>(quarter(v) - 88);
  }
  g = static_cast<int>(sat_g);
  return -127;
}

std::vector<ParamSpec> TifedLearner::param_specs() {
  using T = ParamSpec::Type;
  return {
      {"hidden", T::Int, 1, kMaxWidth, 200, {}, "units of the first hidden layer"},
      {"hidden2", T::Int, 0, kMaxWidth, 0, {}, "units of a second hidden layer (0 = none)"},
      {"eta_inv",
       T::Int,
       1,
       1 << 30,
       2048,
       {},
       "inverse learning rate: W -= floor(a^T delta / eta_inv) (paper: 2048, 4096, 8192)"},
      {"batch", T::Int, 1, 100000, 25, {}, "minibatch size (reference: 25)"},
      {"epochs_per_batch", T::Int, 1, 1000, 5, {}, "epochs over each filled buffer (reference: 5)"},
      {"buffer",
       T::Int,
       1,
       1000000,
       50,
       {},
       "local stream buffer (samples); trained on when full, then emptied (reference: 50)"},
      {"train_layer",
       T::Int,
       -1,
       2,
       -1,
       {},
       "-1: train the full network; l >= 0: single-layer mode, train layer l only"},
      {"feedback_seed",
       T::Int,
       0,
       2147483647,
       1,
       {},
       "seed of the DFA feedback matrices (must be equal on every device of a federation)"},
      {"arithmetic",
       T::Choice,
       0,
       0,
       0,
       {"tifed", "pocketnn"},
       "tifed: floor division, saturation 128, target 16, no clamp; pocketnn: truncation, "
       "saturation 127, target 15, weights clamped to +-32767"},
      {"on_drift",
       T::Choice,
       0,
       0,
       0,
       {"none", "reset"},
       "none: adapt passively; reset: a detected change (or a fleet reset) zeroes the network "
       "(its initialisation) and empties the buffer"},
  };
}

TifedConfig TifedLearner::config_from(const Params& p) {
  TifedConfig c;
  c.hidden = static_cast<int>(int_of(p, "hidden", 1, kMaxWidth));
  c.hidden2 = static_cast<int>(int_of(p, "hidden2", 0, kMaxWidth));
  c.eta_inv = static_cast<int>(int_of(p, "eta_inv", 1, 1 << 30));
  c.batch = static_cast<int>(int_of(p, "batch", 1, 100000));
  c.epochs_per_batch = static_cast<int>(int_of(p, "epochs_per_batch", 1, 1000));
  c.buffer = static_cast<int>(int_of(p, "buffer", 1, 1000000));
  c.train_layer = static_cast<int>(int_of(p, "train_layer", -1, 2));
  c.feedback_seed = static_cast<uint64_t>(int_of(p, "feedback_seed", 0, 2147483647));
  c.arithmetic = choice_of(p, "arithmetic", {"tifed", "pocketnn"}) == "pocketnn"
                     ? TifedArithmetic::PocketNN
                     : TifedArithmetic::Tifed;
  c.reset_on_drift = choice_of(p, "on_drift", {"none", "reset"}) == "reset";
  return c;
}

void TifedLearner::on_drift(const DriftInfo&, OpCounter& ops) {
  if (!cfg_.reset_on_drift || frozen_) return;
  uint64_t params = 0;
  for (auto& l : layers_) {
    std::fill(l.w.begin(), l.w.end(), 0);
    std::fill(l.b.begin(), l.b.end(), 0);
    params += l.w.size() + l.b.size();
  }
  ops.add(Op::Store, params + static_cast<uint64_t>(buf_.size()));
  buf_.clear();
}

TifedLearner::TifedLearner(const TifedConfig& config, const StreamInfo& info) : cfg_(config) {
  if (cfg_.hidden < 1 || cfg_.hidden > kMaxWidth)
    throw std::invalid_argument("tifed: hidden must be in [1, 65536]");
  if (cfg_.hidden2 < 0 || cfg_.hidden2 > kMaxWidth)
    throw std::invalid_argument("tifed: hidden2 must be in [0, 65536]");
  if (cfg_.eta_inv < 1) throw std::invalid_argument("tifed: eta_inv must be >= 1");
  if (cfg_.batch < 1 || cfg_.buffer < 1 || cfg_.epochs_per_batch < 1)
    throw std::invalid_argument("tifed: batch, buffer and epochs_per_batch must be >= 1");
  // Degenerate streams (no features, 0 or 1 class) are accepted like the kNN
  // learner does: the net then learns from its biases / predicts class 0.
  if (info.features < 0 || info.features > (1 << 20))
    throw std::invalid_argument("tifed: features must be in [0, 2^20]");
  if (info.classes < 0 || info.classes > 32767)
    throw std::invalid_argument("tifed: classes must be in [0, 32767]");
  if (info.lo.size() != static_cast<std::size_t>(info.features) ||
      info.hi.size() != static_cast<std::size_t>(info.features))
    throw std::invalid_argument("tifed: StreamInfo lo/hi must have one value per feature");
  d0_ = info.features;
  classes_ = std::max(info.classes, 1);
  sizes_ = {d0_, cfg_.hidden};
  if (cfg_.hidden2 > 0) sizes_.push_back(cfg_.hidden2);
  sizes_.push_back(classes_);
  if (cfg_.train_layer >= layers())
    throw std::invalid_argument("tifed: train_layer " + std::to_string(cfg_.train_layer) +
                                " but the network has " + std::to_string(layers()) + " layers");

  const std::size_t d = static_cast<std::size_t>(d0_);
  lo_.resize(d);
  scale_.resize(d);
  for (std::size_t j = 0; j < d; ++j) {
    const float lo = info.lo[j], hi = info.hi[j];
    const float span = hi - lo;
    const bool ok = std::isfinite(lo) && std::isfinite(span) && span > 0.f;
    lo_[j] = std::isfinite(lo) ? lo : 0.f;
    scale_[j] = ok ? 255.f / span : 0.f;
  }

  layers_.resize(static_cast<std::size_t>(layers()));
  int widest = 0;
  for (std::size_t l = 0; l < n_layers(); ++l) {
    Layer& L = layers_[l];
    L.in = sizes_[l];
    L.out = sizes_[l + 1];
    widest = std::max(widest, L.out);
    // Zero initialisation as the reference (kernels.md §1): DFA breaks the symmetry.
    L.w.assign(static_cast<std::size_t>(L.in) * static_cast<std::size_t>(L.out), 0);
    L.b.assign(static_cast<std::size_t>(L.out), 0);
    if (l + 1 < n_layers()) {
      // B_l ~ U{−r..r−1}, r = isqrt(12·32767 / (C + H_l)) (reference: DFA_uniform).
      L.fb_range = static_cast<int>(tifed_isqrt(12 * 32767 / (classes_ + L.out)));
      L.fb_range = std::max(L.fb_range, 1);
      SplitMix64 r(derive_seed(cfg_.feedback_seed, l, kFeedbackPurpose));
      L.fb.resize(static_cast<std::size_t>(classes_) * static_cast<std::size_t>(L.out));
      for (auto& v : L.fb)
        v = static_cast<int16_t>(
            static_cast<int64_t>(r.next_below(2 * static_cast<uint64_t>(L.fb_range))) - L.fb_range);
    }
  }
  buf_.reset(cfg_.buffer, d0_);
  q_.assign(d, 0);
  s_act_.resize(n_layers());
  s_g_.resize(n_layers());
  act_.resize(n_layers());
  g_.resize(n_layers());
  delta_.resize(n_layers());
  for (std::size_t l = 0; l < n_layers(); ++l) {
    const auto w = static_cast<std::size_t>(layers_[l].out);
    s_act_[l].assign(w, 0);
    s_g_[l].assign(w, 0);
    act_[l].assign(static_cast<std::size_t>(cfg_.batch) * w, 0);
    g_[l].assign(static_cast<std::size_t>(cfg_.batch) * w, 0);
    delta_[l].assign(static_cast<std::size_t>(cfg_.batch) * w, 0);
  }
  err_.assign(static_cast<std::size_t>(cfg_.batch) * static_cast<std::size_t>(classes_), 0);
  z_.assign(static_cast<std::size_t>(widest), 0);
  z32_.assign(static_cast<std::size_t>(widest), 0);
  acc_.assign(static_cast<std::size_t>(widest), 0);
}

void TifedLearner::quantise(const float* x, int8_t* out, OpCounter& ops) const {
  // Same map as the kNN learner: [lo, hi] → [0, 255] rounded half away from
  // zero, minus 128. For pixels (lo 0, hi 255) this is exactly the
  // reference's x = pixel − 128 (kernels.md §1(b)).
  const std::size_t d = static_cast<std::size_t>(d0_);
  for (std::size_t j = 0; j < d; ++j) {
    float t = (x[j] - lo_[j]) * scale_[j];
    t = t > 0.f ? t : 0.f;  // also maps NaN to 0
    t = t < 255.f ? t : 255.f;
    int r = static_cast<int>(t);
    r += t - static_cast<float>(r) >= 0.5f ? 1 : 0;
    out[j] = static_cast<int8_t>(r - 128);
  }
  ops.add(Op::Fp32Mac, d);
  ops.add(Op::Compare, 2 * d);
  ops.add(Op::Store, d);
}

void TifedLearner::forward(const int8_t* x, int16_t* const* act, uint8_t* const* g,
                           OpCounter& ops) {
  uint64_t compares = 0, adds = 0;
  for (std::size_t l = 0; l < n_layers(); ++l) {
    const Layer& L = layers_[l];
    // Host fast path: |a| ≤ 128, so |z| ≤ 128·d_in·max|W| + max|b|; when that
    // fits int32 the int32 accumulation is exact (same result as int64).
    const bool fits32 =
        (128 * static_cast<int64_t>(L.in) + 1) * L.max_abs_w < std::numeric_limits<int32_t>::max();
    int32_t* z32 = z32_.data();
    if (l == 0) {
      if (fits32)
        layer_forward(L.w.data(), L.b.data(), L.in, L.out, x, z32, act[0], g[0], cfg_.arithmetic,
                      compares, adds);
      else
        layer_forward(L.w.data(), L.b.data(), L.in, L.out, x, z_.data(), act[0], g[0],
                      cfg_.arithmetic, compares, adds);
    } else {
      if (fits32)
        layer_forward(L.w.data(), L.b.data(), L.in, L.out, act[l - 1], z32, act[l], g[l],
                      cfg_.arithmetic, compares, adds);
      else
        layer_forward(L.w.data(), L.b.data(), L.in, L.out, act[l - 1], z_.data(), act[l], g[l],
                      cfg_.arithmetic, compares, adds);
    }
    const uint64_t in = static_cast<uint64_t>(L.in), out = static_cast<uint64_t>(L.out);
    ops.add(Op::Int32Mac, in * out);
    ops.add(Op::Load, in * out + in + out);
    ops.add(Op::Div, out);
    ops.add(Op::Store, 2 * out);
  }
  ops.add(Op::Compare, compares);
  ops.add(Op::Add, adds);
}

int TifedLearner::predict_quantised(const int8_t* x, OpCounter& ops, int16_t* out) {
  int16_t* act[3];
  uint8_t* g[3];
  for (std::size_t l = 0; l < n_layers(); ++l) {
    act[l] = s_act_[l].data();
    g[l] = s_g_[l].data();
  }
  forward(x, act, g, ops);
  const int16_t* y = s_act_.back().data();
  int best = 0;
  for (int c = 1; c < classes_; ++c)
    if (y[c] > y[best]) best = c;  // first maximum wins, as numpy argmax
  ops.add(Op::Load, static_cast<uint64_t>(classes_));
  ops.add(Op::Compare, static_cast<uint64_t>(classes_ - 1));
  if (out) std::copy(y, y + classes_, out);
  return best;
}

int TifedLearner::predict(const float* x, OpCounter& ops) {
  quantise(x, q_.data(), ops);
  return predict_quantised(q_.data(), ops);
}

void TifedLearner::learn(const float* x, int y, uint64_t, OpCounter& ops) {
  if (frozen_) return;
  if (y < 0 || y >= classes_)
    throw std::out_of_range("tifed: label " + std::to_string(y) + " outside [0, " +
                            std::to_string(classes_) + ")");
  if (federated_ && buf_.full()) buf_.drop_oldest(ops);  // keep the latest samples
  quantise(x, buf_.next_x(), ops);
  buf_.push(y);
  ops.add(Op::Store);
  ops.add(Op::Add);
  ops.add(Op::Compare);
  if (!federated_) {
    if (buf_.full()) train_buffer(ops);
    return;
  }
  if (local_learning_ && ++fresh_ == cfg_.buffer) {
    fresh_ = 0;
    train_round(cfg_.epochs_per_batch, cfg_.train_layer, ops);
  }
}

void TifedLearner::pretrain(const LabelledSet& set, int epochs, uint64_t seed, OpCounter& ops) {
  Learner::pretrain(set, epochs, seed, ops);
  if (buf_.size() > 0 && !frozen_) train_buffer(ops);
}

void TifedLearner::set_federated(bool local_learning) {
  federated_ = true;
  local_learning_ = local_learning;
  fresh_ = 0;
}

void TifedLearner::end_session(bool consume) {
  buf_.end_session(consume);
}

void TifedLearner::train_round(int epochs, int layer, OpCounter& ops) {
  const int n = buf_.session_samples();
  if (frozen_ || n == 0) return;
  const int saved = cfg_.train_layer;
  set_train_layer(layer);
  for (int e = 0; e < epochs; ++e)
    for (int s = 0; s < n; s += cfg_.batch)
      train_minibatch(buf_.x(s), buf_.y(s), std::min(cfg_.batch, n - s), ops);
  cfg_.train_layer = saved;
}

void TifedLearner::train_buffer(OpCounter& ops) {
  // Reference schedule (kernels.md §1): epochs over the buffer, minibatches in
  // arrival order; here a trailing partial minibatch is trained too.
  const int n = buf_.size();
  for (int e = 0; e < cfg_.epochs_per_batch; ++e)
    for (int s = 0; s < n; s += cfg_.batch)
      train_minibatch(buf_.x(s), buf_.y(s), std::min(cfg_.batch, n - s), ops);
  buf_.clear();
}

void TifedLearner::update_max_abs(Layer& L) {
  int64_t m = 0;
  for (int32_t v : L.w) m = std::max<int64_t>(m, v < 0 ? -int64_t{v} : int64_t{v});
  for (int32_t v : L.b) m = std::max<int64_t>(m, v < 0 ? -int64_t{v} : int64_t{v});
  L.max_abs_w = m;
}

void TifedLearner::train_minibatch(const int8_t* x, const int* y, int n, OpCounter& ops) {
  if (n < 1) return;
  const std::size_t L = n_layers(), C = static_cast<std::size_t>(classes_),
                    d = static_cast<std::size_t>(d0_), N = static_cast<std::size_t>(n);
  if (n > static_cast<int>(err_.size() / C)) {  // larger than configured: grow (host only)
    for (std::size_t l = 0; l < L; ++l) {
      const auto w = static_cast<std::size_t>(layers_[l].out);
      act_[l].resize(N * w);
      g_[l].resize(N * w);
      delta_[l].resize(N * w);
    }
    err_.resize(N * C);
  }
  // Forward of every sample, keeping activations and g for the update.
  for (std::size_t s = 0; s < N; ++s) {
    int16_t* act[3];
    uint8_t* g[3];
    for (std::size_t l = 0; l < L; ++l) {
      const auto w = static_cast<std::size_t>(layers_[l].out);
      act[l] = act_[l].data() + s * w;
      g[l] = g_[l].data() + s * w;
    }
    forward(x + s * d, act, g, ops);
  }
  last_n_ = n;
  // e = y_L − t, t = 16·onehot (pocketnn: 15).
  const int target = cfg_.arithmetic == TifedArithmetic::Tifed ? 16 : 15;
  for (std::size_t s = 0; s < N; ++s)
    for (std::size_t c = 0; c < C; ++c)
      err_[s * C + c] =
          static_cast<int16_t>(act_[L - 1][s * C + c] - (static_cast<int>(c) == y[s] ? target : 0));
  ops.add(Op::Load, 2 * N * C);
  ops.add(Op::Add, N * C);
  ops.add(Op::Store, N * C);

  const bool single = cfg_.train_layer >= 0;
  for (std::size_t l = 0; l < L; ++l) {
    if (single && l != static_cast<std::size_t>(cfg_.train_layer)) continue;
    Layer& Ly = layers_[l];
    const std::size_t out = static_cast<std::size_t>(Ly.out), in = static_cast<std::size_t>(Ly.in);
    int32_t* delta = delta_[l].data();
    const uint8_t* g = g_[l].data();
    // δ: output layer floor(e / g_L); hidden floor((e·B_l) / g_l) (kernels.md §1).
    if (l + 1 == L) {
      for (std::size_t k = 0; k < N * C; ++k) delta[k] = static_cast<int32_t>(div(err_[k], g[k]));
      ops.add(Op::Div, N * C);
      ops.add(Op::Load, 2 * N * C);
      ops.add(Op::Store, N * C);
    } else {
      const int16_t* B = Ly.fb.data();
      for (std::size_t s = 0; s < N; ++s) {
        int64_t* acc = acc_.data();
        std::fill(acc, acc + out, 0);
        for (std::size_t c = 0; c < C; ++c) {
          const int64_t ec = err_[s * C + c];
          const int16_t* row = B + c * out;
          for (std::size_t j = 0; j < out; ++j) acc[j] += ec * row[j];
        }
        for (std::size_t j = 0; j < out; ++j)
          delta[s * out + j] = static_cast<int32_t>(div(acc[j], g[s * out + j]));
      }
      ops.add(Op::Int32Mac, N * C * out);
      ops.add(Op::Load, N * C * out + 2 * N * out);
      ops.add(Op::Div, N * out);
      ops.add(Op::Store, N * out);
    }
    // W −= floor(aᵀ·δ / η_inv), row by row (no full ΔW buffer, kernels.md §1(c)).
    const int64_t eta = cfg_.eta_inv;
    const bool clamp = cfg_.arithmetic == TifedArithmetic::PocketNN;
    for (std::size_t i = 0; i < in; ++i) {
      int64_t* acc = acc_.data();
      std::fill(acc, acc + out, 0);
      for (std::size_t s = 0; s < N; ++s) {
        const int64_t a = l == 0 ? int64_t{x[s * d + i]} : int64_t{act_[l - 1][s * in + i]};
        const int32_t* ds = delta + s * out;
        for (std::size_t j = 0; j < out; ++j) acc[j] += a * ds[j];
      }
      int32_t* w = Ly.w.data() + i * out;
      for (std::size_t j = 0; j < out; ++j) {
        int64_t nw = int64_t{w[j]} - div(acc[j], eta);
        if (clamp) nw = std::clamp(nw, -kPocketClamp, kPocketClamp);
        w[j] = static_cast<int32_t>(nw);  // tifed: no clamp (C++20: modular narrowing)
      }
    }
    for (std::size_t j = 0; j < out; ++j) {
      int64_t sum = 0;
      for (std::size_t s = 0; s < N; ++s) sum += delta[s * out + j];
      int64_t nb = int64_t{Ly.b[j]} - div(sum, eta);
      if (clamp) nb = std::clamp(nb, -kPocketClamp, kPocketClamp);
      Ly.b[j] = static_cast<int32_t>(nb);
    }
    ops.add(Op::Int32Mac, N * in * out);
    ops.add(Op::Load, N * (in + in * out) + in * out + N * out + out);
    ops.add(Op::Div, in * out + out);
    ops.add(Op::Add, in * out + N * out + out);
    ops.add(Op::Store, in * out + out);
    if (clamp) ops.add(Op::Compare, 2 * (in * out + out));
    update_max_abs(Ly);
  }
  ++minibatches_;
}

std::size_t TifedLearner::param_count(int layer) const {
  if (layer < -1 || layer >= layers())
    throw std::invalid_argument("tifed: layer " + std::to_string(layer) + " out of range");
  std::size_t n = 0;
  for (std::size_t l = 0; l < n_layers(); ++l)
    if (layer < 0 || static_cast<std::size_t>(layer) == l)
      n += layers_[l].w.size() + layers_[l].b.size();
  return n;
}

std::vector<int32_t> TifedLearner::export_params(int layer) const {
  std::vector<int32_t> out;
  out.reserve(param_count(layer));
  for (std::size_t l = 0; l < n_layers(); ++l) {
    if (layer >= 0 && static_cast<std::size_t>(layer) != l) continue;
    out.insert(out.end(), layers_[l].w.begin(), layers_[l].w.end());
    out.insert(out.end(), layers_[l].b.begin(), layers_[l].b.end());
  }
  return out;
}

void TifedLearner::import_params(const std::vector<int32_t>& p, int layer) {
  const std::size_t need = param_count(layer);
  if (p.size() != need)
    throw std::invalid_argument("tifed: import of " + std::to_string(p.size()) +
                                " parameters, expected " + std::to_string(need));
  auto it = p.begin();
  for (std::size_t l = 0; l < n_layers(); ++l) {
    if (layer >= 0 && static_cast<std::size_t>(layer) != l) continue;
    Layer& L = layers_[l];
    std::copy_n(it, L.w.size(), L.w.begin());
    it += static_cast<std::ptrdiff_t>(L.w.size());
    std::copy_n(it, L.b.size(), L.b.begin());
    it += static_cast<std::ptrdiff_t>(L.b.size());
    update_max_abs(L);
  }
}

void TifedLearner::set_train_layer(int layer) {
  if (layer < -1 || layer >= layers())
    throw std::invalid_argument("tifed: train_layer " + std::to_string(layer) + " out of range");
  cfg_.train_layer = layer;
}

int TifedLearner::activation(int s, int l, int j) const {
  const auto& L = layers_.at(static_cast<std::size_t>(l - 1));
  if (s < 0 || s >= last_n_ || j < 0 || j >= L.out) throw std::out_of_range("tifed: activation");
  return act_[static_cast<std::size_t>(l - 1)][static_cast<std::size_t>(s * L.out + j)];
}

int TifedLearner::grad_inv(int s, int l, int j) const {
  const auto& L = layers_.at(static_cast<std::size_t>(l - 1));
  if (s < 0 || s >= last_n_ || j < 0 || j >= L.out) throw std::out_of_range("tifed: grad_inv");
  return g_[static_cast<std::size_t>(l - 1)][static_cast<std::size_t>(s * L.out + j)];
}

const std::vector<int16_t>& TifedLearner::feedback(int l) const {
  if (l < 1 || l >= layers()) throw std::out_of_range("tifed: feedback of a non-hidden layer");
  return layers_[static_cast<std::size_t>(l - 1)].fb;
}

void TifedLearner::set_feedback(int l, const std::vector<int16_t>& b) {
  if (l < 1 || l >= layers()) throw std::out_of_range("tifed: feedback of a non-hidden layer");
  auto& fb = layers_[static_cast<std::size_t>(l - 1)].fb;
  if (b.size() != fb.size()) throw std::invalid_argument("tifed: feedback size mismatch");
  fb = b;
}

int TifedLearner::feedback_range(int l) const {
  if (l < 1 || l >= layers()) throw std::out_of_range("tifed: feedback of a non-hidden layer");
  return layers_[static_cast<std::size_t>(l - 1)].fb_range;
}

int32_t TifedLearner::weight(int l, int i, int j) const {
  const auto& L = layers_.at(static_cast<std::size_t>(l - 1));
  return L.w.at(static_cast<std::size_t>(i) * static_cast<std::size_t>(L.out) +
                static_cast<std::size_t>(j));
}

int32_t TifedLearner::bias(int l, int j) const {
  return layers_.at(static_cast<std::size_t>(l - 1)).b.at(static_cast<std::size_t>(j));
}

std::size_t TifedLearner::memory_bytes() const {
  std::size_t weights = 0, fb = 0, units = 0;
  for (const auto& L : layers_) {
    weights += (static_cast<std::size_t>(L.in) + 1) * static_cast<std::size_t>(L.out) * 4;
    units += static_cast<std::size_t>(L.out);
    if (!L.fb.empty()) fb += L.fb.size() * (L.fb_range <= 128 ? 1 : 2);
  }
  const std::size_t N = static_cast<std::size_t>(cfg_.batch),
                    C = static_cast<std::size_t>(classes_), d = static_cast<std::size_t>(d0_);
  const std::size_t label_bytes = classes_ <= 256 ? 1 : 2;
  return weights + fb + N * units * (2 + 1 + 4) + N * C * 2 +
         static_cast<std::size_t>(cfg_.buffer) * (d + label_bytes) + d + units * 2 + 8 * d +
         kStateBytes;
}

}  // namespace tinyfleet
