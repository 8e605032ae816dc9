#include "analysis/taxonomy_markdown.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace tinyfleet {
namespace {

struct Regime {
  const char* tag;
  const char* title;
};
// The survey's three regimes, in its order; anything else goes last.
constexpr Regime kRegimes[] = {{"single_change", "Single change"},
                               {"concept_drift", "Concept drift"},
                               {"continual", "Continual learning"},
                               {"", "Other (no regime tag)"}};

std::string cell_text(std::string s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

void write_table(std::string& md, const TaxonomyResult& r, const std::string& section) {
  const auto& x = r.experiment;
  md += "| " + cell_text(x.rows == "group" ? "learner (group)" : x.rows) + " |";
  for (const auto& m : x.metrics) md += " " + cell_text(m.name) + " |";
  md += "\n|---|";
  for (std::size_t i = 0; i < x.metrics.size(); ++i) md += "---|";
  md += "\n";
  for (const auto& row : r.table.rows) {
    if (!r.table.cells.count({section, row})) continue;
    md += "| " + cell_text(row) + " |";
    for (std::size_t m = 0; m < x.metrics.size(); ++m)
      md += " " + cell_text(format_cell(r.table.find(section, row, m), x.metrics[m])) + " |";
    md += "\n";
  }
}

void write_experiment(std::string& md, const TaxonomyResult& r) {
  const auto& x = r.experiment;
  const auto& t = r.table;
  md += "### " + x.id + " — " + x.title + "\n\n";
  md += "Sweep: `scenarios/taxonomy/" + std::filesystem::path(x.file).filename().string() +
        "`; points: " + std::to_string(t.points_ok) + " of " + std::to_string(t.points) +
        " ran; cells: mean ± std over the points of a row (seeds)";
  if (x.sections == "group") md += ", per group";
  for (std::size_t i = 0; i < x.section_keys.size(); ++i)
    md += (i ? ", " : ", per ") + ("`" + x.section_keys[i] + "`");
  md += ".\n";
  if (!t.tags.empty()) {
    md += "Tags:";
    for (const auto& [k, v] : t.tags) md += " `" + k + "=" + v + "`";
    md += "\n";
  }
  md += "\n";
  for (const auto& section : t.sections) {
    if (!section.empty())
      md += "#### " + (x.sections == "group" ? "group = " + section : section) + "\n\n";
    write_table(md, r, section);
    md += "\n";
  }
  if (t.sections.empty()) md += "(no point finished: no table)\n\n";
  if (!r.verdicts.empty()) {
    md += "Expectations:\n\n";
    for (const auto& v : r.verdicts)
      md += "- **" + v.outcome + "** — " + v.claim + (v.tag.empty() ? "" : " " + v.tag) + ": " +
            v.numbers + "\n";
    md += "\n";
  }
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// The Pareto front's points, cheapest first (analysis/taxonomy_pareto.hpp).
void write_pareto(std::string& md, const std::vector<ParetoPoint>& points) {
  std::vector<ParetoPoint> front;
  for (const auto& p : points)
    if (p.front) front.push_back(p);
  if (front.empty()) return;
  std::sort(front.begin(), front.end(), [](const ParetoPoint& a, const ParetoPoint& b) {
    return a.energy_uj != b.energy_uj ? a.energy_uj < b.energy_uj : a.accuracy < b.accuracy;
  });
  md += "## Energy vs accuracy across the experiments\n\n";
  md += "The Pareto front of " + std::to_string(points.size()) +
        " cells (experiment, section, row; means over seeds): no other cell has both a lower "
        "energy per correct prediction and a higher accuracy. Experiments differ in device, "
        "data and duration: the front names efficient settings, not a best learner.\n\n";
  md += "| experiment | section | row | energy per correct prediction (µJ) | accuracy (%) |\n";
  md += "|---|---|---|---|---|\n";
  for (const auto& p : front)
    md += "| " + p.experiment + " | " + cell_text(p.section.empty() ? "—" : p.section) + " | " +
          cell_text(p.row) + " | " + fixed(p.energy_uj, 3) + " | " + fixed(p.accuracy, 1) + " |\n";
  md += "\n";
}

}  // namespace

std::string taxonomy_markdown(const std::vector<TaxonomyResult>& results, bool quick,
                              const std::vector<ParetoPoint>& pareto) {
  std::string md = "# Taxonomy suite results";
  md += quick ? " (quick run)\n\n" : "\n\n";
  md +=
      "Written by `tinyfleet reproduce taxonomy` from the sweeps of `scenarios/taxonomy/` "
      "(experiments of taxonomy.md §2; docs/TAXONOMY.md). ";
  if (quick)
    md +=
        "Quick run: each sweep's `experiment.quick` reductions (fewer samples, devices, seeds); "
        "its numbers exercise the suite, they are not the experiments' results. ";
  md +=
      "A verdict compares the means of two cells by a 95 % Student-t confidence interval on "
      "their difference (left − right): paired over the seeds when both cells have one value for "
      "each of the same seeds, Welch's unpaired interval otherwise, a one-sample interval against "
      "a number. `<`, `>` (and `<=`, `>=`) held when the interval lies entirely on the claimed "
      "side of 0 and did not hold when it lies entirely on the other side; `~ within T` held when "
      "it lies inside [−T, T] and did not hold when it lies entirely outside; otherwise, or when "
      "a cell has no value or only one, it is inconclusive.\n\nExperiments:";
  for (const auto& r : results) md += " " + r.experiment.id;
  md += "\n\n";
  for (const auto& regime : kRegimes) {
    bool any = false;
    for (const auto& r : results) {
      std::string tag = r.table.tag("regime");
      bool known = false;
      for (const auto& k : kRegimes) known = known || (k.tag[0] && tag == k.tag);
      if (!known) tag = "";
      if (tag != regime.tag) continue;
      if (!any) md += "## " + std::string(regime.title) + "\n\n";
      any = true;
      write_experiment(md, r);
    }
  }
  write_pareto(md, pareto);
  return md;
}

}  // namespace tinyfleet
