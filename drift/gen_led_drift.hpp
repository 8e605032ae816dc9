#pragma once
// LED digits with drifting attributes, MOA's
// moa.streams.generators.LEDGeneratorDrift (streams.md §2). The generator
// class is LedGenerator (drift/gen_led.hpp) with drift attributes; this pair
// only registers `led_drift`.
#include <cstdint>
#include <memory>

#include "drift/gen_led.hpp"

namespace tinyfleet {

ComponentInfo led_drift_info();
// `params` resolved against led_drift_info().params.
std::unique_ptr<Generator> make_led_drift(const Params& params, uint64_t seed);

}  // namespace tinyfleet
