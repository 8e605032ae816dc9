#pragma once
// Shared op-accounting conventions of the det_* change detectors (the cost
// model prices Op classes, devices/cost_model.hpp). An MCU FPU (e.g.
// Cortex-M4F) has no log/exp/pow instruction: libm evaluates them with a range
// reduction plus a short polynomial, so we charge one Div and kTranscendentalMacs
// fp32 MACs per call. A square root (VSQRT) costs about a division and is
// charged as one Div.
#include <cstdint>

#include "devices/op_counter.hpp"

namespace tinyfleet::detail {

inline constexpr uint64_t kTranscendentalMacs = 8;

inline void count_transcendental(OpCounter& ops, uint64_t calls = 1) {
  ops.add(Op::Div, calls);
  ops.add(Op::Fp32Mac, kTranscendentalMacs * calls);
}

inline void count_sqrt(OpCounter& ops, uint64_t calls = 1) {
  ops.add(Op::Div, calls);
}

}  // namespace tinyfleet::detail

#include <string>
#include <vector>

#include "scenarios/params.hpp"

namespace tinyfleet::detail {

// Builds a ParamSpec field by field (robust to members added to ParamSpec).
inline ParamSpec param(std::string name, ParamSpec::Type type, double min, double max,
                       double default_number, std::vector<std::string> choices, std::string help) {
  ParamSpec s;
  s.name = std::move(name);
  s.type = type;
  s.min = min;
  s.max = max;
  s.default_number = default_number;
  s.choices = std::move(choices);
  s.help = std::move(help);
  return s;
}

}  // namespace tinyfleet::detail
