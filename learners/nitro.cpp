#include "learners/nitro.hpp"

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
constexpr int kTarget = 32;     // one-hot target value (kernels.md §2(b))
constexpr int kLeakyMean = 36;  // mean correction for α_inv = 4 (kernels.md §2(b))
constexpr uint64_t kInitPurpose = 0x4E17D0ull;

}  // namespace

std::vector<ParamSpec> NitroLearner::param_specs() {
  using T = ParamSpec::Type;
  return {
      {"hidden", T::Int, 1, kMaxWidth, 64, {}, "units of the first hidden block (paper: 200)"},
      {"hidden2",
       T::Int,
       0,
       kMaxWidth,
       0,
       {},
       "units of a second hidden block (0 = none; paper: 100)"},
      {"hidden3",
       T::Int,
       0,
       kMaxWidth,
       0,
       {},
       "units of a third hidden block (0 = none; paper: 50)"},
      {"lr_inv",
       T::Int,
       1,
       1 << 30,
       512,
       {},
       "IntegerSGD inverse learning rate eta_inv (paper: 512)"},
      {"decay_fwd",
       T::Int,
       0,
       1 << 30,
       12000,
       {},
       "weight-decay divisor lambda_inv of block forward layers (0 = none; paper: 12000)"},
      {"decay_learn",
       T::Int,
       0,
       1 << 30,
       3000,
       {},
       "weight-decay divisor lambda_inv of learning and output layers (0 = none; paper: 3000)"},
      {"batch", T::Int, 1, 100000, 16, {}, "minibatch size (paper: 64)"},
      {"buffer",
       T::Int,
       1,
       1000000,
       16,
       {},
       "local stream buffer (samples); trained on when full, then emptied"},
      {"epochs", T::Int, 1, 1000, 1, {}, "epochs over each filled buffer"},
      {"on_drift",
       T::Choice,
       0,
       0,
       0,
       {"none", "reset_head", "reset"},
       "none: adapt passively; reset_head: a detected change (or a fleet reset) re-draws the "
       "output layer to its seeded init and empties the buffer; reset: the whole network"},
  };
}

NitroConfig NitroLearner::config_from(const Params& p) {
  NitroConfig c;
  c.hidden = {static_cast<int>(int_of(p, "hidden", 1, kMaxWidth))};
  const int h2 = static_cast<int>(int_of(p, "hidden2", 0, kMaxWidth));
  const int h3 = static_cast<int>(int_of(p, "hidden3", 0, kMaxWidth));
  if (h3 > 0 && h2 == 0) throw std::invalid_argument("nitro: hidden3 needs hidden2 > 0");
  if (h2 > 0) c.hidden.push_back(h2);
  if (h3 > 0) c.hidden.push_back(h3);
  c.lr_inv = static_cast<int>(int_of(p, "lr_inv", 1, 1 << 30));
  c.decay_fwd = static_cast<int>(int_of(p, "decay_fwd", 0, 1 << 30));
  c.decay_learn = static_cast<int>(int_of(p, "decay_learn", 0, 1 << 30));
  c.batch = static_cast<int>(int_of(p, "batch", 1, 100000));
  c.buffer = static_cast<int>(int_of(p, "buffer", 1, 1000000));
  c.epochs = static_cast<int>(int_of(p, "epochs", 1, 1000));
  const std::string d = choice_of(p, "on_drift", {"none", "reset_head", "reset"});
  c.on_drift = d == "reset"        ? NitroDriftAction::Reset
               : d == "reset_head" ? NitroDriftAction::ResetHead
                                   : NitroDriftAction::None;
  return c;
}

int64_t NitroLearner::isqrt(int64_t n) {
  if (n <= 0) return 0;
  int64_t r = static_cast<int64_t>(std::sqrt(static_cast<double>(n)));
  while (r * r > n) --r;
  while ((r + 1) * (r + 1) <= n) ++r;
  return r;
}

void NitroLearner::set_lr_inv(int lr_inv) {
  if (lr_inv < 1) throw std::invalid_argument("nitro: lr_inv must be >= 1");
  cfg_.lr_inv = lr_inv;
}

int NitroLearner::kaiming_bound(int fan_in) {
  // kernels.md §2(b): min(64, (1372·128·1732) // (isqrt(fan_in)·10^6)).
  const int64_t den = std::max<int64_t>(isqrt(fan_in), 1) * 1000000;
  return static_cast<int>(std::min<int64_t>(64, int64_t{1372} * 128 * 1732 / den));
}

