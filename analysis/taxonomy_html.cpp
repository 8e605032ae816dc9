#include "analysis/taxonomy_html.hpp"

namespace tinyfleet {
namespace {

constexpr const char* kStyle =
    "body{font-family:'DejaVu Sans',sans-serif;max-width:1200px;margin:2em auto;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1em}"
    "td,th{border:1px solid #ccc;padding:3px 8px;font-size:90%}td.n{text-align:right}"
    "th{background:#f3f3f3}.held{color:#0a6e2f}.not{color:#b00020}.open{color:#8a6d00}"
    "figure{margin:1em 0}figcaption{font-size:90%;color:#555}img{max-width:100%}"
    "code{background:#f5f5f5;padding:0 3px}";

void table(std::string& h, const TaxonomyResult& r, const std::string& section) {
  const auto& x = r.experiment;
  h += "<table><tr><th>" + html_escape(x.rows == "group" ? "learner (group)" : x.rows) + "</th>";
  for (const auto& m : x.metrics) h += "<th>" + html_escape(m.name) + "</th>";
  h += "</tr>\n";
  for (const auto& row : r.table.rows) {
    if (!r.table.cells.count({section, row})) continue;
    h += "<tr><td>" + html_escape(row) + "</td>";
    for (std::size_t m = 0; m < x.metrics.size(); ++m)
      h += "<td class=\"n\">" +
           html_escape(format_cell(r.table.find(section, row, m), x.metrics[m])) + "</td>";
    h += "</tr>\n";
  }
  h += "</table>\n";
}

void figure(std::string& h, const RenderedFigure& f) {
  h += "<figure><img alt=\"" + html_escape(f.figure.title) + "\" src=\"data:image/png;base64," +
       base64(f.png) + "\"><figcaption><b>" + html_escape(f.figure.title) + "</b>. " +
       html_escape(f.figure.caption) + " <a href=\"" + html_escape(f.svg_path) +
       "\">SVG</a></figcaption></figure>\n";
}

}  // namespace

std::string taxonomy_html(const std::vector<TaxonomyResult>& results,
                          const std::map<std::string, std::vector<RenderedFigure>>& figures,
                          const std::vector<std::string>& notes, bool quick,
                          const std::vector<RenderedFigure>& overall) {
  std::string h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Taxonomy suite";
  h += quick ? " (quick run)" : "";
  h += "</title><style>" + std::string(kStyle) + "</style></head><body>\n";
  h += "<h1>Taxonomy suite results" + std::string(quick ? " (quick run)" : "") + "</h1>\n";
  h += "<p>Written by <code>tinyfleet reproduce taxonomy</code>; the same tables as "
       "<code>taxonomy.md</code> (cells: mean ± std over seeds), the verdicts, and the figures "
       "(their gnuplot scripts and SVG files are in <code>figures/</code>).</p>\n";
  for (const auto& r : results) {
    const auto& x = r.experiment;
    h += "<h2>" + html_escape(x.id + " — " + x.title) + "</h2>\n<p>";
    for (const auto& [k, v] : r.table.tags) h += "<code>" + html_escape(k + "=" + v) + "</code> ";
    h += "</p>\n";
    for (const auto& section : r.table.sections) {
      if (!section.empty())
        h += "<h3>" + html_escape(x.sections == "group" ? "group = " + section : section) +
             "</h3>\n";
      table(h, r, section);
    }
    if (!r.verdicts.empty()) {
      h += "<ul>\n";
      for (const auto& v : r.verdicts) {
        const char* cls = v.outcome == "held"           ? "held"
                          : v.outcome == "did not hold" ? "not"
                                                        : "open";
        h += "<li><b class=\"" + std::string(cls) + "\">" + html_escape(v.outcome) + "</b> — " +
             html_escape(v.claim + (v.tag.empty() ? "" : " " + v.tag)) + ": " +
             html_escape(v.numbers) + "</li>\n";
      }
      h += "</ul>\n";
    }
    const auto it = figures.find(x.id);
    if (it != figures.end())
      for (const auto& f : it->second) figure(h, f);
  }
  if (!overall.empty()) {
    h += "<h2>Across the experiments</h2>\n";
    for (const auto& f : overall) figure(h, f);
  }
  if (!notes.empty()) {
    h += "<h2>Figures not drawn</h2>\n<ul>\n";
    for (const auto& n : notes) h += "<li>" + html_escape(n) + "</li>\n";
    h += "</ul>\n";
  }
  h += "</body></html>\n";
  return h;
}

}  // namespace tinyfleet
