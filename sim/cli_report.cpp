#include "sim/cli_report.hpp"

#include <iostream>
#include <memory>

#include "analysis/report_build.hpp"
#include "analysis/report_csv.hpp"
#include "analysis/report_gnuplot.hpp"

namespace tinyfleet {

int run_report_command(const std::vector<std::string>& run_dirs, const std::string& out_dir,
                       bool quiet) {
  try {
    const std::string html = write_report(run_dirs, out_dir);
    if (!quiet) std::cout << "wrote " << html << "\n";
    return 0;
  } catch (const ReportInputError& e) {
    std::cerr << "tinyfleet report: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const ReportToolError& e) {
    std::cerr << "tinyfleet report: " << e.what() << "\n";
    return kExitFailure;
  }
}

CliCommand add_report_command(CLI::App& app) {
  struct Args {
    std::vector<std::string> dirs;
    std::string out = "report";
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* report = app.add_subcommand(
      "report", "figures (PNG + SVG via gnuplot) and one self-contained report.html for runs");
  report->add_option("run_dirs", args->dirs, "run directories (written by tinyfleet run -o DIR)")
      ->required();
  report->add_option("-o,--output", args->out, "output directory (default report/)");
  report->add_flag("-q,--quiet", args->quiet, "do not print the path of report.html");
  return {report, [args] { return run_report_command(args->dirs, args->out, args->quiet); }};
}

}  // namespace tinyfleet
