// tinyfleet command line: run | validate | devices.
#include "sim/cli.hpp"

int main(int argc, char** argv) {
  return tinyfleet::cli_main(argc, argv);
}
