// Undoable sample review commands.
#include "widgets/views/sample_commands.h"

#include "widgets/models/sample_review.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

namespace distill::widgets {

namespace {
QString fieldText(store::SampleField field)
{
    switch (field) {
    case store::SampleField::Thinking: return QCoreApplication::translate("distill::widgets::SampleCommands", "thinking");
    case store::SampleField::Answer: return QCoreApplication::translate("distill::widgets::SampleCommands", "answer");
    case store::SampleField::RejectReason: return QCoreApplication::translate("distill::widgets::SampleCommands", "reject reason");
    }
    return {};
}

bool flaggedIn(const nlohmann::json& json)
{
    const auto it = json.is_object() ? json.find("flagged") : json.end();
    return it != json.end() && it->is_boolean() && it->get<bool>();
}
}  // namespace

SampleTextEditCommand::SampleTextEditCommand(SampleReview* review, qint64 sampleId, store::SampleField field,
                                             std::string before, std::string after)
    : m_review(review), m_sampleId(sampleId), m_field(field), m_before(std::move(before)), m_after(std::move(after))
{
    setText(QCoreApplication::translate("distill::widgets::SampleCommands", "Edit %1 of sample %2").arg(fieldText(field)).arg(sampleId));
}

void SampleTextEditCommand::redo()
{
    m_review->setText(m_sampleId, m_field, m_after);
}

void SampleTextEditCommand::undo()
{
    // The stack undoes in reverse order, so this edit is the sample's latest in the store's history.
    m_review->undoText(m_sampleId, m_field, m_before, m_after);
}

SampleStatusCommand::SampleStatusCommand(SampleReview* review, qint64 sampleId, store::SampleStatus before,
                                         store::SampleStatus after)
    : m_review(review), m_sampleId(sampleId), m_before(before), m_after(after)
{
    setText(after == store::SampleStatus::Accepted   ? QCoreApplication::translate("distill::widgets::SampleCommands", "Accept sample %1").arg(sampleId)
            : after == store::SampleStatus::Rejected ? QCoreApplication::translate("distill::widgets::SampleCommands", "Reject sample %1").arg(sampleId)
                                                     : QCoreApplication::translate("distill::widgets::SampleCommands", "Reset sample %1").arg(sampleId));
}

void SampleStatusCommand::redo()
{
    m_review->setStatus(m_sampleId, m_after);
}

void SampleStatusCommand::undo()
{
    m_review->setStatus(m_sampleId, m_before);
}

SampleFlagCommand::SampleFlagCommand(SampleReview* review, qint64 sampleId, std::string flagsBefore)
    : m_review(review), m_sampleId(sampleId), m_before(std::move(flagsBefore)), m_after(toggledFlag(m_before))
{
    setText(isFlagged(m_before) ? QCoreApplication::translate("distill::widgets::SampleCommands", "Unflag sample %1").arg(sampleId) : QCoreApplication::translate("distill::widgets::SampleCommands", "Flag sample %1").arg(sampleId));
}

bool SampleFlagCommand::isFlagged(const std::string& flagsJson)
{
    return flaggedIn(nlohmann::json::parse(flagsJson, nullptr, false));
}

std::string SampleFlagCommand::toggledFlag(const std::string& flagsJson)
{
    auto json = nlohmann::json::parse(flagsJson, nullptr, false);
    if (!json.is_object())
        json = nlohmann::json::object();
    if (flaggedIn(json))
        json.erase("flagged");
    else
        json["flagged"] = true;
    return json.dump();
}

void SampleFlagCommand::redo()
{
    m_review->setFlags(m_sampleId, m_after);
}

void SampleFlagCommand::undo()
{
    m_review->setFlags(m_sampleId, m_before);
}

BulkReviewCommand::BulkReviewCommand(SampleReview* review, BulkChange change, const QString& text)
    : m_review(review), m_change(std::move(change))
{
    setText(text);
}

void BulkReviewCommand::redo()
{
    if (m_written) {
        m_written = false;  // pushed after the write
        return;
    }
    m_review->redoBulk(m_change);
}

void BulkReviewCommand::undo()
{
    m_review->undoBulk(m_change);
}

}  // namespace distill::widgets
