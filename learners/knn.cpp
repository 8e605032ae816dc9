#include "learners/knn.hpp"

#include "learners/param_read.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace tinyfleet {

// The k nearest so far, ascending by distance; entries at [cnt, k) hold the
// sentinel UINT32_MAX so one compare against d[k − 1] decides acceptance.
struct KnnLearner::TopK {
  uint32_t* d;
  int16_t* l;
  int k;
  int cnt;
  uint64_t accepted;  // entries that entered the top-k
  uint64_t tests;     // ordering compares while walking the array
  uint64_t shifts;    // elements moved one place down

  // Insertion of an accepted entry. Counted as the plain insertion walk a
  // device runs (from slot j towards the front, one ordering test per step,
  // stopping at the first strictly nearer element): with p = the number of
  // elements in [0, j) strictly nearer than `dist`, that walk makes j − p
  // shifts and j − p + (p > 0) tests. The host computes p and moves the
  // elements with selects instead of data-dependent branches (the walk's exit
  // branch mispredicts on random data); the result is the same array.
  void push(uint32_t dist, int16_t label) {
    const int j = cnt < k ? cnt : k - 1;
    cnt += cnt < k;
    // `<`: an entry scanned later (newer) goes ahead of equally distant ones.
    int p = 0;
    for (int i = 0; i < j; ++i) p += d[i] < dist;
    for (int i = j; i > 0; --i) {
      const uint32_t prev_d = d[i - 1];
      const int16_t prev_l = l[i - 1];
      d[i] = i > p ? prev_d : (i == p ? dist : d[i]);
      l[i] = i > p ? prev_l : (i == p ? label : l[i]);
    }
    if (p == 0) {
      d[0] = dist;
      l[0] = label;
    }
    ++accepted;
    shifts += static_cast<uint64_t>(j - p);
    tests += static_cast<uint64_t>(j - p + (p > 0));
  }
};

using learner_params::choice_of;
using learner_params::int_of;

std::vector<ParamSpec> KnnLearner::param_specs() {
  using T = ParamSpec::Type;
  return {
      {"k", T::Int, 1, 64, 3, {}, "neighbours that vote"},
      {"budget", T::Int, 1, 1000000, 64, {}, "knowledge-base capacity (entries); FIFO when full"},
      {"distance", T::Choice, 0, 0, 0, {"l1", "l2"}, "distance on int8 features"},
      {"add",
       T::Choice,
       0,
       0,
       0,
       {"misclassified", "all"},
       "passive update: add a labelled sample if the KB misclassifies it (condensed NN), or "
       "always"},
      {"change_time",
       T::Choice,
       0,
       0,
       0,
       {"detector", "refine"},
       "change time of the active update: the detector's estimate, or refined by a "
       "change-point analysis of the KB's stored error bits (TML-CD)"},
      {"refine_window",
       T::Int,
       2,
       KnnLearner::kMaxRefineWindow,
       256,
       {},
       "error bits kept for change_time: refine"},
      {"validate_z",
       T::Real,
       0,
       10,
       0,
       {},
       "change_time: refine only: > 0 rejects an alarm unless the error rate after the refined "
       "change exceeds the rate before by this many standard errors (0 = accept all)"},
  };
}

KnnConfig KnnLearner::base_config_from(const Params& p) {
  KnnConfig c;
  c.k = int_of(p, "k", 1, 64);
  c.budget = int_of(p, "budget", 1, 1000000);
  c.distance = choice_of(p, "distance", {"l1", "l2"}) == "l2" ? KnnDistance::L2 : KnnDistance::L1;
  c.add = choice_of(p, "add", {"misclassified", "all"}) == "all" ? KnnAddRule::All
                                                                 : KnnAddRule::Misclassified;
  return c;
}

KnnConfig KnnLearner::config_from(const Params& p) {
  KnnConfig c = base_config_from(p);
  c.change_time = choice_of(p, "change_time", {"detector", "refine"}) == "refine"
                      ? KnnChangeTime::Refine
                      : KnnChangeTime::Detector;
  c.refine_window = static_cast<int>(int_of(p, "refine_window", 2, kMaxRefineWindow));
  c.validate_z = learner_params::real_of(p, "validate_z", 0, 10);
  return c;
}

