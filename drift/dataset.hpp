#pragma once
// Real data sets replayed as streams: readers for IDX (the MNIST/Fashion-MNIST
// container, gzipped or raw) and CSV files, a process-wide cache, federated
// partitions (iid / label shards / Dirichlet) and the replay generators
// `fashion_mnist` and `csv_dataset` (docs: /work/shared/reference/datasets.md).
//
// Replay model. A group of `devices` devices replays one data set. The data
// set is split into `devices` disjoint partitions by a rule that depends only
// on (data set, split, devices, shards, alpha, partition_seed), never on the
// stream seed, so every device of the group computes the same split. Device
// `device` then walks its own partition in a shuffled order drawn from the
// generator seed, reshuffling at every pass (cycling forever).
//
// The simulator is expected to fill `device` (the device's index in its group,
// 0-based) and `devices` (the group size). With the defaults (device 0 of 1)
// the whole data set is one partition.
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "drift/stream.hpp"

namespace tinyfleet {

// A labelled data set in memory: row-major features, one label per row.
struct Dataset {
  int n = 0;                             // rows
  int d = 0;                             // features per row
  int classes = 0;                       // labels are 0..classes-1
  std::vector<float> x;                  // n·d, row-major
  std::vector<int> y;                    // n
  std::vector<float> lo, hi;             // per-feature range (IDX: 0 and 255; CSV: min and max)
  std::vector<std::string> class_names;  // CSV with non-integer labels; else empty
  // Optional per-row group (Vowel's speaker), for `split: column`.
  std::string group_column;  // its name; empty = no group column
  std::vector<int> group;    // n values in 0..groups-1 (empty when no group column)
  int groups = 0;
  // Rows in their real time order (one row per time step), and the rows at
  // which a ground-truth change of the data starts (seattle-weather's label
  // switch), ascending. A replay in time order reports them as drifts.
  bool time_ordered = false;
  std::vector<int> change_rows;
};

// Thrown by the readers: the message names the file and what is wrong.
struct DatasetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Whole file contents, transparently gunzipped when the file starts with the
// gzip magic (1f 8b). Throws DatasetError if the file is missing/unreadable,
// or if it is gzipped and this binary was built without zlib (TINYFLEET_WITH_ZLIB).
std::vector<uint8_t> read_file_maybe_gz(const std::string& path);
// True when built with zlib (TINYFLEET_WITH_ZLIB): gzipped files can be read.
bool dataset_gzip_available();

// IDX (LeCun's MNIST format): big-endian magic 0x00000803 (uint8 images,
// 3 dims) or 0x00000801 (uint8 labels, 1 dim), then the dims as big-endian
// uint32, then the bytes. Pixels become floats in [0, 255]; classes =
// max(label) + 1. Throws DatasetError (bad magic, truncated, count mismatch).
Dataset read_idx(const std::string& images_path, const std::string& labels_path);

// CSV with a header row. `label` names the label column (empty = the last
// column). Every other column must be numeric. Labels that are all
// non-negative integers are used as class ids; otherwise the distinct label
// strings, sorted, become classes 0..C-1 (names kept in class_names).
Dataset read_csv(const std::string& path, const std::string& label);

// Process-wide cache (not thread-safe; the simulator builds devices on one
// thread): loads a data set once, keyed by its file path(s) (and label column).
std::shared_ptr<const Dataset> cached_idx(const std::string& images_path,
                                          const std::string& labels_path);
std::shared_ptr<const Dataset> cached_csv(const std::string& path, const std::string& label);
// Any other data set, cached under `key` (a name that says what was loaded):
// `load` runs on the first call only.
std::shared_ptr<const Dataset> cached_dataset(const std::string& key,
                                              const std::function<Dataset()>& load);
void clear_dataset_cache();  // tests

// Fashion-MNIST files in `dir` for subset "train" or "test"; the error for a
// missing directory names `apt-get install dataset-fashion-mnist`.
std::shared_ptr<const Dataset> load_fashion_mnist(const std::string& dir,
                                                  const std::string& subset);

enum class SplitKind : uint8_t { Iid, Shards, Dirichlet, Column };
SplitKind split_from(const std::string& name);  // "iid" | "shards" | "dirichlet" | "column"

struct SplitConfig {
  SplitKind kind = SplitKind::Iid;
  int devices = 1;
  int shards = 2;      // shards per device (Shards)
  double alpha = 0.5;  // Dirichlet concentration (Dirichlet)
  uint64_t seed = 1;   // partition_seed
  // Column: the group values dealt to devices in order (device i gets
  // values[i]); empty = all groups 0..groups-1.
  std::vector<int> values;
};

// Row indices of every device's partition: disjoint, together all n rows.
//  - Iid: a seeded permutation cut into `devices` contiguous chunks whose
//    sizes differ by at most one.
//  - Shards (McMahan et al. 2017): rows sorted by label (stable), cut into
//    devices·shards equal slices (sizes differ by at most one), slices
//    dealt to devices by a seeded permutation, `shards` each.
//  - Dirichlet (Hsu et al. 2019): per class c, shares p_c ~ Dir(α·1_devices)
//    split the (seeded-shuffled) rows of class c at floor(n_c·cumsum(p_c)).
//    A device left empty takes one row from the largest partition, so every
//    device has data. Requires n >= devices.
//  - Column: device i gets the rows whose group (Dataset::group, e.g. Vowel's
//    speaker) is values[i] (or i when values is empty), in data order;
//    requires a group column and devices <= the number of values; groups not
//    dealt to a device are not replayed.
// Throws std::invalid_argument on a bad config.
std::vector<std::vector<int>> partition_dataset(const Dataset& data, const SplitConfig& cfg);
// The Column rule alone (drift/data_split_column.cpp); throws std::invalid_argument.
std::vector<std::vector<int>> partition_by_column(const Dataset& data, const SplitConfig& cfg);
// Cached by (data set identity, cfg): 1000 devices compute it once.
std::shared_ptr<const std::vector<std::vector<int>>> cached_partition(
    const std::shared_ptr<const Dataset>& data, const SplitConfig& cfg);

// How a device walks its partition.
struct ReplayOptions {
  // Data order, never shuffled (sample k = the k-th row of the partition). The
  // data set's change_rows then become StreamInfo::changes; a cycling replay
  // also reports the jump back to the first row as a "recurring" change.
  bool time_order = false;
  bool once = false;  // a single pass: StreamInfo::samples = the partition's size
};

// Replays one device's partition (see the top of this file).
class DatasetReplay final : public Generator {
 public:
  // Throws std::invalid_argument if device is not in [0, cfg.devices).
  DatasetReplay(std::shared_ptr<const Dataset> data, const SplitConfig& cfg, int device,
                uint64_t seed, ReplayOptions options = {});
  const StreamInfo& info() const override { return info_; }
  int next(float* x) override;
  const std::vector<int>& partition() const { return rows_; }  // this device's rows

 private:
  void reshuffle();
  std::shared_ptr<const Dataset> data_;
  StreamInfo info_;
  std::vector<int> rows_;  // this device's rows, in the current pass order
  std::size_t pos_ = 0;
  uint64_t rng_state_;
  ReplayOptions options_;
};

// The split parameters every replay generator declares (split, alpha, shards,
// partition_seed, device, devices) and the SplitConfig they resolve to.
std::vector<ParamSpec> split_params();
SplitConfig split_config(const Params& params);

ComponentInfo fashion_mnist_info();
std::unique_ptr<Generator> make_fashion_mnist(const Params& params, uint64_t seed);
ComponentInfo csv_dataset_info();
std::unique_ptr<Generator> make_csv_dataset(const Params& params, uint64_t seed);

}  // namespace tinyfleet
