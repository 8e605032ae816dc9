#include "sim/cli_datasets.hpp"

#include <cstdio>
#include <iostream>

#include "drift/data_catalog.hpp"

namespace tinyfleet {

int run_datasets_command() {
  bool missing = false;
  std::printf("%-16s %-12s %-7s %-22s %-8s %s\n", "name", "rows x feat", "classes", "package",
              "status", "path");
  for (const DatasetEntry& e : dataset_catalog()) {
    const bool fetched = dataset_fetched(e);
    missing = missing || !fetched;
    const std::string shape = std::to_string(e.rows) + " x " + std::to_string(e.features);
    const std::string classes = e.classes > 0 ? std::to_string(e.classes) : "series";
    std::string files;
    for (const auto& f : e.files) files += (files.empty() ? "" : ",") + f;
    std::printf("%-16s %-12s %-7s %-22s %-8s %s/%s\n", e.name.c_str(), shape.c_str(),
                classes.c_str(), e.package.c_str(), fetched ? "fetched" : "MISSING",
                dataset_directory(e).c_str(), files.c_str());
    std::printf("%-16s %s\n", "", e.note.c_str());
  }
  if (missing)
    std::printf(
        "\nMissing data sets: run `scripts/fetch-datasets.sh %s` (Fashion-MNIST: "
        "`apt-get install dataset-fashion-mnist`).\n",
        data_cache_directory().c_str());
  std::printf("Cache: %s (set TINYFLEET_DATA_DIR to use another).\n",
              data_cache_directory().c_str());
  return 0;
}

CliCommand add_datasets_command(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "datasets", "list the real data sets: shape, classes, source package, fetched or not");
  return {sub, [] { return run_datasets_command(); }};
}

}  // namespace tinyfleet
