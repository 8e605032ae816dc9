#include "analysis/writers.hpp"

#include <unistd.h>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "analysis/summary.hpp"

namespace fs = std::filesystem;

namespace tinyfleet {
namespace {

// Shortest text that reads back as the same double: deterministic and exact.
std::string num(double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& contents) {
  const fs::path target(path);
  const fs::path tmp = target.parent_path() / ("." + target.filename().string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << contents;
    out.flush();
    if (!out) throw std::runtime_error("error writing " + tmp.string());
  }
  fs::rename(tmp, target);
}

std::string metrics_csv(const Scenario& sc, const RunResults& r) {
  std::string out = "time_s,device,metric,value\n";
  const auto curves = group_accuracy_curves(sc, r);
  std::size_t c = 0;
  auto flush_groups_until = [&](double t) {
    for (; c < curves.size() && curves[c].t <= t; ++c)
      out += num(curves[c].t) +
             ",group:" + csv_field(sc.groups[static_cast<std::size_t>(curves[c].group)].name) +
             ",accuracy_window," + num(curves[c].value) + "\n";
  };
  for (const auto& row : r.rows) {
    flush_groups_until(row.t - 1e-9 * row.t);  // group rows of earlier ticks go first
    out += num(row.t) + "," + csv_field(r.devices[static_cast<std::size_t>(row.device)].name) +
           "," + kMetricNames[static_cast<std::size_t>(row.metric)] + "," + num(row.value) + "\n";
  }
  flush_groups_until(sc.duration_s + 1);
  return out;
}

std::string events_csv(const RunResults& r) {
  std::string out = "time_s,device,event,detail\n";
  for (const auto& e : r.events)
    out +=
        num(e.t) + "," +
        (e.device >= 0 ? csv_field(r.devices[static_cast<std::size_t>(e.device)].name) : "fleet") +
        "," + e.type + "," + csv_field(e.detail) + "\n";
  return out;
}

void write_run_outputs(const std::string& dir, const Scenario& sc, const RunResults& r) {
  fs::create_directories(dir);
  write_file_atomically((fs::path(dir) / "summary.json").string(),
                        summary_json(sc, r).dump(2) + "\n");
  write_file_atomically((fs::path(dir) / "metrics.csv").string(), metrics_csv(sc, r));
  write_file_atomically((fs::path(dir) / "events.csv").string(), events_csv(r));
}

void write_provenance(const std::string& dir, const std::string& provenance_json) {
  write_file_atomically((fs::path(dir) / "provenance.json").string(), provenance_json);
}

}  // namespace tinyfleet
