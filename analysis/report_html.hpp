#pragma once
// report.html: one self-contained page (figures embedded as PNG data: URIs,
// inline CSS, no external resources) with one section per run and, for
// several runs, a comparison table.
#include <string>
#include <vector>

#include "analysis/report_data.hpp"
#include "analysis/report_gnuplot.hpp"

namespace tinyfleet {

struct RenderedFigure {
  Figure figure;
  std::string png;       // the PNG file's bytes
  std::string svg_path;  // relative to report.html
};

struct RunSection {
  RunReport run;
  std::string slug;  // its folder next to report.html
  std::vector<RenderedFigure> figures;
  std::vector<std::string> omitted;  // "Figure: why it is not there"
};

std::string report_html(const std::vector<RunSection>& sections);

std::string base64(const std::string& bytes);
std::string html_escape(const std::string& text);

}  // namespace tinyfleet
