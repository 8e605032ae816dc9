#pragma once
// One `tinyfleet` subcommand: each cli_*.cpp file adds its subcommand to the
// application and hands back what to run when it is the one chosen. cli.cpp
// only lists the registrations, so a new command is one new file and one line.
#include <functional>

#include <CLI/CLI.hpp>

namespace tinyfleet {

inline constexpr int kExitBadInput = 2;  // bad scenario, file or argument
inline constexpr int kExitFailure = 1;   // the run itself failed

struct CliCommand {
  CLI::App* sub = nullptr;
  std::function<int()> run;  // called only if `sub` was parsed
};

}  // namespace tinyfleet
