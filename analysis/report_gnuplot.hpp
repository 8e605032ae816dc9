#pragma once
// Figures of a report are gnuplot scripts (data inline as datablocks, so one
// .gp file re-draws its figure); this runs them into PNG and SVG.
#include <stdexcept>
#include <string>

namespace tinyfleet {

// The plotting tool is missing or failed (exit code 1).
struct ReportToolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Figure {
  std::string id;       // file stem: ID.gp, ID.png, ID.svg
  std::string title;    // heading in report.html
  std::string caption;  // what to look at
  std::string data;     // datablocks ($name << EOD ... EOD)
  std::string body;     // set/plot commands, run once per output format
  int width = 1100, height = 520;
};

// The full script: data, then the body once for PNG (pngcairo) and once for
// SVG. `gnuplot -e "out='STEM'" ID.gp` writes STEM.png and STEM.svg
// (default STEM: ID in the current directory).
std::string gnuplot_script(const Figure& fig);

// Absolute path of `program` on $PATH, or "" if there is none.
std::string find_on_path(const std::string& program);

// Writes DIR/ID.gp and renders DIR/ID.png and DIR/ID.svg (each written under a
// temporary name, then renamed). Throws ReportToolError if gnuplot is not
// installed (naming the Debian package) or fails (with its messages).
void render_figure(const Figure& fig, const std::string& dir);

// A gnuplot single-quoted string literal ('' stands for a quote).
std::string gp_string(const std::string& text);
// Shortest text that reads back as the same double.
std::string gp_num(double v);

// Colour of the i-th group (Okabe–Ito, readable by colour-blind readers).
std::string group_colour(std::size_t i);

// Time axis of a run: seconds → minutes, hours or days, whichever reads best.
struct TimeAxis {
  double seconds_per_unit = 1;
  std::string unit;  // "min", "h", "d"
  double operator()(double seconds) const { return seconds / seconds_per_unit; }
};
TimeAxis time_axis_for(double duration_s);

}  // namespace tinyfleet
