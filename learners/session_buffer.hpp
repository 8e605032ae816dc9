#pragma once
// The sample buffer of a buffered, federable learner (TIFeD, the float MLP):
// up to `capacity` samples (features of type T — int8 for TIFeD, float for the
// MLP — and labels), oldest first, and the part a federated session trains
// on (learners/federable.hpp): fixed when the session opens — the samples
// buffered then, the oldest ones — and, if the session's update is kept,
// dropped from the buffer when it ends.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "devices/op_counter.hpp"

namespace tinyfleet {

template <class T>
class SessionBuffer {
 public:
  void reset(int capacity, int d) {
    d_ = static_cast<std::size_t>(d);
    capacity_ = capacity;
    x_.assign(static_cast<std::size_t>(capacity) * d_, T{});
    y_.assign(static_cast<std::size_t>(capacity), 0);
    size_ = 0;
    session_ = -1;
  }
  int size() const { return size_; }
  bool full() const { return size_ == capacity_; }

  // Makes room for a sample in a full buffer by dropping the oldest (a
  // session's set loses it too); the shift is charged as loads and stores.
  void drop_oldest(OpCounter& ops) {
    std::copy(x_.begin() + static_cast<std::ptrdiff_t>(d_), x_.end(), x_.begin());
    std::copy(y_.begin() + 1, y_.end(), y_.begin());
    --size_;
    if (session_ > 0) --session_;
    ops.add(Op::Load, static_cast<uint64_t>(size_) * (d_ + 1));
    ops.add(Op::Store, static_cast<uint64_t>(size_) * (d_ + 1));
  }
  // Where the next sample's features go; push(y) then takes the sample in.
  T* next_x() { return x_.data() + static_cast<std::size_t>(size_) * d_; }
  void push(int y) { y_[static_cast<std::size_t>(size_++)] = y; }

  const T* x(int i) const { return x_.data() + static_cast<std::size_t>(i) * d_; }
  const int* y(int i) const { return y_.data() + i; }

  // Forgets every sample (an open session keeps nothing to train on).
  void clear() {
    size_ = 0;
    if (session_ > 0) session_ = 0;
  }

  void begin_session() { session_ = size_; }
  // The samples a session trains on: its set while one is open, else all.
  int session_samples() const { return session_ >= 0 ? session_ : size_; }
  void end_session(bool consume) {
    if (consume && session_ > 0) {
      const auto n = static_cast<std::size_t>(session_);
      std::copy(x_.begin() + static_cast<std::ptrdiff_t>(n * d_),
                x_.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(size_) * d_),
                x_.begin());
      std::copy(y_.begin() + session_, y_.begin() + size_, y_.begin());
      size_ -= session_;
    }
    session_ = -1;
  }

 private:
  std::size_t d_ = 0;
  int capacity_ = 0;
  std::vector<T> x_;
  std::vector<int> y_;
  int size_ = 0;
  int session_ = -1;  // samples the open session trains on (−1: none open)
};

}  // namespace tinyfleet
