#pragma once
// Where a device's time and energy went: seconds per power state (the physics)
// and joules per category (the explanation). Both sum to the same total.
#include <array>
#include <string_view>

#include "devices/profile.hpp"

namespace tinyfleet {

enum class EnergyCategory { Sense, Infer, Learn, Detect, Radio, Sleep, Count_ };
inline constexpr std::size_t kEnergyCategories = static_cast<std::size_t>(EnergyCategory::Count_);
inline constexpr std::array<std::string_view, kEnergyCategories> kEnergyCategoryNames = {
    "sense", "infer", "learn", "detect", "radio", "sleep"};

enum class PowerState { Active, Idle, Sleep, RadioTx, RadioRx, Count_ };
inline constexpr std::size_t kPowerStates = static_cast<std::size_t>(PowerState::Count_);
inline constexpr std::array<std::string_view, kPowerStates> kPowerStateNames = {
    "active", "idle", "sleep", "radio_tx", "radio_rx"};

class EnergyLedger {
 public:
  explicit EnergyLedger(const PowerW& p) : p_(p) {}

  // CPU computing for `s` seconds on behalf of `cat`.
  void compute(EnergyCategory cat, double s) { charge(cat, PowerState::Active, s, p_.active); }
  // Transmitting for `s` seconds: radio TX plus the CPU idling meanwhile.
  void transmit(double s) {
    charge(EnergyCategory::Radio, PowerState::RadioTx, s, p_.radio_tx);
    charge(EnergyCategory::Radio, PowerState::Idle, s, p_.idle);
  }
  void receive(double s) {
    charge(EnergyCategory::Radio, PowerState::RadioRx, s, p_.radio_rx);
    charge(EnergyCategory::Radio, PowerState::Idle, s, p_.idle);
  }
  void sleep(double s) { charge(EnergyCategory::Sleep, PowerState::Sleep, s, p_.sleep); }

  double seconds_in(PowerState s) const { return seconds_[idx(s)]; }
  double joules_in(EnergyCategory c) const { return joules_[idx(c)]; }
  double power_of(PowerState s) const {
    switch (s) {
      case PowerState::Active:
        return p_.active;
      case PowerState::Idle:
        return p_.idle;
      case PowerState::Sleep:
        return p_.sleep;
      case PowerState::RadioTx:
        return p_.radio_tx;
      case PowerState::RadioRx:
        return p_.radio_rx;
      default:
        return 0;
    }
  }
  double total_joules() const { return total_; }

 private:
  template <class E>
  static std::size_t idx(E e) {
    return static_cast<std::size_t>(e);
  }
  void charge(EnergyCategory c, PowerState s, double secs, double watts) {
    const double j = secs * watts;
    seconds_[idx(s)] += secs;
    joules_[idx(c)] += j;
    total_ += j;
  }
  PowerW p_;
  std::array<double, kPowerStates> seconds_{};
  std::array<double, kEnergyCategories> joules_{};
  double total_ = 0;
};

}  // namespace tinyfleet
