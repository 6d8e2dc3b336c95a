// SettingsDialog implementation.
#include "widgets/views/settings_dialog.h"

#include "widgets/views/language.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace distill::widgets {

SettingsDialog::SettingsDialog(QWidget* parent) : QDialog(parent), m_language(new QComboBox(this))
{
    setWindowTitle(tr("Settings"));
    m_language->addItem(tr("System default"), QString());
    for (const auto& [code, name] : availableLanguages())
        m_language->addItem(name, code);
    m_language->setCurrentIndex(std::max(0, m_language->findData(savedLanguage())));

    auto* note = new QLabel(tr("A new language takes effect the next time Distillery starts."), this);
    note->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Language:"), m_language);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addStretch(1);
    layout->addWidget(buttons);
}

QString SettingsDialog::chosenLanguage() const
{
    return m_language->currentData().toString();
}

void SettingsDialog::accept()
{
    saveLanguage(chosenLanguage());
    QDialog::accept();
}

}  // namespace distill::widgets
