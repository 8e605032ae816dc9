// Pseudo-labels from prototype distance thresholds; see self_labelling.hpp.
#include "drift/self_labelling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace tinyfleet {

namespace {

// x ← x / ‖x‖ in place (a zero vector stays zero): d Load + d Fp32Mac (‖x‖²),
// 2 Div (square root, reciprocal), d Fp32Mac + d Store (scaling).
void l2_normalize(float* x, std::size_t d, OpCounter& ops) {
  double sq = 0;
  for (std::size_t j = 0; j < d; ++j) sq += static_cast<double>(x[j]) * x[j];
  ops.add(Op::Load, d);
  ops.add(Op::Fp32Mac, 2 * d);
  ops.add(Op::Div, 2);
  ops.add(Op::Store, d);
  if (!(sq > 0)) return;
  const double inv = 1.0 / std::sqrt(sq);
  for (std::size_t j = 0; j < d; ++j) x[j] = static_cast<float>(x[j] * inv);
}

}  // namespace

SelfLabeller::SelfLabeller(const SelfLabelSpec& spec) : spec_(spec) {
  for (std::size_t c = 0; c < spec_.prototypes.size(); ++c) {
    const std::size_t at = protos_.size();
    protos_.insert(protos_.end(), spec_.prototypes[c].begin(), spec_.prototypes[c].end());
    if (spec_.l2_normalize) {  // loaded already normalised: no device work
      OpCounter factory;
      l2_normalize(protos_.data() + at, spec_.prototypes[c].size(), factory);
    }
    labels_.push_back(spec_.prototype_labels[c]);
  }
}

const float* SelfLabeller::input(const float* x, OpCounter& ops) {
  if (!spec_.l2_normalize) return x;
  const auto du = static_cast<std::size_t>(d_);
  unit_.assign(x, x + du);
  l2_normalize(unit_.data(), du, ops);
  return unit_.data();
}

void SelfLabeller::fix_width(int d) {
  if (d_ == d) return;
  if (d_ >= 0) throw std::invalid_argument("self-labelling: feature count changed");
  for (const auto& p : spec_.prototypes)
    if (static_cast<int>(p.size()) != d)
      throw std::invalid_argument("labels.self.prototypes: '" + spec_.prototypes_file + "' has " +
                                  std::to_string(p.size()) +
                                  " features per prototype, the stream has " + std::to_string(d));
  d_ = d;
}

std::optional<int> SelfLabeller::label(const float* raw, int d, OpCounter& ops) {
  fix_width(d);
  if (labels_.empty()) return std::nullopt;
  const float* x = input(raw, ops);
  if (spec_.calibrate) return calibrated_label(x, ops);
  const auto du = static_cast<std::size_t>(d);
  std::size_t best = 0;
  double best_sq = 0;
  for (std::size_t c = 0; c < labels_.size(); ++c) {
    const float* p = protos_.data() + c * du;
    double sq = 0;
    for (std::size_t j = 0; j < du; ++j) {
      const double diff = static_cast<double>(x[j]) - p[j];
      sq += diff * diff;
    }
    if (c == 0 || sq < best_sq) {
      best = c;
      best_sq = sq;
    }
  }
  const auto work = static_cast<uint64_t>(labels_.size()) * du;
  ops.add(Op::Load, 2 * work);
  ops.add(Op::Fp32Mac, 2 * work);
  ops.add(Op::Compare, labels_.size() + 2);
  if (best_sq < spec_.positive * spec_.positive) {
    ++positives_;
    return labels_[best];
  }
  if (spec_.negative > 0 && spec_.negative_class >= 0 &&
      best_sq > spec_.negative * spec_.negative) {
    ++negatives_;
    return spec_.negative_class;
  }
  ++discarded_;
  return std::nullopt;
}

bool SelfLabeller::calibrated(int i) const {
  return std::isfinite(nmin_[static_cast<std::size_t>(i)]);
}

double SelfLabeller::distance(const float* x, const float* p, OpCounter& ops) const {
  const auto du = static_cast<std::size_t>(d_);
  double sq = 0;
  for (std::size_t j = 0; j < du; ++j) {
    const double diff = static_cast<double>(x[j]) - p[j];
    sq += diff * diff;
  }
  ops.add(Op::Load, 2 * du);
  ops.add(Op::Fp32Mac, 2 * du);
  ops.add(Op::Div);  // square root
  return std::sqrt(sq);
}

void SelfLabeller::set_thresholds(std::size_t i, OpCounter& ops) {
  // kernels.md §6: gap = N − P; POS = |P + min(α_p·gap, cap)|; NEG = |P + α_n·gap|.
  const double P = pmax_[i], N = nmin_[i];
  if (!std::isfinite(N)) return;
  const double gap = N - P;
  pos_thr_[i] = std::abs(P + std::min(spec_.alpha_p * gap, spec_.cap));
  neg_thr_[i] = std::abs(P + spec_.alpha_n * gap);
  ops.add(Op::Fp32Mac, 4);
  ops.add(Op::Compare, 2);
  ops.add(Op::Store, 2);
}

