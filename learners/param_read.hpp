#pragma once
// Typed reads of a learner's resolved parameters, with the range checks its
// factory needs. Errors are std::invalid_argument naming the parameter.
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenarios/params.hpp"

namespace tinyfleet::learner_params {

inline double number_of(const Params& p, const std::string& key) {
  auto it = p.numbers.find(key);
  if (it == p.numbers.end()) throw std::invalid_argument("learner parameter missing: " + key);
  return it->second;
}

inline int64_t int_of(const Params& p, const std::string& key, double lo, double hi) {
  const double v = number_of(p, key);
  if (!(v >= lo && v <= hi) || v != std::floor(v))
    throw std::invalid_argument("learner parameter " + key + " must be an integer in [" +
                                std::to_string(static_cast<long long>(lo)) + ", " +
                                std::to_string(static_cast<long long>(hi)) + "]");
  return static_cast<int64_t>(v);
}

inline double real_of(const Params& p, const std::string& key, double lo, double hi) {
  const double v = number_of(p, key);
  if (!(v >= lo && v <= hi))
    throw std::invalid_argument("learner parameter " + key + " must be in [" + std::to_string(lo) +
                                ", " + std::to_string(hi) + "]");
  return v;
}

inline std::string choice_of(const Params& p, const std::string& key,
                             const std::vector<std::string>& allowed) {
  auto it = p.strings.find(key);
  if (it == p.strings.end()) throw std::invalid_argument("learner parameter missing: " + key);
  for (const auto& a : allowed)
    if (it->second == a) return it->second;
  throw std::invalid_argument("learner parameter " + key + ": invalid choice '" + it->second + "'");
}

}  // namespace tinyfleet::learner_params
