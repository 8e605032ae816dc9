#pragma once
// DIR/report.html of `tinyfleet reproduce taxonomy`: one self-contained page
// (figures as PNG data: URIs, inline CSS) with, per experiment, its tables,
// its verdicts and its figures (analysis/taxonomy_figures.hpp).
#include <map>
#include <string>
#include <vector>

#include "analysis/report_html.hpp"
#include "analysis/taxonomy_markdown.hpp"

namespace tinyfleet {

// `figures` by experiment id; `overall`: the figures across experiments (the
// energy-vs-accuracy Pareto plot); `notes`: figures not drawn and why.
std::string taxonomy_html(const std::vector<TaxonomyResult>& results,
                          const std::map<std::string, std::vector<RenderedFigure>>& figures,
                          const std::vector<std::string>& notes, bool quick,
                          const std::vector<RenderedFigure>& overall = {});

}  // namespace tinyfleet
