#pragma once
// The real data sets tinyfleet knows by name (docs/DATASETS.md), where their
// files are cached and how to load them. Sources, shapes and class counts:
// /work/shared/reference/taxonomy.md §4 and datasets.md.
//
// Cache directory: $TINYFLEET_DATA_DIR if set, else <build dir>/datasets (the
// directory scripts/fetch-datasets.sh fills; setup.sh runs it, and so does
// `cmake --build build --target fetch-datasets`). Fashion-MNIST is the
// exception: it is a regular Debian package installed under
// /usr/share/datasets/fashion-mnist.
#include <memory>
#include <string>
#include <vector>

#include "drift/dataset.hpp"

namespace tinyfleet {

struct DatasetEntry {
  std::string name;                // as scenarios and `tinyfleet datasets` call it
  std::string package;             // Debian package the files come from
  std::vector<std::string> files;  // file names in dataset_directory()
  int rows = 0, features = 0;      // shape of subset "all"
  int classes = 0;                 // 0: a scalar series (tinyfleet detect --input dataset:NAME)
  std::string note;                // one line: what it is good for
};

const std::vector<DatasetEntry>& dataset_catalog();
// The entry called `name`; std::invalid_argument listing the names otherwise.
const DatasetEntry& dataset_entry(const std::string& name);
// Where `entry`'s files are looked for.
std::string dataset_directory(const DatasetEntry& entry);
// The default cache ($TINYFLEET_DATA_DIR or the compiled-in <build dir>/datasets).
std::string data_cache_directory();
// True when all of `entry`'s files are present.
bool dataset_fetched(const DatasetEntry& entry);
// How to get `entry`'s files, as a command line.
std::string fetch_command(const DatasetEntry& entry);

// A labelled data set by name; `subset` is "all", or "train"/"test" for thyroid
// and fashion_mnist; `dir` overrides the directory (empty: dataset_directory).
// Throws DatasetError (a missing file names fetch_command) or
// std::invalid_argument (unknown name or subset).
std::shared_ptr<const Dataset> load_named_dataset(const std::string& name,
                                                  const std::string& subset,
                                                  const std::string& dir = "");
// A scalar series by name (nile); same errors.
std::vector<double> load_named_series(const std::string& name);

// The `dataset` generator: any labelled data set of the catalog replayed as a
// stream (split over the device group, shuffled or in time order).
ComponentInfo dataset_generator_info();
std::unique_ptr<Generator> make_dataset_generator(const Params& params, uint64_t seed);

}  // namespace tinyfleet