KnnLearner::KnnLearner(const KnnConfig& config, const StreamInfo& info) : cfg_(config) {
  if (cfg_.k < 1 || cfg_.k > 64) throw std::invalid_argument("knn: k must be in [1, 64]");
  if (cfg_.budget < 1) throw std::invalid_argument("knn: budget must be >= 1");
  if (cfg_.refine_window < 2 || cfg_.refine_window > kMaxRefineWindow)
    throw std::invalid_argument("knn: refine_window must be in [2, 1024]");
  if (!(cfg_.validate_z >= 0 && cfg_.validate_z <= 10))
    throw std::invalid_argument("knn: validate_z must be in [0, 10]");
  if (info.features < 0 || info.features > kMaxFeatures)
    throw std::invalid_argument("knn: features must be in [0, 65535]");
  if (info.classes < 0 || info.classes > std::numeric_limits<int16_t>::max())
    throw std::invalid_argument("knn: classes must be in [0, 32767]");
  if (info.lo.size() != static_cast<std::size_t>(info.features) ||
      info.hi.size() != static_cast<std::size_t>(info.features))
    throw std::invalid_argument("knn: StreamInfo lo/hi must have one value per feature");
  d_ = info.features;
  classes_ = info.classes > 0 ? info.classes : 1;

  const std::size_t d = dim();
  lo_.resize(d);
  scale_.resize(d);
  for (std::size_t j = 0; j < d; ++j) {
    const float lo = info.lo[j], hi = info.hi[j];
    const float span = hi - lo;
    const bool ok = std::isfinite(lo) && std::isfinite(span) && span > 0.f;
    lo_[j] = std::isfinite(lo) ? lo : 0.f;
    scale_[j] = ok ? 255.f / span : 0.f;  // degenerate range: every value → −128
  }

  live_capacity_ = static_cast<std::size_t>(cfg_.budget);
  const std::size_t cap = capacity();
  stride_ = (cap + kBlock - 1) / kBlock * kBlock;
  kb_.assign(stride_ * d, 0);
  labels_.assign(cap, 0);
  added_.assign(cap, 0);
  q_.assign(d, 0);
  memo_q_.assign(d, 0);
  best_d_.assign(static_cast<std::size_t>(cfg_.k), 0);
  best_l_.assign(static_cast<std::size_t>(cfg_.k), 0);
  votes_.assign(static_cast<std::size_t>(classes_), 0);
  if (cfg_.change_time == KnnChangeTime::Refine) {
    hist_index_.assign(static_cast<std::size_t>(cfg_.refine_window), 0);
    hist_bit_.assign(static_cast<std::size_t>(cfg_.refine_window), 0);
  }
}

void KnnLearner::quantise(const float* x, int8_t* out, OpCounter& ops) const {
  // (x − lo)·s with s = 255/(hi − lo) precomputed: one fp32 MAC per feature
  // instead of a division, as an MCU port would do. Clamping before rounding
  // is equivalent to clamping after (the map is monotone) and keeps NaN out
  // of the integer conversion.
  const std::size_t d = dim();
  for (std::size_t j = 0; j < d; ++j) {
    float t = (x[j] - lo_[j]) * scale_[j];
    t = t > 0.f ? t : 0.f;  // also maps NaN to 0
    t = t < 255.f ? t : 255.f;
    int r = static_cast<int>(t);                     // t >= 0: truncation is floor
    r += t - static_cast<float>(r) >= 0.5f ? 1 : 0;  // exact: round half away from zero
    out[j] = static_cast<int8_t>(r - 128);
  }
  ops.add(Op::Fp32Mac, d);
  ops.add(Op::Compare, 2 * d);
  ops.add(Op::Store, d);
}

int KnnLearner::predict(const float* x, OpCounter& ops) {
  ops.add(Op::Compare);  // empty KB?
  if (size_ == 0) return 0;
  quantise(x, q_.data(), ops);
  return predict_quantised(ops);
}

