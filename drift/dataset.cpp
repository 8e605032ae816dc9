#include "drift/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <tuple>

#include "drift/data_text.hpp"
#include "drift/rng.hpp"

// gzip support needs zlib at build time: the build defines TINYFLEET_WITH_ZLIB
// when it links ZLIB::ZLIB. Without it raw IDX/CSV files still work and a
// gzipped file fails with a message saying what is missing.
#ifdef TINYFLEET_WITH_ZLIB
#include <zlib.h>
#endif

namespace tinyfleet {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  data_fail(path, what);
}

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& in, const std::string& path) {
#ifdef TINYFLEET_WITH_ZLIB
  std::vector<uint8_t> out;
  out.reserve(in.size() * 4);
  z_stream s{};
  // windowBits 15 + 16: expect a gzip header and trailer (RFC 1952).
  if (inflateInit2(&s, 15 + 16) != Z_OK) fail(path, "zlib inflateInit2 failed");
  s.next_in = const_cast<Bytef*>(in.data());
  s.avail_in = static_cast<uInt>(in.size());
  uint8_t chunk[1 << 16];
  int rc = Z_OK;
  for (;;) {
    s.next_out = chunk;
    s.avail_out = sizeof chunk;
    rc = inflate(&s, Z_NO_FLUSH);
    out.insert(out.end(), chunk, chunk + (sizeof chunk - s.avail_out));
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members (gzip(1) allows them): continue with the next.
      if (s.avail_in > 0 && inflateReset(&s) == Z_OK) continue;
      break;
    }
    if (rc != Z_OK) break;
    if (s.avail_in == 0 && s.avail_out != 0) break;  // input exhausted mid-stream
  }
  inflateEnd(&s);
  if (rc != Z_STREAM_END) fail(path, "truncated or corrupt gzip data");
  return out;
#else
  (void)in;
  fail(path,
       "gzip-compressed, but this binary was built without zlib (install zlib1g-dev; the build "
       "must link ZLIB::ZLIB and define TINYFLEET_WITH_ZLIB), or gunzip the file");
#endif
}

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// Uniform (0, 1) from SplitMix64 (never 0: safe for log).
double open_unit(SplitMix64& r) {
  return (static_cast<double>(r.next_u64() >> 11) + 0.5) * 0x1.0p-53;
}

double std_normal(SplitMix64& r) {  // Box–Muller, one value per call (simple, deterministic)
  const double u1 = open_unit(r), u2 = open_unit(r);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

// Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 via the boost
// Gamma(a) = Gamma(a + 1)·U^(1/a). Own implementation (not std::gamma_distribution)
// so the split is identical across standard libraries.
double gamma_draw(SplitMix64& r, double shape) {
  if (shape < 1.0) return gamma_draw(r, shape + 1.0) * std::pow(open_unit(r), 1.0 / shape);
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = std_normal(r);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = open_unit(r);
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
  }
}

// Fisher–Yates with an unbiased bounded draw.
template <typename T>
void shuffle_with(std::vector<T>& v, SplitMix64& r) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(r.next_below(i));
    std::swap(v[i - 1], v[j]);
  }
}

// No device may starve: an empty partition takes the last row of the largest.
void starve_none(std::vector<std::vector<int>>& parts) {
  for (auto& part : parts) {
    if (!part.empty()) continue;
    auto big = std::max_element(parts.begin(), parts.end(),
                                [](const auto& a, const auto& b) { return a.size() < b.size(); });
    part.push_back(big->back());
    big->pop_back();
  }
}

std::map<std::string, std::shared_ptr<const Dataset>>& dataset_cache() {
  static std::map<std::string, std::shared_ptr<const Dataset>> c;
  return c;
}

// Keyed by the data set's address; the entry holds the data set so the
// address cannot be reused by another one while the entry lives.
using PartitionKey = std::tuple<const Dataset*, int, int, int, double, uint64_t, std::vector<int>>;
struct PartitionEntry {
  std::shared_ptr<const Dataset> data;
  std::shared_ptr<const std::vector<std::vector<int>>> parts;
};
std::map<PartitionKey, PartitionEntry>& partition_cache() {
  static std::map<PartitionKey, PartitionEntry> c;
  return c;
}

}  // namespace

bool dataset_gzip_available() {
#ifdef TINYFLEET_WITH_ZLIB
  return true;
#else
  return false;
#endif
}

