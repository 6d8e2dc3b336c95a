// EventSink: the job's voice on stdout. One JSON object per line, flushed at once, so the GUI (or a
// remote shell) can follow a headless job: started, progress, metric, log, checkpoint, error, finished.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>

namespace distill::run {

class EventSink {
public:
    explicit EventSink(std::ostream& out) : m_out(out) {}
    // A sink onto `parent`'s stream whose events carry `tag`'s fields too (a pipeline's stage:
    // {"stage": "sft"}).
    EventSink(EventSink& parent, nlohmann::json tag) : m_out(parent.m_out), m_tag(std::move(tag)), m_parent(&parent) {}

    // {"event":"started","run_id":3,"kind":"generate","name":"toy","resumed":false}
    void started(std::int64_t runId, const std::string& kind, const std::string& name, bool resumed);
    // {"event":"progress","done":120,"total":3000,"eta_s":41.5,"rate":70.3}; eta/rate null until known;
    // "in_flight": requests sent and not yet answered, when the job knows it.
    void progress(std::uint64_t done, std::uint64_t total, std::optional<double> etaSeconds,
                  std::optional<double> rate, std::optional<std::uint64_t> inFlight = std::nullopt);
    // {"event":"metric","name":"teacher/cost","value":0.12,"step":120}
    void metric(const std::string& name, double value, std::int64_t step);
    // {"event":"log","level":"info","message":"..."}
    void log(const std::string& level, const std::string& message);
    // {"event":"checkpoint","path":"...","step":500}
    void checkpoint(const std::string& path, std::int64_t step);
    // {"event":"error","code":"network","detail":"...","hint":"..."}; `fatal` ends the job.
    void error(const std::string& code, const std::string& detail, const std::string& hint, bool fatal);
    // {"event":"finished","status":"finished"|"stopped"|"failed","run_id":3,"summary":{...}}
    void finished(const std::string& status, std::int64_t runId, const nlohmann::json& summary);

    // Writes any event object as one line.
    void emit(const nlohmann::json& event);

private:
    std::ostream& m_out;
    nlohmann::json m_tag;
    EventSink* m_parent = nullptr;  // a tagged sink writes through its parent (one lock per stream)
    std::mutex m_mutex;
};

}  // namespace distill::run
