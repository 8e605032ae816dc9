#pragma once
// `tinyfleet datasets`: the real data sets of the catalog (drift/data_catalog.hpp)
// with their shape, classes, source package and whether they are fetched.
#include "sim/cli_command.hpp"

namespace tinyfleet {

// Prints the table to stdout; returns 0.
int run_datasets_command();

// Adds the `datasets` subcommand.
CliCommand add_datasets_command(CLI::App& app);

}  // namespace tinyfleet
