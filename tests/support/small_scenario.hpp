#pragma once
// A small scenario built in code from the registered components' defaults,
// for tests that exercise devices without a YAML file.
#include <stdexcept>
#include <string>

#include "drift/detector.hpp"
#include "drift/stream.hpp"
#include "learners/learner.hpp"
#include "scenarios/scenario.hpp"

namespace tinyfleet::testing {

inline const ComponentInfo& component(const std::vector<ComponentInfo>& catalog,
                                      const std::string& name) {
  for (const auto& c : catalog)
    if (c.name == name) return c;
  throw std::invalid_argument("no component " + name);
}

inline GroupSpec sea_group(const std::string& name, const std::string& learner, int count,
                           bool with_detector) {
  GroupSpec g;
  g.name = name;
  g.count = count;
  g.device = "nrf52840";
  g.stream.generator = "sea";
  g.stream.params = default_params(component(generator_catalog(), "sea").params);
  g.stream.params.numbers["variant"] = 2;  // boundary x1 + x2 = 7 ...
  g.stream.params.numbers["noise"] = 0.0;
  g.stream.rate_hz = 1.0;
  g.labels = {0.5, 10.0};
  g.learner.kind = learner;
  g.learner.params = default_params(component(learner_catalog(), learner).params);
  g.learner.params.numbers["budget"] = 128;
  g.learner.params.strings["add"] = "all";
  if (with_detector) {
    g.learner.detector.kind = "page_hinkley";
    g.learner.detector.params =
        default_params(component(detector_catalog(), "page_hinkley").params);
    g.learner.detector.params.numbers["threshold"] = 25;
    g.learner.detector.params.strings["mode"] = "up";
  }
  DriftSpec drift;
  drift.at_s = 3600;
  drift.to.numbers["variant"] = 3;  // ... moves to 9.5 at 1 h
  g.drifts.push_back(drift);
  return g;
}

inline Scenario small_scenario(int per_group = 4, double duration_s = 7200) {
  Scenario sc;
  sc.name = "small";
  sc.seed = 7;
  sc.duration_s = duration_s;
  sc.groups.push_back(sea_group("knn", "knn", per_group, true));
  sc.groups.push_back(sea_group("static", "static", per_group, false));
  return sc;
}

}  // namespace tinyfleet::testing
