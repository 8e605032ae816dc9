#include "analysis/report_gnuplot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/writers.hpp"

extern char** environ;
namespace fs = std::filesystem;

namespace tinyfleet {
namespace {

constexpr const char* kFont = "DejaVu Sans,10";

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string gp_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "''";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out + "'";
}

std::string gp_num(double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string group_colour(std::size_t i) {
  static const std::array<const char*, 7> palette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                     "#E69F00", "#56B4E9", "#000000"};
  return palette[i % palette.size()];
}

TimeAxis time_axis_for(double duration_s) {
  if (duration_s <= 2 * 3600.0) return {60.0, "min"};
  if (duration_s <= 72 * 3600.0) return {3600.0, "h"};
  return {86400.0, "d"};
}

std::string gnuplot_script(const Figure& fig) {
  const std::string size = std::to_string(fig.width) + "," + std::to_string(fig.height);
  std::string s = "# " + fig.title + " (written by tinyfleet report)\n";
  s += "# gnuplot -e \"out='STEM'\" " + fig.id + ".gp  writes STEM.png and STEM.svg\n";
  s += "if (!exists(\"out\")) out = " + gp_string(fig.id) + "\n";
  s += fig.data;
  s += "do for [format in \"png svg\"] {\n";
  s += "  reset\n";
  s += "  if (format eq \"png\") {\n";
  s += "    set terminal pngcairo size " + size + " font " + gp_string(kFont) +
       " noenhanced background '#ffffff'\n";
  s += "  } else {\n";
  s += "    set terminal svg size " + size + " fixed font " + gp_string(kFont) +
       " noenhanced background '#ffffff'\n";
  s += "  }\n";
  s += "  set output out.\".\".format\n";
  std::istringstream body(fig.body);
  std::string line;
  while (std::getline(body, line)) s += "  " + line + "\n";
  s += "  unset output\n";
  s += "}\n";
  return s;
}

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / program;
    if (access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate))
      return candidate.string();
  }
  return "";
}

void render_figure(const Figure& fig, const std::string& dir) {
  const std::string gnuplot = find_on_path("gnuplot");
  if (gnuplot.empty())
    throw ReportToolError(
        "gnuplot not found on PATH: install the Debian package gnuplot-nox "
        "(apt-get install gnuplot-nox; ./setup.sh does)");
  const fs::path root = fs::absolute(dir);
  const fs::path script = root / (fig.id + ".gp");
  write_file_atomically(script.string(), gnuplot_script(fig));
  const fs::path stem = root / ("." + fig.id + ".tmp");
  const fs::path log = root / ("." + fig.id + ".log");
  const std::string out_arg = "out=" + gp_string(stem.string());
  std::array<char*, 5> argv = {const_cast<char*>(gnuplot.c_str()), const_cast<char*>("-e"),
                               const_cast<char*>(out_arg.c_str()),
                               const_cast<char*>(script.c_str()), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, gnuplot.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw ReportToolError("cannot start " + gnuplot);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string messages = read_text(log);
  std::error_code ec;
  fs::remove(log, ec);
  const fs::path png = stem.string() + ".png", svg = stem.string() + ".svg";
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::is_regular_file(png) ||
      !fs::is_regular_file(svg)) {
    fs::remove(png, ec);
    fs::remove(svg, ec);
    throw ReportToolError("gnuplot failed on " + script.string() + ":\n" + messages);
  }
  fs::rename(png, root / (fig.id + ".png"));
  fs::rename(svg, root / (fig.id + ".svg"));
}

}  // namespace tinyfleet
