#pragma once
namespace tinyfleet {
// Exit codes: 0 ok, 1 runtime failure, 2 bad input (scenario or arguments).
int cli_main(int argc, char** argv);
}  // namespace tinyfleet
