// Pseudo-labels from prototype distance thresholds; see self_labelling.hpp.
#include "drift/self_labelling.hpp"

#include <stdexcept>
#include <string>

namespace tinyfleet {

SelfLabeller::SelfLabeller(const SelfLabelSpec& spec) : spec_(spec) {
  for (std::size_t c = 0; c < spec_.prototypes.size(); ++c) {
    protos_.insert(protos_.end(), spec_.prototypes[c].begin(), spec_.prototypes[c].end());
    labels_.push_back(spec_.prototype_labels[c]);
  }
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

std::optional<int> SelfLabeller::label(const float* x, int d, OpCounter& ops) {
  fix_width(d);
  if (labels_.empty()) return std::nullopt;
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

void SelfLabeller::observe(const float* x, int d, int y, OpCounter& ops) {
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
}

std::size_t SelfLabeller::memory_bytes() const {
  std::size_t d = d_ > 0 ? static_cast<std::size_t>(d_) : 0;
  if (d_ < 0 && !spec_.prototypes.empty()) d = spec_.prototypes.front().size();
  return labels_.size() * (d * 4 + 2) + collecting_ * (d * 4 + 2);
}

}  // namespace tinyfleet
