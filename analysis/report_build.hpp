#pragma once
// `tinyfleet report`: run directories → OUT/report.html plus, per run, a folder
// OUT/SLUG/ with each figure as .gp (script with its data), .png and .svg.
#include <string>
#include <vector>

namespace tinyfleet {

// Returns the path of report.html. Throws ReportInputError (bad run directory)
// before writing anything, ReportToolError if gnuplot is missing or fails.
std::string write_report(const std::vector<std::string>& run_dirs, const std::string& out_dir);

// Folder name of a run in the report: the run directory's name, made safe
// for a file name and an HTML id, with -2, -3... when two runs share it.
std::string run_slug(const std::string& run_dir, const std::vector<std::string>& taken);

}  // namespace tinyfleet
