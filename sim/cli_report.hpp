#pragma once
// `tinyfleet report RUN_DIR [RUN_DIR...] [-o DIR]`: figures (PNG + SVG, drawn
// by gnuplot) and one self-contained report.html for one or more run
// directories (analysis/report_build.hpp).
#include <string>
#include <vector>

#include "sim/cli_command.hpp"

namespace tinyfleet {

// 0 on success; 2 if a run directory or one of its files is missing or
// malformed; 1 if gnuplot is missing or fails. One error line on stderr.
int run_report_command(const std::vector<std::string>& run_dirs, const std::string& out_dir,
                       bool quiet);

CliCommand add_report_command(CLI::App& app);

}  // namespace tinyfleet