template <bool kL2>
void KnnLearner::scan(std::size_t from, std::size_t to, TopK& top) const {
  // Distances are computed for whole blocks of kBlock slots (fixed trip
  // count, feature-major rows: the inner loop vectorises; slots outside
  // [from, to) are padding or dead and are computed but never selected, and
  // not counted, since a device kernel would skip them). Selection then walks
  // the live slots in order.
  const std::size_t d = dim();
  const int8_t* q = q_.data();
  const int8_t* kb = kb_.data();
  const int16_t* labels = labels_.data();
  TopK t = top;  // a local copy keeps the counters in registers
  alignas(64) uint32_t dist[kBlock];
  uint32_t worst = t.d[t.k - 1];
  for (std::size_t base = from - from % kBlock; base < to; base += kBlock) {
    // The first feature initialises the block (a separate zero fill compiles
    // to a memset with a large fixed start-up cost).
    if (d == 0) std::fill(dist, dist + kBlock, 0u);
    for (std::size_t j = 0; j < d; ++j) {
      const int8_t* f = kb + j * stride_ + base;
      const int qj = q[j];
      const uint32_t keep = j == 0 ? 0u : ~0u;
      for (std::size_t s = 0; s < kBlock; ++s) {
        const int diff = static_cast<int>(f[s]) - qj;
        const uint32_t term = kL2 ? static_cast<uint32_t>(diff * diff)
                                  : static_cast<uint32_t>(diff < 0 ? -diff : diff);
        dist[s] = (dist[s] & keep) + term;
      }
    }
    const std::size_t lo = std::max(from, base), hi = std::min(to, base + kBlock);
    for (std::size_t s = lo; s < hi; ++s) {
      const uint32_t v = dist[s - base];
      if (v <= worst) {  // `<=`: newer entries win ties (see TopK::push)
        t.push(v, labels[s]);
        worst = t.d[t.k - 1];
      }
    }
  }
  top = t;
}

int KnnLearner::predict_quantised(OpCounter& ops) {
  if (memo_version_ == kb_version_ && memo_q_ == q_) {
    ops += memo_ops_;
    win_votes_ = memo_win_votes_;
    found_ = memo_found_;
    return memo_pred_;
  }
  OpCounter delta;
  memo_pred_ = compute_prediction(delta);
  memo_win_votes_ = win_votes_;
  memo_found_ = found_;
  memo_ops_ = delta;
  memo_q_ = q_;  // same size: no allocation
  memo_version_ = kb_version_;
  ops += delta;
  return memo_pred_;
}

int KnnLearner::compute_prediction(OpCounter& ops) {
  const std::size_t k = best_d_.size();
  std::fill(best_d_.begin(), best_d_.end(), std::numeric_limits<uint32_t>::max());
  TopK top{best_d_.data(), best_l_.data(), static_cast<int>(k), 0, 0, 0, 0};

  // Scan in logical order (oldest first) so "later" means "newer" for ties;
  // the live entries are at most two contiguous runs of the ring.
  const std::size_t cap = capacity();
  const std::size_t end1 = std::min(head_ + size_, cap);
  const bool wraps = head_ + size_ > cap;
  if (cfg_.distance == KnnDistance::L2) {
    scan<true>(head_, end1, top);
    if (wraps) scan<true>(0, head_ + size_ - cap, top);
  } else {
    scan<false>(head_, end1, top);
    if (wraps) scan<false>(0, head_ + size_ - cap, top);
  }

  const uint64_t n = size_, d = dim();
  ops.add(Op::Store, k);  // top-k init
  ops.add(Op::Int8Mac, n * d);
  ops.add(Op::Load, n * d + top.accepted + 2 * top.shifts);
  ops.add(Op::Compare, n + top.tests);
  ops.add(Op::Store, 2 * top.accepted + 2 * top.shifts);

  // Majority vote. Neighbours are visited nearest first and the arg-max only
  // moves on a strictly larger count, so among tied classes the one holding
  // the nearest neighbour wins.
  const int c = top.cnt;
  for (int i = 0; i < c; ++i) votes_[static_cast<std::size_t>(best_l_[i])] = 0;
  for (int i = 0; i < c; ++i) ++votes_[static_cast<std::size_t>(best_l_[i])];
  int best = best_l_[0];
  for (int i = 1; i < c; ++i)
    if (votes_[static_cast<std::size_t>(best_l_[i])] > votes_[static_cast<std::size_t>(best)])
      best = best_l_[i];
  // What uncertainty() and confidence() read (learners/knn.hpp).
  found_ = c;
  win_votes_ = c == 0 ? 0 : votes_[static_cast<std::size_t>(best)];
  const uint64_t cu = static_cast<uint64_t>(c);
  ops.add(Op::Store, 2 * cu);
  ops.add(Op::Load, cu + (cu - 1));
  ops.add(Op::Add, cu);
  ops.add(Op::Compare, cu - 1);
  return best;
}

