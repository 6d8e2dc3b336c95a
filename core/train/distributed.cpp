#include "core/train/distributed.h"

#include "core/util/error.h"

#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/utils/tensor_flatten.h>
#include <torch/torch.h>
#include <torch/version.h>
#ifdef USE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cstdlib>
#include <functional>

namespace distill::train {

namespace {

// The interface of c10d's collectives: a ProcessGroup up to PyTorch 1.13, a Backend (of a
// ProcessGroup) since 2.0; ProcessGroupGloo and ProcessGroupNCCL derive from it in both.
#if TORCH_VERSION_MAJOR >= 2
using Collectives = c10d::Backend;
#else
using Collectives = c10d::ProcessGroup;
#endif

constexpr std::size_t kBucketBytes = std::size_t(64) << 20;  // gradients go over in flat buckets of 64 MiB

std::string textFromEnvironment(const char* name, const std::string& fallback)
{
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : fallback;
}

int intFromEnvironment(const char* name, int fallback)
{
    const std::string text = textFromEnvironment(name, "");
    if (text.empty())
        return fallback;
    try {
        std::size_t used = 0;
        const int value = std::stoi(text, &used);
        if (used == text.size())
            return value;
    } catch (const std::exception&) {
    }
    throw Error(ErrorCode::InvalidArgument,
                std::string("environment variable ") + name + "='" + text + "' is not an integer");
}

// Runs a c10d call; its failures (a rank that died, a rendezvous that timed out) become Network errors.
template <class Call>
auto communicate(const std::string& what, Call&& call)
{
    try {
        return call();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorCode::Network, what + " failed: " + e.what(),
                    "every process of a data-parallel run must be running; see the other ranks' errors");
    }
}

// A TCP store. libtorch >= 2.4 serves and joins it through libuv unless USE_LIBUV=0 (as PyTorch
// reads it); a libtorch built without libuv (Debian 13's) refuses that, and then gets the older
// backend, which every build has.
c10::intrusive_ptr<c10d::Store> tcpStore(const std::string& host, c10d::TCPStoreOptions options)
{
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    options.useLibUV = textFromEnvironment("USE_LIBUV", "1") != "0";
    if (options.useLibUV) {
        try {
            return c10::make_intrusive<c10d::TCPStore>(host, options);
        } catch (const c10::Error& e) {
            if (std::string(e.what()).find("without libuv") == std::string::npos)
                throw;
        }
        options.useLibUV = false;
    }
#endif
    return c10::make_intrusive<c10d::TCPStore>(host, options);
}

// torchrun's agent already serves a store at MASTER_ADDR:MASTER_PORT when it says so: every rank is
// its client, under the prefix of this restart (as torch.distributed's env:// rendezvous does).
// Otherwise rank 0 serves the store.
c10::intrusive_ptr<c10d::Store> rendezvousStore(const DistributedConfig& config)
{
    c10::intrusive_ptr<c10d::Store> store;
    if (!config.storeFile.empty()) {
        store = c10::make_intrusive<c10d::FileStore>(config.storeFile, config.worldSize);
    } else {
        c10d::TCPStoreOptions options;
        options.port = std::uint16_t(config.masterPort);
        options.numWorkers = std::size_t(config.worldSize);
        options.timeout = config.timeout;
        if (textFromEnvironment("TORCHELASTIC_USE_AGENT_STORE", "") == "True") {
            store = c10::make_intrusive<c10d::PrefixStore>(
                "/worker/attempt_" + textFromEnvironment("TORCHELASTIC_RESTART_COUNT", "0"),
                tcpStore(config.masterAddr, options));
        } else {
            options.isServer = config.rank == 0;
            options.multiTenant = true;
            store = tcpStore(config.masterAddr, options);
        }
    }
    store->setTimeout(config.timeout);
    return store;
}

// NCCL for CUDA tensors when this libtorch has it, else Gloo (CPU tensors, and CUDA tensors through
// host memory in CUDA builds).
c10::intrusive_ptr<Collectives> processGroup([[maybe_unused]] const c10::intrusive_ptr<c10d::Store>& store,
                                             [[maybe_unused]] const DistributedConfig& config,
                                             [[maybe_unused]] c10::Device device)
{
#ifdef USE_C10D_NCCL
    if (device.is_cuda()) {
        auto options = c10d::ProcessGroupNCCL::Options::create();
        options->timeout = config.timeout;
        return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, config.rank, config.worldSize, options);
    }
#endif
#ifdef USE_C10D_GLOO
    auto options = c10d::ProcessGroupGloo::Options::create(config.timeout);
    options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));  // one machine
    return c10::make_intrusive<c10d::ProcessGroupGloo>(store, config.rank, config.worldSize, options);
#else
    throw Error(ErrorCode::Unsupported, "this build has no c10d backend for " + device.str() + " tensors",
                "build against a libtorch with NCCL (CUDA) or with the Gloo headers (Debian: libgloo-dev)");
