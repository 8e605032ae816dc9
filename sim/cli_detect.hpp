#pragma once
// `tinyfleet detect DETECTOR [--set KEY=VALUE ...] [--input FILE]`: runs one
// change detector offline over numbers read one per line (multivariate
// detectors: whitespace-separated vectors, one per line, all of the same
// dimension) and prints one JSON object
//   {"detector": "adwin", "n": 2000, "drifts": [1023], "warnings": [...]}
// where indices are the 0-based positions of the values whose update raised
// the signal ("warnings" lists the onsets of warning zones: the updates where
// warning_detected() turned true). Blank lines are skipped (they still count
// in line numbers of error messages).
#include <string>
#include <vector>

#include "sim/cli_command.hpp"

namespace tinyfleet {

// input_file "" or "-" reads stdin; "dataset:NAME" a scalar series of the data
// set catalog (drift/data_catalog.hpp, e.g. dataset:nile; missing = bad input
// naming the fetch command). Returns 0 on success; 2 on bad input
// (unknown detector/parameter, bad value, non-number, NaN/inf, ragged
// vectors, empty input) after one error line on stderr.
int run_detect_command(const std::string& detector, const std::vector<std::string>& sets,
                       const std::string& input_file);

// Adds the `detect` subcommand.
CliCommand add_detect_command(CLI::App& app);

}  // namespace tinyfleet
