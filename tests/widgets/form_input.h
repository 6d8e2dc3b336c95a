// Test input for job forms: a key's value entered through its widget, as a user types or picks it.
#pragma once

#include "widgets/views/job_form.h"
#include "widgets/views/key_field.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

namespace distill::test {

// Types `text` into the field of `path` (a check box takes "true"/"false", a choice the choice's text).
// False when the form has no such field.
inline bool enter(widgets::JobForm& form, const QString& path, const QString& text)
{
    widgets::KeyField* field = form.field(path);
    if (!field)
        return false;
    if (auto* box = qobject_cast<QCheckBox*>(field->editor())) {
        if (box->isChecked() != (text == QLatin1String("true")))
            box->click();
    } else if (auto* combo = qobject_cast<QComboBox*>(field->editor())) {
        combo->setCurrentText(text);
    } else if (auto* line = qobject_cast<QLineEdit*>(field->editor())) {
        line->clear();
        QTest::keyClicks(line, text);
    }
    return true;
}

// Clicks the Add button of the list at `path`.
inline bool addItem(widgets::JobForm& form, const QString& path)
{
    auto* add = form.findChild<QPushButton*>(QStringLiteral("add:") + path);
    if (!add)
        return false;
    add->click();
    return true;
}

}  // namespace distill::test