std::vector<uint8_t> read_file_maybe_gz(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail(path, "cannot open file");
  std::vector<uint8_t> raw((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) fail(path, "read error");
  if (raw.size() >= 2 && raw[0] == 0x1f && raw[1] == 0x8b) return gunzip(raw, path);
  return raw;
}

Dataset read_idx(const std::string& images_path, const std::string& labels_path) {
  const auto img = read_file_maybe_gz(images_path);
  const auto lab = read_file_maybe_gz(labels_path);
  if (img.size() < 16) fail(images_path, "truncated IDX header");
  if (be32(img.data()) != 0x00000803u)
    fail(images_path, "bad IDX magic (expected 0x00000803, uint8 images with 3 dims)");
  if (lab.size() < 8) fail(labels_path, "truncated IDX header");
  if (be32(lab.data()) != 0x00000801u)
    fail(labels_path, "bad IDX magic (expected 0x00000801, uint8 labels with 1 dim)");
  const uint64_t n = be32(img.data() + 4), rows = be32(img.data() + 8),
                 cols = be32(img.data() + 12);
  const uint64_t nl = be32(lab.data() + 4);
  const uint64_t d = rows * cols;
  if (n == 0 || d == 0) fail(images_path, "empty IDX image set");
  if (n > 0x7fffffffu || d > 0x7fffffffu || n * d > (uint64_t{1} << 34))
    fail(images_path, "IDX dimensions too large");
  if (img.size() < 16 + n * d)
    fail(images_path, "truncated: " + std::to_string(n) + " images of " + std::to_string(d) +
                          " bytes need " + std::to_string(16 + n * d) + " bytes, file has " +
                          std::to_string(img.size()));
  if (lab.size() < 8 + nl)
    fail(labels_path, "truncated: " + std::to_string(nl) + " labels need " +
                          std::to_string(8 + nl) + " bytes, file has " +
                          std::to_string(lab.size()));
  if (nl != n)
    fail(labels_path,
         std::to_string(nl) + " labels for " + std::to_string(n) + " images in " + images_path);
  Dataset ds;
  ds.n = static_cast<int>(n);
  ds.d = static_cast<int>(d);
  ds.x.resize(n * d);
  const uint8_t* px = img.data() + 16;
  for (std::size_t i = 0; i < n * d; ++i) ds.x[i] = static_cast<float>(px[i]);
  ds.y.resize(n);
  int maxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ds.y[i] = lab[8 + i];
    maxy = std::max(maxy, ds.y[i]);
  }
  ds.classes = maxy + 1;
  ds.lo.assign(d, 0.f);  // uint8 pixels: the full byte range, whatever this file holds
  ds.hi.assign(d, 255.f);
  return ds;
}

Dataset read_csv(const std::string& path, const std::string& label) {
  const auto bytes = read_file_maybe_gz(path);
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  std::string line;
  if (!std::getline(in, line)) fail(path, "empty CSV (no header row)");
  const auto header = split_data_csv_line(line);
  int lc = static_cast<int>(header.size()) - 1;
  if (!label.empty()) {
    auto it = std::find(header.begin(), header.end(), label);
    if (it == header.end()) fail(path, "no column named '" + label + "' in the header");
    lc = static_cast<int>(it - header.begin());
  }
  if (header.size() < 2) fail(path, "CSV needs a label column and at least one feature column");
  const int cols = static_cast<int>(header.size());
  Dataset ds;
  ds.d = cols - 1;
  std::vector<std::string> labels;
  int lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (trim_cell(line).empty()) continue;
    const auto cells = split_data_csv_line(line);
    if (static_cast<int>(cells.size()) != cols)
      fail(path, "line " + std::to_string(lineno) + ": " + std::to_string(cells.size()) +
                     " cells, header has " + std::to_string(cols));
    for (int c = 0; c < cols; ++c) {
      if (c == lc) {
        labels.push_back(cells[static_cast<std::size_t>(c)]);
        continue;
      }
      const std::string& s = cells[static_cast<std::size_t>(c)];
      float v = 0;
      if (!parse_finite(s, v))
        fail(path, "line " + std::to_string(lineno) + ", column '" +
                       header[static_cast<std::size_t>(c)] + "': not a finite number: '" + s + "'");
      ds.x.push_back(v);
    }
  }
  if (labels.empty()) fail(path, "no data rows");
  ds.n = static_cast<int>(labels.size());
  bool integral = true;
  for (const auto& s : labels) {
    if (s.empty() || s.size() > 9 ||
        !std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      integral = false;
  }
  if (integral) {
    int maxy = 0;
    for (const auto& s : labels) {
      ds.y.push_back(std::stoi(s));
      maxy = std::max(maxy, ds.y.back());
    }
    ds.classes = maxy + 1;
  } else {
    std::vector<std::string> names = labels;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (const auto& s : labels)
      ds.y.push_back(
          static_cast<int>(std::lower_bound(names.begin(), names.end(), s) - names.begin()));
    ds.classes = static_cast<int>(names.size());
    ds.class_names = std::move(names);
  }
  fill_ranges(ds);
  return ds;
}

