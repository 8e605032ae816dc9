#pragma once
// Op counts → cycles → seconds → joules for one board.
#include "devices/op_counter.hpp"
#include "devices/profile.hpp"

namespace tinyfleet {

class CostModel {
 public:
  explicit CostModel(const Profile& p) : p_(&p) {}
  double cycles(const OpCounter& ops) const {
    double c = 0;
    for (std::size_t i = 0; i < kOpClasses; ++i)
      c += static_cast<double>(ops.n[i]) * p_->cycles_per_op[i];
    return c;
  }
  double seconds(const OpCounter& ops) const { return cycles(ops) / p_->clock_hz; }
  double active_joules(double seconds) const { return seconds * p_->power.active; }
  const Profile& profile() const { return *p_; }

 private:
  const Profile* p_;
};

}  // namespace tinyfleet
