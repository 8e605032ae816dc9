#include "analysis/report_build.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/report_html.hpp"
#include "analysis/report_plots.hpp"
#include "analysis/writers.hpp"

namespace fs = std::filesystem;

namespace tinyfleet {
namespace {

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using Builder = std::optional<Figure> (*)(const RunReport&, std::string&);

}  // namespace

std::string run_slug(const std::string& run_dir, const std::vector<std::string>& taken) {
  fs::path p = fs::path(run_dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  std::string base;
  for (char c : p.filename().string())
    base += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '-';
  if (base.empty() || base == "-" || base == "--") base = "run";
  std::string slug = base;
  for (int n = 2; std::find(taken.begin(), taken.end(), slug) != taken.end(); ++n)
    slug = base + "-" + std::to_string(n);
  return slug;
}

std::string write_report(const std::vector<std::string>& run_dirs, const std::string& out_dir) {
  std::vector<RunSection> sections;
  std::vector<std::string> slugs;
  for (const auto& dir : run_dirs) {  // read them all before writing anything
    RunSection s;
    s.run = load_run(dir);
    s.slug = run_slug(dir, slugs);
    slugs.push_back(s.slug);
    sections.push_back(std::move(s));
  }
  const std::vector<std::pair<const char*, Builder>> builders = {
      {"Accuracy over time", accuracy_figure}, {"Calibration over time", calibration_figure},
      {"Energy budget usage", budget_figure},  {"Energy by category", energy_figure},
      {"Memory vs budget", memory_figure},     {"Device-level accuracy", device_accuracy_figure},
      {"Federated rounds", rounds_figure}};
  fs::create_directories(out_dir);
  for (auto& s : sections) {
    const fs::path dir = fs::path(out_dir) / s.slug;
    fs::create_directories(dir);
    for (const auto& [name, build] : builders) {
      std::string why_not;
      const auto fig = build(s.run, why_not);
      if (!fig) {
        s.omitted.push_back(std::string(name) + ": " + why_not + ".");
        continue;
      }
      render_figure(*fig, dir.string());
      s.figures.push_back(
          {*fig, read_bytes(dir / (fig->id + ".png")), s.slug + "/" + fig->id + ".svg"});
    }
  }
  const std::string html = (fs::path(out_dir) / "report.html").string();
  write_file_atomically(html, report_html(sections));
  return html;
}

}  // namespace tinyfleet
