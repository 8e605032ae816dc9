#pragma once
// Battery state of charge, kept by us (SimGrid 3.32 has no battery plugin,
// ../shared/reference/mcu.md §1.4). Linear model: the device browns out when
// the energy drawn reaches the cell's nominal energy (mAh × 3.6 × V).
namespace tinyfleet {

class Battery {
 public:
  explicit Battery(double capacity_joules) : capacity_(capacity_joules) {}
  double capacity() const { return capacity_; }
  double remaining(double drawn_joules) const {
    return capacity_ > drawn_joules ? capacity_ - drawn_joules : 0.0;
  }
  bool depleted(double drawn_joules) const { return drawn_joules >= capacity_; }
  double fraction_left(double drawn_joules) const {
    return capacity_ > 0 ? remaining(drawn_joules) / capacity_ : 0.0;
  }

 private:
  double capacity_;
};

}  // namespace tinyfleet