#endif
}

}  // namespace

struct DataParallel::Group {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<Collectives> collectives;
    std::int64_t sharedValues = 0;  // keys of fromMain()

    // The values reduced over the ranks with `op`.
    std::vector<double> reduce(const std::vector<double>& values, c10d::ReduceOp::RedOpType op, c10::Device device)
    {
        if (values.empty())
            return values;
        std::vector<at::Tensor> buffer{torch::tensor(values, torch::kDouble).to(device)};
        c10d::AllreduceOptions options;
        options.reduceOp = op;
        communicate("a reduction over the ranks", [&] { return collectives->allreduce(buffer, options)->wait(); });
        const auto host = buffer.front().cpu();
        return {host.data_ptr<double>(), host.data_ptr<double>() + host.numel()};
    }

    // Runs `collective` on flat buckets of the tensors (one dtype each) and copies the results back.
    void bucketed(const std::vector<at::Tensor>& tensors,
                  const std::function<c10::intrusive_ptr<c10d::Work>(std::vector<at::Tensor>&)>& collective)
    {
        const torch::NoGradGuard noGrad;
        for (auto& bucket : torch::utils::take_tensors(tensors, kBucketBytes)) {
            std::vector<at::Tensor> flat{torch::utils::flatten_dense_tensors(bucket.tensors)};
            communicate("a collective", [&] { return collective(flat)->wait(); });
            const auto parts = torch::utils::unflatten_dense_tensors(flat.front(), bucket.tensors);
            for (std::size_t i = 0; i < parts.size(); ++i)
                bucket.tensors[i].copy_(parts[i]);
        }
    }
};

DistributedConfig DistributedConfig::fromEnvironment()
{
    DistributedConfig config;
    config.worldSize = intFromEnvironment("WORLD_SIZE", 1);
    config.rank = intFromEnvironment("RANK", 0);
    config.localRank = intFromEnvironment("LOCAL_RANK", config.rank);
    config.masterAddr = textFromEnvironment("MASTER_ADDR", config.masterAddr);
    config.masterPort = intFromEnvironment("MASTER_PORT", config.masterPort);
    config.storeFile = textFromEnvironment("DISTILLERY_RENDEZVOUS_FILE", "");
    return config;
}

DataParallel::DataParallel(const DistributedConfig& config, c10::Device device) : m_config(config), m_device(device)
{
    if (config.worldSize < 1 || config.rank < 0 || config.rank >= config.worldSize)
        throw Error(ErrorCode::InvalidArgument, "rank " + std::to_string(config.rank) + " of a world of "
                                                    + std::to_string(config.worldSize) + " processes");
    if (config.worldSize == 1)
        return;
    if (config.storeFile.empty() && (config.masterPort < 1 || config.masterPort > 65535))
        throw Error(ErrorCode::InvalidArgument, "MASTER_PORT " + std::to_string(config.masterPort) + " is not a port");
    auto group = std::make_unique<Group>();
    const std::string joining = "rank " + std::to_string(config.rank) + " joining " + std::to_string(config.worldSize)
                                + " processes";
    group->store = communicate(joining, [&] { return rendezvousStore(config); });
    group->collectives = communicate(joining, [&] { return processGroup(group->store, config, device); });
    m_group = std::move(group);
}

DataParallel::~DataParallel() = default;

void DataParallel::sumInPlace(const std::vector<at::Tensor>& tensors)
{
    if (m_group)
        m_group->bucketed(tensors,
                          [&](std::vector<at::Tensor>& flat) { return m_group->collectives->allreduce(flat); });
}

std::vector<double> DataParallel::sum(const std::vector<double>& values)
{
    return m_group ? m_group->reduce(values, c10d::ReduceOp::SUM, m_device) : values;
}

std::vector<double> DataParallel::max(const std::vector<double>& values)
{
    return m_group ? m_group->reduce(values, c10d::ReduceOp::MAX, m_device) : values;
}

bool DataParallel::any(bool flag)
{
    return sum({flag ? 1.0 : 0.0}).front() > 0.0;
}

void DataParallel::broadcastFromMain(const std::vector<at::Tensor>& tensors)
{
    if (m_group)
        m_group->bucketed(tensors,
                          [&](std::vector<at::Tensor>& flat) { return m_group->collectives->broadcast(flat); });
}

std::string DataParallel::fromMain(const std::string& value)
{
    if (!m_group)
        return value;
    const std::string key = "distillery/from_main/" + std::to_string(m_group->sharedValues++);
    if (isMain()) {
        const std::vector<std::uint8_t> bytes(value.begin(), value.end());
        communicate("sharing a value", [&] { m_group->store->set(key, bytes); });
        return value;
    }
    const auto bytes = communicate("reading rank 0's value", [&] { return m_group->store->get(key); });
    return {bytes.begin(), bytes.end()};
}

}  // namespace distill::train
