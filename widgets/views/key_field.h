// KeyField: the editor of one key of a job form, made from the key's description (run::KeyDoc): a
// check box, a number or text line, a choice, a list of values or a JSON mapping, with the unit, a
// menu of suggested values, an optional browse button, and a flag when the value cannot be used.
#pragma once

#include "core/run/spec_schema.h"

#include <nlohmann/json.hpp>

#include <QStringList>
#include <QWidget>

class QLabel;
class QToolButton;

namespace distill::widgets {

class KeyField : public QWidget {
    Q_OBJECT
public:
    enum class Browse { None, Folder, File };

    KeyField(const run::KeyDoc& key, QWidget* parent = nullptr);

    const run::KeyDoc& key() const { return m_key; }
    // The QCheckBox, QComboBox or QLineEdit the user edits.
    QWidget* editor() const { return m_editor; }

    // The value as the spec holds it; null when the field is left empty (the default applies).
    nlohmann::ordered_json value() const;
    // Shows `value`; null shows the default.
    void setValue(const nlohmann::ordered_json& value);
    // Why the value cannot be used ("must be in [0, 10]"); empty when it can.
    QString problem() const;

    // Values offered in a menu beside the editor (text: one is picked; list: each is toggled).
    void setSuggestions(const QStringList& items);
    QStringList suggestions() const { return m_suggestions; }
    void setBrowse(Browse browse);

    // A list value as the line shows it: "a, b", or a JSON array when an item holds a comma,
    // a quote or spaces at its ends.
    static QString listText(const nlohmann::ordered_json& list);
    // Reads listText's forms back; false when a JSON array does not parse.
    static bool parseList(const QString& text, nlohmann::ordered_json& list);

signals:
    void changed();

private:
    QString text() const;
    void setText(const QString& text);
    void toggleListItem(const QString& item);
    void showProblem();
    void browse();

    const run::KeyDoc& m_key;  // the description's own key: it outlives the form
    QWidget* m_editor = nullptr;
    QToolButton* m_suggest = nullptr;
    QToolButton* m_browse = nullptr;
    QStringList m_suggestions;
    Browse m_browseKind = Browse::None;
    QString m_tip;
};

}  // namespace distill::widgets
