// Reading the JSON events a running `distillery-cli run` prints, one per line.
#pragma once

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QProcess>

#include <functional>
#include <vector>

namespace distill::test {

// Reads events from a running CLI until `until` accepts one (or the process ends or times out).
inline std::vector<nlohmann::json> readEvents(QProcess& process, const std::function<bool(const nlohmann::json&)>& until,
                                              int timeoutMs = 30000)
{
    std::vector<nlohmann::json> events;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        while (process.canReadLine()) {
            events.push_back(nlohmann::json::parse(process.readLine().trimmed().toStdString()));
            if (until(events.back()))
                return events;
        }
        if (process.state() == QProcess::NotRunning && !process.canReadLine())
            break;
        process.waitForReadyRead(100);
    }
    return events;
}

}  // namespace distill::test
