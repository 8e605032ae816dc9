#pragma once
// How far ahead of SimGrid's clock a scheduler may advance a device. A
// calendar driver runs devices ahead of the clock; a message that reaches a
// device (a model broadcast, a fleet command) must find it not yet past the
// message's time. The fleet server announces every session before it starts
// and holds devices at the clock while one runs.
#include <limits>

namespace tinyfleet {

class InteractionBarrier {
 public:
  virtual ~InteractionBarrier() = default;
  // Devices may be advanced to any time ≤ this (infinity: no limit).
  virtual double safe_time() const = 0;
};

}  // namespace tinyfleet