void KnnLearner::learn(const float* x, int y, uint64_t sample_index, OpCounter& ops) {
  if (frozen_) return;
  if (y < 0 || y >= classes_)
    throw std::out_of_range("knn: label " + std::to_string(y) + " outside [0, " +
                            std::to_string(classes_) + ")");
  const bool refine = cfg_.change_time == KnnChangeTime::Refine;
  if (cfg_.add == KnnAddRule::All) {
    if (refine) record_error(predict(x, ops) != y, sample_index, ops);
    quantise(x, q_.data(), ops);
    insert(y, sample_index, ops);
    return;
  }
  // Condensed-NN rule (TML-CD's passive update): keep only what the current
  // KB gets wrong, plus the first k samples so that a vote is possible.
  ops.add(Op::Compare);
  if (size_ < static_cast<std::size_t>(cfg_.k)) {
    if (refine) record_error(predict(x, ops) != y, sample_index, ops);
    quantise(x, q_.data(), ops);
    insert(y, sample_index, ops);
    return;
  }
  const int p = predict(x, ops);  // leaves the quantised x in q_
  ops.add(Op::Compare);
  if (refine) record_error(p != y, sample_index, ops);
  if (p != y) insert(y, sample_index, ops);
}

void KnnLearner::record_error(bool error, uint64_t sample_index, OpCounter& ops) {
  const std::size_t cap = hist_bit_.size();
  std::size_t s;
  if (hist_size_ < cap) {
    s = (hist_head_ + hist_size_) % cap;
    ++hist_size_;
  } else {
    s = hist_head_;
    hist_head_ = (hist_head_ + 1) % cap;
  }
  hist_index_[s] = sample_index;
  hist_bit_[s] = error ? 1 : 0;
  ops.add(Op::Compare);
  ops.add(Op::Store, 3);
  ops.add(Op::Add);
}

bool KnnLearner::refine_change(const uint8_t* bits, const uint64_t* index, std::size_t n,
                               uint64_t& estimate, OpCounter& ops, std::size_t* split) {
  if (n < 2) return false;
  int64_t total = 0;
  for (std::size_t i = 0; i < n; ++i) total += bits[i];
  ops.add(Op::Load, n);
  ops.add(Op::Add, n);
  const auto N = static_cast<int64_t>(n);
  int64_t s = 0, best_num2 = 0, best_den = 1;
  std::size_t best = 0;  // 0: no candidate yet
  for (std::size_t t = 1; t < n; ++t) {
    s += bits[t - 1];
    const auto T = static_cast<int64_t>(t);
    const int64_t num = N * s - T * total;  // < 0: the rate after t is higher
    if (num >= 0) continue;
    const int64_t num2 = num * num, den = T * (N - T);
    if (best == 0 || num2 * best_den > best_num2 * den) {
      best = t;
      best_num2 = num2;
      best_den = den;
    }
  }
  const auto cand = static_cast<uint64_t>(n - 1);
  ops.add(Op::Load, cand);
  ops.add(Op::Add, 3 * cand);
  ops.add(Op::Int32Mac, 6 * cand);
  ops.add(Op::Compare, 2 * cand);
  if (best == 0) return false;
  estimate = index[best];  // the first entry after the change
  if (split) *split = best;
  return true;
}

double KnnLearner::validation_z(uint64_t e1, uint64_t n1, uint64_t e2, uint64_t n2) {
  const double p1 = static_cast<double>(e1) / static_cast<double>(n1),
               p2 = static_cast<double>(e2) / static_cast<double>(n2),
               p = static_cast<double>(e1 + e2) / static_cast<double>(n1 + n2);
  const double var = p * (1 - p) * (1.0 / static_cast<double>(n1) + 1.0 / static_cast<double>(n2));
  return var > 0 ? (p2 - p1) / std::sqrt(var) : 0.0;  // var 0: p1 = p2, no evidence
}

