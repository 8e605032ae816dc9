// What the Fashion-MNIST fidelity runs (fidelity_tifed, fidelity_nitro,
// fidelity_bnn) share: the command-line options, loading the two data files,
// wall-clock timing and the seeded shuffle.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "drift/dataset.hpp"
#include "drift/rng.hpp"

namespace tinyfleet::fidelity {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Fisher–Yates from the back, one draw per position from the run's stream.
inline void shuffle(std::vector<int>& v, SplitMix64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.next_below(i)]);
}

// `--name value` options and `--name` flags, each bound to a variable that
// holds its default. A missing value or an unknown option is reported on
// stderr and parse() returns false (the programs then exit with status 2).
class Options {
 public:
  Options& add(std::string name, std::string& target) {
    return with_value(std::move(name), [&target](const std::string& v) { target = v; });
  }
  Options& add(std::string name, int& target) {
    return with_value(std::move(name), [&target](const std::string& v) { target = std::stoi(v); });
  }
  Options& add(std::string name, uint64_t& target) {
    return with_value(std::move(name),
                      [&target](const std::string& v) { target = std::stoull(v); });
  }
  Options& add(std::string name, double& target) {
    return with_value(std::move(name), [&target](const std::string& v) { target = std::stod(v); });
  }
  Options& add_flag(std::string name, bool& target) {
    options_.push_back({std::move(name), false, [&target](const std::string&) { target = true; }});
    return *this;
  }

  bool parse(int argc, char** argv) const {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      const Option* option = find(a);
      if (!option) {
        std::fprintf(stderr, "unknown option %s\n", a.c_str());
        return false;
      }
      if (!option->takes_value) {
        option->set("");
        continue;
      }
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        return false;
      }
      option->set(argv[++i]);
    }
    return true;
  }

 private:
  struct Option {
    std::string name;
    bool takes_value;
    std::function<void(const std::string&)> set;
  };

  Options& with_value(std::string name, std::function<void(const std::string&)> set) {
    options_.push_back({std::move(name), true, std::move(set)});
    return *this;
  }
  const Option* find(const std::string& name) const {
    for (const auto& o : options_)
      if (o.name == name) return &o;
    return nullptr;
  }

  std::vector<Option> options_;
};

// Where Debian's dataset-fashion-mnist package puts the files.
inline const char* const kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

struct FashionMnist {
  std::shared_ptr<const Dataset> train, test;
};

// Both files from `dir`, or nothing after printing why on stderr.
inline std::optional<FashionMnist> load_fashion_mnist_pair(const std::string& dir) {
  try {
    return FashionMnist{load_fashion_mnist(dir, "train"), load_fashion_mnist(dir, "test")};
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return std::nullopt;
  }
}

}  // namespace tinyfleet::fidelity
