// Fidelity run of the NITRO-D kernel (learners/nitro.hpp) against the paper's
// Fashion-MNIST figure (kernels.md §2(d): MLP 784-200-100-50-10, 88.66 ± 0.46 %,
// mean of 10 runs of the best test accuracy).
//
// Protocol = the reference notebook results/mlp_2_fmnist/train.ipynb and its
// train_test_experiment():
// - data: the 60 000 training images shuffled once; one global mean and mean
//   absolute deviation (MAD) over the first 25 000 of them (integer, truncated);
//   every pixel x → clip(trunc((x − mean)·51 / MAD), −128, 127) as int8.
//   Targets 32·onehot. No validation split, no augmentation, no dropout.
// - net: blocks 200, 100, 50 + output layer, no bias, NITRO-LeakyReLU α_inv 4,
//   integer Kaiming-uniform init; IntegerSGD η_inv 512, amplification 640 on
//   block forward layers, λ_inv 10 000 (forward layers) and 8 000 (learning and
//   output layers): the notebook's values, not MLP1-MNIST's.
// - training: batch 64, each epoch reshuffles and trains the 937 full batches
//   (the last 32 images are dropped, as in the reference); after each epoch the
//   test accuracy over 156 full batches (the first 9 984 test images) drives
//   EarlyStopping(min_delta 0.01, patience 35, from epoch 30) and then
//   ReduceLROnPlateau(η_inv ×3, min_delta 0.01, patience 15, from epoch 10),
//   at most 150 epochs. The reported figure is the best test accuracy over
//   training (kernels.md §2(b): an optimistic protocol); we also print the
//   accuracy on all 10 000 test images at that epoch.
// `--epochs N` caps the epoch count (the schedule is otherwise unchanged);
// `--max-seconds T` stops a run after the first epoch that ends past T seconds
// of wall time (the run is then reproduced exactly by `--epochs <epochs run>`).
//
// Usage: fidelity_nitro [--dir D] [--runs R] [--seed S] [--epochs N] [--max-seconds T]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "drift/dataset.hpp"
#include "drift/rng.hpp"
#include "learners/nitro.hpp"
#include "tests/bench/fidelity_common.hpp"

using namespace tinyfleet;
using namespace tinyfleet::fidelity;