bool KnnLearner::refined_estimate(uint64_t detector_estimate, uint64_t& change, OpCounter& ops) {
  const std::size_t cap = hist_bit_.size(), n = hist_size_;
  change = detector_estimate;
  if (n == 0) return true;
  const uint64_t newest = hist_index_[(hist_head_ + n - 1) % cap];
  ops.add(Op::Load, 2);
  ops.add(Op::Compare);
  if (detector_estimate > newest) return true;  // e.g. a fleet reset: always obeyed
  // Linearise the ring (host scratch; a device walks the ring in place).
  thread_local std::vector<uint8_t> bits;
  thread_local std::vector<uint64_t> index;
  bits.resize(n);
  index.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    bits[i] = hist_bit_[(hist_head_ + i) % cap];
    index[i] = hist_index_[(hist_head_ + i) % cap];
  }
  std::size_t split = 0;
  const bool found = refine_change(bits.data(), index.data(), n, change, ops, &split);
  if (cfg_.validate_z <= 0) return true;
  if (!found) return false;
  uint64_t e1 = 0, total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    total += bits[i];
    e1 += i < split ? bits[i] : 0;
  }
  ops.add(Op::Div, 7);
  ops.add(Op::Fp32Mac, 4);
  ops.add(Op::Compare);
  return validation_z(e1, split, total - e1, n - split) >= cfg_.validate_z;
}

void KnnLearner::insert(int y, uint64_t sample_index, OpCounter& ops) {
  const std::size_t cap = capacity(), d = dim();
  std::size_t s;
  if (size_ < cap) {
    s = slot(size_);
    ++size_;
  } else {  // full: overwrite the oldest (FIFO)
    s = head_;
    head_ = (head_ + 1) % cap;
  }
  for (std::size_t j = 0; j < d; ++j) kb_[j * stride_ + s] = q_[j];
  labels_[s] = static_cast<int16_t>(y);
  added_[s] = sample_index;
  ++total_added_;
  ++kb_version_;
  ops.add(Op::Compare);
  ops.add(Op::Load, d);
  ops.add(Op::Store, d + 3);
  ops.add(Op::Add);
}

void KnnLearner::on_drift(const DriftInfo& info, OpCounter& ops) {
  if (frozen_) return;
  uint64_t change = info.estimated_change_index;
  if (cfg_.change_time == KnnChangeTime::Refine) {
    if (!refined_estimate(info.estimated_change_index, change, ops)) {
      ++rejected_;  // a false alarm by the validation: keep everything
      return;
    }
    // The history before the change is the old concept's: compact it likewise.
    const std::size_t cap = hist_bit_.size(), hn = hist_size_;
    std::size_t hw = 0, hmoved = 0;
    for (std::size_t i = 0; i < hn; ++i) {
      const std::size_t src = (hist_head_ + i) % cap;
      if (hist_index_[src] < change) continue;
      if (hw != i) {
        const std::size_t dst = (hist_head_ + hw) % cap;
        hist_index_[dst] = hist_index_[src];
        hist_bit_[dst] = hist_bit_[src];
        ++hmoved;
      }
      ++hw;
    }
    hist_size_ = hw;
    ops.add(Op::Load, 2 * hn + 3 * hmoved);
    ops.add(Op::Compare, hn);
    ops.add(Op::Store, 3 * hmoved + 1);
  }
  last_estimate_ = change;
  // TML-CD's active update: entries learnt before the estimated change time
  // describe the old concept; drop them, keep the rest in order. In-place
  // forward compaction over the ring (the write position never passes the
  // read position).
  const std::size_t d = dim(), n = size_;
  std::size_t w = 0, moved = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t src = slot(i);
    if (added_[src] < change) continue;
    if (w != i) {
      const std::size_t dst = slot(w);
      for (std::size_t j = 0; j < d; ++j) kb_[j * stride_ + dst] = kb_[j * stride_ + src];
      labels_[dst] = labels_[src];
      added_[dst] = added_[src];
      ++moved;
    }
    ++w;
  }
  if (w != n) ++kb_version_;
  size_ = w;
  ops.add(Op::Load, 2 * n + moved * (d + 3));
  ops.add(Op::Compare, n);
  ops.add(Op::Store, moved * (d + 3) + 1);
}

std::size_t KnnLearner::memory_bytes() const {
  const std::size_t d = dim(), k = static_cast<std::size_t>(cfg_.k);
  return capacity() * (d + sizeof(int16_t) + sizeof(uint64_t)) + d + 2 * sizeof(float) * d +
         k * (sizeof(uint32_t) + sizeof(int16_t)) +
         sizeof(uint16_t) * static_cast<std::size_t>(classes_) + kStateBytes +
         (hist_bit_.empty() ? 0 : hist_bit_.size() * 9 + 8);
}

}  // namespace tinyfleet