std::shared_ptr<const Dataset> cached_idx(const std::string& images_path,
                                          const std::string& labels_path) {
  const std::string key = "idx\n" + images_path + "\n" + labels_path;
  auto& c = dataset_cache();
  auto it = c.find(key);
  if (it != c.end()) return it->second;
  auto ds = std::make_shared<const Dataset>(read_idx(images_path, labels_path));
  c.emplace(key, ds);
  return ds;
}

std::shared_ptr<const Dataset> cached_csv(const std::string& path, const std::string& label) {
  const std::string key = "csv\n" + path + "\n" + label;
  auto& c = dataset_cache();
  auto it = c.find(key);
  if (it != c.end()) return it->second;
  auto ds = std::make_shared<const Dataset>(read_csv(path, label));
  c.emplace(key, ds);
  return ds;
}

std::shared_ptr<const Dataset> cached_dataset(const std::string& key,
                                              const std::function<Dataset()>& load) {
  auto& c = dataset_cache();
  auto it = c.find("named\n" + key);
  if (it != c.end()) return it->second;
  auto ds = std::make_shared<const Dataset>(load());
  c.emplace("named\n" + key, ds);
  return ds;
}

void clear_dataset_cache() {
  partition_cache().clear();
  dataset_cache().clear();
}

std::shared_ptr<const Dataset> load_fashion_mnist(const std::string& dir,
                                                  const std::string& subset) {
  if (subset != "train" && subset != "test")
    throw std::invalid_argument("fashion_mnist: subset must be train or test");
  const std::string stem = subset == "train" ? "train" : "t10k";
  auto find = [&](const std::string& base) {
    for (const std::string& p : {dir + "/" + base + ".gz", dir + "/" + base}) {
      if (std::ifstream(p, std::ios::binary)) return p;
    }
    throw DatasetError(dir + "/" + base +
                       ".gz: Fashion-MNIST file not found (install it with "
                       "`apt-get install dataset-fashion-mnist`, or set `dir`)");
  };
  const std::string images = find(stem + "-images-idx3-ubyte");
  const std::string labels = find(stem + "-labels-idx1-ubyte");
  return cached_idx(images, labels);
}

SplitKind split_from(const std::string& name) {
  if (name == "iid") return SplitKind::Iid;
  if (name == "shards") return SplitKind::Shards;
  if (name == "dirichlet") return SplitKind::Dirichlet;
  if (name == "column") return SplitKind::Column;
  throw std::invalid_argument("split must be iid, shards, dirichlet or column, not '" + name + "'");
}

