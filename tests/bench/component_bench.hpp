#pragma once
// Throughput of every registered generator (samples/s) and detector
// (updates/s) with default parameters: `tinyfleet_bench components`.
namespace tinyfleet::bench {
int run_component_bench();
}  // namespace tinyfleet::bench

namespace tinyfleet::bench {
// Inference and training samples/s and MAC/s of every learner on 784-feature,
// 10-class inputs (Fashion-MNIST's shape): `tinyfleet_bench kernels`.
int run_kernel_bench();
}  // namespace tinyfleet::bench
