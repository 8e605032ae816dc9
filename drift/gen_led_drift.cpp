#include "drift/gen_led_drift.hpp"

#include <cmath>

namespace tinyfleet {

ComponentInfo led_drift_info() {
  using T = ParamSpec::Type;
  ComponentInfo info = led_info();
  info.name = "led_drift";
  info.help =
      "LED digits with drift (MOA LEDGeneratorDrift), MOA-exact: segment i swaps places with "
      "irrelevant attribute 7+i for i < drift_attributes";
  info.params.push_back(
      {"drift_attributes", T::Int, 0, 7, 1, {}, "segments swapped with irrelevant attrs (MOA -d)"});
  return info;
}

std::unique_ptr<Generator> make_led_drift(const Params& params, uint64_t seed) {
  return std::make_unique<LedGenerator>(static_cast<int>(std::lround(params.number("noise") * 100)),
                                        params.number("suppress_irrelevant") != 0,
                                        static_cast<int>(params.number("drift_attributes")),
                                        static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