int NitroLearner::nitro_scale(int64_t z, int64_t sf) {
  const int64_t v = z / sf;  // truncation (kernels.md §0)
  return static_cast<int>(std::clamp<int64_t>(v, -127, 127));
}

int NitroLearner::leaky_relu(int s) {
  // clamp(s,0,127) + trunc(clamp(s,−127,0)/4) − 36 (kernels.md §2(b)).
  const int pos = std::clamp(s, 0, 127);
  const int neg = std::clamp(s, -127, 0) / 4;
  return pos + neg - kLeakyMean;
}

int NitroLearner::leaky_grad_inv(int s) {
  if (s >= 127) return std::numeric_limits<int32_t>::max();
  return s < 0 ? 4 : 1;
}

NitroLearner::NitroLearner(const NitroConfig& config, const StreamInfo& info, uint64_t seed)
    : cfg_(config) {
  if (cfg_.hidden.empty() || cfg_.hidden.size() > 3)
    throw std::invalid_argument("nitro: 1 to 3 hidden blocks");
  for (int h : cfg_.hidden)
    if (h < 1 || h > kMaxWidth) throw std::invalid_argument("nitro: hidden widths in [1, 65536]");
  if (cfg_.lr_inv < 1) throw std::invalid_argument("nitro: lr_inv must be >= 1");
  if (cfg_.decay_fwd < 0 || cfg_.decay_learn < 0)
    throw std::invalid_argument("nitro: decay divisors must be >= 0");
  if (cfg_.batch < 1 || cfg_.buffer < 1 || cfg_.epochs < 1)
    throw std::invalid_argument("nitro: batch, buffer and epochs must be >= 1");
  if (info.features < 0 || info.features > (1 << 20))
    throw std::invalid_argument("nitro: features must be in [0, 2^20]");
  if (info.classes < 0 || info.classes > 32767)
    throw std::invalid_argument("nitro: classes must be in [0, 32767]");
  if (info.lo.size() != static_cast<std::size_t>(info.features) ||
      info.hi.size() != static_cast<std::size_t>(info.features))
    throw std::invalid_argument("nitro: StreamInfo lo/hi must have one value per feature");
  d0_ = info.features;
  classes_ = std::max(info.classes, 1);
  const auto d = static_cast<std::size_t>(d0_);
  const auto C = static_cast<std::size_t>(classes_);
  mid_.resize(d);
  inv_half_.resize(d);
  for (std::size_t j = 0; j < d; ++j) {
    const float lo = info.lo[j], hi = info.hi[j];
    const float half = 0.5f * (hi - lo);
    const bool ok = std::isfinite(lo) && std::isfinite(hi) && half > 0.f;
    mid_[j] = ok ? 0.5f * (lo + hi) : 0.f;
    inv_half_[j] = ok ? 127.f / half : 0.f;
  }
  SplitMix64 rng(derive_seed(seed, 0, kInitPurpose));
  init_rng_ = rng;
  int in = d0_;
  for (int h : cfg_.hidden) {
    fwd_.emplace_back();
    fwd_.back().in = in;
    fwd_.back().out = h;
    init_mat(fwd_.back(), rng);
    lrn_.emplace_back();
    lrn_.back().in = h;
    lrn_.back().out = classes_;
    init_mat(lrn_.back(), rng);
    hmax_ = std::max(hmax_, h);
    in = h;
  }
  out_.in = in;
  out_.out = classes_;
  head_rng_ = rng;
  init_mat(out_, rng);
  const auto N = static_cast<std::size_t>(cfg_.batch);
  const auto H = static_cast<std::size_t>(hmax_);
  buf_x_.assign(static_cast<std::size_t>(cfg_.buffer) * d, 0);
  buf_y_.assign(static_cast<std::size_t>(cfg_.buffer), 0);
  h_a_.assign(N * H, 0);
  h_b_.assign(N * H, 0);
  s_.assign(N * H, 0);
  dz_.assign(N * H, 0);
  yhat_.assign(N * C, 0);
  err_.assign(N * C, 0);
  q_.assign(d, 0);
  p_a_.assign(H, 0);
  p_b_.assign(H, 0);
  p_out_.assign(C, 0);
}

