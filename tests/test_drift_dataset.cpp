// Tests of the data-set readers, partitions and replay generators (drift/dataset.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "drift/dataset.hpp"

using namespace tinyfleet;
namespace fs = std::filesystem;

namespace {

const char* kFashionDir = "/usr/share/datasets/fashion-mnist";

fs::path tmp_dir() {
  const fs::path p = fs::temp_directory_path() / "tinyfleet_test_drift_dataset";
  fs::create_directories(p);
  return p;
}

void write_bytes(const fs::path& p, const std::vector<uint8_t>& b) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

void put_be32(std::vector<uint8_t>& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
}

uint32_t crc32(const std::vector<uint8_t>& b) {  // IEEE 802.3, bitwise (test-sized inputs)
  uint32_t c = 0xFFFFFFFFu;
  for (uint8_t v : b) {
    c ^= v;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

// A valid gzip file (RFC 1952) holding `raw` in stored deflate blocks
// (RFC 1951 BTYPE 00): no compressor needed in the test.
std::vector<uint8_t> gzip_stored(const std::vector<uint8_t>& raw) {
  std::vector<uint8_t> g = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
  std::size_t pos = 0;
  do {
    const std::size_t len = std::min<std::size_t>(raw.size() - pos, 65535);
    const bool last = pos + len == raw.size();
    g.push_back(last ? 1 : 0);
    g.push_back(static_cast<uint8_t>(len));
    g.push_back(static_cast<uint8_t>(len >> 8));
    g.push_back(static_cast<uint8_t>(~len));
    g.push_back(static_cast<uint8_t>(~len >> 8));
    g.insert(g.end(), raw.begin() + static_cast<std::ptrdiff_t>(pos),
             raw.begin() + static_cast<std::ptrdiff_t>(pos + len));
    pos += len;
  } while (pos < raw.size());
  const uint32_t crc = crc32(raw), size = static_cast<uint32_t>(raw.size());
  for (int s = 0; s < 32; s += 8) g.push_back(static_cast<uint8_t>(crc >> s));
  for (int s = 0; s < 32; s += 8) g.push_back(static_cast<uint8_t>(size >> s));
  return g;
}

// n images of r×c bytes, pixel (i, k) = (7·i + k) mod 256, label i mod 3.
std::vector<uint8_t> idx_images(uint32_t n, uint32_t r, uint32_t c) {
  std::vector<uint8_t> b;
  put_be32(b, 0x00000803u);
  put_be32(b, n);
  put_be32(b, r);
  put_be32(b, c);
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t k = 0; k < r * c; ++k) b.push_back(static_cast<uint8_t>((7 * i + k) % 256));
  return b;
}

std::vector<uint8_t> idx_labels(uint32_t n) {
  std::vector<uint8_t> b;
  put_be32(b, 0x00000801u);
  put_be32(b, n);
  for (uint32_t i = 0; i < n; ++i) b.push_back(static_cast<uint8_t>(i % 3));
  return b;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

Dataset synthetic(int n, int classes) {
  Dataset d;
  d.n = n;
  d.d = 2;
  d.classes = classes;
  for (int i = 0; i < n; ++i) {
    d.x.push_back(static_cast<float>(i));
    d.x.push_back(static_cast<float>(i % 7));
    d.y.push_back((i * 7 + i / 3) % classes);
  }
  return d;
}

void check_cover(const std::vector<std::vector<int>>& parts, int n) {
  std::vector<int> all;
  for (const auto& p : parts) {
    CHECK(!p.empty());
    all.insert(all.end(), p.begin(), p.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<int> want(static_cast<std::size_t>(n));
  std::iota(want.begin(), want.end(), 0);
  CHECK(all == want);  // disjoint and complete
}

}  // namespace

TEST_CASE("dataset: IDX reader, raw and gzipped, and its errors") {
  const fs::path dir = tmp_dir();
  write_bytes(dir / "img", idx_images(5, 2, 3));
  write_bytes(dir / "lab", idx_labels(5));
  const Dataset d = read_idx((dir / "img").string(), (dir / "lab").string());
  CHECK(d.n == 5);
  CHECK(d.d == 6);
  CHECK(d.classes == 3);
  CHECK(d.x[1 * 6 + 4] == 11.f);  // 7·1 + 4
  CHECK(d.y == std::vector<int>{0, 1, 2, 0, 1});
  CHECK(d.lo[0] == 0.f);
  CHECK(d.hi[5] == 255.f);

  write_bytes(dir / "img.gz", gzip_stored(idx_images(5, 2, 3)));
  write_bytes(dir / "lab.gz", gzip_stored(idx_labels(5)));
  if (dataset_gzip_available()) {
    const Dataset g = read_idx((dir / "img.gz").string(), (dir / "lab.gz").string());
    CHECK(g.x == d.x);
    CHECK(g.y == d.y);
    // A gzip stream cut short is an error, not a short data set.
    auto gz = gzip_stored(idx_images(5, 2, 3));
    gz.resize(gz.size() - 20);
    write_bytes(dir / "cut.gz", gz);
    CHECK(message_of([&] {
            read_idx((dir / "cut.gz").string(), (dir / "lab").string());
          }).find("truncated or corrupt gzip") != std::string::npos);
  } else {
    MESSAGE("zlib not linked: checking the gzip error message instead");
    CHECK(message_of([&] {
            read_idx((dir / "img.gz").string(), (dir / "lab").string());
          }).find("zlib") != std::string::npos);
  }

  // Missing file: the message names it.
  const std::string missing = (dir / "nope").string();
  CHECK(message_of([&] { read_idx(missing, (dir / "lab").string()); }).find(missing) !=
        std::string::npos);
  // Bad magic (a label file, long enough for an image header, given as images).
  write_bytes(dir / "lab20", idx_labels(20));
  const std::string lab20 = (dir / "lab20").string(), lab = (dir / "lab").string();
  CHECK(message_of([&] { read_idx(lab20, lab); }).find("bad IDX magic") != std::string::npos);
  // Truncated pixels.
  auto img = idx_images(5, 2, 3);
  img.resize(img.size() - 1);
  write_bytes(dir / "short", img);
  CHECK(message_of([&] {
          read_idx((dir / "short").string(), (dir / "lab").string());
        }).find("truncated") != std::string::npos);
  // Label count mismatch.
  write_bytes(dir / "lab4", idx_labels(4));
  CHECK(message_of([&] {
          read_idx((dir / "img").string(), (dir / "lab4").string());
        }).find("labels for") != std::string::npos);
}

TEST_CASE("dataset: CSV reader (label column by name, string labels, errors)") {
  const fs::path dir = tmp_dir();
  {
    std::ofstream f(dir / "a.csv");
    f << "temp, label ,hum\n1.5,cold,10\n2.5,hot,20\n\n-3,cold,30\n";
  }
  const Dataset d = read_csv((dir / "a.csv").string(), "label");
  CHECK(d.n == 3);
  CHECK(d.d == 2);
  CHECK(d.classes == 2);
  CHECK(d.class_names == std::vector<std::string>{"cold", "hot"});
  CHECK(d.y == std::vector<int>{0, 1, 0});
  CHECK(d.x == std::vector<float>{1.5f, 10.f, 2.5f, 20.f, -3.f, 30.f});
  CHECK(d.lo == std::vector<float>{-3.f, 10.f});
  CHECK(d.hi == std::vector<float>{2.5f, 30.f});
  {
    std::ofstream f(dir / "b.csv");
    f << "a,b,y\n0,1,2\n3,4,0\n";
  }
  const Dataset e = read_csv((dir / "b.csv").string(), "");  // last column
  CHECK(e.classes == 3);
  CHECK(e.y == std::vector<int>{2, 0});
  CHECK(e.class_names.empty());
  if (dataset_gzip_available()) {
    std::string text = "a,b,y\n0,1,2\n3,4,0\n";
    write_bytes(dir / "b.csv.gz", gzip_stored(std::vector<uint8_t>(text.begin(), text.end())));
    const Dataset g = read_csv((dir / "b.csv.gz").string(), "y");
    CHECK(g.x == e.x);
    CHECK(g.y == e.y);
  }
  CHECK(message_of([&] { read_csv((dir / "a.csv").string(), "nope"); }).find("no column named") !=
        std::string::npos);
  {
    std::ofstream f(dir / "c.csv");
    f << "a,y\nx1,0\n";
  }
  CHECK(message_of([&] { read_csv((dir / "c.csv").string(), "y"); }).find("not a finite number") !=
        std::string::npos);
  {
    std::ofstream f(dir / "d.csv");
    f << "a,y\n1,0,5\n";
  }
  CHECK(message_of([&] { read_csv((dir / "d.csv").string(), "y"); }).find("line 2") !=
        std::string::npos);
}

TEST_CASE("dataset: iid, shards and dirichlet splits cover the data deterministically") {
  const Dataset d = synthetic(1000, 10);
  for (SplitKind k : {SplitKind::Iid, SplitKind::Shards, SplitKind::Dirichlet}) {
    CAPTURE(static_cast<int>(k));
    SplitConfig c;
    c.kind = k;
    c.devices = 7;
    c.shards = 2;
    c.alpha = 0.3;
    const auto a = partition_dataset(d, c);
    REQUIRE(a.size() == 7);
    check_cover(a, 1000);
    CHECK(partition_dataset(d, c) == a);  // deterministic
    c.seed = 2;
    CHECK(partition_dataset(d, c) != a);  // partition_seed matters
  }
  SplitConfig iid;
  iid.devices = 8;
  for (const auto& p : partition_dataset(d, iid)) CHECK(p.size() == 125);
  // Shards: each device holds 2 label-sorted slices of 1000/20 = 50 rows, so
  // at most 4 distinct labels (a slice may straddle one label boundary).
  SplitConfig sh;
  sh.kind = SplitKind::Shards;
  sh.devices = 10;
  for (const auto& p : partition_dataset(d, sh)) {
    CHECK(p.size() == 100);
    std::set<int> labels;
    for (int i : p) labels.insert(d.y[static_cast<std::size_t>(i)]);
    CHECK(labels.size() <= 4);
  }
  // Dirichlet with a small α is skewed: some device's majority class holds
  // well over the iid share of 10 %.
  SplitConfig di;
  di.kind = SplitKind::Dirichlet;
  di.devices = 5;
  di.alpha = 0.1;
  double max_share = 0;
  for (const auto& p : partition_dataset(d, di)) {
    std::vector<int> count(10, 0);
    for (int i : p) ++count[static_cast<std::size_t>(d.y[static_cast<std::size_t>(i)])];
    max_share =
        std::max(max_share, static_cast<double>(*std::max_element(count.begin(), count.end())) /
                                static_cast<double>(p.size()));
  }
  CHECK(max_share > 0.3);
  // Many devices, tiny data: nobody is left empty.
  SplitConfig many = di;
  many.devices = 200;
  check_cover(partition_dataset(synthetic(300, 10), many), 300);
  SplitConfig bad;
  bad.devices = 2000;
  CHECK_THROWS_AS(partition_dataset(d, bad), std::invalid_argument);
}

TEST_CASE(
    "dataset: replay walks the device's partition, reshuffled per pass, seed-independent split") {
  auto data = std::make_shared<const Dataset>(synthetic(200, 4));
  SplitConfig c;
  c.devices = 4;
  DatasetReplay a(data, c, 1, 10), b(data, c, 1, 11), other(data, c, 2, 10);
  auto sorted = [](std::vector<int> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(sorted(a.partition()) == sorted(b.partition()));  // split independent of the seed
  CHECK(a.partition() != b.partition());                  // walk order is not
  CHECK(a.info().features == 2);
  CHECK(a.info().classes == 4);
  CHECK(a.info().lo == std::vector<float>{0.f, 0.f});
  CHECK(a.info().hi == std::vector<float>{199.f, 6.f});
  const std::vector<int> part = sorted(a.partition());
  std::set<int> other_rows(other.partition().begin(), other.partition().end());
  float x[2];
  for (int pass = 0; pass < 3; ++pass) {
    std::vector<int> seen;
    for (std::size_t i = 0; i < part.size(); ++i) {
      const int y = a.next(x);
      const int row = static_cast<int>(x[0]);
      CHECK(y == data->y[static_cast<std::size_t>(row)]);
      CHECK(other_rows.count(row) == 0);
      seen.push_back(row);
    }
    CHECK(sorted(seen) == part);  // every row exactly once per pass
  }
  CHECK_THROWS_AS(DatasetReplay(data, c, 4, 1), std::invalid_argument);
}

TEST_CASE("dataset: csv_dataset generator through its params") {
  const fs::path dir = tmp_dir();
  {
    std::ofstream f(dir / "g.csv");
    f << "f1,f2,cls\n";
    for (int i = 0; i < 40; ++i) f << i << "," << (i % 5) << "," << (i % 2 ? "b" : "a") << "\n";
  }
  Params p = default_params(csv_dataset_info().params);
  p.strings["path"] = (dir / "g.csv").string();
  p.strings["label"] = "cls";
  p.numbers["devices"] = 4;
  p.numbers["device"] = 3;
  auto g = make_csv_dataset(p, 5);
  CHECK(g->info().features == 2);
  CHECK(g->info().classes == 2);
  float x[2];
  for (int i = 0; i < 25; ++i) {
    const int y = g->next(x);
    CHECK(y == static_cast<int>(x[0]) % 2);
  }
  p.strings["path"] = "";
  CHECK_THROWS_AS(make_csv_dataset(p, 5), std::invalid_argument);
  p.strings["path"] = (dir / "g.csv").string();
  p.numbers["device"] = 4;
  CHECK_THROWS_AS(make_csv_dataset(p, 5), std::invalid_argument);
}

TEST_CASE("dataset: missing Fashion-MNIST names the apt package") {
  const std::string m = message_of([] { load_fashion_mnist("/nonexistent/fmnist", "train"); });
  CHECK(m.find("/nonexistent/fmnist/train-images-idx3-ubyte.gz") != std::string::npos);
  CHECK(m.find("apt-get install dataset-fashion-mnist") != std::string::npos);
}

TEST_CASE("dataset: [fashion] the real Fashion-MNIST files") {
  if (!fs::exists(kFashionDir)) {
    MESSAGE("skipped: " << kFashionDir << " absent (apt-get install dataset-fashion-mnist)");
    return;
  }
  if (!dataset_gzip_available()) {
    MESSAGE("skipped: this binary is not linked with zlib");
    return;
  }
  const auto train = load_fashion_mnist(kFashionDir, "train");
  const auto test = load_fashion_mnist(kFashionDir, "test");
  CHECK(train->n == 60000);
  CHECK(test->n == 10000);
  CHECK(train->d == 784);
  CHECK(train->classes == 10);
  std::vector<int> count(10, 0);
  for (int y : train->y) ++count[static_cast<std::size_t>(y)];
  for (int c : count) CHECK(c == 6000);                                  // balanced
  CHECK(load_fashion_mnist(kFashionDir, "train").get() == train.get());  // cached: loaded once
  // The registered generator, device 3 of 8 in an iid split: 7500 rows.
  Params p = default_params(fashion_mnist_info().params);
  p.numbers["devices"] = 8;
  p.numbers["device"] = 3;
  auto g = make_generator("fashion_mnist", p, 1);
  CHECK(g->info().features == 784);
  CHECK(g->info().lo[0] == 0.f);
  CHECK(g->info().hi[0] == 255.f);
  CHECK(dynamic_cast<DatasetReplay&>(*g).partition().size() == 7500);
  std::vector<float> x(784);
  const int y = g->next(x.data());
  CHECK(y >= 0);
  CHECK(y < 10);
  CHECK(*std::max_element(x.begin(), x.end()) <= 255.f);
}
