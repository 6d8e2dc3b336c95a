#include "app/cli/rank_launcher.h"

#include "core/util/error.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

namespace distill::cli {

namespace {

std::vector<pid_t> g_ranks;

extern "C" void passOnSignal(int signal)
{
    for (const pid_t pid : g_ranks)
        ::kill(pid, signal);
}

// A TCP port free on loopback now (the ranks' rendezvous).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw Error(ErrorCode::Io, "cannot open a socket for the rendezvous port");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    if (port == 0)
        throw Error(ErrorCode::Io, "no free loopback port for the rendezvous");
    return port;
}

}  // namespace

std::vector<int> parseDeviceList(const std::string& text)
{
    std::vector<int> devices;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        char* end = nullptr;
        const long v = std::strtol(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0' || v < 0 || v > 1023)
            throw Error(ErrorCode::InvalidArgument, "--gpus expects device indices like 0,1, got '" + text + "'");
        devices.push_back(int(v));
    }
    if (devices.empty() || std::set<int>(devices.begin(), devices.end()).size() != devices.size())
        throw Error(ErrorCode::InvalidArgument, "--gpus expects distinct device indices like 0,1, got '" + text + "'");
    return devices;
}

int launchRanks(const std::vector<int>& devices, const std::vector<std::string>& args)
{
    std::string visible;
    for (const int d : devices) {
        if (!visible.empty())
            visible += ',';
        visible += std::to_string(d);
    }
    const std::string port = std::to_string(freePort());
    const std::string world = std::to_string(devices.size());
    std::vector<std::string> argv = {"/proc/self/exe"};
    argv.insert(argv.end(), args.begin(), args.end());
    for (std::size_t rank = 0; rank < devices.size(); ++rank) {
        const pid_t pid = ::fork();
        if (pid < 0)
            throw Error(ErrorCode::Io, "cannot start rank " + std::to_string(rank));
        if (pid == 0) {
            ::setenv("RANK", std::to_string(rank).c_str(), 1);
            ::setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
            ::setenv("WORLD_SIZE", world.c_str(), 1);
            ::setenv("MASTER_ADDR", "127.0.0.1", 1);
            ::setenv("MASTER_PORT", port.c_str(), 1);
            ::setenv("CUDA_VISIBLE_DEVICES", visible.c_str(), 1);
            std::vector<char*> cargv;
            for (auto& a : argv)
                cargv.push_back(a.data());
            cargv.push_back(nullptr);
            ::execv("/proc/self/exe", cargv.data());
            std::_Exit(127);
        }
        g_ranks.push_back(pid);
    }
    struct sigaction action {};
    action.sa_handler = passOnSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    int result = 0;
    for (std::size_t rank = 0; rank < g_ranks.size(); ++rank) {
        int status = 0;
        while (::waitpid(g_ranks[rank], &status, 0) < 0 && errno == EINTR) {
        }
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
        if (rank == 0)
            result = code;
        else if (code != 0 && result == 0)
            result = 1;
    }
    return result;
}

}  // namespace distill::cli