uint64_t NitroLearner::init_mat(Mat& m, SplitMix64& rng) {
  m.w.resize(static_cast<std::size_t>(m.in) * static_cast<std::size_t>(m.out));
  const int b = kaiming_bound(m.in);
  for (auto& v : m.w)
    v = static_cast<int32_t>(
        static_cast<int64_t>(rng.next_below(2 * static_cast<uint64_t>(b) + 1)) - b);
  return m.w.size();
}

void NitroLearner::on_drift(const DriftInfo&, OpCounter& ops) {
  if (frozen_ || cfg_.on_drift == NitroDriftAction::None) return;
  // Replaying the saved stream gives exactly the construction's values (the
  // draws are in the same order; Lemire's rejection makes skipping ahead
  // impossible, hence the saved state of the output layer).
  uint64_t drawn = 0;
  if (cfg_.on_drift == NitroDriftAction::Reset) {
    SplitMix64 rng = init_rng_;
    for (std::size_t b = 0; b < fwd_.size(); ++b) {
      drawn += init_mat(fwd_[b], rng);
      drawn += init_mat(lrn_[b], rng);
    }
  }
  SplitMix64 head = head_rng_;
  drawn += init_mat(out_, head);
  buffered_ = 0;
  ops.add(Op::Add, 5 * drawn);
  ops.add(Op::Int32Mac, drawn);
  ops.add(Op::Store, drawn + 1);
}

std::size_t NitroLearner::memory_bytes() const {
  std::size_t w = 0;
  for (std::size_t b = 0; b < fwd_.size(); ++b) w += fwd_[b].w.size() + lrn_[b].w.size();
  w += out_.w.size();
  const auto d = static_cast<std::size_t>(d0_), C = static_cast<std::size_t>(classes_),
             N = static_cast<std::size_t>(cfg_.batch), H = static_cast<std::size_t>(hmax_);
  const std::size_t wy = classes_ <= 256 ? 1 : 2;
  return 4 * w + static_cast<std::size_t>(cfg_.buffer) * (d + wy) + N * H * 7 + N * C * 2 + d +
         2 * H + C + 8 * d + kStateBytes + (cfg_.on_drift != NitroDriftAction::None ? 16 : 0);
}

void NitroLearner::quantise(const float* x, int8_t* out, OpCounter& ops) const {
  const auto d = static_cast<std::size_t>(d0_);
  for (std::size_t j = 0; j < d; ++j) {
    float t = (x[j] - mid_[j]) * inv_half_[j];
    t = t > -127.f ? t : -127.f;  // also maps NaN to −127
    t = t < 127.f ? t : 127.f;
    out[j] = static_cast<int8_t>(static_cast<int>(t));  // truncation toward zero
  }
  ops.add(Op::Fp32Mac, d);
  ops.add(Op::Compare, 2 * d);
  ops.add(Op::Store, d);
}

void NitroLearner::linear_scale(const Mat& m, const int8_t* a, int8_t* y, OpCounter& ops) {
  const int64_t sf = int64_t{256} * m.in;  // NITRO scaling factor of a linear layer
  for (int o = 0; o < m.out; ++o) {
    const int32_t* row = m.w.data() + static_cast<std::size_t>(o) * static_cast<std::size_t>(m.in);
    int64_t z = 0;
    for (int i = 0; i < m.in; ++i) z += int64_t{row[i]} * a[i];
    y[o] = static_cast<int8_t>(nitro_scale(z, sf));
  }
  const auto io = static_cast<uint64_t>(m.in) * static_cast<uint64_t>(m.out);
  const auto out = static_cast<uint64_t>(m.out);
  ops.add(Op::Int32Mac, io);
  ops.add(Op::Load, io + static_cast<uint64_t>(m.in));
  ops.add(Op::Div, out);
  ops.add(Op::Compare, 2 * out);
  ops.add(Op::Store, out);
}

// Applies NITRO-LeakyReLU in place over n values (s → h), counting as executed.
static void leaky_inplace(const int8_t* s, int8_t* h, std::size_t n, OpCounter& ops) {
  uint64_t neg = 0;
  for (std::size_t j = 0; j < n; ++j) {
    neg += s[j] < 0 ? 1 : 0;
    h[j] = static_cast<int8_t>(NitroLearner::leaky_relu(s[j]));
  }
  ops.add(Op::Compare, n);
  ops.add(Op::Div, neg);
  ops.add(Op::Add, n);
  ops.add(Op::Store, n);
}

