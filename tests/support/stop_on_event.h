// An event stream that requests a stop as soon as a job reports an event of a given kind, as a
// SIGTERM at that moment would: give it to run::EventSink through an std::ostream.
#pragma once

#include "core/run/stop_token.h"

#include <sstream>
#include <string>

namespace distill::test {

class StopOnEvent : public std::stringbuf {
public:
    StopOnEvent(run::StopToken& stop, const std::string& event)
        : m_stop(stop), m_needle("\"event\":\"" + event + "\"")
    {
    }

protected:
    int sync() override
    {
        if (str().find(m_needle) != std::string::npos)
            m_stop.request();
        return std::stringbuf::sync();
    }

private:
    run::StopToken& m_stop;
    std::string m_needle;
};

}  // namespace distill::test
