#pragma once
// Random RBF with moving centroids, MOA's
// moa.streams.generators.RandomRBFGeneratorDrift (streams.md §2). The
// generator class is RandomRbfGenerator (drift/gen_random_rbf.hpp) with its
// drift fields set; this pair only registers `random_rbf_drift`.
#include <cstdint>
#include <memory>

#include "drift/gen_random_rbf.hpp"

namespace tinyfleet {

ComponentInfo random_rbf_drift_info();
// `params` resolved against random_rbf_drift_info().params.
std::unique_ptr<Generator> make_random_rbf_drift(const Params& params, uint64_t seed);

}  // namespace tinyfleet
