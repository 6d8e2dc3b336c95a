// DataParallel: the processes of a data-parallel training job on one machine, one per GPU (or CPU
// processes for testing), joined through PyTorch's own c10d backends (NCCL for CUDA tensors where
// this libtorch has it, Gloo otherwise) and set up from the environment that torchrun sets.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace distill::train {

struct DistributedConfig {
    int rank = 0;
    int worldSize = 1;  // 1: a single process, no c10d at all
    int localRank = 0;  // the GPU of this process: cuda:<localRank>
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    // Rendezvous through a c10d FileStore at this path instead of TCP at masterAddr:masterPort.
    std::string storeFile;
    // How long a rank waits at a collective: rank 0 alone runs evaluations while the others wait.
    std::chrono::milliseconds timeout = std::chrono::hours(2);

    // RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT (as torchrun sets them) and
    // DISTILLERY_RENDEZVOUS_FILE (the FileStore); without WORLD_SIZE a single process.
    static DistributedConfig fromEnvironment();
};

class DataParallel {
public:
    // Joins the other ranks (blocks until all have joined); the collectives run on `device`'s tensors.
    // A world of one process joins nothing and every operation returns at once.
    DataParallel(const DistributedConfig& config, c10::Device device);
    ~DataParallel();
    DataParallel(const DataParallel&) = delete;
    DataParallel& operator=(const DataParallel&) = delete;

    int rank() const { return m_config.rank; }
    int worldSize() const { return m_config.worldSize; }
    bool isMain() const { return m_config.rank == 0; }

    // Sums the tensors (gradients) over the ranks in place, in flat buckets of one dtype.
    void sumInPlace(const std::vector<at::Tensor>& tensors);
    // Each value summed over the ranks (exact for integers up to 2^53).
    std::vector<double> sum(const std::vector<double>& values);
    // Each value's largest over the ranks.
    std::vector<double> max(const std::vector<double>& values);
    // Whether `flag` is set on any rank: lets all ranks stop after the same step.
    bool any(bool flag);
    // Overwrites the tensors (parameters) with rank 0's values.
    void broadcastFromMain(const std::vector<at::Tensor>& tensors);
    // Rank 0's `value` on every rank (a path only rank 0 can work out).
    std::string fromMain(const std::string& value);

private:
    struct Group;
    DistributedConfig m_config;
    c10::Device m_device;
    std::unique_ptr<Group> m_group;  // null for a single process
};

}  // namespace distill::train
