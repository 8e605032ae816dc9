#pragma once
// Checks that a component's Params are resolved against its ParamSpec list
// (every parameter present, typed and in range, no unknown keys), so that
// factories can read values without further checks. Throws std::invalid_argument.
#include <string>
#include <vector>

#include "scenarios/params.hpp"

namespace tinyfleet {

void check_resolved_params(const std::string& component, const std::vector<ParamSpec>& specs,
                           const Params& params);

// `base` with every value given in `overlay` replaced (used for drift `to` params).
Params overlay_params(Params base, const Params& overlay);

}  // namespace tinyfleet