std::vector<std::vector<int>> partition_dataset(const Dataset& data, const SplitConfig& cfg) {
  const int n = data.n, k = cfg.devices;
  if (k < 1) throw std::invalid_argument("split: devices must be >= 1");
  if (n < k)
    throw std::invalid_argument("split: " + std::to_string(n) + " rows cannot feed " +
                                std::to_string(k) + " devices");
  // One stream per split kind, from partition_seed only (never the stream seed).
  SplitMix64 r(derive_seed(cfg.seed, static_cast<uint64_t>(cfg.kind), 0x5D17));
  std::vector<std::vector<int>> parts(static_cast<std::size_t>(k));
  const auto chunk = [](int total, int parts_n, int i) {  // balanced boundaries
    return static_cast<int>(static_cast<int64_t>(total) * i / parts_n);
  };
  switch (cfg.kind) {
    case SplitKind::Iid: {
      std::vector<int> idx(static_cast<std::size_t>(n));
      std::iota(idx.begin(), idx.end(), 0);
      shuffle_with(idx, r);
      for (int dv = 0; dv < k; ++dv)
        parts[static_cast<std::size_t>(dv)].assign(idx.begin() + chunk(n, k, dv),
                                                   idx.begin() + chunk(n, k, dv + 1));
      break;
    }
    case SplitKind::Shards: {
      if (cfg.shards < 1) throw std::invalid_argument("split: shards must be >= 1");
      const int64_t total = static_cast<int64_t>(k) * cfg.shards;
      if (total > n)
        throw std::invalid_argument("split: " + std::to_string(total) + " shards exceed the " +
                                    std::to_string(n) + " rows");
      std::vector<int> idx(static_cast<std::size_t>(n));
      std::iota(idx.begin(), idx.end(), 0);
      std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
        return data.y[static_cast<std::size_t>(a)] < data.y[static_cast<std::size_t>(b)];
      });
      std::vector<int> order(static_cast<std::size_t>(total));
      std::iota(order.begin(), order.end(), 0);
      shuffle_with(order, r);
      const int t = static_cast<int>(total);
      for (int s = 0; s < t; ++s) {
        const int shard = order[static_cast<std::size_t>(s)];
        auto& p = parts[static_cast<std::size_t>(s / cfg.shards)];
        p.insert(p.end(), idx.begin() + chunk(n, t, shard), idx.begin() + chunk(n, t, shard + 1));
      }
      break;
    }
    case SplitKind::Dirichlet: {
      if (!(cfg.alpha > 0)) throw std::invalid_argument("split: alpha must be > 0");
      std::vector<std::vector<int>> by_class(static_cast<std::size_t>(data.classes));
      for (int i = 0; i < n; ++i)
        by_class[static_cast<std::size_t>(data.y[static_cast<std::size_t>(i)])].push_back(i);
      std::vector<double> p(static_cast<std::size_t>(k));
      for (auto& rows : by_class) {
        shuffle_with(rows, r);
        double sum = 0;
        for (auto& v : p) sum += (v = gamma_draw(r, cfg.alpha));
        double cum = 0;
        std::size_t prev = 0;
        for (int dv = 0; dv < k; ++dv) {
          cum += p[static_cast<std::size_t>(dv)];
          const std::size_t cut =
              dv == k - 1
                  ? rows.size()
                  : std::min(rows.size(), static_cast<std::size_t>(std::floor(
                                              static_cast<double>(rows.size()) * cum / sum)));
          auto& part = parts[static_cast<std::size_t>(dv)];
          part.insert(part.end(), rows.begin() + static_cast<std::ptrdiff_t>(prev),
                      rows.begin() + static_cast<std::ptrdiff_t>(std::max(prev, cut)));
          prev = std::max(prev, cut);
        }
      }
      starve_none(parts);
      break;
    }
    case SplitKind::Column:
      parts = partition_by_column(data, cfg);
      break;
  }
  return parts;
}

std::shared_ptr<const std::vector<std::vector<int>>> cached_partition(
    const std::shared_ptr<const Dataset>& data, const SplitConfig& cfg) {
  const PartitionKey key{data.get(),
                         static_cast<int>(cfg.kind),
                         cfg.devices,
                         cfg.kind == SplitKind::Shards ? cfg.shards : 0,
                         cfg.kind == SplitKind::Dirichlet ? cfg.alpha : 0.0,
                         cfg.seed,
                         cfg.kind == SplitKind::Column ? cfg.values : std::vector<int>{}};
  auto& c = partition_cache();
  auto it = c.find(key);
  if (it != c.end()) return it->second.parts;
  auto parts = std::make_shared<const std::vector<std::vector<int>>>(partition_dataset(*data, cfg));
  c.emplace(key, PartitionEntry{data, parts});
  return parts;
}

DatasetReplay::DatasetReplay(std::shared_ptr<const Dataset> data, const SplitConfig& cfg,
                             int device, uint64_t seed, ReplayOptions options)
    : data_(std::move(data)), rng_state_(seed), options_(options) {
  if (device < 0 || device >= cfg.devices)
    throw std::invalid_argument("dataset replay: device " + std::to_string(device) +
                                " outside [0, devices = " + std::to_string(cfg.devices) + ")");
  const auto parts = cached_partition(data_, cfg);
  rows_ = (*parts)[static_cast<std::size_t>(device)];
  info_.features = data_->d;
  info_.classes = data_->classes;
  // Range of the whole data set (not the partition), so all devices quantise alike.
  info_.lo = data_->lo;
  info_.hi = data_->hi;
  if (info_.lo.size() != static_cast<std::size_t>(data_->d)) {  // hand-built Dataset
    info_.lo.assign(static_cast<std::size_t>(data_->d), 0.f);
    info_.hi.assign(static_cast<std::size_t>(data_->d), 0.f);
    for (std::size_t i = 0; i < data_->x.size(); ++i) {
      const std::size_t j = i % static_cast<std::size_t>(data_->d);
      info_.lo[j] = i < info_.lo.size() ? data_->x[i] : std::min(info_.lo[j], data_->x[i]);
      info_.hi[j] = i < info_.hi.size() ? data_->x[i] : std::max(info_.hi[j], data_->x[i]);
    }
  }
  if (!options_.time_order) {
    reshuffle();
  } else {
    std::sort(rows_.begin(), rows_.end());
    // A change at row r starts at the first sample of this partition at or after r.
    for (int r : data_->change_rows) {
      const auto k = std::lower_bound(rows_.begin(), rows_.end(), r) - rows_.begin();
      if (k > 0 && k < static_cast<std::ptrdiff_t>(rows_.size()))
        info_.changes.push_back({static_cast<int64_t>(k), "abrupt"});
    }
    if (!options_.once && !info_.changes.empty()) {
      info_.changes.push_back({static_cast<int64_t>(rows_.size()), "recurring"});
      info_.cycle_samples = static_cast<int64_t>(rows_.size());
    }
  }
  if (options_.once) info_.samples = static_cast<int64_t>(rows_.size());
}