int NitroLearner::predict_quantised(const int8_t* x, OpCounter& ops, int8_t* out) {
  const int8_t* a = x;
  int8_t* cur = p_a_.data();
  int8_t* other = p_b_.data();
  for (const Mat& m : fwd_) {
    linear_scale(m, a, cur, ops);  // s, then h in place
    leaky_inplace(cur, cur, static_cast<std::size_t>(m.out), ops);
    a = cur;
    std::swap(cur, other);
  }
  linear_scale(out_, a, p_out_.data(), ops);
  int best = 0;
  for (int c = 1; c < classes_; ++c)
    if (p_out_[static_cast<std::size_t>(c)] > p_out_[static_cast<std::size_t>(best)]) best = c;
  ops.add(Op::Load, static_cast<uint64_t>(classes_));
  ops.add(Op::Compare, static_cast<uint64_t>(classes_ - 1));
  if (out) std::copy(p_out_.begin(), p_out_.end(), out);
  return best;
}

int NitroLearner::predict(const float* x, OpCounter& ops) {
  quantise(x, q_.data(), ops);
  return predict_quantised(q_.data(), ops);
}

void NitroLearner::learn(const float* x, int y, uint64_t, OpCounter& ops) {
  if (frozen_) return;
  if (y < 0 || y >= classes_)
    throw std::out_of_range("nitro: label " + std::to_string(y) + " outside [0, " +
                            std::to_string(classes_) + ")");
  const auto d = static_cast<std::size_t>(d0_);
  quantise(x, buf_x_.data() + static_cast<std::size_t>(buffered_) * d, ops);
  buf_y_[static_cast<std::size_t>(buffered_)] = y;
  ++buffered_;
  ops.add(Op::Store);
  ops.add(Op::Add);
  ops.add(Op::Compare);
  if (buffered_ == cfg_.buffer) train_buffer(ops);
}

void NitroLearner::train_buffer(OpCounter& ops) {
  const auto d = static_cast<std::size_t>(d0_);
  for (int e = 0; e < cfg_.epochs; ++e)
    for (int s = 0; s < buffered_; s += cfg_.batch)
      train_minibatch(buf_x_.data() + static_cast<std::size_t>(s) * d, buf_y_.data() + s,
                      std::min(cfg_.batch, buffered_ - s), ops);
  buffered_ = 0;
}

void NitroLearner::loss_error(const int8_t* yhat, const int* y, int n, OpCounter& ops) {
  const auto C = static_cast<std::size_t>(classes_);
  for (std::size_t s = 0; s < static_cast<std::size_t>(n); ++s)
    for (std::size_t c = 0; c < C; ++c)
      err_[s * C + c] = int32_t{yhat[s * C + c]} - (static_cast<int>(c) == y[s] ? kTarget : 0);
  const auto nc = static_cast<uint64_t>(n) * C;
  ops.add(Op::Load, nc);
  ops.add(Op::Compare, nc);
  ops.add(Op::Add, nc);
  ops.add(Op::Store, nc);
}

void NitroLearner::sgd(Mat& m, const int32_t* delta, int dstride, const int8_t* x, int xstride,
                       int n, int64_t div, int decay, OpCounter& ops) {
  // IntegerSGD (kernels.md §2(b)): W ← W − trunc(δᵀ·x / (η_inv·AF)) − trunc(W / λ_inv),
  // both terms from the W before the step; the gradient is the batch sum.
  // Host loop order: one output row at a time, the batch sum accumulated over
  // contiguous input rows (same integers as the per-weight sum, cache-friendly).
  thread_local std::vector<int64_t> g;
  g.resize(static_cast<std::size_t>(m.in));
  for (int o = 0; o < m.out; ++o) {
    std::fill(g.begin(), g.end(), 0);
    for (int s = 0; s < n; ++s) {
      const int64_t d = delta[static_cast<std::size_t>(s) * static_cast<std::size_t>(dstride) +
                              static_cast<std::size_t>(o)];
      if (d == 0) continue;
      const int8_t* xs = x + static_cast<std::size_t>(s) * static_cast<std::size_t>(xstride);
      for (std::size_t i = 0; i < g.size(); ++i) g[i] += d * xs[i];
    }
    int32_t* row = m.w.data() + static_cast<std::size_t>(o) * static_cast<std::size_t>(m.in);
    for (std::size_t i = 0; i < g.size(); ++i) {
      const int32_t w = row[i];
      int64_t nw = int64_t{w} - g[i] / div;
      if (decay > 0) nw -= w / decay;
      row[i] = static_cast<int32_t>(std::clamp<int64_t>(nw, std::numeric_limits<int32_t>::min(),
                                                        std::numeric_limits<int32_t>::max()));
    }
  }
  const auto io = static_cast<uint64_t>(m.in) * static_cast<uint64_t>(m.out);
  const auto N = static_cast<uint64_t>(n);
  ops.add(Op::Int32Mac, io * N);
  ops.add(Op::Load, io * (2 * N + 1));
  ops.add(Op::Div, io * (decay > 0 ? 2 : 1));
  ops.add(Op::Add, io * (decay > 0 ? 2 : 1));
  ops.add(Op::Store, io);
}

