#include "drift/data_catalog.hpp"

#include <cstdlib>
#include <fstream>

#include "drift/data_rda.hpp"
#include "drift/data_readers.hpp"

#ifndef TINYFLEET_DEFAULT_DATA_DIR
#define TINYFLEET_DEFAULT_DATA_DIR "build/datasets"
#endif

namespace tinyfleet {
namespace {

const char* const kFashionDir = "/usr/share/datasets/fashion-mnist";

bool file_exists(const std::string& path) {
  return static_cast<bool>(std::ifstream(path, std::ios::binary));
}

// The path of `file` of `entry` in `dir`, or a DatasetError saying how to fetch it.
std::string require_file(const DatasetEntry& entry, const std::string& dir,
                         const std::string& file) {
  const std::string path = dir + "/" + file;
  if (!file_exists(path))
    throw DatasetError(path + ": data set '" + entry.name + "' is not fetched (run `" +
                       fetch_command(entry) + "`, or set TINYFLEET_DATA_DIR to its cache)");
  return path;
}

}  // namespace

const std::vector<DatasetEntry>& dataset_catalog() {
  static const std::vector<DatasetEntry> catalog = {
      {"digits",
       "python3-sklearn",
       {"digits.csv.gz"},
       1797,
       64,
       10,
       "8x8 handwritten digits, pixels 0-16 (UCI optdigits test half)"},
      {"seattle_weather",
       "python3-vega-datasets",
       {"seattle-weather.csv"},
       1461,
       4,
       5,
       "daily weather 2012-2015 in date order; label-source switch at row 455 (2013-03-31)"},
      {"vowel",
       "r-cran-mlbench",
       {"Vowel.rda"},
       990,
       9,
       11,
       "11 vowels spoken by 15 speakers (group column `speaker`, 66 rows each)"},
      {"letter",
       "r-cran-mlbench",
       {"LetterRecognition.rda"},
       20000,
       16,
       26,
       "letter images as 16 integer features, 26 classes"},
      {"shuttle",
       "r-cran-mlbench",
       {"Shuttle.rda"},
       58000,
       9,
       7,
       "space shuttle radiator states, highly imbalanced (45586 rows of one class)"},
      {"thyroid",
       "libfann-doc",
       {"thyroid.train", "thyroid.test"},
       7200,
       21,
       3,
       "thyroid diagnosis, imbalanced 92/5/2.5 %; subsets train and test of 3600"},
      {"fashion_mnist",
       "dataset-fashion-mnist",
       {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz"},
       70000,
       784,
       10,
       "28x28 clothing images; subsets train (60000) and test (10000)"},
      {"nile",
       "python3-statsmodels",
       {"nile.csv"},
       100,
       1,
       0,
       "annual Nile flow 1871-1970, a level shift after the 1898 dam (scalar series)"},
  };
  return catalog;
}

const DatasetEntry& dataset_entry(const std::string& name) {
  std::string names;
  for (const auto& e : dataset_catalog()) {
    if (e.name == name) return e;
    names += (names.empty() ? "" : ", ") + e.name;
  }
  throw std::invalid_argument("unknown data set '" + name + "'; known: " + names);
}

std::string data_cache_directory() {
  const char* env = std::getenv("TINYFLEET_DATA_DIR");
  return env && *env ? std::string(env) : std::string(TINYFLEET_DEFAULT_DATA_DIR);
}

std::string dataset_directory(const DatasetEntry& entry) {
  return entry.name == "fashion_mnist" ? std::string(kFashionDir) : data_cache_directory();
}

bool dataset_fetched(const DatasetEntry& entry) {
  for (const auto& f : entry.files)
    if (!file_exists(dataset_directory(entry) + "/" + f)) return false;
  return true;
}

std::string fetch_command(const DatasetEntry& entry) {
  if (entry.name == "fashion_mnist") return "apt-get install dataset-fashion-mnist";
  return "scripts/fetch-datasets.sh " + data_cache_directory();
}

std::shared_ptr<const Dataset> load_named_dataset(const std::string& name,
                                                  const std::string& subset,
                                                  const std::string& dir_override) {
  const DatasetEntry& e = dataset_entry(name);
  if (e.classes == 0)
    throw std::invalid_argument("data set '" + name +
                                "' is a scalar series, not a labelled stream (use it with "
                                "`tinyfleet detect --input dataset:" +
                                name + "`)");
  const bool split = name == "thyroid" || name == "fashion_mnist";
  if (subset != "all" && !(split && (subset == "train" || subset == "test")))
    throw std::invalid_argument("data set '" + name + "' has no subset '" + subset + "'" +
                                (split ? " (all, train or test)" : " (only all)"));
  const std::string dir = dir_override.empty() ? dataset_directory(e) : dir_override;
  const std::string key = name + "\n" + subset + "\n" + dir;
  auto file = [&](std::size_t i) { return require_file(e, dir, e.files[i]); };
  if (name == "fashion_mnist") {
    if (subset != "all") return load_fashion_mnist(dir, subset);
    return cached_dataset(key, [&] {
      return concat_datasets(*load_fashion_mnist(dir, "train"), *load_fashion_mnist(dir, "test"));
    });
  }
  return cached_dataset(key, [&]() -> Dataset {
    if (name == "digits") return read_digits_csv(file(0));
    if (name == "seattle_weather") return read_seattle_weather(file(0));
    if (name == "vowel") return rda_dataset(file(0), "Class", "V1", "speaker");
    if (name == "letter") return rda_dataset(file(0), "lettr", "", "");
    if (name == "shuttle") return rda_dataset(file(0), "Class", "", "");
    // thyroid
    if (subset == "train") return read_fann(file(0));
    if (subset == "test") return read_fann(file(1));
    return concat_datasets(read_fann(file(0)), read_fann(file(1)));
  });
}

std::vector<double> load_named_series(const std::string& name) {
  const DatasetEntry& e = dataset_entry(name);
  if (e.classes != 0)
    throw std::invalid_argument("data set '" + name +
                                "' is a labelled data set, not a scalar series (scalar: nile)");
  return read_nile_series(require_file(e, dataset_directory(e), e.files[0]));
}

}  // namespace tinyfleet
