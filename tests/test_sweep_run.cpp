// Running sweeps: point selection, resume after kill -9, failures, and the
// must-show: a 24-point sweep killed midway and resumed gathers exactly what
// an uninterrupted -j 1 run gathers.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <sqlite3.h>

#include "sim/sweep_runner.hpp"
#include "tests/support/run_binary.hpp"

namespace fs = std::filesystem;
using namespace tinyfleet;

using tinyfleet_test::Result;
using tinyfleet_test::sh;
using tinyfleet_test::slurp;

namespace {

const std::string kTf = TINYFLEET_BINARY;
const std::string kSweep =
    std::string(TINYFLEET_SOURCE_DIR) + "/scenarios/sweeps/drift-width-labels-detector.yaml";

fs::path fresh(const std::string& name) {
  const fs::path d =
      fs::temp_directory_path() / ("tinyfleet-sweep-run-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(d);
  return d;
}

std::size_t completed(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir / "points"))
    n += fs::exists(e.path() / "run" / "summary.json");
  return n;
}

// A sweep of 4 points of the example base (seeds 1..4).
fs::path small_sweep(const std::string& name) {
  const fs::path dir = fresh(name);
  fs::create_directories(dir);
  std::ofstream(dir.string() + ".yaml")
      << "base: " << TINYFLEET_SOURCE_DIR << "/scenarios/sweeps/small-base.yaml\n"
      << "seeds: [1, 2, 3, 4]\n";
  REQUIRE(sh(kTf + " sweep expand " + dir.string() + ".yaml -o " + dir.string()).code == 0);
  return dir;
}

long long query(const fs::path& db_file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const long long v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return v;
}

}  // namespace

TEST_CASE("point selection: index, shard, chunk") {
  PointSelection s;
  CHECK(s.pick(3) == std::vector<std::size_t>{0, 1, 2});
  s.mode = PointSelection::Mode::Shard;
  s.a = 1;
  s.b = 3;
  CHECK(s.pick(7) == std::vector<std::size_t>{1, 4});
  s.mode = PointSelection::Mode::Chunk;
  s.a = 2;
  s.b = 3;
  CHECK(s.pick(7) == std::vector<std::size_t>{6});
  s.a = 3;
  CHECK(s.pick(7).empty());  // array sizes are rounded up
  s.mode = PointSelection::Mode::Index;
  s.a = 7;
  CHECK_THROWS_AS(s.pick(7), std::invalid_argument);
}

