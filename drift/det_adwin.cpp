#include "drift/det_adwin.hpp"

#include <cmath>
#include <stdexcept>

#include "drift/det_ops.hpp"

namespace tinyfleet {

Adwin::Adwin() : Adwin(Config{}) {}

Adwin::Adwin(const Config& c) : c_(c) {
  if (!(c.delta > 0 && c.delta < 1)) throw std::invalid_argument("adwin: delta in (0, 1)");
  if (c.clock < 1) throw std::invalid_argument("adwin: clock must be >= 1");
  if (c.max_buckets < 2) throw std::invalid_argument("adwin: max_buckets must be >= 2");
  if (c.min_window_length < 1) throw std::invalid_argument("adwin: min_window_length >= 1");
  totals_.assign(static_cast<std::size_t>(kMaxRows) * (c.max_buckets + 1), 0.0f);
  variances_.assign(totals_.size(), 0.0f);
  reset();
}

void Adwin::reset() {
  count_.fill(0);
  rows_ = 1;
  width_ = tick_ = 0;
  total_ = variance_ = 0;
  t_first_ = updates_ = estimate_ = 0;
  drift_ = false;
}

std::size_t Adwin::memory_bytes() const {
  return static_cast<std::size_t>(rows_) * (c_.max_buckets + 1) * 2 * sizeof(float) +
         rows_ * sizeof(uint32_t) + 4 * sizeof(uint32_t) + 2 * sizeof(float) + sizeof(Config);
}

// Shift row `row` left by n buckets (drops its n oldest), as River's Bucket.compress.
void Adwin::compress_row(uint32_t row, uint32_t n) {
  const uint32_t cnt = count_[row];
  for (uint32_t k = n; k < cnt; ++k) {
    totals_[slot(row, k - n)] = totals_[slot(row, k)];
    variances_[slot(row, k - n)] = variances_[slot(row, k)];
  }
  count_[row] = cnt - n;
}

void Adwin::insert(float value, OpCounter& ops) {
  totals_[slot(0, count_[0])] = value;
  variances_[slot(0, count_[0])] = 0.0f;
  ++count_[0];
  // Incremental variance (Welford form on the total): the new value's squared
  // deviation from the old window mean, weighted (w − 1)/w.
  ++width_;
  if (width_ > 1) {
    const float w1 = static_cast<float>(width_ - 1);
    const float dv = value - total_ / w1;
    variance_ += w1 * dv * dv / static_cast<float>(width_);
    ops.add(Op::Fp32Mac, 4);
    ops.add(Op::Div, 2);
  }
  total_ += value;
  ops.add(Op::Fp32Mac);
  ops.add(Op::Add, 2);
  ops.add(Op::Load, 4);
  ops.add(Op::Store, 5);
  compress(ops);
}

void Adwin::compress(OpCounter& ops) {
  for (uint32_t row = 0;; ++row) {
    ops.add(Op::Compare);
    if (count_[row] != c_.max_buckets + 1) break;
    if (row + 1 >= rows_) {
      if (rows_ >= kMaxRows) throw std::length_error("adwin: window exceeds preallocated rows");
      count_[rows_++] = 0;
    }
    // Merge the two oldest buckets of this row into one of the next row.
    const float n1 = std::ldexp(1.0f, static_cast<int>(row));
    const float t0 = totals_[slot(row, 0)], t1 = totals_[slot(row, 1)];
    const float mu1 = t0 / n1, mu2 = t1 / n1;
    const float v12 = variances_[slot(row, 0)] + variances_[slot(row, 1)] +
                      n1 * 0.5f * (mu1 - mu2) * (mu1 - mu2);  // n1·n2/(n1+n2), n1 = n2
    const uint32_t next = row + 1;
    totals_[slot(next, count_[next])] = t0 + t1;
    variances_[slot(next, count_[next])] = v12;
    ++count_[next];
    compress_row(row, 2);
    ops.add(Op::Div, 2);
    ops.add(Op::Fp32Mac, 7);
    ops.add(Op::Load, 4 + 2 * (c_.max_buckets - 1));
    ops.add(Op::Store, 2 + 2 * (c_.max_buckets - 1));
    ops.add(Op::Compare);
    if (count_[next] <= c_.max_buckets) break;
  }
}

uint32_t Adwin::delete_oldest(OpCounter& ops) {
  const uint32_t last = rows_ - 1;
  const uint32_t n = 1u << last;
  const float nf = static_cast<float>(n);
  const float u = totals_[slot(last, 0)], v = variances_[slot(last, 0)];
  const float mu = u / nf;
  width_ -= n;
  total_ -= u;
  const float w = static_cast<float>(width_);
  const float mu_w = total_ / w;
  variance_ -= v + nf * w * (mu - mu_w) * (mu - mu_w) / (nf + w);
  compress_row(last, 1);
  if (count_[last] == 0 && rows_ > 1) --rows_;
  ops.add(Op::Div, 3);
  ops.add(Op::Fp32Mac, 8);
  ops.add(Op::Add, 2);
  ops.add(Op::Load, 2 + 2 * c_.max_buckets);
  ops.add(Op::Store, 3 + 2 * c_.max_buckets);
  return n;
}

bool Adwin::detect(OpCounter& ops) {
  bool change = false;
  ++tick_;
  ops.add(Op::Add);
  ops.add(Op::Compare, 2);
  if (tick_ % c_.clock != 0 || width_ <= c_.grace_period) return false;
  // MOA requires n > mwl + 1 on both sides, River n >= mwl.
  const float min_len = c_.mode == Mode::River ? static_cast<float>(c_.min_window_length)
                                               : static_cast<float>(c_.min_window_length + 2);
  const float mwl = static_cast<float>(c_.min_window_length);
  bool reduce = true;
  while (reduce) {
    reduce = false;
    // Per scan, δ′ and σ²_W are constants (River recomputes them per cut).
    const float w = static_cast<float>(width_);
    const float delta_prime =
        static_cast<float>(std::log(2.0 * std::log(static_cast<double>(width_)) / c_.delta));
    const float var_w = variance_ / w;
    detail::count_transcendental(ops, 2);
    ops.add(Op::Div, 2);
    ops.add(Op::Fp32Mac);
    float n0 = 0, n1 = w, u0 = 0, u1 = total_;
    bool done = false;
    for (int row = static_cast<int>(rows_) - 1; row >= 0 && !done; --row) {
      const float size = std::ldexp(1.0f, row);
      const uint32_t cnt = count_[static_cast<uint32_t>(row)];
      for (uint32_t k = 0; k < cnt; ++k) {
        const float tot = totals_[slot(static_cast<uint32_t>(row), k)];
        n0 += size, n1 -= size, u0 += tot, u1 -= tot;
        ops.add(Op::Fp32Mac, 4);
        ops.add(Op::Load);
        ops.add(Op::Compare, 2);
        if (row == 0 && k == cnt - 1) {  // W1 would be empty
          done = true;
          break;
        }
        if (n1 < min_len || n0 < min_len) continue;
        const float dmean = u0 / n0 - u1 / n1;
        const float m = 1.0f / (n0 - mwl + 1) + 1.0f / (n1 - mwl + 1);
        const float eps = std::sqrt(2 * m * var_w * delta_prime) + 2.0f / 3.0f * delta_prime * m;
        ops.add(Op::Div, 4);
        ops.add(Op::Fp32Mac, 9);
        detail::count_sqrt(ops);
        ops.add(Op::Compare);
        if (std::fabs(dmean) > eps) {
          reduce = change = true;
          if (width_ > 0) {
            delete_oldest(ops);
            done = true;
            break;
          }
        }
      }
    }
  }
  return change;
}

void Adwin::update(double xd, uint64_t t, OpCounter& ops) {
  const bool river = c_.mode == Mode::River;
  if (river && drift_) reset();  // River: a fresh ADWIN after an alarm
  if (updates_ == 0) t_first_ = t;
  ++updates_;
  const float before = estimation();
  insert(static_cast<float>(xd), ops);
  bool cut = detect(ops);
  if (cut && !river) {
    cut = estimation() > before;  // MOA: only an increase of the mean counts
    ops.add(Op::Div);
    ops.add(Op::Compare);
  }
  drift_ = cut;
  if (drift_) {
    // Mean t step since reset maps the window width back to caller time.
    const double step =
        updates_ > 1 ? static_cast<double>(t - t_first_) / static_cast<double>(updates_ - 1) : 1.0;
    const auto back = static_cast<uint64_t>(std::llround(width_ * step));
    estimate_ = back > t ? 0 : t - back;
  }
}

ComponentInfo adwin_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "adwin",
      "ADWIN (Bifet & Gavalda 2007): exponential-histogram window, cut when two sub-window "
      "means differ by more than epsilon_cut",
      {
          detail::param("delta", T::Real, 1e-12, 0.999, 0.002, {}, "confidence of the cut test"),
          detail::param("clock", T::Int, 1, 1e6, 32, {}, "test the cuts every `clock` updates"),
          detail::param("max_buckets", T::Int, 2, 64, 5, {}, "buckets per row before merging (M)"),
          detail::param("min_window_length", T::Int, 1, 1e6, 5, {},
                        "minimum length of each sub-window"),
          detail::param("grace_period", T::Int, 0, 1e9, 10, {},
                        "no test until the window is wider"),
          detail::param(
              "mode", T::Choice, 0, 0, 0, {"river", "moa"},
              "river (both directions, fresh window after an alarm) or moa (increases only, "
              "n0,n1 > mwl+1, no reset)"),
      }};
}

std::unique_ptr<Detector> make_adwin(const Params& p) {
  Adwin::Config c;
  c.delta = p.number("delta");
  c.clock = static_cast<uint32_t>(p.number("clock"));
  c.max_buckets = static_cast<uint32_t>(p.number("max_buckets"));
  c.min_window_length = static_cast<uint32_t>(p.number("min_window_length"));
  c.grace_period = static_cast<uint32_t>(p.number("grace_period"));
  c.mode = p.string("mode") == "moa" ? Adwin::Mode::Moa : Adwin::Mode::River;
  return std::make_unique<Adwin>(c);
}

}  // namespace tinyfleet
