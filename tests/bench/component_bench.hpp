#pragma once
// Throughput of every registered generator (samples/s) and detector
// (updates/s) with default parameters: `tinyfleet_bench components`.
namespace tinyfleet::bench {
int run_component_bench();
}  // namespace tinyfleet::bench
