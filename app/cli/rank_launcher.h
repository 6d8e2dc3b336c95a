// The native launcher of data-parallel jobs (`distillery-cli run --gpus 0,1 JOB.yaml`): one process
// per device with the rendezvous environment torchrun sets (RANK, WORLD_SIZE, LOCAL_RANK,
// MASTER_ADDR, MASTER_PORT, CUDA_VISIBLE_DEVICES), so jobs see one launch however they were started.
#pragma once

#include <string>
#include <vector>

namespace distill::cli {

// Parses "0,1,3" into device indices (InvalidArgument for anything else or a repeated index).
std::vector<int> parseDeviceList(const std::string& text);

// Runs this program once per device with `args` (the command line without --gpus), rank r on device
// devices[r] (seen as cuda:r through CUDA_VISIBLE_DEVICES). Rank 0's standard output is this
// process's; SIGINT and SIGTERM are passed on to every rank. Returns rank 0's exit status, or 1 when
// another rank failed.
int launchRanks(const std::vector<int>& devices, const std::vector<std::string>& args);

}  // namespace distill::cli
