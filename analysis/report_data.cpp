#include "analysis/report_data.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace tinyfleet {
namespace {

ordered_json read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ReportInputError(path.string() + ": cannot open file");
  try {
    return ordered_json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw ReportInputError(path.string() + ": not valid JSON: " + e.what());
  }
}

double number_or(const ordered_json& j, const char* key, double fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string string_or(const ordered_json& j, const char* key, const std::string& fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

const ordered_json& array_or_empty(const ordered_json& j, const char* key) {
  static const ordered_json empty = ordered_json::array();
  const auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : empty;
}

// Device names are "GROUP/INDEX" when summary.json does not list the devices.
std::string group_of_device_name(const std::string& device) {
  const auto slash = device.rfind('/');
  return slash == std::string::npos ? device : device.substr(0, slash);
}

struct Loader {
  RunReport run;
  std::map<std::string, std::size_t> group_index;
  std::map<std::string, std::string> device_group;  // from summary.json's device list
  bool devices_listed = false;
  ordered_json scenario_fleet = ordered_json::array();  // summary.json's scenario.fleet

  GroupReport& group(const std::string& name) {
    const auto it = group_index.find(name);
    if (it != group_index.end()) return run.groups[it->second];
    group_index[name] = run.groups.size();
    run.groups.push_back({});
    run.groups.back().name = name;
    return run.groups.back();
  }
  GroupReport* group_of_device(const std::string& device) {
    const auto it = device_group.find(device);
    const std::string name = it != device_group.end() ? it->second : group_of_device_name(device);
    const auto g = group_index.find(name);
    return g == group_index.end() ? nullptr : &run.groups[g->second];
  }

  void read_summary(const fs::path& path);
  void read_metrics(const fs::path& path);
  void read_events(const fs::path& path);
};

void Loader::read_summary(const fs::path& path) {
  const ordered_json j = read_json(path);
  if (!j.is_object()) throw ReportInputError(path.string() + ": expected a JSON object");
  const ordered_json scenario = j.value("scenario", ordered_json::object());
  run.name = string_or(scenario, "name", fs::path(run.dir).filename().string());
  run.duration_s = number_or(scenario, "duration_s", 0);
  run.seed = static_cast<uint64_t>(number_or(scenario, "seed", 0));
  run.window_s = number_or(scenario.value("output", ordered_json::object()), "window_s", 0);
  scenario_fleet = array_or_empty(scenario, "fleet");
  for (const auto& f : scenario_fleet) group(string_or(f, "group", "?"));
  for (const auto& row : array_or_empty(j, "groups")) {
    GroupReport& g = group(string_or(row, "group", "?"));
    g.summary = row;
    g.peak_memory_bytes = number_or(row, "peak_memory_bytes", -1);
    g.ram_budget_bytes = number_or(row, "ram_budget_bytes", -1);
    // Mean per device by category: "mean_energy_by_category_j" (newer runs).
    auto cat = row.find("mean_energy_by_category_j");
    if (cat == row.end()) cat = row.find("energy_by_category_j");
    if (cat != row.end() && cat->is_object())
      for (const auto& [k, v] : cat->items())
        if (v.is_number()) g.energy_by_category_j.emplace_back(k, v.get<double>());
  }
  const ordered_json& devices = array_or_empty(j, "devices");
  devices_listed = !devices.empty();
  run.devices = static_cast<int>(number_or(j.value("fleet", ordered_json::object()), "devices",
                                           static_cast<double>(devices.size())));
  // Mean energy per category over each group's listed devices, when the group
  // rows do not already carry it.
  std::map<std::string, std::vector<std::pair<std::string, double>>> energy_sums;
  std::map<std::string, int> device_counts;
  for (const auto& d : devices) {
    const std::string name = string_or(d, "device", ""), gname = string_or(d, "group", "");
    if (name.empty() || gname.empty()) continue;
    device_group[name] = gname;
    GroupReport& g = group(gname);
    if (d.contains("accuracy") && d["accuracy"].is_number())
      g.device_accuracy.push_back(d["accuracy"].get<double>());
    device_counts[gname] += 1;
    auto& sums = energy_sums[gname];
    const auto cat = d.find("energy_by_category_j");
    if (cat == d.end() || !cat->is_object()) continue;
    for (const auto& [k, v] : cat->items()) {
      if (!v.is_number()) continue;
      auto it = std::find_if(sums.begin(), sums.end(), [&](const auto& s) { return s.first == k; });
      if (it == sums.end()) it = sums.insert(sums.end(), {k, 0.0});
      it->second += v.get<double>();
    }
  }
  for (auto& [gname, sums] : energy_sums) {
    GroupReport& g = group(gname);
    if (!g.energy_by_category_j.empty()) continue;
    for (auto& [k, v] : sums) g.energy_by_category_j.emplace_back(k, v / device_counts[gname]);
  }
}

void Loader::read_metrics(const fs::path& path) {
  const std::string file = path.string();
  // Last cumulative accuracy of each device, for the distribution when
  // summary.json does not list the devices.
  std::map<std::string, double> last_device_accuracy;
  std::vector<std::string> device_order;
  for_each_csv_row(file, {"time_s", "device", "metric", "value"},
                   [&](const std::vector<std::string>& f, std::size_t line) {
                     const double t = parse_csv_number(f[0], file, line);
                     const double v = parse_csv_number(f[3], file, line);
                     if (f[1].rfind("group:", 0) == 0) {
                       GroupReport& g = group(f[1].substr(6));
                       auto it = std::find_if(g.series.begin(), g.series.end(),
                                              [&](const auto& s) { return s.first == f[2]; });
                       if (it == g.series.end()) it = g.series.insert(g.series.end(), {f[2], {}});
                       it->second.t.push_back(t);
                       it->second.v.push_back(v);
                     } else if (f[1] != "fleet" && !devices_listed && f[2] == "accuracy") {
                       if (!last_device_accuracy.count(f[1])) device_order.push_back(f[1]);
                       last_device_accuracy[f[1]] = v;
                     }
                   });
  for (const auto& d : device_order)
    if (GroupReport* g = group_of_device(d)) g->device_accuracy.push_back(last_device_accuracy[d]);
}

void Loader::read_events(const fs::path& path) {
  const std::string file = path.string();
  std::map<std::string, std::vector<std::pair<double, std::string>>> drift_events;
  std::map<std::pair<int, int>, std::size_t> round_index;
  auto round = [&](const std::map<std::string, std::string>& kv) -> RoundReport& {
    const int session = kv.count("session") ? std::atoi(kv.at("session").c_str()) : 0;
    const int number = kv.count("round") ? std::atoi(kv.at("round").c_str()) : 0;
    const auto key = std::make_pair(session, number);
    if (!round_index.count(key)) {
      round_index[key] = run.rounds.size();
      run.rounds.push_back({session, number});
    }
    return run.rounds[round_index[key]];
  };
  auto value = [](const std::map<std::string, std::string>& kv, const char* key) {
    const auto it = kv.find(key);
    return it == kv.end() ? -1.0 : std::atof(it->second.c_str());
  };
  for_each_csv_row(file, {"time_s", "device", "event", "detail"},
                   [&](const std::vector<std::string>& f, std::size_t line) {
                     const double t = parse_csv_number(f[0], file, line);
                     const std::string& type = f[2];
                     if (type == "drift" || type == "alarm") {
                       GroupReport* g = group_of_device(f[1]);
                       if (!g) return;
                       if (type == "alarm")
                         g->alarms.push_back(t);
                       else
                         drift_events[g->name].emplace_back(t, f[3]);
                     } else if (type == "fleet_alarm") {
                       run.fleet_alarms.push_back(t);
                     } else if (type.rfind("round", 0) == 0) {
                       const auto kv = parse_key_values(f[3]);
                       RoundReport& r = round(kv);
                       if (type == "round_start") {
                         r.start_s = t;
                         r.selected = value(kv, "selected");
                       } else if (type == "round_end") {
                         r.end_s = t;
                         r.received = value(kv, "received");
                         r.test_accuracy = value(kv, "test_accuracy");
                       }
                     }
                   });
  const double merge_gap = std::max(run.duration_s * 0.02, 1.0);
  for (const auto& f : scenario_fleet) {
    const std::string name = string_or(f, "group", "?");
    std::vector<std::pair<double, double>> gradual;
    std::vector<std::pair<double, std::string>> planned;
    for (const auto& d : array_or_empty(f, "drift")) {
      const double at = number_or(d, "at_s", 0), width = number_or(d, "width_s", 0);
      if (width > 0) gradual.emplace_back(at, width);
      planned.emplace_back(width > 0 ? at - width / 2 : at, string_or(d, "kind", "abrupt"));
    }
    // Without drift events (e.g. a drift selector that reached no device) fall
    // back to what the scenario planned.
    auto events = drift_events.count(name) ? drift_events[name] : planned;
    group(name).drifts = drift_spans(std::move(events), gradual, merge_gap);
  }
}

}  // namespace

const TimeSeries* GroupReport::find_series(const std::string& metric) const {
  for (const auto& [name, s] : series)
    if (name == metric) return &s;
  return nullptr;
}

std::vector<DriftSpan> drift_spans(std::vector<std::pair<double, std::string>> events,
                                   const std::vector<std::pair<double, double>>& gradual_at_width,
                                   double merge_gap_s) {
  std::vector<DriftSpan> spans;
  for (const auto& [t, kind] : events) {
    DriftSpan s{t, t, kind};
    if (kind == "gradual") {
      double best = INFINITY;
      for (const auto& [at, width] : gradual_at_width) {
        const double distance = std::fabs(at - width / 2 - t);
        if (distance < best) {
          best = distance;
          s.end_s = t + width;
        }
      }
    }
    spans.push_back(s);
  }
  std::sort(spans.begin(), spans.end(), [](const DriftSpan& a, const DriftSpan& b) {
    return a.start_s != b.start_s ? a.start_s < b.start_s : a.end_s < b.end_s;
  });
  std::vector<DriftSpan> merged;
  for (const auto& s : spans) {
    if (!merged.empty() && s.start_s <= merged.back().end_s + merge_gap_s) {
      merged.back().end_s = std::max(merged.back().end_s, s.end_s);
      if (merged.back().kind != s.kind && merged.back().kind.find(s.kind) == std::string::npos)
        merged.back().kind += "+" + s.kind;
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

RunReport load_run(const std::string& dir) {
  const fs::path root(dir);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw ReportInputError(dir + ": no such run directory");
  Loader loader;
  loader.run.dir = dir;
  for (const char* required : {"summary.json", "metrics.csv", "events.csv"})
    if (!fs::is_regular_file(root / required, ec))
      throw ReportInputError((root / required).string() +
                             ": missing (a run directory holds summary.json, metrics.csv, "
                             "events.csv; make one with `tinyfleet run -o DIR`)");
  loader.read_summary(root / "summary.json");
  loader.read_metrics(root / "metrics.csv");
  loader.read_events(root / "events.csv");
  if (fs::is_regular_file(root / "provenance.json", ec)) {
    loader.run.provenance = read_json(root / "provenance.json");
  } else {
    loader.run.notes.push_back("no provenance.json in " + dir);
  }
  for (auto& g : loader.run.groups) {
    std::sort(g.alarms.begin(), g.alarms.end());
    if (g.find_series("accuracy_window") == nullptr)
      loader.run.notes.push_back("group " + g.name + " has no accuracy_window rows in metrics.csv");
  }
  return std::move(loader.run);
}

}  // namespace tinyfleet
