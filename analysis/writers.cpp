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

// Rows of one tick: the devices' own (if kept), then each group's, then the fleet's.
std::string metrics_csv(const Scenario& sc, const RunResults& r) {
  std::string out = "time_s,device,metric,value\n";
  auto row = [&out](double t, const std::string& who, const char* metric, double v) {
    out += num(t);
    out += ',';
    out += who;
    out += ',';
    out += metric;
    out += ',';
    out += num(v);
    out += '\n';
  };
  auto point_rows = [&](double t, const std::string& who, const CurvePoint& p) {
    row(t, who, "accuracy", p.accuracy());
    row(t, who, "accuracy_window", p.accuracy_window());
    row(t, who, "energy_j", p.mean_energy_j());
    row(t, who, "memory_bytes", p.mean_memory());
    row(t, who, "devices_alive", static_cast<double>(p.devices));
    row(t, who, "ece_window", p.ece_window());
    if (p.budget_devices == 0) return;  // no energy budget (or no closed window yet)
    row(t, who, "energy_budget_j", p.mean_energy_budget_j());
    row(t, who, "energy_window_j", p.mean_energy_window_j());
  };
  std::size_t next_row = 0;
  for (std::size_t k = 0; k < r.curves.ticks(); ++k) {
    const double t = r.curves.time_of(k);
    for (; next_row < r.rows.size() && r.rows[next_row].t <= t; ++next_row) {
      const MetricRow& m = r.rows[next_row];
      row(m.t, csv_field(r.devices[static_cast<std::size_t>(m.device)].name),
          kMetricNames[static_cast<std::size_t>(m.metric)], m.value);
    }
    CurvePoint fleet;
    for (std::size_t g = 0; g < r.curves.groups(); ++g) {
      const CurvePoint& p = r.curves.at(g, k);
      point_rows(t, "group:" + csv_field(sc.groups[g].name), p);
      fleet.devices += p.devices;
      fleet.window_correct += p.window_correct;
      fleet.window_seen += p.window_seen;
      fleet.correct += p.correct;
      fleet.seen += p.seen;
      fleet.energy_nj += p.energy_nj;
      fleet.memory_bytes += p.memory_bytes;
      fleet.calibration_window += p.calibration_window;
      fleet.budget_devices += p.budget_devices;
      fleet.energy_budget_nj += p.energy_budget_nj;
      fleet.energy_window_nj += p.energy_window_nj;
    }
    point_rows(t, "fleet", fleet);
  }
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
