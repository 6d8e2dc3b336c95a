// Small helpers shared by the store tests: an empty workspace, a problem, the code of an Error.
#pragma once

#include "core/store/workspace.h"
#include "core/util/error.h"

#include <QTemporaryDir>

#include <functional>
#include <string>

namespace distill::store::testing {

inline Workspace emptyWorkspace(const QTemporaryDir& dir, const std::string& name = "ws.sqlite")
{
    CreateOptions options;
    options.loadBenchmarks = false;
    return Workspace::create(dir.filePath(QString::fromStdString(name)).toStdString(), options);
}

inline std::int64_t addProblem(Workspace& ws, const std::string& source, const std::string& question)
{
    Problem p;
    p.source = source;
    p.question = question;
    return ws.insertProblem(p);
}

inline ErrorCode codeOf(const std::function<void()>& fn)
{
    try {
        fn();
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::Internal;  // "did not throw"
}

}  // namespace distill::store::testing
