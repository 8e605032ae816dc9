#pragma once
// `tinyfleet sweep expand|run|gather|slurm`: parameter sweeps, locally or on a
// SLURM cluster (format in scenarios/SWEEPS.md; logic in sim/sweep_*.hpp).
#include "sim/cli_command.hpp"

namespace tinyfleet {

CliCommand add_sweep_command(CLI::App& app);

}  // namespace tinyfleet
