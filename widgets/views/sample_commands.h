// Undoable review actions on one sample, for the sample browser's QUndoStack: text edits written
// through Workspace::updateSampleText (undone with undoLastEdit), status changes and flags.
#pragma once

#include "core/store/records.h"

#include <QUndoCommand>

#include <functional>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

// Called after a command changed sample `id` in the store (or failed: `error` non-empty).
using SampleChangedFn = std::function<void(qint64 id, const QString& error)>;

class SampleTextEditCommand : public QUndoCommand {
public:
    SampleTextEditCommand(store::Workspace* workspace, qint64 sampleId, store::SampleField field,
                          std::string before, std::string after, SampleChangedFn changed);
    void redo() override;
    void undo() override;

private:
    store::Workspace* m_workspace;
    qint64 m_sampleId;
    store::SampleField m_field;
    std::string m_before;
    std::string m_after;
    SampleChangedFn m_changed;
};

class SampleStatusCommand : public QUndoCommand {
public:
    SampleStatusCommand(store::Workspace* workspace, qint64 sampleId, store::SampleStatus before,
                        store::SampleStatus after, SampleChangedFn changed);
    void redo() override;
    void undo() override;

private:
    void apply(store::SampleStatus status);

    store::Workspace* m_workspace;
    qint64 m_sampleId;
    store::SampleStatus m_before;
    store::SampleStatus m_after;
    SampleChangedFn m_changed;
};

// Toggles the "flagged" key of the sample's flags JSON.
class SampleFlagCommand : public QUndoCommand {
public:
    SampleFlagCommand(store::Workspace* workspace, qint64 sampleId, std::string flagsBefore,
                      SampleChangedFn changed);
    void redo() override;
    void undo() override;

    // The flags JSON with "flagged" toggled (removed when it was true).
    static std::string toggledFlag(const std::string& flagsJson);
    static bool isFlagged(const std::string& flagsJson);

private:
    void apply(const std::string& flags);

    store::Workspace* m_workspace;
    qint64 m_sampleId;
    std::string m_before;
    std::string m_after;
    SampleChangedFn m_changed;
};

}  // namespace distill::widgets
