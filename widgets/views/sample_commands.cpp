// Undoable sample review commands.
#include "widgets/views/sample_commands.h"

#include "core/store/workspace.h"
#include "widgets/models/error_text.h"

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

// Runs a store call, reporting success or the error through `changed`.
template <typename Fn>
void reportChange(const SampleChangedFn& changed, qint64 id, Fn&& fn)
{
    QString error;
    try {
        fn();
    } catch (const std::exception& e) {
        error = errorMessage(e);
    }
    if (changed)
        changed(id, error);
}
}  // namespace

SampleTextEditCommand::SampleTextEditCommand(store::Workspace* workspace, qint64 sampleId, store::SampleField field,
                                             std::string before, std::string after, SampleChangedFn changed)
    : m_workspace(workspace), m_sampleId(sampleId), m_field(field), m_before(std::move(before)),
      m_after(std::move(after)), m_changed(std::move(changed))
{
    setText(QCoreApplication::translate("distill::widgets::SampleCommands", "Edit %1 of sample %2").arg(fieldText(field)).arg(sampleId));
}

void SampleTextEditCommand::redo()
{
    reportChange(m_changed, m_sampleId, [&] { m_workspace->updateSampleText(m_sampleId, m_field, m_after); });
}

void SampleTextEditCommand::undo()
{
    reportChange(m_changed, m_sampleId, [&] {
        // The stack undoes in reverse order, so this edit is the sample's latest in the store's
        // history; restore it there. Should anything else have edited the sample since, write the
        // old text back as a new edit instead of undoing someone else's change.
        const auto history = m_workspace->editHistory(m_sampleId);
        if (!history.empty() && history.back().field == m_field && history.back().after == m_after)
            m_workspace->undoLastEdit(m_sampleId);
        else
            m_workspace->updateSampleText(m_sampleId, m_field, m_before);
    });
}

SampleStatusCommand::SampleStatusCommand(store::Workspace* workspace, qint64 sampleId, store::SampleStatus before,
                                         store::SampleStatus after, SampleChangedFn changed)
    : m_workspace(workspace), m_sampleId(sampleId), m_before(before), m_after(after), m_changed(std::move(changed))
{
    setText(after == store::SampleStatus::Accepted   ? QCoreApplication::translate("distill::widgets::SampleCommands", "Accept sample %1").arg(sampleId)
            : after == store::SampleStatus::Rejected ? QCoreApplication::translate("distill::widgets::SampleCommands", "Reject sample %1").arg(sampleId)
                                                     : QCoreApplication::translate("distill::widgets::SampleCommands", "Reset sample %1").arg(sampleId));
}

void SampleStatusCommand::apply(store::SampleStatus status)
{
    reportChange(m_changed, m_sampleId, [&] { m_workspace->setStatus({m_sampleId}, status); });
}

void SampleStatusCommand::redo()
{
    apply(m_after);
}

void SampleStatusCommand::undo()
{
    apply(m_before);
}

SampleFlagCommand::SampleFlagCommand(store::Workspace* workspace, qint64 sampleId, std::string flagsBefore,
                                     SampleChangedFn changed)
    : m_workspace(workspace), m_sampleId(sampleId), m_before(std::move(flagsBefore)),
      m_after(toggledFlag(m_before)), m_changed(std::move(changed))
{
    setText(isFlagged(m_before) ? QCoreApplication::translate("distill::widgets::SampleCommands", "Unflag sample %1").arg(sampleId)
                                : QCoreApplication::translate("distill::widgets::SampleCommands", "Flag sample %1").arg(sampleId));
}

namespace {
bool flaggedIn(const nlohmann::json& json)
{
    const auto it = json.is_object() ? json.find("flagged") : json.end();
    return it != json.end() && it->is_boolean() && it->get<bool>();
}
}  // namespace

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

void SampleFlagCommand::apply(const std::string& flags)
{
    reportChange(m_changed, m_sampleId, [&] { m_workspace->setFlags(m_sampleId, flags); });
}

void SampleFlagCommand::redo()
{
    apply(m_after);
}

void SampleFlagCommand::undo()
{
    apply(m_before);
}

}  // namespace distill::widgets
