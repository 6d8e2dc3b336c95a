#include "core/run/event_sink.h"

namespace distill::run {

using nlohmann::json;

static json optionalNumber(std::optional<double> value)
{
    return value ? json(*value) : json(nullptr);
}

void EventSink::emit(const json& event)
{
    if (m_parent) {
        json tagged = event;
        tagged.update(m_tag);
        m_parent->emit(tagged);
        return;
    }
    // Invalid UTF-8 in a message (untrusted text) is replaced rather than thrown.
    const std::string line = event.dump(-1, ' ', false, json::error_handler_t::replace);
    std::lock_guard lock(m_mutex);
    m_out << line << '\n';
    m_out.flush();
}

void EventSink::started(std::int64_t runId, const std::string& kind, const std::string& name, bool resumed)
{
    emit({{"event", "started"}, {"run_id", runId}, {"kind", kind}, {"name", name}, {"resumed", resumed}});
}

void EventSink::progress(std::uint64_t done, std::uint64_t total, std::optional<double> etaSeconds,
                         std::optional<double> rate, std::optional<std::uint64_t> inFlight)
{
    nlohmann::json event = {{"event", "progress"}, {"done", done}, {"total", total},
                            {"eta_s", optionalNumber(etaSeconds)}, {"rate", optionalNumber(rate)}};
    if (inFlight)
        event["in_flight"] = *inFlight;
    emit(event);
}

void EventSink::metric(const std::string& name, double value, std::int64_t step)
{
    emit({{"event", "metric"}, {"name", name}, {"value", value}, {"step", step}});
}

void EventSink::log(const std::string& level, const std::string& message)
{
    emit({{"event", "log"}, {"level", level}, {"message", message}});
}

void EventSink::checkpoint(const std::string& path, std::int64_t step)
{
    emit({{"event", "checkpoint"}, {"path", path}, {"step", step}});
}

void EventSink::error(const std::string& code, const std::string& detail, const std::string& hint, bool fatal)
{
    json e = {{"event", "error"}, {"code", code}, {"detail", detail}, {"fatal", fatal}};
    if (!hint.empty())
        e["hint"] = hint;
    emit(e);
}

void EventSink::finished(const std::string& status, std::int64_t runId, const json& summary)
{
    emit({{"event", "finished"}, {"status", status}, {"run_id", runId}, {"summary", summary}});
}

}  // namespace distill::run