void NitroLearner::train_minibatch(const int8_t* x, const int* y, int n, OpCounter& ops) {
  if (n < 1) return;
  const auto C = static_cast<std::size_t>(classes_), N = static_cast<std::size_t>(n),
             H = static_cast<std::size_t>(hmax_);
  if (N * H > s_.size() || N * C > err_.size()) {  // larger than configured: grow (host only)
    h_a_.resize(N * H);
    h_b_.resize(N * H);
    s_.resize(N * H);
    dz_.resize(N * H);
    yhat_.resize(N * C);
    err_.resize(N * C);
  }
  const int8_t* a = x;  // block input, N×in
  int in = d0_;
  int8_t* hcur = h_a_.data();
  int8_t* hother = h_b_.data();
  for (std::size_t b = 0; b < fwd_.size(); ++b) {
    Mat& F = fwd_[b];
    Mat& P = lrn_[b];
    const auto Hb = static_cast<std::size_t>(F.out);
    // Block forward: s and h for every sample (rows of width Hb).
    for (std::size_t s = 0; s < N; ++s) {
      linear_scale(F, a + s * static_cast<std::size_t>(in), s_.data() + s * Hb, ops);
      leaky_inplace(s_.data() + s * Hb, hcur + s * Hb, Hb, ops);
    }
    // Learning layer and local loss.
    for (std::size_t s = 0; s < N; ++s) linear_scale(P, hcur + s * Hb, yhat_.data() + s * C, ops);
    loss_error(yhat_.data(), y, n, ops);
    // δ_h = δ·W_p (old W_p), δ_z = trunc(δ_h / g(s)).
    uint64_t cmp = 0;
    for (std::size_t s = 0; s < N; ++s)
      for (std::size_t j = 0; j < Hb; ++j) {
        int64_t dh = 0;
        for (std::size_t c = 0; c < C; ++c) dh += int64_t{err_[s * C + c]} * P.w[c * Hb + j];
        const int sv = s_[s * Hb + j];
        cmp += sv >= 127 ? 1 : 2;
        const int64_t dz = dh / leaky_grad_inv(sv);
        dz_[s * Hb + j] = static_cast<int32_t>(std::clamp<int64_t>(
            dz, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
      }
    ops.add(Op::Int32Mac, N * Hb * C);
    ops.add(Op::Load, N * Hb * C + N * Hb);
    ops.add(Op::Compare, cmp);
    ops.add(Op::Div, N * Hb);
    ops.add(Op::Store, N * Hb);
    // IntegerSGD: learning layer (AF = 1), forward layer (AF = 64·C).
    sgd(P, err_.data(), classes_, hcur, F.out, n, cfg_.lr_inv, cfg_.decay_learn, ops);
    sgd(F, dz_.data(), F.out, a, in, n, int64_t{cfg_.lr_inv} * 64 * classes_, cfg_.decay_fwd, ops);
    a = hcur;
    in = F.out;
    std::swap(hcur, hother);
  }
  // Output layer on the global loss (AF = 1).
  for (std::size_t s = 0; s < N; ++s)
    linear_scale(out_, a + s * static_cast<std::size_t>(in), yhat_.data() + s * C, ops);
  loss_error(yhat_.data(), y, n, ops);
  sgd(out_, err_.data(), classes_, a, in, n, cfg_.lr_inv, cfg_.decay_learn, ops);
}

}  // namespace tinyfleet
