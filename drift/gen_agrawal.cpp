#include "drift/gen_agrawal.hpp"

#include <cmath>
#include <stdexcept>

namespace tinyfleet {

AgrawalGenerator::AgrawalGenerator(int function, double perturb, bool balance, int64_t seed)
    : rng_(seed), function_(function), perturb_(perturb), balance_(balance) {
  if (function < 1 || function > 10) throw std::invalid_argument("agrawal: function must be 1..10");
  if (!(perturb >= 0 && perturb <= 1)) throw std::invalid_argument("agrawal: perturb must be 0..1");
  info_.features = 9;
  info_.classes = 2;
  // hvalue: without perturbation (9-8)·1e5·0.5 .. 9·1e5·1.5; with it, MOA
  // clips to [0, 135000] (see the header).
  const bool p = perturb > 0;
  info_.lo = {20000, 0, 20, 0, 0, 0, p ? 0.0f : 50000.0f, 1, 0};
  info_.hi = {150000, 75000, 80, 4, 19, 8, p ? 135000.0f : 1350000.0f, 30, 500000};
}

int AgrawalGenerator::label(int f, const Record& r) {
  // Ranges are inclusive, as in MOA; "a in [lo, hi]" → group 0.
  auto in = [](double v, double lo, double hi) { return lo <= v && v <= hi; };
  const int age = r.age, el = r.elevel;
  switch (f) {
    case 1:
      return (age < 40 || 60 <= age) ? 0 : 1;
    case 2:
      if (age < 40) return in(r.salary, 50000, 100000) ? 0 : 1;
      if (age < 60) return in(r.salary, 75000, 125000) ? 0 : 1;
      return in(r.salary, 25000, 75000) ? 0 : 1;
    case 3:
      if (age < 40) return (el == 0 || el == 1) ? 0 : 1;
      if (age < 60) return (el == 1 || el == 2 || el == 3) ? 0 : 1;
      return (el == 2 || el == 3 || el == 4) ? 0 : 1;
    case 4:
      if (age < 40) {
        if (el == 0 || el == 1) return in(r.salary, 25000, 75000) ? 0 : 1;
        return in(r.salary, 50000, 100000) ? 0 : 1;
      }
      if (age < 60) {
        if (el == 1 || el == 2 || el == 3) return in(r.salary, 50000, 100000) ? 0 : 1;
        return in(r.salary, 75000, 125000) ? 0 : 1;
      }
      if (el == 2 || el == 3 || el == 4) return in(r.salary, 50000, 100000) ? 0 : 1;
      return in(r.salary, 25000, 75000) ? 0 : 1;
    case 5:
      // Tests `loan` (as MOA and the original); River tests `salary` here.
      if (age < 40) {
        if (in(r.salary, 50000, 100000)) return in(r.loan, 100000, 300000) ? 0 : 1;
        return in(r.loan, 200000, 400000) ? 0 : 1;
      }
      if (age < 60) {
        if (in(r.salary, 75000, 125000)) return in(r.loan, 200000, 400000) ? 0 : 1;
        return in(r.loan, 300000, 500000) ? 0 : 1;
      }
      if (in(r.salary, 25000, 75000)) return in(r.loan, 300000, 500000) ? 0 : 1;
      return in(r.loan, 100000, 300000) ? 0 : 1;
    case 6: {
      const double total = r.salary + r.commission;
      if (age < 40) return in(total, 50000, 100000) ? 0 : 1;
      if (age < 60) return in(total, 75000, 125000) ? 0 : 1;
      return in(total, 25000, 75000) ? 0 : 1;
    }
    case 7: {
      const double disposable = 2.0 * (r.salary + r.commission) / 3.0 - r.loan / 5.0 - 20000.0;
      return disposable > 0 ? 0 : 1;
    }
    case 8: {
      const double disposable = 2.0 * (r.salary + r.commission) / 3.0 - 5000.0 * el - 20000.0;
      return disposable > 0 ? 0 : 1;
    }
    case 9: {
      const double disposable =
          2.0 * (r.salary + r.commission) / 3.0 - 5000.0 * el - r.loan / 5.0 - 10000.0;
      return disposable > 0 ? 0 : 1;
    }
    default: {
      const double equity = r.hyears >= 20 ? r.hvalue * (r.hyears - 20.0) / 10.0 : 0.0;
      const double disposable =
          2.0 * (r.salary + r.commission) / 3.0 - 5000.0 * el + equity / 5.0 - 10000.0;
      return disposable > 0 ? 0 : 1;
    }
  }
}

double AgrawalGenerator::perturb_value(double val, double range, double min, double max) {
  // MOA perturbValue: one nextDouble() per call, v += range·(2(u − ½))·p, clipped.
  val += range * (2.0 * (rng_.next_double() - 0.5)) * perturb_;
  if (val < min) return min;
  if (val > max) return max;
  return val;
}

int AgrawalGenerator::next(float* x) {
  // Draw order of MOA AgrawalGenerator.nextInstance(): salary, commission
  // (only drawn when salary < 75000), age, elevel, car, zipcode, hvalue,
  // hyears, loan; redrawn while balancing requires the other class.
  Record r{};
  int group;
  for (;;) {
    r.salary = 20000.0 + 130000.0 * rng_.next_double();
    r.commission = (r.salary >= 75000.0) ? 0 : (10000.0 + 65000.0 * rng_.next_double());
    r.age = 20 + rng_.next_int(61);
    r.elevel = rng_.next_int(5);
    r.car = rng_.next_int(20);
    r.zipcode = rng_.next_int(9);
    r.hvalue = (9.0 - r.zipcode) * 100000.0 * (0.5 + rng_.next_double());
    r.hyears = 1 + rng_.next_int(30);
    r.loan = rng_.next_double() * 500000.0;
    group = label(function_, r);
    if (!balance_) break;
    if ((next_class_should_be_zero_ && group == 0) || (!next_class_should_be_zero_ && group == 1)) {
      next_class_should_be_zero_ = !next_class_should_be_zero_;
      break;
    }
  }
  if (perturb_ > 0.0) {
    // MOA order: salary, commission (if > 0), age, hvalue, hyears, loan.
    // Integer attributes are rounded half up (Java Math.round; values > 0).
    r.salary = perturb_value(r.salary, 130000, 20000, 150000);
    if (r.commission > 0) r.commission = perturb_value(r.commission, 65000, 10000, 75000);
    r.age = static_cast<int>(std::floor(perturb_value(r.age, 60, 20, 80) + 0.5));
    r.hvalue = perturb_value(r.hvalue, (9.0 - r.zipcode) * 100000.0, 0, 135000);
    r.hyears = static_cast<int>(std::floor(perturb_value(r.hyears, 29, 1, 30) + 0.5));
    r.loan = perturb_value(r.loan, 500000, 0, 500000);
  }
  x[0] = static_cast<float>(r.salary);
  x[1] = static_cast<float>(r.commission);
  x[2] = static_cast<float>(r.age);
  x[3] = static_cast<float>(r.elevel);
  x[4] = static_cast<float>(r.car);
  x[5] = static_cast<float>(r.zipcode);
  x[6] = static_cast<float>(r.hvalue);
  x[7] = static_cast<float>(r.hyears);
  x[8] = static_cast<float>(r.loan);
  return group;
}

ComponentInfo agrawal_info() {
  using T = ParamSpec::Type;
  return ComponentInfo{
      "agrawal",
      "Agrawal loan functions (Agrawal et al. 1993), MOA-exact: 9 attributes (elevel, car, "
      "zipcode as nominal indices), 10 concept functions",
      {
          {"function", T::Int, 1, 10, 1, {}, "loan function (MOA -f 1..10)"},
          {"perturb", T::Real, 0, 1, 0.05, {}, "perturbation fraction of numeric values (MOA -p)"},
          {"balance", T::Bool, 0, 1, 0, {}, "alternate classes by rejection (MOA -b)"},
      }};
}

std::unique_ptr<Generator> make_agrawal(const Params& params, uint64_t seed) {
  return std::make_unique<AgrawalGenerator>(static_cast<int>(params.number("function")),
                                            params.number("perturb"), params.number("balance") != 0,
                                            static_cast<int64_t>(seed));
}

}  // namespace tinyfleet
