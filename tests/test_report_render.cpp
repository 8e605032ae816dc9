// End-to-end: quickstart run → `tinyfleet report` → report.html rendered by
// headless Chromium; the screenshot must show the figures and every figure
// must have loaded. Also the command's error exits.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/report/png_pixels.hpp"
#include "tests/support/run_binary.hpp"

namespace fs = std::filesystem;
using tinyfleet::testing::decode_png;
using tinyfleet::testing::Image;
using tinyfleet::testing::Rgb;

using tinyfleet_test::Result;
using tinyfleet_test::sh;
using tinyfleet_test::slurp;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

fs::path scratch() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / "tinyfleet-test-report-render";
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// One quickstart run shared by the cases of this file.
fs::path quickstart_run() {
  static const fs::path run = [] {
    const fs::path dir = scratch() / "quickstart";
    const Result r = sh(std::string(TINYFLEET_BINARY) + " run -q -o " + dir.string());
    REQUIRE_MESSAGE(r.code == 0, r.output);
    return dir;
  }();
  return run;
}

std::string report(const std::string& args) {
  return std::string(TINYFLEET_BINARY) + " report -q " + args;
}

bool near(const Rgb& p, int r, int g, int b) {
  return std::abs(p.r - r) < 40 && std::abs(p.g - g) < 40 && std::abs(p.b - b) < 40;
}

}  // namespace

TEST_CASE("report of the quickstart: figures, self-contained html, deterministic") {
  const fs::path out = scratch() / "report", again = scratch() / "report-again";
  const Result r = sh(report(quickstart_run().string() + " -o " + out.string()));
  REQUIRE_MESSAGE(r.code == 0, r.output);
  for (const char* fig : {"accuracy", "calibration", "energy", "memory", "device_accuracy"})
    for (const char* ext : {".gp", ".png", ".svg"}) {
      INFO(fig << ext);
      CHECK(fs::file_size(out / "quickstart" / (std::string(fig) + ext)) > 500);
    }
  CHECK_FALSE(fs::exists(out / "quickstart" / "rounds.png"));  // quickstart is not federated
  const std::string html = slurp(out / "report.html");
  CHECK(count_of(html, "<img ") == 5);
  CHECK(count_of(html, "src=\"data:image/png;base64,") == 5);
  CHECK(html.find("no federated rounds") != std::string::npos);
  for (const char* external : {"src=\"http", "href=\"http", "<link", "@import", "url("}) {
    INFO(external);
    CHECK(html.find(external) == std::string::npos);
  }
  CHECK(html.find("knn-ph") != std::string::npos);
  CHECK(html.find("not recovered") != std::string::npos);  // the static group

  REQUIRE(sh(report(quickstart_run().string() + " -o " + again.string())).code == 0);
  CHECK(slurp(again / "report.html") == html);
  CHECK(slurp(again / "quickstart" / "accuracy.svg") == slurp(out / "quickstart" / "accuracy.svg"));
}

TEST_CASE("report.html in headless Chromium: every figure loads, the screenshot shows them") {
  const fs::path out = scratch() / "report-browser";
  REQUIRE(sh(report(quickstart_run().string() + " -o " + out.string())).code == 0);
  const std::string chromium =
      "chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1400 ";
  const std::string url = "file://" + fs::absolute(out / "report.html").string();
  const Result dom = sh(chromium + "--virtual-time-budget=5000 --dump-dom " + url);
  REQUIRE_MESSAGE(dom.code == 0, "is Debian's chromium installed (./setup.sh)?\n" << dom.output);
  CHECK_MESSAGE(dom.output.find("data-figures-loaded=\"5/5\"") != std::string::npos, dom.output);

  const fs::path shot = out / "screenshot.png";
  const Result s = sh(chromium + "--screenshot=" + shot.string() + " " + url);
  REQUIRE_MESSAGE(s.code == 0, s.output);
  const Image img = decode_png(slurp(shot));
  REQUIRE(img.width == 1200);
  REQUIRE(img.height == 1400);
  const Rgb background = img.at(0, 0);
  std::size_t differ = 0, blue = 0, orange = 0, red = 0;
  for (const Rgb& p : img.pixels) {
    differ +=
        std::abs(p.r - background.r) + std::abs(p.g - background.g) + std::abs(p.b - background.b) >
        30;
    blue += near(p, 0x00, 0x72, 0xB2);    // knn-ph's curve and alarm bars
    orange += near(p, 0xD5, 0x5E, 0x00);  // static's curve
    red += near(p, 0xB2, 0x18, 0x2B);     // the drift marker
  }
  const double pixels = double(img.pixels.size());
  INFO("non-background " << differ << ", blue " << blue << ", orange " << orange << ", red " << red
                         << " of " << pixels);
  CHECK(differ > 0.03 * pixels);  // not blank
  CHECK(blue > 1000);
  CHECK(orange > 1000);
  CHECK(red > 200);
}

TEST_CASE("several runs: one section each and a comparison table; same names stay apart") {
  const fs::path copy = scratch() / "copy" / "quickstart";
  fs::create_directories(copy);
  for (const auto& f : fs::directory_iterator(quickstart_run()))
    fs::copy(f.path(), copy / f.path().filename());
  const fs::path out = scratch() / "report-two";
  const Result r =
      sh(report(quickstart_run().string() + " " + copy.string() + " -o " + out.string()));
  REQUIRE_MESSAGE(r.code == 0, r.output);
  const std::string html = slurp(out / "report.html");
  CHECK(html.find("<h2>Comparison</h2>") != std::string::npos);
  CHECK(fs::exists(out / "quickstart" / "accuracy.png"));
  CHECK(fs::exists(out / "quickstart-2" / "accuracy.png"));
  CHECK(count_of(html, "<img ") == 10);
}

TEST_CASE("report errors: bad run directory exits 2, missing gnuplot exits 1") {
  const fs::path out = scratch() / "report-errors";
  Result r = sh(report((scratch() / "no-such-run").string() + " -o " + out.string()));
  CHECK(r.code == 2);
  CHECK(r.output.find("no-such-run: no such run directory") != std::string::npos);

  const fs::path partial = scratch() / "partial";
  fs::create_directories(partial);
  fs::copy_file(quickstart_run() / "summary.json", partial / "summary.json",
                fs::copy_options::overwrite_existing);
  r = sh(report(partial.string() + " -o " + out.string()));
  CHECK(r.code == 2);
  CHECK(r.output.find("metrics.csv: missing") != std::string::npos);
  CHECK_FALSE(fs::exists(out / "report.html"));  // nothing written on bad input

  r = sh("PATH=/nonexistent " + report(quickstart_run().string() + " -o " + out.string()));
  CHECK(r.code == 1);
  CHECK(r.output.find("gnuplot-nox") != std::string::npos);
}
