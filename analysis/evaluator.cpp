#include "analysis/evaluator.hpp"

#include <charconv>
#include <cstring>
#include <stdexcept>
#include <string_view>

namespace tinyfleet {

ClassificationEvaluator::ClassificationEvaluator(std::size_t window, double fading,
                                                 std::size_t classes)
    : window_(window), alpha_(fading) {
  if (!(fading > 0 && fading <= 1)) throw std::invalid_argument("fading factor must be in (0, 1]");
  counts_.classes.reserve(classes);
}

void ClassificationEvaluator::add(int y_true, int y_pred) {
  if (y_true < 0 || y_pred < 0) throw std::invalid_argument("class ids must be >= 0");
  const auto t = static_cast<std::size_t>(y_true), p = static_cast<std::size_t>(y_pred);
  const std::size_t need = (t > p ? t : p) + 1;
  if (counts_.classes.size() < need) counts_.classes.resize(need);
  const bool hit = y_true == y_pred;

  counts_.n += 1;
  counts_.correct += hit;
  counts_.classes[t].truth += 1;
  counts_.classes[p].predicted += 1;
  counts_.classes[t].hits += hit;

  // Only y_true's count grew, so the new majority is the old one or y_true.
  if (majority_ < 0) {
    majority_ = y_true;
  } else if (majority_ != y_true) {
    const uint64_t mine = counts_.classes[t].truth,
                   theirs = counts_.classes[static_cast<std::size_t>(majority_)].truth;
    if (mine > theirs || (mine == theirs && sorts_before(y_true, majority_))) majority_ = y_true;
  }
  counts_.majority_correct += majority_ == y_true;
  counts_.no_change_correct += previous_ == y_true;
  previous_ = y_true;

  window_.add(hit);
  fading_correct_ = alpha_ * fading_correct_ + (hit ? 1.0 : 0.0);
  fading_weight_ = alpha_ * fading_weight_ + 1.0;
}

bool ClassificationEvaluator::sorts_before(int a, int b) const {
  if (names_)
    return (*names_)[static_cast<std::size_t>(a)] < (*names_)[static_cast<std::size_t>(b)];
  char x[16], y[16];
  const auto ex = std::to_chars(x, x + sizeof x, a).ptr, ey = std::to_chars(y, y + sizeof y, b).ptr;
  return std::string_view(x, static_cast<std::size_t>(ex - x)) <
         std::string_view(y, static_cast<std::size_t>(ey - y));
}

std::size_t ClassificationEvaluator::memory_bytes() const {
  // Counters (n, correct, two baselines), majority + previous label, the
  // fading sums, one tally per class slot and the window's ring.
  return 4 * sizeof(uint64_t) + 2 * sizeof(int32_t) + 2 * sizeof(double) +
         counts_.classes.capacity() * sizeof(ClassTally) + window_.memory_bytes();
}

}  // namespace tinyfleet
