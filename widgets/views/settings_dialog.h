// SettingsDialog: application preferences kept in QSettings (currently the UI language).
#pragma once

#include <QDialog>

class QComboBox;

namespace distill::widgets {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);

    // The language code chosen in the combo; empty means "system default".
    QString chosenLanguage() const;

    void accept() override;

private:
    QComboBox* m_language;
};

}  // namespace distill::widgets
