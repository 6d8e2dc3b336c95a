// Undoable review actions for the sample browser's QUndoStack: text edits of one sample (undone
// through the store's edit history), status changes and flags, and bulk changes of every sample a
// filter matched. Each redo/undo is a SampleReview write, run off the GUI thread in the order the
// stack issues them.
#pragma once

#include "core/store/records.h"
#include "widgets/models/bulk_review.h"

#include <QUndoCommand>

namespace distill::widgets {

class SampleReview;

class SampleTextEditCommand : public QUndoCommand {
public:
    SampleTextEditCommand(SampleReview* review, qint64 sampleId, store::SampleField field, std::string before,
                          std::string after);
    void redo() override;
    void undo() override;

private:
    SampleReview* m_review;
    qint64 m_sampleId;
    store::SampleField m_field;
    std::string m_before;
    std::string m_after;
};

class SampleStatusCommand : public QUndoCommand {
public:
    SampleStatusCommand(SampleReview* review, qint64 sampleId, store::SampleStatus before, store::SampleStatus after);
    void redo() override;
    void undo() override;

private:
    SampleReview* m_review;
    qint64 m_sampleId;
    store::SampleStatus m_before;
    store::SampleStatus m_after;
};

// Toggles the "flagged" key of the sample's flags JSON.
class SampleFlagCommand : public QUndoCommand {
public:
    SampleFlagCommand(SampleReview* review, qint64 sampleId, std::string flagsBefore);
    void redo() override;
    void undo() override;

    // The flags JSON with "flagged" toggled (removed when it was true).
    static std::string toggledFlag(const std::string& flagsJson);
    static bool isFlagged(const std::string& flagsJson);

private:
    SampleReview* m_review;
    qint64 m_sampleId;
    std::string m_before;
    std::string m_after;
};

// A bulk change already written when pushed (its first redo writes nothing); undo gives every sample
// back what it had, redo applies it again to the same samples.
class BulkReviewCommand : public QUndoCommand {
public:
    BulkReviewCommand(SampleReview* review, BulkChange change, const QString& text);
    void redo() override;
    void undo() override;

private:
    SampleReview* m_review;
    BulkChange m_change;
    bool m_written = true;
};

}  // namespace distill::widgets