namespace {

// The reference's plateau/early-stopping counters (lib/utils/nn.py semantics):
// an epoch "improves" only if it beats the best seen by min_delta.
struct PlateauCounter {
  double min_delta;
  int patience, from_epoch;
  double best = 0.0;
  int counter = 0, epoch = 0;
  bool reset_on_fire;
  bool step(double acc) {
    if (++epoch < from_epoch) return false;
    if (acc < best + min_delta) {
      if (++counter >= patience) {
        if (reset_on_fire) counter = 0;
        return true;
      }
      return false;
    }
    best = acc;
    counter = 0;
    return false;
  }
};

struct Eval {
  double ref = 0, full = 0;  // accuracy over 9 984 / 10 000 test images
};

Eval evaluate(NitroLearner& net, const std::vector<int8_t>& xq, const std::vector<int>& y, int d,
              OpCounter& ops) {
  const int n = static_cast<int>(y.size());
  const int n_ref = n / 64 * 64;
  int ok_ref = 0, ok = 0;
  for (int i = 0; i < n; ++i) {
    const bool hit = net.predict_quantised(xq.data() + static_cast<std::size_t>(i) * d, ops) ==
                     y[static_cast<std::size_t>(i)];
    ok += hit;
    if (i < n_ref) ok_ref += hit;
  }
  return {100.0 * ok_ref / n_ref, 100.0 * ok / n};
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = kFashionMnistDir;
  int runs = 1, max_epochs = 150;
  double max_seconds = 0;  // 0: no wall-time cap
  uint64_t seed = 42;
  Options options;
  options.add("--dir", dir)
      .add("--runs", runs)
      .add("--seed", seed)
      .add("--epochs", max_epochs)
      .add("--max-seconds", max_seconds);
  if (!options.parse(argc, argv)) return 2;
  const auto data = load_fashion_mnist_pair(dir);
  if (!data) return 1;
  const auto& [train, test] = *data;
  const int d = train->d, kBatch = 64;
  const auto du = static_cast<std::size_t>(d);
  std::vector<double> bests;
  const auto t_all = Clock::now();
  for (int run = 0; run < runs; ++run) {
    const uint64_t run_seed = seed + static_cast<uint64_t>(run);
    SplitMix64 rng(derive_seed(run_seed, 0, 0x0F1DE117ull));
    // Shuffle once, statistics over the first 25 000 shuffled images (reference data.py).
    std::vector<int> order(static_cast<std::size_t>(train->n));
    for (int i = 0; i < train->n; ++i) order[static_cast<std::size_t>(i)] = i;
    shuffle(order, rng);
    const int n_stats = std::min(train->n, 25000);
    int64_t sum = 0;
    for (int r = 0; r < n_stats; ++r)
      for (std::size_t j = 0; j < du; ++j)
        sum += static_cast<int64_t>(
            train->x[static_cast<std::size_t>(order[static_cast<std::size_t>(r)]) * du + j]);
    const int64_t count = static_cast<int64_t>(n_stats) * d;
    const int64_t mean = sum / count;
    int64_t abs_sum = 0;
    for (int r = 0; r < n_stats; ++r)
      for (std::size_t j = 0; j < du; ++j) {
        const int64_t v = static_cast<int64_t>(
            train->x[static_cast<std::size_t>(order[static_cast<std::size_t>(r)]) * du + j]);
        abs_sum += v > mean ? v - mean : mean - v;
      }
    const int64_t mad = abs_sum / count;
    auto norm = [&](float px) {
      const int64_t v = (static_cast<int64_t>(px) - mean) * 51 / mad;  // truncation
      return static_cast<int8_t>(std::clamp<int64_t>(v, -128, 127));
    };
    std::vector<int8_t> xtr(train->x.size()), xte(test->x.size());
    for (std::size_t i = 0; i < xtr.size(); ++i) xtr[i] = norm(train->x[i]);
    for (std::size_t i = 0; i < xte.size(); ++i) xte[i] = norm(test->x[i]);
    std::printf("run %d: mean %lld, MAD %lld (normalised range [%d, %d])\n", run,
                static_cast<long long>(mean), static_cast<long long>(mad),
                *std::min_element(xtr.begin(), xtr.end()),
                *std::max_element(xtr.begin(), xtr.end()));

    NitroConfig cfg;
    cfg.hidden = {200, 100, 50};
    cfg.lr_inv = 512;
    cfg.decay_fwd = 10000;
    cfg.decay_learn = 8000;
    cfg.batch = kBatch;
    cfg.buffer = kBatch;
    StreamInfo info{d, train->classes, train->lo, train->hi};
    NitroLearner net(cfg, info, run_seed);

    PlateauCounter stop{0.01 * 100, 35, 30, 0.0, 0, 0, false};
    PlateauCounter plateau{0.01 * 100, 15, 10, 0.0, 0, 0, true};
    std::vector<int8_t> mb(static_cast<std::size_t>(kBatch) * du);
    std::vector<int> mby(static_cast<std::size_t>(kBatch));
    Eval best;
    int best_epoch = 0, epoch = 0;
    double train_s = 0, eval_s = 0;
    OpCounter train_ops, eval_ops;
    const int batches = train->n / kBatch;
    const auto t_run = Clock::now();
    for (epoch = 1; epoch <= max_epochs; ++epoch) {
      shuffle(order, rng);
      const auto t0 = Clock::now();
      for (int b = 0; b < batches; ++b) {
        for (int s = 0; s < kBatch; ++s) {
          const auto row =
              static_cast<std::size_t>(order[static_cast<std::size_t>(b * kBatch + s)]);
          std::memcpy(mb.data() + static_cast<std::size_t>(s) * du, xtr.data() + row * du, du);
          mby[static_cast<std::size_t>(s)] = train->y[row];
        }
        net.train_minibatch(mb.data(), mby.data(), kBatch, train_ops);
      }
      train_s += seconds_since(t0);
      const auto t1 = Clock::now();
      const Eval e = evaluate(net, xte, test->y, d, eval_ops);
      eval_s += seconds_since(t1);
      if (e.ref > best.ref) {
        best = e;
        best_epoch = epoch;
      }
      std::printf(
          "run %d epoch %3d (eta_inv %d): test %.2f %% (all 10000: %.2f %%), best %.2f %%\n", run,
          epoch, net.config().lr_inv, e.ref, e.full, best.ref);
      std::fflush(stdout);
      if (stop.step(e.ref)) {
        std::printf("run %d: early stop at epoch %d\n", run, epoch);
        break;
      }
      if (plateau.step(e.ref)) net.set_lr_inv(net.config().lr_inv * 3);
      if (max_seconds > 0 && seconds_since(t_run) > max_seconds) {
        std::printf("run %d: wall-time cap reached after epoch %d\n", run, epoch);
        break;
      }
    }
    const double samples = static_cast<double>(std::min(epoch, max_epochs)) * batches * kBatch;
    std::printf(
        "run %d: best %.2f %% (all 10000: %.2f %%) at epoch %d of %d; train %.1f s = %.0f "
        "samples/s, %.3g MAC/s; eval %.1f s\n",
        run, best.ref, best.full, best_epoch, std::min(epoch, max_epochs), train_s,
        samples / train_s, static_cast<double>(train_ops[Op::Int32Mac]) / train_s, eval_s);
    std::fflush(stdout);
    bests.push_back(best.ref);
  }
  double mean = 0;
  for (double b : bests) mean += b / static_cast<double>(bests.size());
  std::printf(
      "SUMMARY runs=%d max_epochs=%d: best test accuracy mean %.2f [%.2f-%.2f], wall %.1f s\n",
      runs, max_epochs, mean, *std::min_element(bests.begin(), bests.end()),
      *std::max_element(bests.begin(), bests.end()), seconds_since(t_all));
  return 0;
}
