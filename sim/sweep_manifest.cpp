#include "sim/sweep_manifest.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace tinyfleet {

std::string point_dir_name(std::size_t index, std::size_t count) {
  std::size_t width = 4;
  while (count > 1 && std::to_string(count - 1).size() > width) ++width;
  std::string digits = std::to_string(index);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return "points/" + digits;
}

std::string manifest_json(const SweepManifest& manifest) {
  nlohmann::ordered_json j;
  j["format"] = kSweepFormat;
  j["sweep_file"] = manifest.sweep_file;
  j["parameters"] = manifest.parameters;
  j["points"] = nlohmann::ordered_json::array();
  for (const auto& p : manifest.points) {
    nlohmann::ordered_json point;
    point["index"] = p.index;
    point["dir"] = p.dir;
    nlohmann::ordered_json values = nlohmann::ordered_json::object();
    for (const auto& [name, text] : p.values) values[name] = text;
    point["values"] = values;
    j["points"].push_back(point);
  }
  return j.dump(2) + "\n";
}

SweepManifest read_manifest(const std::string& sweep_dir) {
  const auto path = (std::filesystem::path(sweep_dir) / "manifest.json").string();
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error(path + ": cannot open (is '" + sweep_dir +
                             "' a directory written by `tinyfleet sweep expand`?)");
  SweepManifest m;
  try {
    const auto j = nlohmann::json::parse(in);
    if (j.at("format") != kSweepFormat)
      throw std::runtime_error("unknown format " + j.at("format").dump());
    m.sweep_file = j.at("sweep_file").get<std::string>();
    m.parameters = j.at("parameters").get<std::vector<std::string>>();
    for (const auto& p : j.at("points")) {
      SweepManifestPoint point;
      point.index = p.at("index").get<std::size_t>();
      point.dir = p.at("dir").get<std::string>();
      for (const auto& name : m.parameters)
        point.values.emplace_back(name, p.at("values").at(name).get<std::string>());
      if (point.index != m.points.size()) throw std::runtime_error("points out of order");
      m.points.push_back(point);
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": malformed manifest: " + e.what());
  }
  return m;
}

}  // namespace tinyfleet