void SelfLabeller::complete_prototype(int y, OpCounter& ops) {
  const auto du = static_cast<std::size_t>(d_);
  const auto K = static_cast<std::size_t>(spec_.from_first_labels);
  const std::size_t i = labels_.size() - 1;
  const float* p = protos_.data() + i * du;
  double P = 0, N = std::numeric_limits<double>::infinity();
  for (std::size_t c = 0; c < shots_.size(); ++c) {
    const std::size_t kept = std::min<std::size_t>(static_cast<std::size_t>(shots_[c]), K);
    for (std::size_t s = 0; s < kept; ++s) {
      const double dist = distance(shot_x_.data() + (c * K + s) * du, p, ops);
      if (static_cast<int>(c) == y)
        P = std::max(P, dist);
      else
        N = std::min(N, dist);
      ops.add(Op::Compare);
    }
  }
  pmax_.push_back(P);
  nmin_.push_back(N);
  pos_thr_.push_back(0);
  neg_thr_.push_back(0);
  set_thresholds(i, ops);
}

std::optional<int> SelfLabeller::calibrated_label(const float* x, OpCounter& ops) {
  const auto du = static_cast<std::size_t>(d_);
  std::size_t best = 0;
  double best_d = 0;
  bool any = false, all_far = true;
  for (std::size_t c = 0; c < labels_.size(); ++c) {
    const double dist = distance(x, protos_.data() + c * du, ops);
    if (c == 0 || dist < best_d) {
      best = c;
      best_d = dist;
    }
    ops.add(Op::Compare, 2);
    if (!std::isfinite(nmin_[c]) || labels_[c] == spec_.negative_class) continue;
    any = true;
    all_far = all_far && dist > neg_thr_[c];
  }
  if (std::isfinite(nmin_[best]) && best_d < pos_thr_[best]) {
    ++positives_;
    return labels_[best];
  }
  if (spec_.negative_class >= 0 && any && all_far) {
    ++negatives_;
    return spec_.negative_class;
  }
  ++discarded_;
  return std::nullopt;
}

void SelfLabeller::observe(const float* raw, int d, int y, OpCounter& ops) {
  if (spec_.from_first_labels <= 0 || y < 0) return;
  fix_width(d);
  const auto du = static_cast<std::size_t>(d);
  const auto yu = static_cast<std::size_t>(y);
  if (yu >= shots_.size()) {
    shots_.resize(yu + 1, 0);
    sums_.resize((yu + 1) * du, 0.f);
  }
  const int K = spec_.from_first_labels;
  if (shots_[yu] >= K) return;  // this class's prototype is complete
  const float* x = input(raw, ops);
  if (spec_.calibrate) {
    // Keep the shot, and it is a negative for every other class's prototype.
    const auto Ku = static_cast<std::size_t>(K);
    if (shot_x_.size() < (yu + 1) * Ku * du) shot_x_.resize((yu + 1) * Ku * du, 0.f);
    std::copy(x, x + du,
              shot_x_.begin() + static_cast<std::ptrdiff_t>(
                                    (yu * Ku + static_cast<std::size_t>(shots_[yu])) * du));
    ops.add(Op::Store, du);
    for (std::size_t i = 0; i < labels_.size(); ++i) {
      if (labels_[i] == y) continue;
      const double dist = distance(x, protos_.data() + i * du, ops);
      ops.add(Op::Compare);
      if (dist < nmin_[i]) {
        nmin_[i] = dist;
        set_thresholds(i, ops);
      }
    }
  }
  float* sum = sums_.data() + yu * du;
  for (std::size_t j = 0; j < du; ++j) sum[j] += x[j];
  ops.add(Op::Load, du);
  ops.add(Op::Fp32Mac, du);
  ops.add(Op::Store, du);
  ops.add(Op::Add);
  if (shots_[yu] == 0) ++collecting_;
  if (++shots_[yu] < K) return;
  --collecting_;
  for (std::size_t j = 0; j < du; ++j) protos_.push_back(sum[j] / static_cast<float>(K));
  labels_.push_back(y);
  ops.add(Op::Div, du);
  // The mean of unit shots is shorter than 1: normalised again (kernels.md §6, NCM).
  if (spec_.l2_normalize) l2_normalize(protos_.data() + protos_.size() - du, du, ops);
  if (spec_.calibrate) complete_prototype(y, ops);
}

std::size_t SelfLabeller::memory_bytes() const {
  std::size_t d = d_ > 0 ? static_cast<std::size_t>(d_) : 0;
  if (d_ < 0 && !spec_.prototypes.empty()) d = spec_.prototypes.front().size();
  std::size_t bytes = labels_.size() * (d * 4 + 2) + collecting_ * (d * 4 + 2);
  if (spec_.calibrate) {
    std::size_t with_shots = 0;
    for (int n : shots_) with_shots += n > 0 ? 1 : 0;
    bytes += with_shots * static_cast<std::size_t>(spec_.from_first_labels) * d * 4 +
             labels_.size() * 16;
  }
  if (spec_.l2_normalize) bytes += d * 4;  // the normalised copy of the sample
  return bytes;
}

}  // namespace tinyfleet