void DatasetReplay::reshuffle() {
  SplitMix64 r(rng_state_);
  shuffle_with(rows_, r);
  rng_state_ = r.next_u64();
  pos_ = 0;
}

int DatasetReplay::next(float* x) {
  if (pos_ == rows_.size()) {  // a new pass: in a new order, or again from the first row
    if (options_.time_order)
      pos_ = 0;
    else
      reshuffle();
  }
  const auto i = static_cast<std::size_t>(rows_[pos_++]);
  const auto d = static_cast<std::size_t>(data_->d);
  std::copy_n(data_->x.begin() + static_cast<std::ptrdiff_t>(i * d), d, x);
  return data_->y[i];
}

std::vector<ParamSpec> split_params() {
  using T = ParamSpec::Type;
  return {
      {"split",
       T::Choice,
       0,
       0,
       0,
       {"iid", "shards", "dirichlet", "column"},
       "how the group's devices share the data: iid chunks, label-sorted shards, per-class "
       "Dirichlet(alpha) shares, or one value of a group column per device (generator "
       "`dataset`)"},
      {"alpha", T::Real, 1e-3, 1e3, 0.5, {}, "Dirichlet concentration (split: dirichlet)"},
      {"shards", T::Int, 1, 1000, 2, {}, "label-sorted shards per device (split: shards)"},
      {"partition_seed",
       T::Int,
       0,
       2147483647,
       1,
       {},
       "seed of the split (shared by the whole group; independent of the stream seed)"},
      {"device",
       T::Int,
       0,
       1000000,
       0,
       {},
       "this device's index in its group (filled in by the simulator)"},
      {"devices", T::Int, 1, 1000000, 1, {}, "group size (filled in by the simulator)"},
  };
}

SplitConfig split_config(const Params& p) {
  SplitConfig c;
  c.kind = split_from(p.string("split"));
  c.alpha = p.number("alpha");
  c.shards = static_cast<int>(p.number("shards"));
  c.seed = static_cast<uint64_t>(p.number("partition_seed"));
  c.devices = static_cast<int>(p.number("devices"));
  return c;
}

ComponentInfo fashion_mnist_info() {
  using T = ParamSpec::Type;
  ComponentInfo info{"fashion_mnist",
                     "Fashion-MNIST replay (784 pixels in [0,255], 10 classes), split over the "
                     "device group; needs the Debian package dataset-fashion-mnist",
                     {{"subset", T::Choice, 0, 0, 0, {"train", "test"}, "which file set to replay"},
                      {"dir",
                       T::Text,
                       0,
                       0,
                       0,
                       {},
                       "directory holding the IDX files",
                       "/usr/share/datasets/fashion-mnist"}}};
  for (auto& s : split_params()) info.params.push_back(std::move(s));
  return info;
}

std::unique_ptr<Generator> make_fashion_mnist(const Params& params, uint64_t seed) {
  auto data = load_fashion_mnist(params.string("dir"), params.string("subset"));
  return std::make_unique<DatasetReplay>(data, split_config(params),
                                         static_cast<int>(params.number("device")), seed);
}

ComponentInfo csv_dataset_info() {
  using T = ParamSpec::Type;
  ComponentInfo info{
      "csv_dataset",
      "replay of a CSV file (header row, numeric features, one label column), "
      "split over the device group",
      {{"path", T::Text, 0, 0, 0, {}, "CSV file (may be gzipped)", ""},
       {"label", T::Text, 0, 0, 0, {}, "label column name (empty: last column)", ""}}};
  for (auto& s : split_params()) info.params.push_back(std::move(s));
  return info;
}

std::unique_ptr<Generator> make_csv_dataset(const Params& params, uint64_t seed) {
  const std::string& path = params.string("path");
  if (path.empty()) throw std::invalid_argument("csv_dataset: parameter `path` is required");
  auto data = cached_csv(path, params.string("label"));
  return std::make_unique<DatasetReplay>(data, split_config(params),
                                         static_cast<int>(params.number("device")), seed);
}

}  // namespace tinyfleet
