// Tests of the real data sets (drift/data_*.{hpp,cpp}): each loader against the
// shapes and class counts measured in /work/shared/reference/taxonomy.md §4,
// the column split, the time-order replay with seattle-weather's change point,
// and the errors. The data cache must exist (setup.sh runs
// scripts/fetch-datasets.sh): a missing file fails these tests, it does not skip them.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "drift/data_catalog.hpp"
#include "drift/data_rda.hpp"
#include "drift/data_readers.hpp"
#include "drift/dataset.hpp"
#include "drift/drifting_stream.hpp"

using namespace tinyfleet;
namespace fs = std::filesystem;

namespace {

std::map<std::string, int> class_counts(const Dataset& ds) {
  std::map<std::string, int> counts;
  for (int y : ds.y)
    counts[ds.class_names.empty() ? std::to_string(y)
                                  : ds.class_names[static_cast<std::size_t>(y)]]++;
  return counts;
}

Params dataset_params(const std::map<std::string, std::string>& strings,
                      const std::map<std::string, double>& numbers = {}) {
  Params p;
  for (const auto& s : dataset_generator_info().params) {
    if (s.type == ParamSpec::Type::Choice)
      p.strings[s.name] = s.choices.front();
    else if (s.type == ParamSpec::Type::Text)
      p.strings[s.name] = s.text_default;
    else
      p.numbers[s.name] = s.default_number;
  }
  for (const auto& [k, v] : strings) p.strings[k] = v;
  for (const auto& [k, v] : numbers) p.numbers[k] = v;
  return p;
}

// Sets an environment variable for one scope.
struct ScopedEnv {
  std::string name, old;
  bool had;
  ScopedEnv(const char* n, const std::string& value) : name(n) {
    const char* o = std::getenv(n);
    had = o != nullptr;
    if (had) old = o;
    setenv(n, value.c_str(), 1);
    clear_dataset_cache();
  }
  ~ScopedEnv() {
    if (had)
      setenv(name.c_str(), old.c_str(), 1);
    else
      unsetenv(name.c_str());
    clear_dataset_cache();
  }
};

fs::path scratch(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / "tinyfleet_test_real_data" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST_CASE("real data: the cache is fetched (setup.sh runs scripts/fetch-datasets.sh)") {
  for (const auto& e : dataset_catalog()) {
    INFO(e.name << " in " << dataset_directory(e) << " (fetch: " << fetch_command(e) << ")");
    CHECK(dataset_fetched(e));
  }
}

TEST_CASE("real data: digits 1797 x 64, pixels 0..16, 10 classes") {
  const auto ds = load_named_dataset("digits", "all");
  CHECK(ds->n == 1797);
  CHECK(ds->d == 64);
  CHECK(ds->classes == 10);
  CHECK(*std::min_element(ds->x.begin(), ds->x.end()) == 0.f);
  CHECK(*std::max_element(ds->x.begin(), ds->x.end()) == 16.f);
  const auto counts = class_counts(*ds);
  CHECK(counts.size() == 10);
  for (const auto& [c, k] : counts) CHECK(k > 170);  // about 180 per digit
}

TEST_CASE("real data: seattle-weather in date order, class counts and the label switch") {
  const auto ds = load_named_dataset("seattle_weather", "all");
  CHECK(ds->n == 1461);
  CHECK(ds->d == 4);
  CHECK(ds->classes == 5);
  CHECK(ds->time_ordered);
  const auto counts = class_counts(*ds);
  CHECK(counts.at("sun") == 714);
  CHECK(counts.at("fog") == 411);
  CHECK(counts.at("rain") == 259);
  CHECK(counts.at("drizzle") == 54);
  CHECK(counts.at("snow") == 23);
  REQUIRE(ds->change_rows == std::vector<int>{kSeattleSwitchRow});
  // The measured switch (taxonomy.md §4): before it every wet day is rain,
  // drizzle or snow; in 2014 (rows 731..1095) wet days are mostly fog or sun.
  auto name = [&](int i) { return ds->class_names[static_cast<std::size_t>(ds->y[i])]; };
  auto precipitation = [&](int i) { return ds->x[static_cast<std::size_t>(i) * 4]; };
  int wet_before = 0;
  for (int i = 0; i < kSeattleSwitchRow; ++i)
    if (precipitation(i) > 0) {
      ++wet_before;
      CHECK(name(i) != "fog");
      CHECK(name(i) != "sun");
    }
  CHECK(wet_before > 150);
  std::map<std::string, int> wet_2014;
  for (int i = 731; i <= 1095; ++i)
    if (precipitation(i) > 0) wet_2014[name(i)]++;
  CHECK(wet_2014["fog"] == 123);
  CHECK(wet_2014["sun"] == 25);
  CHECK(wet_2014["rain"] == 2);
  // The first new-style wet day is row 459 (2013-04-04), the last old-style label row 454.
  CHECK(name(454) == "drizzle");
  CHECK(precipitation(459) > 0);
  CHECK(name(459) == "fog");
}

TEST_CASE("real data: Vowel through the .rda path: 990 rows, 15 speakers, 11 classes") {
  const auto cols = read_rda_table(data_cache_directory() + "/Vowel.rda");
  REQUIRE(cols.size() == 11);
  CHECK(cols.front().name == "V1");
  CHECK(cols.front().factor);
  CHECK(cols.back().name == "Class");
  CHECK(cols.back().levels.size() == 11);
  const auto ds = load_named_dataset("vowel", "all");
  CHECK(ds->n == 990);
  CHECK(ds->d == 9);  // V2..V10; the speaker is the group column, not a feature
  CHECK(ds->classes == 11);
  CHECK(ds->class_names.front() == "hid");
  CHECK(ds->group_column == "speaker");
  CHECK(ds->groups == 15);
  std::vector<int> per_speaker(15, 0);
  for (int g : ds->group) per_speaker[static_cast<std::size_t>(g)]++;
  for (int k : per_speaker) CHECK(k == 66);
  for (const auto& [c, k] : class_counts(*ds)) CHECK(k == 90);  // 15 speakers x 6
}

TEST_CASE("real data: LetterRecognition 20000 x 16 (26 classes), Shuttle 58000 x 9 (7 classes)") {
  const auto letter = load_named_dataset("letter", "all");
  CHECK(letter->n == 20000);
  CHECK(letter->d == 16);
  CHECK(letter->classes == 26);
  CHECK(letter->class_names.front() == "A");
  const auto shuttle = load_named_dataset("shuttle", "all");
  CHECK(shuttle->n == 58000);
  CHECK(shuttle->d == 9);
  CHECK(shuttle->classes == 7);
  std::vector<int> counts;
  for (const auto& [c, k] : class_counts(*shuttle)) counts.push_back(k);
  std::sort(counts.rbegin(), counts.rend());
  CHECK(counts.front() == 45586);
  CHECK(counts.back() == 10);
}

TEST_CASE("real data: FANN thyroid 3600 + 3600 x 21, 3 imbalanced classes") {
  const auto train = load_named_dataset("thyroid", "train");
  const auto test = load_named_dataset("thyroid", "test");
  const auto all = load_named_dataset("thyroid", "all");
  CHECK(train->n == 3600);
  CHECK(test->n == 3600);
  CHECK(all->n == 7200);
  CHECK(all->d == 21);
  CHECK(all->classes == 3);
  std::vector<int> counts(3, 0);
  for (int y : all->y) counts[static_cast<std::size_t>(y)]++;
  const int major = *std::max_element(counts.begin(), counts.end());
  CHECK(major > 0.9 * 7200);  // 92 / 5 / 2.5 %
  CHECK(*std::min_element(counts.begin(), counts.end()) > 0.02 * 7200);
}

TEST_CASE("real data: the Nile series, 100 years with a level shift after 1898") {
  const auto v = load_named_series("nile");
  REQUIRE(v.size() == 100);
  const double before = std::accumulate(v.begin(), v.begin() + 28, 0.0) / 28;  // 1871-1898
  const double after = std::accumulate(v.begin() + 28, v.end(), 0.0) / 72;
  CHECK(before == doctest::Approx(1100).epsilon(0.05));
  CHECK(after == doctest::Approx(850).epsilon(0.05));
  CHECK_THROWS_AS(load_named_series("vowel"), std::invalid_argument);
  CHECK_THROWS_AS(load_named_dataset("nile", "all"), std::invalid_argument);
}

TEST_CASE("real data: split by column gives each device one speaker") {
  const auto ds = load_named_dataset("vowel", "all");
  SplitConfig cfg;
  cfg.kind = SplitKind::Column;
  cfg.devices = 15;
  const auto parts = partition_dataset(*ds, cfg);
  REQUIRE(parts.size() == 15);
  for (std::size_t dv = 0; dv < parts.size(); ++dv) {
    CHECK(parts[dv].size() == 66);
    for (int r : parts[dv]) CHECK(ds->group[static_cast<std::size_t>(r)] == static_cast<int>(dv));
  }
  cfg.values = {8, 9, 10};  // a subset, in the order given
  cfg.devices = 3;
  const auto sub = partition_dataset(*ds, cfg);
  for (std::size_t dv = 0; dv < 3; ++dv)
    for (int r : sub[dv]) CHECK(ds->group[static_cast<std::size_t>(r)] == 8 + static_cast<int>(dv));
  cfg.devices = 4;  // more devices than values
  CHECK_THROWS_AS(partition_dataset(*ds, cfg), std::invalid_argument);
  cfg.values = {8, 8};
  cfg.devices = 2;
  CHECK_THROWS_AS(partition_dataset(*ds, cfg), std::invalid_argument);
  cfg.values = {15};
  cfg.devices = 1;
  CHECK_THROWS_AS(partition_dataset(*ds, cfg), std::invalid_argument);
  cfg.values.clear();
  CHECK_THROWS_AS(partition_dataset(*load_named_dataset("digits", "all"), cfg),
                  std::invalid_argument);  // no group column

  // Through the generator's params: device 2 of values '8-14' replays speaker 10.
  auto g = make_dataset_generator(
      dataset_params(
          {{"name", "vowel"}, {"split", "column"}, {"column", "speaker"}, {"values", "8-14"}},
          {{"device", 2}, {"devices", 7}}),
      1);
  const auto* replay = dynamic_cast<const DatasetReplay*>(g.get());
  REQUIRE(replay);
  CHECK(replay->partition().size() == 66);
  for (int r : replay->partition()) CHECK(ds->group[static_cast<std::size_t>(r)] == 10);
  CHECK_THROWS_AS(
      make_dataset_generator(
          dataset_params({{"name", "vowel"}, {"split", "column"}, {"column", "gender"}}), 1),
      std::invalid_argument);
  CHECK_THROWS_AS(
      make_dataset_generator(
          dataset_params(
              {{"name", "vowel"}, {"split", "column"}, {"column", "speaker"}, {"values", "8-x"}}),
          1),
      std::invalid_argument);
}

TEST_CASE("real data: seattle in time order replays the days and reports the switch") {
  const auto ds = load_named_dataset("seattle_weather", "all");
  auto once = make_dataset_generator(
      dataset_params({{"name", "seattle_weather"}, {"passes", "once"}}), 7);  // order auto
  const StreamInfo& info = once->info();
  CHECK(info.samples == 1461);
  CHECK(info.cycle_samples == 0);
  REQUIRE(info.changes.size() == 1);
  CHECK(info.changes[0].sample == kSeattleSwitchRow);
  std::vector<float> x(4);
  for (int i = 0; i < 1461; ++i) {
    const int y = once->next(x.data());
    REQUIRE(y == ds->y[static_cast<std::size_t>(i)]);
    REQUIRE(x[1] == ds->x[static_cast<std::size_t>(i) * 4 + 1]);
  }
  // Cycling: the jump back to 2012 is a change too, every 1461 samples.
  auto cycle = make_dataset_generator(dataset_params({{"name", "seattle_weather"}}), 7);
  CHECK(cycle->info().cycle_samples == 1461);
  REQUIRE(cycle->info().changes.size() == 2);
  CHECK(std::string(cycle->info().changes[1].kind) == "recurring");
  // Shuffled: no time order, no change points.
  auto shuffled = make_dataset_generator(
      dataset_params({{"name", "seattle_weather"}, {"order", "shuffle"}}), 7);
  CHECK(shuffled->info().changes.empty());

  // On a device's clock: sample k at phase + k·period; the switch lands at row 455.
  StreamSpec spec;
  spec.generator = "dataset";
  spec.params = dataset_params({{"name", "seattle_weather"}});
  spec.rate_hz = 1.0 / 86400;
  DriftingStream stream(spec, {}, 3);
  const double phase = 1234.5, day = 86400;
  stream.schedule_data_changes(phase, day, 3000 * day, "dataset");
  const auto& cps = stream.change_points();
  REQUIRE(cps.size() == 4);  // 455, 1461 (back to 2012), 1461 + 455, 2922
  CHECK(cps[0].start_s == doctest::Approx(phase + 455 * day));
  CHECK(cps[1].start_s == doctest::Approx(phase + 1461 * day));
  CHECK(cps[2].start_s == doctest::Approx(phase + (1461 + 455) * day));
  CHECK(cps[3].start_s == doctest::Approx(phase + 2922 * day));
  spec.params = dataset_params({{"name", "seattle_weather"}, {"passes", "once"}});
  DriftingStream single(spec, {}, 3);
  CHECK_NOTHROW(single.schedule_data_changes(phase, day, 1461 * day, "dataset"));
  DriftingStream too_short(spec, {}, 3);
  CHECK_THROWS_AS(too_short.schedule_data_changes(phase, day, 1500 * day, "dataset"),
                  std::invalid_argument);
}

TEST_CASE("real data: missing and bad files are clear errors") {
  const fs::path dir = scratch("bad");
  {
    ScopedEnv env("TINYFLEET_DATA_DIR", (dir / "nowhere").string());
    try {
      load_named_dataset("vowel", "all");
      FAIL("expected a DatasetError");
    } catch (const DatasetError& e) {
      const std::string what = e.what();
      CHECK(what.find("Vowel.rda") != std::string::npos);
      CHECK(what.find("scripts/fetch-datasets.sh") != std::string::npos);
    }
    try {  // the generator turns it into a scenario input error
      make_dataset_generator(dataset_params({{"name", "digits"}}), 1);
      FAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find("fetch-datasets.sh") != std::string::npos);
    }
    CHECK_THROWS_AS(load_named_series("nile"), DatasetError);
  }
  std::ofstream(dir / "Vowel.rda", std::ios::binary) << "\xFD"
                                                     << "7zXZ" << '\0' << "garbage";
  CHECK_THROWS_AS(read_rda_table((dir / "Vowel.rda").string()), DatasetError);
  std::ofstream(dir / "plain.rda", std::ios::binary) << "not an R file at all";
  CHECK_THROWS_AS(read_rda_table((dir / "plain.rda").string()), DatasetError);
  std::ofstream(dir / "short.fann") << "2 3 2\n1 2 3\n0 1\n1 2\n";
  CHECK_THROWS_WITH_AS(read_fann((dir / "short.fann").string()), doctest::Contains("sample 2"),
                       DatasetError);
  std::ofstream(dir / "head.fann") << "two 3 2\n";
  CHECK_THROWS_AS(read_fann((dir / "head.fann").string()), DatasetError);
  std::ofstream(dir / "w.csv") << "date,rain,temp_max,temp_min,wind,weather\n";
  CHECK_THROWS_WITH_AS(read_seattle_weather((dir / "w.csv").string()), doctest::Contains("header"),
                       DatasetError);
  std::ofstream(dir / "d.csv") << "1,2,3\n4,5\n";
  CHECK_THROWS_WITH_AS(read_digits_csv((dir / "d.csv").string()), doctest::Contains("line 2"),
                       DatasetError);
  CHECK_THROWS_AS(load_named_dataset("vowel", "train"), std::invalid_argument);
  CHECK_THROWS_AS(load_named_dataset("mnist", "all"), std::invalid_argument);
}
