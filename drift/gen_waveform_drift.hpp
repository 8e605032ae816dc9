#pragma once
// Waveform with drifting (swapped) attributes, MOA's
// moa.streams.generators.WaveformGeneratorDrift (streams.md §2). The class is
// WaveformGenerator (drift/gen_waveform.hpp) in drift mode; this pair only
// registers `waveform_drift`.
#include <cstdint>
#include <memory>

#include "drift/gen_waveform.hpp"

namespace tinyfleet {

ComponentInfo waveform_drift_info();
// `params` resolved against waveform_drift_info().params.
std::unique_ptr<Generator> make_waveform_drift(const Params& params, uint64_t seed);

}  // namespace tinyfleet
