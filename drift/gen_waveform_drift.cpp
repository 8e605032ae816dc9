#include "drift/gen_waveform_drift.hpp"

namespace tinyfleet {

ComponentInfo waveform_drift_info() {
  using T = ParamSpec::Type;
  ComponentInfo info = waveform_info();
  info.name = "waveform_drift";
  info.help =
      "waveform with drift (MOA WaveformGeneratorDrift), MOA-exact: d attribute pairs swapped at "
      "random offsets drawn from the stream seed";
  info.params.push_back({"drift_attributes", T::Int, 0, 40, 0, {}, "attribute swaps (MOA -d)"});
  return info;
}

std::unique_ptr<Generator> make_waveform_drift(const Params& params, uint64_t seed) {
  return std::make_unique<WaveformGenerator>(params.number("add_noise") != 0, true,
                                             static_cast<int>(params.number("drift_attributes")),
                                             static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