TEST_CASE("resume: done points are skipped, stale tmp runs removed, locked points left alone") {
  const fs::path dir = small_sweep("resume");
  Result r = sh(kTf + " sweep run " + dir.string() + " --index 1");
  CHECK(r.code == 0);
  CHECK(completed(dir) == 1);
  CHECK(fs::exists(dir / "points/0001/run/summary.json"));
  const auto first = fs::last_write_time(dir / "points/0001/run/summary.json");

  // A run killed while writing leaves a tmp directory; another runner holds point 3.
  fs::create_directories(dir / "points/0002/run.tmp.999999");
  std::ofstream(dir / "points/0002/run.tmp.999999/summary.json") << "{half";
  const int lock = open((dir / "points/0003/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(flock(lock, LOCK_EX | LOCK_NB) == 0);
  r = sh(kTf + " sweep run " + dir.string() + " -j 2");
  CHECK(r.code == 0);
  CHECK(r.output.find("1 of 4 selected points already done") != std::string::npos);
  CHECK(r.output.find("2 ran, 1 already done, 1 busy elsewhere, 0 failed") != std::string::npos);
  CHECK(!fs::exists(dir / "points/0002/run.tmp.999999"));
  CHECK(fs::exists(dir / "points/0002/run/summary.json"));
  CHECK(!fs::exists(dir / "points/0003/run"));
  CHECK(fs::last_write_time(dir / "points/0001/run/summary.json") == first);  // not redone
  close(lock);

  r = sh(kTf + " sweep run " + dir.string() + " --shard 1/2");  // points 1 and 3
  CHECK(r.code == 0);
  CHECK(r.output.find("1 ran, 1 already done") != std::string::npos);
  CHECK(completed(dir) == 4);
  // Bad selections are bad input.
  CHECK(sh(kTf + " sweep run " + dir.string() + " --shard 2/2").code == 2);
  CHECK(sh(kTf + " sweep run " + dir.string() + " --index 0 --shard 0/2").code == 2);
  CHECK(sh(kTf + " sweep run " + dir.string() + " --index 9").code == 2);
  CHECK(sh(kTf + " sweep run " + dir.string() + " --chunk-index 1").code == 2);
  CHECK(sh(kTf + " sweep run " + dir.string() + "-nothere").code == 2);
  fs::remove_all(dir);
  fs::remove(dir.string() + ".yaml");
}

TEST_CASE("a failing point is recorded with its output, the others still run, rerun retries it") {
  const fs::path dir = small_sweep("failing");
  // Stands in for the simulator: fails on point 2, runs the real binary otherwise.
  const fs::path fake = dir / "fake-tinyfleet.sh";
  std::ofstream(fake)
      << "#!/bin/sh\ncase \"$2\" in *0002/scenario.yaml) echo 'boom on stderr' >&2; "
         "exit 3;; esac\nexec "
      << kTf << " \"$@\"\n";
  fs::permissions(fake, fs::perms::owner_all);
  std::ostringstream log;
  SweepRunOptions o;
  o.executable = fake.string();
  o.jobs = 2;
  o.log = &log;
  SweepRunReport r = run_sweep(dir.string(), o);
  CHECK(r.ran == 3);
  CHECK(r.failed == std::vector<std::size_t>{2});
  const std::string error = slurp(dir / "points/0002/error.log");
  CHECK(error.find("exit code 3") != std::string::npos);
  CHECK(error.find("boom on stderr") != std::string::npos);
  CHECK(log.str().find("points/0002  ") != std::string::npos);
  CHECK(log.str().find("FAILED") != std::string::npos);
  CHECK(!fs::exists(dir / "points/0002/run"));
  for (const auto& e : fs::directory_iterator(dir / "points/0002"))
    CHECK(e.path().filename().string().rfind("run.tmp.", 0) != 0);
  // gather reports it; exit 1 because not every point has a result
  Result g = sh(kTf + " sweep gather " + dir.string());
  CHECK(g.code == 1);
  CHECK(g.output.find("gathered 3 of 4 points") != std::string::npos);
  CHECK(query(dir / "results.sqlite", "SELECT count(*) FROM runs WHERE status = 'failed'") == 1);
  // The real binary succeeds: the failed point is retried, its error.log removed.
  o.executable = kTf;
  r = run_sweep(dir.string(), o);
  CHECK(r.ran == 1);
  CHECK(r.already_done == 3);
  CHECK(r.failed.empty());
  CHECK(!fs::exists(dir / "points/0002/error.log"));
  fs::remove_all(dir);
  fs::remove(dir.string() + ".yaml");
}

TEST_CASE("must-show: 24 points with -j 2, SIGKILL midway, resume; results equal a -j 1 run") {
  const fs::path killed = fresh("killed"), straight = fresh("straight");
  for (const auto& d : {killed, straight})
    REQUIRE(sh(kTf + " sweep expand " + kSweep + " -o " + d.string()).code == 0);

  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int out = open((killed.string() + ".log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(out, 2);
    execl(kTf.c_str(), kTf.c_str(), "sweep", "run", killed.c_str(), "-j", "2", nullptr);
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (completed(killed) < 6 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(kill(pid, SIGKILL) == 0);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  const std::size_t done_at_kill = completed(killed);
  MESSAGE("killed with " << done_at_kill << " of 24 points done");
  CHECK(done_at_kill >= 6);
  CHECK(done_at_kill < 24);

  const Result resumed = sh(kTf + " sweep run " + killed.string() + " -j 2");
  CHECK(resumed.code == 0);
  // The resumed count may be one higher: a child may finish its rename in
  // the instant between our count and its SIGKILL.
  CHECK(resumed.output.find(" failed (of 24 selected)") != std::string::npos);
  CHECK(completed(killed) == 24);
  for (const auto& e : fs::recursive_directory_iterator(killed / "points"))
    CHECK(e.path().filename().string().rfind("run.tmp.", 0) != 0);

  CHECK(sh(kTf + " sweep run " + straight.string() + " -j 1").code == 0);
  for (const auto& d : {killed, straight}) CHECK(sh(kTf + " sweep gather " + d.string()).code == 0);
  CHECK(query(killed / "results.sqlite", "SELECT count(*) FROM runs WHERE status = 'ok'") == 24);
  CHECK(query(killed / "results.sqlite", "SELECT count(DISTINCT point) FROM metrics") == 24);
  CHECK(slurp(killed / "results.csv") == slurp(straight / "results.csv"));
  CHECK(slurp(killed / "results.sqlite") == slurp(straight / "results.sqlite"));
  for (const auto& d : {killed, straight}) {
    fs::remove_all(d);
    fs::remove(d.string() + ".log");
  }
}
